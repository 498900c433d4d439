package io.sluice.federation;

import io.sluice.engine.Cancellation;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The statements one attach is running at this moment (on DuckDB and on a source), so that a cancel
 * can interrupt them: {@link #interrupt()} is what {@link Cancellation#onCancel} gets. It may run any
 * number of times, from any thread, also after the attach ended (then there is nothing to cancel).
 */
final class RunningStatements {

    private final Set<Statement> running = ConcurrentHashMap.newKeySet();
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
        running.add(statement);
        if (cancellation.isCancelled()) {
            cancel(statement);
        }
    }

    void finished(Statement statement) {
        running.remove(statement);
    }

    void interrupt() {
        running.forEach(RunningStatements::cancel);
    }

    private static void cancel(Statement statement) {
        try {
            statement.cancel();
        } catch (SQLException | RuntimeException e) {
            // already closed or finished: nothing left to interrupt
        }
    }
}
