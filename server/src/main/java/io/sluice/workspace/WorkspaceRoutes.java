package io.sluice.workspace;

import io.sluice.access.Role;
import io.sluice.api.ApiException;
import io.sluice.api.HttpApp;
import io.sluice.api.MessageCode;
import io.sluice.api.Responder;
import io.sluice.api.RouteTable;
import io.sluice.api.Routes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The caller's workspace tables: {@code GET /api/workspace/tables} lists them (name, rows, columns),
 * {@code DELETE /api/workspace/tables/{name}} drops one. Only the caller's own workspace is ever
 * reached: it is found from their identity, never from the request.
 */
public final class WorkspaceRoutes implements Routes {

    private final Workspaces workspaces;
    private final Responder responder;

    public WorkspaceRoutes(Workspaces workspaces, Responder responder) {
        this.workspaces = workspaces;
        this.responder = responder;
    }

    @Override
    public void register(RouteTable table) {
        table.get("/api/workspace/tables", Role.USER, ctx -> {
            List<Map<String, Object>> items = workspaces.tables(HttpApp.caller(ctx).identity()).stream()
                    .map(WorkspaceRoutes::view).toList();
            responder.ok(ctx, MessageCode.WORKSPACE_TABLES, Map.of("items", items, "catalog", WorkspaceNames.CATALOG));
        });
        table.delete("/api/workspace/tables/{name}", Role.USER, ctx -> {
            String name = ctx.pathParam("name");
            if (!workspaces.drop(HttpApp.caller(ctx).identity(), name)) {
                throw new ApiException(MessageCode.TABLE_NOT_FOUND,
                        Map.of("table", WorkspaceNames.isTableName(name) ? name : "(not a table name)"));
            }
            responder.ok(ctx, MessageCode.WORKSPACE_TABLE_DROPPED, Map.of("name", name, "dropped", true));
        });
    }

    private static Map<String, Object> view(WorkspaceTable t) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", t.name());
        v.put("rows", t.rows());
        v.put("columns", t.columns().stream().map(c -> Map.of("name", c.name(), "type", c.type())).toList());
        v.put("source", t.source().map(s -> Map.of("kind", s.kind(), "id", s.id())).orElse(null));
        return v;
    }
}
