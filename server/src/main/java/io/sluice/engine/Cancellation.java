package io.sluice.engine;

/**
 * Lets the query service interrupt a local query that is running on a worker thread. The engine
 * registers what to do on cancel (e.g. {@code Statement.cancel()}) before it starts the work, and
 * checks {@link #isCancelled()} between batches of rows.
 */
public interface Cancellation {

    boolean isCancelled();

    /**
     * Registers the action that interrupts the running work. If the run was already cancelled,
     * the action runs at once on the calling thread.
     */
    void onCancel(Runnable interrupt);
}
