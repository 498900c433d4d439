package io.sluice.plan;

/** Where a plan, or one of its steps, is: QUEUED, RUNNING, then one of the ends, which it never leaves. */
public enum PlanState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
