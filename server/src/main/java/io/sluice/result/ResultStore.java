package io.sluice.result;

import io.sluice.engine.ResultLimits;

import java.io.IOException;
import java.util.Optional;

/**
 * Stored query results, one per query run. Written once by a streaming {@link ResultWriter},
 * visible only after {@link ResultWriter#publish} (atomically: a reader never sees half a result),
 * then read back page by page with a cost that does not depend on the page's position.
 */
public interface ResultStore extends AutoCloseable {

    /**
     * Starts writing the result of one run, kept within {@code limits}. Nothing is visible until
     * the writer publishes.
     */
    ResultWriter create(String queryId, int run, ResultLimits limits) throws IOException;

    /** As {@link #create(String, int, ResultLimits)}, with no limits (tools and tests). */
    default ResultWriter create(String queryId, int run) throws IOException {
        return create(queryId, run, ResultLimits.NONE);
    }

    /** The published result of one run, if there is one. */
    Optional<ResultReader> open(String queryId, int run) throws IOException;

    /**
     * Publishes a copy of one run's published result as another run's result (the local result
     * cache answers a new query with it), replacing what that run had. The copy stands on its own:
     * deleting or replacing the source later leaves it whole.
     *
     * @return false, and nothing published, when the source run has no published result
     */
    boolean copy(String fromQueryId, int fromRun, String toQueryId, int toRun) throws IOException;

    /** Removes the published result of one run, if any. Idempotent. */
    void delete(String queryId, int run) throws IOException;

    /**
     * Deletes this instance's leftovers of writes and deletions a crash interrupted. Call at
     * start-up; this store's own writes in progress and other instances' files are kept.
     *
     * @return the number of leftovers removed
     */
    int sweepTemporary() throws IOException;

    /** Releases what the store holds open (clients, connections); results stay. */
    @Override
    default void close() {
    }
}
