package io.sluice.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.sluice.access.Role;
import io.sluice.api.ApiException;
import io.sluice.api.HttpApp;
import io.sluice.api.MessageCode;
import io.sluice.api.QueryParams;
import io.sluice.result.Aggregation;
import io.sluice.api.RequestBody;
import io.sluice.api.Responder;
import io.sluice.api.RouteTable;
import io.sluice.api.Routes;
import io.sluice.result.ValueKind;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The query lifecycle API (submit, status, results, refresh, cancel): one handler per endpoint. */
public final class QueryRoutes implements Routes {

    private static final Set<String> SUBMIT_FIELDS = Set.of("query", "engine", "catalog", "database", "maxScanGb",
            "cache", "budgetOverride");
    /** The kind of value the value route answers with. */
    static final String VALUE_TYPE_HEADER = "X-Sluice-Value-Type";

    private final QueryService queries;
    private final QueryViews views;
    private final Responder responder;
    private final ObjectMapper mapper;

    public QueryRoutes(QueryService queries, QueryViews views, Responder responder, ObjectMapper mapper) {
        this.queries = queries;
        this.views = views;
        this.responder = responder;
        this.mapper = mapper;
    }

    @Override
    public void register(RouteTable table) {
        table.postWithRootAlias("/api/query", Role.USER, this::submit);
        table.getWithRootAlias("/api/query/{id}/status", Role.USER, this::status);
        table.getWithRootAlias("/api/query/{id}/results", Role.USER, this::results);
        table.get("/api/query/{id}/value", Role.USER, this::value);
        table.get("/api/query/{id}/aggregate", Role.USER, this::aggregate);
        table.postWithRootAlias("/api/query/{id}/refresh", Role.USER, this::refresh);
        table.postWithRootAlias("/api/query/{id}/cancel", Role.USER, this::cancel);
        table.get("/api/query/{id}/runs", Role.USER, this::runs);
        table.get("/api/queries", Role.USER, this::history);
    }

    private void submit(Context ctx) {
        RequestBody body = RequestBody.parse(ctx, mapper, SUBMIT_FIELDS);
        Boolean override = body.bool("budgetOverride");
        QueryRecord record = queries.submit(HttpApp.caller(ctx), new Submission(body.string("query"),
                body.string("engine"), body.string("catalog"), body.string("database"), null,
                body.number("maxScanGb"), body.bool("cache"), override != null && override));
        responder.ok(ctx, MessageCode.QUERY_SUBMITTED, views.submitted(record, responder.locale(ctx)));
    }

    private void status(Context ctx) {
        QueryRecord record = queries.get(HttpApp.caller(ctx), ctx.pathParam("id"));
        Map<String, Object> status = views.status(record, responder.locale(ctx));
        queries.resultProgress(record).ifPresent(progress -> status.put("resultProgress", progress));
        responder.ok(ctx, MessageCode.QUERY_STATUS, status);
    }

    private void results(Context ctx) {
        PageRequest request = new PageRequest(QueryParams.integer(ctx, "limit", MessageCode.INVALID_LIMIT),
                ctx.queryParam("cursor"), QueryParams.longInteger(ctx, "offset"), ctx.queryParam("sort"), ctx.queryParams("filter"));
        QueryService.ResultPageView view = queries.results(HttpApp.caller(ctx), ctx.pathParam("id"), request);
        responder.ok(ctx, MessageCode.QUERY_RESULTS, views.resultPage(view));
    }

    /** Groups and measures computed over the stored result, for charts: see {@link io.sluice.result.Aggregation}. */
    private void aggregate(Context ctx) {
        Aggregation.Result result = queries.aggregate(HttpApp.caller(ctx), ctx.pathParam("id"), ctx.queryParam("groupBy"),
                ctx.queryParam("measures"), ctx.queryParams("filter"), QueryParams.integer(ctx, "limit", MessageCode.INVALID_PARAMETER));
        responder.ok(ctx, MessageCode.QUERY_AGGREGATE, views.aggregate(result));
    }

    /**
     * One whole value as {@code text/plain; charset=utf-8}, streamed: a string's text, a number's
     * or boolean's JSON text, or 204 with no body for NULL. {@code X-Sluice-Value-Type} names the
     * kind ({@code string}, {@code number}, {@code boolean}, {@code null}).
     */
    private void value(Context ctx) throws IOException {
        Long row = QueryParams.longInteger(ctx, "row");
        Integer column = QueryParams.integer(ctx, "column", MessageCode.INVALID_PARAMETER);
        if (row == null || column == null) {
            throw new ApiException(MessageCode.INVALID_PARAMETER,
                    Map.of("parameter", row == null ? "row" : "column", "reason", "required"));
        }
        OutputStream[] body = new OutputStream[1];
        queries.value(HttpApp.caller(ctx), ctx.pathParam("id"), row, column, kind -> {
            ctx.header(VALUE_TYPE_HEADER, kind.name().toLowerCase(Locale.ROOT));
            ctx.header("Cache-Control", "private, no-store");
            if (kind == ValueKind.NULL) {
                ctx.status(204);
                return null;
            }
            ctx.status(200);
            ctx.contentType("text/plain; charset=utf-8");
            body[0] = ctx.outputStream();
            return body[0];
        });
        if (body[0] != null) {
            body[0].close();
        }
    }

    private void refresh(Context ctx) {
        QueryRecord record = queries.refresh(HttpApp.caller(ctx), ctx.pathParam("id"));
        responder.ok(ctx, MessageCode.QUERY_REFRESHED, views.submitted(record, responder.locale(ctx)));
    }

    private void cancel(Context ctx) {
        String id = ctx.pathParam("id");
        CancelOutcome outcome = queries.cancel(HttpApp.caller(ctx), id);
        Map<String, Object> data = Map.of("id", id, "state", QueryState.CANCELLED.name());
        if (outcome == CancelOutcome.CANCELLED) {
            responder.reply(ctx, 200, MessageCode.QUERY_CANCELLED, "CANCEL_SUBMITTED", data);
        } else {
            responder.ok(ctx, MessageCode.QUERY_ALREADY_CANCELLED, data);
        }
    }

    /** The query's runs, newest first, with cursor paging. */
    private void runs(Context ctx) {
        QueryService.RunsPage page = queries.runs(HttpApp.caller(ctx), ctx.pathParam("id"), ctx.queryParam("cursor"),
                QueryParams.integer(ctx, "limit", MessageCode.INVALID_LIMIT));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", ctx.pathParam("id"));
        data.put("items", page.runs().stream().map(r -> views.run(r, responder.locale(ctx))).toList());
        data.put("nextCursor", page.nextCursor());
        responder.ok(ctx, MessageCode.QUERY_RUNS, data);
    }

    private void history(Context ctx) {
        HistoryPage page = queries.history(HttpApp.caller(ctx), new HistoryRequest(ctx.queryParam("state"),
                ctx.queryParam("engine"), ctx.queryParam("q"), QueryParams.integer(ctx, "limit", MessageCode.INVALID_LIMIT),
                ctx.queryParam("cursor")));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("items", page.items().stream().map(r -> views.historyItem(r, responder.locale(ctx))).toList());
        data.put("nextCursor", page.nextCursor());
        responder.ok(ctx, MessageCode.QUERY_HISTORY, data);
    }

}
