package io.sluice.datasource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.sluice.access.Role;
import io.sluice.api.ApiException;
import io.sluice.api.HttpApp;
import io.sluice.api.MessageCode;
import io.sluice.api.RequestBody;
import io.sluice.api.Responder;
import io.sluice.api.RouteTable;
import io.sluice.api.Routes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /api/datasources}: register, list, show, replace, remove and test external databases.
 * A datasource another user keeps to themselves answers 404 on every route, and no answer carries
 * a password (only {@code hasPassword}).
 */
public final class DatasourceRoutes implements Routes {

    private static final String BASE = "/api/datasources";

    private final DatasourceService service;
    private final Responder responder;
    private final ObjectMapper mapper;

    public DatasourceRoutes(DatasourceService service, Responder responder, ObjectMapper mapper) {
        this.service = service;
        this.responder = responder;
        this.mapper = mapper;
    }

    @Override
    public void register(RouteTable table) {
        table.post(BASE, Role.USER, ctx -> {
            RequestBody body = RequestBody.parse(ctx, mapper, DatasourceRequests.CREATE_FIELDS);
            String id = DatasourceRequests.id(body);
            DatasourceInput input = DatasourceRequests.input(body);
            Datasource d = call(() -> service.create(HttpApp.caller(ctx), id, input));
            responder.ok(ctx, MessageCode.DATASOURCE_CREATED, view(d));
        });
        table.get(BASE, Role.USER, ctx -> {
            List<Map<String, Object>> items = call(() -> service.list(HttpApp.caller(ctx))).stream()
                    .map(DatasourceRoutes::view).toList();
            responder.ok(ctx, MessageCode.DATASOURCES_LISTED, Map.of("items", items));
        });
        table.get(BASE + "/{id}", Role.USER, ctx ->
                responder.ok(ctx, MessageCode.DATASOURCE_DETAILS, view(call(() -> service.get(HttpApp.caller(ctx), id(ctx))))));
        table.put(BASE + "/{id}", Role.USER, ctx -> {
            String id = id(ctx);
            RequestBody body = RequestBody.parse(ctx, mapper, DatasourceRequests.UPDATE_FIELDS);
            DatasourceInput input = DatasourceRequests.input(body);
            responder.ok(ctx, MessageCode.DATASOURCE_UPDATED, view(call(() -> service.update(HttpApp.caller(ctx), id, input))));
        });
        table.delete(BASE + "/{id}", Role.USER, ctx -> {
            String id = id(ctx);
            call(() -> {
                service.delete(HttpApp.caller(ctx), id);
                return null;
            });
            responder.ok(ctx, MessageCode.DATASOURCE_DELETED, Map.of("id", id, "deleted", true));
        });
        table.post(BASE + "/{id}/test", Role.USER, ctx -> {
            ConnectionTester.Outcome outcome = call(() -> service.test(HttpApp.caller(ctx), id(ctx)));
            if (!outcome.ok()) {
                Map<String, Object> details = new LinkedHashMap<>(outcome.details());
                details.put("id", id(ctx));
                details.put("elapsedMillis", outcome.elapsedMillis());
                throw new ApiException(outcome.code(), details);
            }
            responder.ok(ctx, MessageCode.CONNECTION_TEST_SUCCEEDED, Map.of("id", id(ctx), "ok", true,
                    "type", outcome.details().get("type"), "elapsedMillis", outcome.elapsedMillis()));
        });
    }

    /** The path's id; one that cannot be an id names no datasource (and is not repeated back). */
    private static String id(Context ctx) {
        String id = ctx.pathParam("id");
        if (!DatasourceRequests.isId(id)) {
            throw new ApiException(MessageCode.CONNECTION_NOT_FOUND, Map.of("reason", "no datasource has this id"));
        }
        return id;
    }

    private static <T> T call(Supplier<T> work) {
        try {
            return work.get();
        } catch (DatasourceException e) {
            throw new ApiException(e.code(), e.details());
        }
    }

    /** A datasource as the API shows it: everything but the password. */
    static Map<String, Object> view(Datasource d) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", d.id());
        v.put("type", d.type().apiName());
        v.put("owner", d.owner());
        v.put("shared", d.shared());
        v.put("params", d.params().toMap());
        v.put("hasPassword", d.hasPassword());
        v.put("createdAt", io.sluice.api.Responder.format(d.createdAt()));
        v.put("updatedAt", io.sluice.api.Responder.format(d.updatedAt()));
        return v;
    }
}
