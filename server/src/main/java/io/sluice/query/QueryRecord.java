package io.sluice.query;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One query as stored: what was asked, by whom, and where its current run stands.
 *
 * <p>Records are immutable; a change is a new record written with a compare-and-set on
 * {@code version} and {@code state} (see {@link io.sluice.store.QueryStore#update}).
 *
 * @param id            random UUID, the query's public id
 * @param owner         the submitter's identity (an e-mail, or {@code anonymous})
 * @param engine        engine name
 * @param queryText     the SQL as submitted
 * @param catalog       catalog the query runs in
 * @param database      database (schema) the query runs in
 * @param requestId     client-chosen id of a synchronous run, else null
 * @param state         the current run's state
 * @param run           run number, 1 for the first; a refresh increments it
 * @param version       optimistic-lock counter, incremented by every update
 * @param engineQueryId the engine's own id for the current run (Athena's execution id), else null
 * @param claimedBy     the Sluice instance running or polling the current run, else null
 * @param createdAt     first submission; history is ordered by it
 * @param submittedAt   submission of the current run
 * @param startedAt     start of execution of the current run
 * @param completedAt   end of the current run
 * @param statistics    the current run's statistics
 * @param error         the current run's error, for failed, timed out or guardrail-stopped runs
 * @param stopRequested a remote run that Sluice ended (cancel, time or scan limit) and whose engine
 *                      has not yet confirmed the stop and the final statistics
 * @param phase         where an active run stands ({@link RunStatus}, one whose state is {@code state});
 *                      null for an ended run
 * @param warnings      what the submit checks warned of (kept for every run), empty when nothing
 * @param maxScanBytes  the query's own scan cap, below the engine's; null for the engine's alone
 */
public record QueryRecord(
        String id,
        String owner,
        String engine,
        String queryText,
        String catalog,
        String database,
        String requestId,
        QueryState state,
        int run,
        long version,
        String engineQueryId,
        String claimedBy,
        Instant createdAt,
        Instant submittedAt,
        Instant startedAt,
        Instant completedAt,
        Statistics statistics,
        QueryError error,
        boolean stopRequested,
        RunStatus phase,
        List<Warning> warnings,
        Long maxScanBytes) {

    public QueryRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(queryText, "queryText");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(submittedAt, "submittedAt");
        statistics = statistics == null ? Statistics.EMPTY : statistics;
        phase = RunStatus.of(state, phase).phase();
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        if (run < 1) {
            throw new IllegalArgumentException("run must be >= 1");
        }
    }

    /** A record without warnings or a scan cap of its own. */
    public QueryRecord(String id, String owner, String engine, String queryText, String catalog, String database,
                       String requestId, QueryState state, int run, long version, String engineQueryId,
                       String claimedBy, Instant createdAt, Instant submittedAt, Instant startedAt,
                       Instant completedAt, Statistics statistics, QueryError error, boolean stopRequested,
                       RunStatus phase) {
        this(id, owner, engine, queryText, catalog, database, requestId, state, run, version, engineQueryId, claimedBy,
                createdAt, submittedAt, startedAt, completedAt, statistics, error, stopRequested, phase, List.of(), null);
    }

    /** A record whose phase is the plain one of its state (WAITING for QUEUED, EXECUTING for RUNNING). */
    public QueryRecord(String id, String owner, String engine, String queryText, String catalog, String database,
                       String requestId, QueryState state, int run, long version, String engineQueryId,
                       String claimedBy, Instant createdAt, Instant submittedAt, Instant startedAt,
                       Instant completedAt, Statistics statistics, QueryError error, boolean stopRequested) {
        this(id, owner, engine, queryText, catalog, database, requestId, state, run, version, engineQueryId, claimedBy,
                createdAt, submittedAt, startedAt, completedAt, statistics, error, stopRequested, null, List.of(), null);
    }

    /** A record without a pending engine stop. */
    public QueryRecord(String id, String owner, String engine, String queryText, String catalog, String database,
                       String requestId, QueryState state, int run, long version, String engineQueryId,
                       String claimedBy, Instant createdAt, Instant submittedAt, Instant startedAt,
                       Instant completedAt, Statistics statistics, QueryError error) {
        this(id, owner, engine, queryText, catalog, database, requestId, state, run, version, engineQueryId, claimedBy,
                createdAt, submittedAt, startedAt, completedAt, statistics, error, false, null, List.of(), null);
    }

    /** A new query's first run, queued now, waiting for a worker of {@code owner} (the instance that took it). */
    public static QueryRecord queued(String id, String owner, String engine, String queryText,
                                     String catalog, String database, String requestId, Instant now) {
        return new QueryRecord(id, owner, engine, queryText, catalog, database, requestId,
                QueryState.QUEUED, 1, 0, null, null, now, now, null, null, Statistics.EMPTY, null, false, null, List.of(), null);
    }

    /** The same query with the submit checks' warnings and its own scan cap (set before it is stored). */
    public QueryRecord withSubmitted(List<Warning> checked, Long scanCap) {
        return new QueryRecord(id, owner, engine, queryText, catalog, database, requestId, state, run, version,
                engineQueryId, claimedBy, createdAt, submittedAt, startedAt, completedAt, statistics, error,
                stopRequested, phase, checked, scanCap);
    }

    /** Where the run stands, in full. */
    public RunStatus status() {
        return RunStatus.of(state, phase);
    }

    /** The same run in another status (its public state and phase). */
    public QueryRecord withStatus(RunStatus next) {
        return new QueryRecord(id, owner, engine, queryText, catalog, database, requestId, next.state(), run, version,
                engineQueryId, claimedBy, createdAt, submittedAt, startedAt, completedAt, statistics, error,
                stopRequested, next.phase(), warnings, maxScanBytes);
    }

    /** The state alone (its plain phase); the lifecycle sets statuses through {@link #withStatus}. */
    public QueryRecord withState(QueryState next) {
        return withStatus(RunStatus.of(next, null));
    }

    /** Execution started at {@code at} (kept if it had started before). */
    public QueryRecord withStartedAt(Instant at) {
        return new QueryRecord(id, owner, engine, queryText, catalog, database, requestId, state, run,
                version, engineQueryId, claimedBy, createdAt, submittedAt, startedAt == null ? at : startedAt,
                completedAt, statistics, error, stopRequested, phase, warnings, maxScanBytes);
    }

    public QueryRecord withEngineQueryId(String engineId) {
        return new QueryRecord(id, owner, engine, queryText, catalog, database, requestId, state, run, version,
                engineId, claimedBy, createdAt, submittedAt, startedAt, completedAt, statistics, error, stopRequested,
                phase, warnings, maxScanBytes);
    }

    /** Owned by {@code instance}: it dispatches, runs or polls the run, and delivers its stop. */
    public QueryRecord withClaim(String instance) {
        return new QueryRecord(id, owner, engine, queryText, catalog, database, requestId, state, run, version,
                engineQueryId, instance, createdAt, submittedAt, startedAt, completedAt, statistics, error,
                stopRequested, phase, warnings, maxScanBytes);
    }

    public QueryRecord withStatistics(Statistics stats) {
        return new QueryRecord(id, owner, engine, queryText, catalog, database, requestId, state, run, version,
                engineQueryId, claimedBy, createdAt, submittedAt, startedAt, completedAt, stats, error, stopRequested,
                phase, warnings, maxScanBytes);
    }

    /**
     * The run's end: when it happened, its statistics, and why (for failures). The terminal status
     * itself comes from the lifecycle's transition.
     */
    public QueryRecord withEnd(Instant at, Statistics stats, QueryError why) {
        return new QueryRecord(id, owner, engine, queryText, catalog, database, requestId, state, run, version,
                engineQueryId, claimedBy, createdAt, submittedAt, startedAt, at, stats, why, stopRequested, phase, warnings, maxScanBytes);
    }

    /**
     * The run executing since {@code at} on {@code instance}: a record built directly (tools,
     * tests); the lifecycle gets there through its events.
     */
    public QueryRecord withStarted(Instant at, String instance) {
        return withStatus(RunStatus.EXECUTING).withStartedAt(at).withClaim(instance);
    }

    /**
     * The run ended in {@code terminal}: a record built directly (tools, tests); the lifecycle's
     * events take the terminal status from its table and use {@link #withEnd(Instant, Statistics, QueryError)}.
     */
    public QueryRecord withEnd(QueryState terminal, Instant at, Statistics stats, QueryError why) {
        if (!terminal.isTerminal()) {
            throw new IllegalArgumentException(terminal + " is not terminal");
        }
        return withEnd(at, stats, why).withState(terminal);
    }

    /** The next run, without an owner yet (tools, tests). */
    public QueryRecord nextRun(Instant now) {
        return nextRun(now, null);
    }

    /** Marks (or clears) a pending engine stop: see {@code stopRequested}. */
    public QueryRecord withStopRequested(boolean requested) {
        return new QueryRecord(id, owner, engine, queryText, catalog, database, requestId, state, run, version,
                engineQueryId, claimedBy, createdAt, submittedAt, startedAt, completedAt, statistics, error, requested,
                phase, warnings, maxScanBytes);
    }

    /** The next run of the same query, queued now for {@code instance}, with the previous run's traces removed. */
    public QueryRecord nextRun(Instant now, String instance) {
        return new QueryRecord(id, owner, engine, queryText, catalog, database, requestId, QueryState.QUEUED,
                run + 1, version, null, instance, createdAt, now, null, null, Statistics.EMPTY, null, false, null, warnings, maxScanBytes);
    }
}
