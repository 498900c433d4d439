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
     * the action runs at once on the calling thread. After a cancel the action may run again, from
     * another thread, until the work returns (an interrupt that lands before the statement really
     * starts can be lost), so it must be safe to repeat and to run after the work ended.
     */
    void onCancel(Runnable interrupt);
}
