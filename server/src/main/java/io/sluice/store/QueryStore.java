package io.sluice.store;

import io.sluice.query.HistoryQuery;
import io.sluice.query.QueryRecord;
import io.sluice.query.QueryState;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where queries live. Thread-safe. Every change is a compare-and-set: {@link #update} writes only
 * if the stored row still has the expected version and state, so the poller, a cancel and a
 * refresh can race and exactly one wins.
 *
 * <p>Every call may throw {@link StoreUnavailableException} when the store cannot be reached.
 */
public interface QueryStore {

    /** Stores a new query. Its id must be new. */
    void insert(QueryRecord query);

    Optional<QueryRecord> find(String id);

    /**
     * Replaces {@code expected} with {@code next} if the stored row still has
     * {@code expected.version()} and {@code expected.state()}. The stored version becomes
     * {@code expected.version() + 1}.
     *
     * @return the stored record on success (with its new version), empty if another change won
     */
    Optional<QueryRecord> update(QueryRecord expected, QueryRecord next);

    /** One page of one owner's history, newest first; {@code limit + 1} rows tell if more exist. */
    List<QueryRecord> history(HistoryQuery query);

    /** The newest query of an owner with this synchronous request id. */
    Optional<QueryRecord> findByRequestId(String owner, String requestId);

    /** Queries in these states for these engines, oldest first, at most {@code limit}. */
    List<QueryRecord> findByStates(Collection<QueryState> states, Collection<String> engines, int limit);

    /**
     * How many of one owner's queries are in {@code state}, counting no further than {@code atMost}
     * (the per-user limits: their check then costs the same however long a backlog grows).
     */
    int count(String owner, QueryState state, int atMost);

    /**
     * Runs of these engines with a stop the engine has not confirmed yet
     * ({@link QueryRecord#stopRequested()}), earlier runs of a query included.
     */
    List<QueryRecord> findStopsRequested(Collection<String> engines, int limit);

    /**
     * Replaces an earlier run of a query (one a refresh has replaced as the latest) if its stored
     * row still has {@code expected.version()} and {@code expected.state()}. The query's own row does
     * not change.
     *
     * @return the stored run on success, empty if another change won
     */
    Optional<QueryRecord> updateRun(QueryRecord expected, QueryRecord next);

    /** One run of a query, latest or earlier. */
    Optional<QueryRecord> findRun(String id, int run);

    /** Runs of a query numbered below {@code beforeRun}, newest first, at most {@code limit}. */
    List<QueryRecord> runs(String id, int beforeRun, int limit);

    /**
     * The runs an instance owns: active ones, and ended ones whose engine stop is pending. A null
     * instance: the runs without an owner (stored by older versions).
     */
    List<QueryRecord> findOwnedRuns(String instanceId, int limit);

    /** Every instance that owns a run (as {@link #findOwnedRuns}); null stands for runs without an owner. */
    List<String> findOwners();

    /** The queries with these ids (those that exist), in no particular order. */
    List<QueryRecord> findAll(Collection<String> ids);
}
