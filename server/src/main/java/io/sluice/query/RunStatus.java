package io.sluice.query;

/**
 * Where a run stands, finer than its public {@link QueryState}: the states clients see, with the
 * active ones split into the phases the lifecycle tells apart. Stored as the run's state and
 * {@code phase} (null once the run ended). The legal moves between them are
 * {@link Lifecycle#TABLE}.
 */
public enum RunStatus {
    /** Queued; no worker has taken it yet. */
    WAITING(QueryState.QUEUED),
    /** A worker took it; the engine has not accepted it yet. Clients still see QUEUED. */
    STARTING(QueryState.QUEUED),
    /** The engine accepted it and holds it in its own queue. */
    ENGINE_QUEUED(QueryState.QUEUED),
    /** The engine runs it. */
    EXECUTING(QueryState.RUNNING),
    /** The engine finished; its result is being stored. Clients see RUNNING with this phase. */
    STORING_RESULT(QueryState.RUNNING),
    SUCCEEDED(QueryState.SUCCEEDED),
    FAILED(QueryState.FAILED),
    CANCELLED(QueryState.CANCELLED),
    TIMED_OUT(QueryState.TIMED_OUT);

    private final QueryState state;

    RunStatus(QueryState state) {
        this.state = state;
    }

    /** What clients see. */
    public QueryState state() {
        return state;
    }

    public boolean isTerminal() {
        return state.isTerminal();
    }

    /** The phase stored beside the state: this status for an active run, null for an ended one. */
    public RunStatus phase() {
        return isTerminal() ? null : this;
    }

    /** The status of a stored state and phase (a missing phase of an active run reads as the plain one). */
    public static RunStatus of(QueryState state, RunStatus phase) {
        if (state.isTerminal()) {
            return valueOf(state.name());
        }
        if (phase != null && phase.state == state) {
            return phase;
        }
        return state == QueryState.QUEUED ? WAITING : EXECUTING;
    }
}
