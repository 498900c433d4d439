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

    /** How many of one owner's queries are in {@code state} (the per-user limits). */
    int count(String owner, QueryState state);

    /** Runs of these engines with a stop the engine has not confirmed yet ({@link QueryRecord#stopRequested()}). */
    List<QueryRecord> findStopsRequested(Collection<String> engines, int limit);
}
