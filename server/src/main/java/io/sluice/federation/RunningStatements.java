package io.sluice.federation;

import io.sluice.engine.Cancellation;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The statements one attach is running at this moment (on DuckDB and on a source), so that a cancel
 * can interrupt them: {@link #interrupt()} is what {@link Cancellation#onCancel} gets. It may run any
 * number of times, from any thread, also after the attach ended (then there is nothing to cancel).
 * Besides JDBC statements, any running operation with its own way to stop (PostgreSQL's
 * {@code COPY … TO STDOUT}, stopped by a cancel request) registers an {@link Interrupt}.
 */
final class RunningStatements {

    /** How to stop one running operation; called from the cancelling thread. */
    @FunctionalInterface
    interface Interrupt {
        void interrupt() throws SQLException;
    }

    private final Map<Object, Interrupt> running = new ConcurrentHashMap<>();
    private final Cancellation cancellation;

    RunningStatements(Cancellation cancellation) {
        this.cancellation = cancellation;
    }

    /** Registers the interrupt with the cancellation (at once when it was already cancelled). */
    void register() {
        cancellation.onCancel(this::interrupt);
    }

    Cancellation cancellation() {
        return cancellation;
    }

    boolean cancelled() {
        return cancellation.isCancelled();
    }

    /** {@code statement} runs from now until {@link #finished}; cancelled at once if the run already was. */
    void started(Statement statement) {
        started(statement, statement::cancel);
    }

    /**
     * The operation known as {@code key} runs from now until {@link #finished}({@code key}), stopped by
     * {@code interrupt} on cancel; interrupted at once if the run already was cancelled.
     */
    void started(Object key, Interrupt interrupt) {
        running.put(key, interrupt);
        if (cancellation.isCancelled()) {
            run(interrupt);
        }
    }

    void finished(Object key) {
        running.remove(key);
    }

    void interrupt() {
        running.values().forEach(RunningStatements::run);
    }

    private static void run(Interrupt interrupt) {
        try {
            interrupt.interrupt();
        } catch (SQLException | RuntimeException e) {
            // already closed or finished: nothing left to interrupt
        }
    }
}
