package io.sluice.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.sluice.access.Caller;
import io.sluice.access.Role;
import io.sluice.api.ApiException;
import io.sluice.api.ClientHangup;
import io.sluice.api.HttpApp;
import io.sluice.api.MessageCode;
import io.sluice.api.RequestBody;
import io.sluice.api.Responder;
import io.sluice.api.RouteTable;
import io.sluice.api.Routes;
import io.sluice.query.CancelOutcome;
import io.sluice.query.PageRequest;
import io.sluice.query.QueryEvents;
import io.sluice.query.QueryRecord;
import io.sluice.query.QueryService;
import io.sluice.query.QueryState;
import io.sluice.query.QueryViews;
import io.sluice.query.Submission;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The synchronous query: {@code POST /api/{engine}/query} runs on the engine the path names (any
 * configured engine: {@code /api/duckdb/query} on the default configuration), waits for the query's end and
 * answers with its first page; {@code POST /api/query/cancel/{request_id}} cancels it, and the
 * waiting request then answers HTTP 499. The query is an ordinary query underneath (history,
 * status and results work on it), identified for cancelling by the client's request id.
 */
public final class SyncQueryRoutes implements Routes {

    private static final Logger LOG = LoggerFactory.getLogger(SyncQueryRoutes.class);
    /** A cancelled request answers 499 ("client closed request"), kept out of error rates. */
    public static final int CANCELLED_STATUS = 499;
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9:_.-]{1,128}");
    private static final Set<String> FIELDS = Set.of("sql", "request_id", "limit", "attach_databases");

    private final QueryService queries;
    private final QueryEvents events;
    private final QueryViews views;
    private final Responder responder;
    private final ObjectMapper mapper;
    /** Queries with {@code attach_databases}; null when tasks are off. */
    private final FederatedQueries federated;
    /** Federated queries still in their task, by caller and request id: what a cancel by request id stops. */
    private final Map<String, String> federatedTasks = new java.util.concurrent.ConcurrentHashMap<>();

    public SyncQueryRoutes(QueryService queries, QueryEvents events, QueryViews views, Responder responder,
                           ObjectMapper mapper, FederatedQueries federated) {
        this.queries = queries;
        this.events = events;
        this.views = views;
        this.responder = responder;
        this.mapper = mapper;
        this.federated = federated;
    }

    @Override
    public void register(RouteTable table) {
        table.post("/api/{engine}/query", Role.USER, this::run);
        table.post("/api/query/cancel/{request_id}", Role.USER, this::cancel);
    }

    private void run(Context ctx) {
        RequestBody body = RequestBody.parse(ctx, mapper, FIELDS);
        Caller caller = HttpApp.caller(ctx);
        String requestId = body.string("request_id");
        if (requestId == null) {
            requestId = "sync:" + java.util.UUID.randomUUID();
        } else if (!REQUEST_ID.matcher(requestId).matches()) {
            throw new ApiException(MessageCode.INVALID_REQUEST_ID);
        }
        Integer limit = body.integer("limit");
        queries.checkPageSize(limit);
        String id = requestId;
        List<RequestBody> attach = body.objects("attach_databases", Set.of("alias", "connection_id"));
        if (attach != null && !attach.isEmpty()) {
            runFederated(ctx, caller, body, id, limit);
            return;
        }
        // The store claims the request id atomically: a second active query with it answers 409.
        QueryRecord submitted = queries.submit(caller, new Submission(body.string("sql"), ctx.pathParam("engine"), null, null, id));
        // Nobody else waits for this query: if its client hangs up, it is cancelled.
        ClientHangup hangup = ClientHangup.watch(ctx, () -> cancelAbandoned(caller, submitted));
        CompletableFuture<QueryRecord> ended = events.awaitEnd(submitted.id(), submitted.run());
        ctx.future(() -> ended.thenAccept(record -> {
            hangup.stop();
            answer(ctx, id, record, limit);
        }));
    }

    /**
     * A query over attached databases: its task runs first (attach, query into a workspace table,
     * detach); the table is then read as an ordinary query with this request id, answered as any
     * synchronous query, and dropped. A client that hangs up cancels whichever is running.
     */
    private void runFederated(Context ctx, Caller caller, RequestBody body, String requestId, Integer limit) {
        if (!"duckdb".equals(ctx.pathParam("engine")) || federated == null) {
            throw new ApiException(MessageCode.VALIDATION_ERROR, Map.of("field", "attach_databases",
                    "rule", "FEDERATION_UNAVAILABLE", "reason", "attach_databases needs the duckdb engine and tasks on"));
        }
        String key = caller.identity() + "\n" + requestId;
        if (federatedTasks.containsKey(key) || queries.findByRequestId(caller, requestId)
                .filter(r -> !r.state().isTerminal()).isPresent()) {
            throw new ApiException(MessageCode.REQUEST_ID_IN_USE, Map.of("request_id", requestId));
        }
        FederatedQueries.Started started = federated.start(caller, body.string("sql"), body);
        federatedTasks.put(key, started.taskId());
        started.table().whenComplete((t, e) -> federatedTasks.remove(key));
        ClientHangup hangup = ClientHangup.watch(ctx, () -> federated.cancel(caller, started.taskId()));
        CompletableFuture<QueryRecord> ended = started.table().thenCompose(table -> {
            QueryRecord submitted = queries.submit(caller, new Submission(
                    "SELECT * FROM workspace.\"" + table + "\"", ctx.pathParam("engine"), null, null, requestId));
            return events.awaitEnd(submitted.id(), submitted.run())
                    .whenComplete((r, e) -> federated.drop(caller, table));
        });
        ctx.future(() -> ended.handle((record, failure) -> {
            hangup.stop();
            if (failure != null) {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause instanceof ApiException api) {
                    responder.error(ctx, api);
                } else {
                    LOG.error("federated synchronous query failed", cause);
                    responder.error(ctx, new ApiException(MessageCode.INTERNAL_ERROR));
                }
            } else {
                answer(ctx, requestId, record, limit);
            }
            return null;
        }));
    }

    private void cancelAbandoned(Caller caller, QueryRecord submitted) {
        try {
            if (queries.cancel(caller, submitted.id()) == CancelOutcome.CANCELLED) {
                LOG.info("the client of synchronous request {} hung up: query {} cancelled", submitted.requestId(),
                        submitted.id());
            }
        } catch (ApiException e) {
            // it finished (or was cancelled) first: nothing runs on
        } catch (RuntimeException e) {
            LOG.warn("cancelling query {} after its client hung up failed: {}", submitted.id(), e.getMessage());
        }
    }

    private void answer(Context ctx, String requestId, QueryRecord record, Integer limit) {
        try {
            if (record.state() == QueryState.CANCELLED) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("request_id", requestId);
                data.put("query_id", record.id());
                data.put("cancelled", true);
                responder.error(ctx, new ApiException(CANCELLED_STATUS, MessageCode.QUERY_CANCELLED, Map.of(), data));
                return;
            }
            var page = queries.results(record, new PageRequest(limit, null, null));
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("request_id", requestId);
            data.put("query_id", record.id());
            Map<String, Object> pageData = views.resultPage(page);
            data.put("columns", pageData.get("columns"));
            data.put("rows", pageData.get("rows"));
            data.put("truncatedCells", pageData.get("truncatedCells"));
            data.put("totalRows", pageData.get("totalRows"));
            data.put("nextCursor", pageData.get("nextCursor"));
            data.put("completedAt", pageData.get("completedAt"));
            data.put("statistics", views.status(page.record()).get("statistics"));
            data.put("truncated", pageData.get("truncated"));
            data.put("truncation", pageData.get("truncation"));
            responder.ok(ctx, MessageCode.QUERY_SUCCEEDED, data);
        } catch (ApiException e) {
            responder.error(ctx, e);
        }
    }

    private void cancel(Context ctx) {
        Caller caller = HttpApp.caller(ctx);
        String requestId = ctx.pathParam("request_id");
        if (!REQUEST_ID.matcher(requestId).matches()) {
            throw new ApiException(MessageCode.REQUEST_NOT_FOUND);
        }
        Map<String, Object> data = Map.of("request_id", requestId);
        String federatedTask = federatedTasks.get(caller.identity() + "\n" + requestId);
        if (federatedTask != null) { // a federated query still attaching or querying in its task
            federated.cancel(caller, federatedTask);
            responder.reply(ctx, 200, MessageCode.QUERY_CANCELLED, "CANCEL_SUBMITTED", data);
            return;
        }
        QueryRecord record = queries.findByRequestId(caller, requestId)
                .orElseThrow(() -> new ApiException(MessageCode.REQUEST_NOT_FOUND));
        if (record.state().isTerminal()) {
            MessageCode code = record.state() == QueryState.CANCELLED
                    ? MessageCode.QUERY_ALREADY_CANCELLED : MessageCode.QUERY_ALREADY_FINISHED;
            responder.reply(ctx, 200, code, code.name(), data);
            return;
        }
        try {
            CancelOutcome outcome = queries.cancel(caller, record.id());
            if (outcome == CancelOutcome.CANCELLED) {
                responder.reply(ctx, 200, MessageCode.QUERY_CANCELLED, "CANCEL_SUBMITTED", data);
            } else {
                responder.ok(ctx, MessageCode.QUERY_ALREADY_CANCELLED, data);
            }
        } catch (ApiException e) {
            if (e.code() != MessageCode.QUERY_ALREADY_FINISHED) {
                throw e;
            }
            // It finished between our look and the cancel: a no-op, as for any finished request.
            responder.reply(ctx, 200, MessageCode.QUERY_ALREADY_FINISHED, MessageCode.QUERY_ALREADY_FINISHED.name(), data);
        }
    }
}
