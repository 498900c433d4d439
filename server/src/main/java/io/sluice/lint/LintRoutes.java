package io.sluice.lint;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.sluice.access.Role;
import io.sluice.api.MessageCode;
import io.sluice.api.RequestBody;
import io.sluice.api.Responder;
import io.sluice.api.RouteTable;
import io.sluice.api.Routes;
import io.sluice.engine.Engine;
import io.sluice.query.QueryService;
import io.sluice.query.QueryViews;
import io.sluice.query.Warning;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /api/query/lint} {query, engine?, catalog?, database?}: the warnings a query would
 * get, without running it. Validated as a submit is (QUERY_EMPTY, QUERY_TOO_LONG, UNKNOWN_ENGINE).
 */
public final class LintRoutes implements Routes {

    private static final Set<String> FIELDS = Set.of("query", "engine", "catalog", "database");

    private final QueryLinter linter;
    private final QueryService queries;
    private final QueryViews views;
    private final Responder responder;
    private final ObjectMapper mapper;

    public LintRoutes(QueryLinter linter, QueryService queries, QueryViews views, Responder responder,
                      ObjectMapper mapper) {
        this.linter = linter;
        this.queries = queries;
        this.views = views;
        this.responder = responder;
        this.mapper = mapper;
    }

    @Override
    public void register(RouteTable table) {
        table.post("/api/query/lint", Role.USER, this::lint);
    }

    private void lint(Context ctx) {
        RequestBody body = RequestBody.parse(ctx, mapper, FIELDS);
        String sql = body.string("query");
        Engine engine = queries.checkedEngine(sql, body.string("engine"));
        List<Warning> warnings = linter.lint(sql, engine, body.string("catalog"), body.string("database")).stream()
                .map(LintFinding::warning).toList();
        responder.ok(ctx, MessageCode.LINT_DONE, Map.of("warnings", views.warnings(warnings, responder.locale(ctx))));
    }
}
