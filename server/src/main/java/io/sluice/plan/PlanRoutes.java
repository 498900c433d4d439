package io.sluice.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.sluice.access.Role;
import io.sluice.api.ApiException;
import io.sluice.api.HttpApp;
import io.sluice.api.MessageCode;
import io.sluice.api.QueryParams;
import io.sluice.api.RequestBody;
import io.sluice.api.Responder;
import io.sluice.api.RouteTable;
import io.sluice.api.Routes;
import io.sluice.query.PageRequest;
import io.sluice.query.QueryViews;
import io.sluice.result.DownloadFormat;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Plans: {@code POST /api/plans} (202 once stored), {@code GET /api/plans} (the caller's, newest
 * first), {@code GET /api/plans/{id}}, {@code POST /api/plans/{id}/cancel},
 * {@code GET /api/plans/{id}/results} (pages, as a query's) and {@code GET /api/plans/{id}/download}
 * (a signed link, as a query's). Another user's plan answers 404 on every route.
 */
final class PlanRoutes implements Routes {

    private static final String PLANS = "/api/plans";

    private final PlanService service;
    private final PlanViews views;
    private final PlanResults results;
    private final QueryViews queryViews;
    private final Responder responder;
    private final ObjectMapper mapper;
    private final PlanSql sql;
    private final int maxSteps;

    PlanRoutes(PlanService service, PlanViews views, PlanResults results, QueryViews queryViews, Responder responder,
               ObjectMapper mapper, PlanSql sql, int maxSteps) {
        this.service = service;
        this.views = views;
        this.results = results;
        this.queryViews = queryViews;
        this.responder = responder;
        this.mapper = mapper;
        this.sql = sql;
        this.maxSteps = maxSteps;
    }

    @Override
    public void register(RouteTable table) {
        table.post(PLANS, Role.USER, ctx -> {
            RequestBody.parse(ctx, mapper, PlanRequests.FIELDS); // media type, JSON, known fields, no NUL
            PlanSpec spec = PlanRequests.read(body(ctx), maxSteps, sql);
            Plan plan = service.submit(HttpApp.caller(ctx), spec);
            responder.reply(ctx, 202, MessageCode.PLAN_SUBMITTED, MessageCode.PLAN_SUBMITTED.name(),
                    views.submitted(plan, responder.locale(ctx)));
        });
        table.get(PLANS, Role.USER, ctx -> {
            var plans = service.list(HttpApp.caller(ctx), QueryParams.integer(ctx, "limit", MessageCode.INVALID_LIMIT));
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("items", plans.stream().map(p -> views.listItem(p, responder.locale(ctx))).toList());
            responder.ok(ctx, MessageCode.PLAN_LIST, data);
        });
        table.get(PLANS + "/{id}", Role.USER, ctx -> responder.ok(ctx, MessageCode.PLAN_DETAILS,
                views.view(service.get(HttpApp.caller(ctx), ctx.pathParam("id")), responder.locale(ctx))));
        table.post(PLANS + "/{id}/cancel", Role.USER, ctx -> responder.ok(ctx, MessageCode.PLAN_CANCELLED,
                views.view(service.cancel(HttpApp.caller(ctx), ctx.pathParam("id")), responder.locale(ctx))));
        table.get(PLANS + "/{id}/results", Role.USER, ctx -> {
            Plan plan = service.get(HttpApp.caller(ctx), ctx.pathParam("id"));
            PageRequest request = new PageRequest(QueryParams.integer(ctx, "limit", MessageCode.INVALID_LIMIT),
                    ctx.queryParam("cursor"), QueryParams.longInteger(ctx, "offset"), ctx.queryParam("sort"),
                    ctx.queryParams("filter"));
            responder.ok(ctx, MessageCode.QUERY_RESULTS, queryViews.resultPage(results.page(plan, request)));
        });
        table.get(PLANS + "/{id}/download", Role.USER, ctx -> {
            Plan plan = service.get(HttpApp.caller(ctx), ctx.pathParam("id"));
            String formatText = ctx.queryParam("format");
            DownloadFormat format = formatText == null ? DownloadFormat.CSV : DownloadFormat.named(formatText)
                    .orElseThrow(() -> new ApiException(MessageCode.INVALID_PARAMETER,
                            Map.of("parameter", "format", "reason", "use csv, parquet or jsonl")));
            responder.ok(ctx, MessageCode.DOWNLOAD_READY, results.download(plan, format));
        });
    }

    private JsonNode body(Context ctx) throws IOException {
        JsonNode node = mapper.readTree(ctx.bodyAsBytes());
        return node == null || node.isMissingNode() ? mapper.createObjectNode() : node;
    }
}
