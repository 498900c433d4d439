package io.sluice.store;

import io.sluice.query.QueryRecord;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What retention finds and removes in the store: runs whose stored result is old enough to go, and
 * queries old enough to go with all their runs. Every call may throw
 * {@link StoreUnavailableException}.
 */
public interface RetentionStore {

    /** One run of one query. */
    record RunKey(String queryId, int run) {
    }

    /**
     * Succeeded runs (the latest of their query or earlier ones) that ended before {@code before}
     * and whose result retention has not removed yet: oldest end first, at most {@code limit}.
     */
    List<RunKey> findResultsEndedBefore(Instant before, int limit);

    /** Records, in one transaction, that retention removed the stored results of these runs at {@code at}. */
    void markResultsRemoved(Collection<RunKey> runs, Instant at);

    /** When retention removed the stored result of this run; empty if it did not (or the run is unknown). */
    Optional<Instant> resultRemovedAt(String queryId, int run);

    /**
     * Queries whose latest run ended (a terminal state) before {@code before} and that leave nothing
     * to do: no run with an engine stop still pending. Oldest end first, at most {@code limit}.
     */
    List<QueryRecord> findQueriesEndedBefore(Instant before, int limit);

    /**
     * Deletes these queries with all their runs, in one transaction, each only if its stored row
     * still has the version read: a query refreshed (or otherwise changed) since stays.
     *
     * @return the queries deleted
     */
    List<QueryRecord> deleteQueries(Collection<QueryRecord> queries);
}
