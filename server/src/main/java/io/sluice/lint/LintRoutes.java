package io.sluice.lint;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.sluice.access.Role;
import io.sluice.api.ApiException;
import io.sluice.api.MessageCode;
import io.sluice.api.Messages;
import io.sluice.api.RequestBody;
import io.sluice.api.Responder;
import io.sluice.api.RouteTable;
import io.sluice.api.Routes;
import io.sluice.engine.Engine;
import io.sluice.engine.Engines;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /api/query/lint} {query, engine?, catalog?, database?}: the warnings a query would
 * get, without running it. Validated as a submit is (QUERY_EMPTY, QUERY_TOO_LONG, UNKNOWN_ENGINE).
 */
public final class LintRoutes implements Routes {

    private static final Set<String> FIELDS = Set.of("query", "engine", "catalog", "database");

    private final QueryLinter linter;
    private final Engines engines;
    private final int maxQueryBytes;
    private final Messages messages;
    private final Responder responder;
    private final ObjectMapper mapper;

    public LintRoutes(QueryLinter linter, Engines engines, int maxQueryBytes, Messages messages, Responder responder,
                      ObjectMapper mapper) {
        this.linter = linter;
        this.engines = engines;
        this.maxQueryBytes = maxQueryBytes;
        this.messages = messages;
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
        if (sql == null || sql.isBlank()) {
            throw new ApiException(MessageCode.QUERY_EMPTY);
        }
        int bytes = sql.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxQueryBytes) {
            throw new ApiException(MessageCode.QUERY_TOO_LONG, Map.of("bytes", bytes, "maxBytes", maxQueryBytes));
        }
        String engineName = body.string("engine") == null ? engines.defaultName() : body.string("engine");
        Engine engine = engines.find(engineName).orElseThrow(() -> new ApiException(MessageCode.UNKNOWN_ENGINE,
                Map.of("engine", engineName, "engines", engines.names())));
        List<LintFinding> findings = linter.lint(sql, engine, body.string("catalog"), body.string("database"));
        responder.ok(ctx, MessageCode.LINT_DONE, Map.of("warnings", views(findings, responder.locale(ctx))));
    }

    /** {code, message, params} per finding, the message being {@code warning.<code>} in {@code locale}. */
    List<Map<String, Object>> views(List<LintFinding> findings, Locale locale) {
        List<Map<String, Object>> views = new ArrayList<>();
        for (LintFinding finding : findings) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("code", finding.code());
            view.put("message", message(messages, locale, finding));
            view.put("params", finding.params());
            views.add(view);
        }
        return views;
    }

    /** The text {@code warning.<code>} with the parameters in order (a list reads "a, b"). */
    public static String message(Messages messages, Locale locale, LintFinding finding) {
        Object[] args = finding.params().values().stream()
                .map(v -> v instanceof List<?> list ? String.join(", ", list.stream().map(String::valueOf).toList()) : v)
                .toArray();
        return messages.text(locale, "warning." + finding.code(), args);
    }
}
