package io.sluice.task;

/**
 * Where a task is: PENDING (stored, waiting for a worker), RUNNING, then one of the ends. A task
 * never leaves an end; a retry is a new task.
 */
public enum TaskState {
    PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** Whether a retry may start from it: a task that did not succeed and is over. */
    public boolean isRetryable() {
        return this == FAILED || this == CANCELLED;
    }
}
