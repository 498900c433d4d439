package io.sluice.query;

import java.util.EnumSet;
import java.util.Set;

/**
 * A query's life: {@code QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED | TIMED_OUT}.
 * RUNNING may fall back to QUEUED (a remote engine's transient retry). A terminal state changes only
 * through a refresh, which starts a new run; {@link #canMoveTo} never allows it.
 */
public enum QueryState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT;

    public static final Set<QueryState> ACTIVE = EnumSet.of(QUEUED, RUNNING);

    public boolean isTerminal() {
        return !ACTIVE.contains(this);
    }

    /** Whether a state change from this state to {@code next} is legal (refresh excluded). */
    public boolean canMoveTo(QueryState next) {
        return !isTerminal() && next != this;
    }
}
