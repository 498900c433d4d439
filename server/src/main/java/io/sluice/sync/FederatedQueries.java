package io.sluice.sync;

import io.sluice.access.Caller;
import io.sluice.api.RequestBody;

import java.util.concurrent.CompletableFuture;

/**
 * Synchronous queries over attached external databases ({@code attach_databases}). They run as an
 * async task (one lifecycle: attach, query, detach on one connection), whose table the synchronous
 * route then reads as an ordinary query, so its result is stored, paged and kept in the history
 * like any other.
 */
public interface FederatedQueries {

    /** A federated query under way: its task, and the workspace table its result will be in. */
    record Started(String taskId, CompletableFuture<String> table) {
    }

    /**
     * Starts {@code sql} with the databases of the body's {@code attach_databases} attached. The
     * table future fails with an {@link io.sluice.api.ApiException} when the task does not succeed.
     *
     * @throws io.sluice.api.ApiException when it cannot run (as {@code POST /api/async_query} refuses)
     */
    Started start(Caller caller, String sql, RequestBody body);

    /** Cancels the task of a query whose client hung up or asked to cancel. Never throws. */
    void cancel(Caller caller, String taskId);

    /** Drops the table once the query that read it has ended. Never throws. */
    void drop(Caller caller, String table);
}
