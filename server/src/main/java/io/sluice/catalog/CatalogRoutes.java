package io.sluice.catalog;

import io.javalin.http.Context;
import io.sluice.access.Role;
import io.sluice.api.ApiException;
import io.sluice.api.MessageCode;
import io.sluice.api.Responder;
import io.sluice.api.RouteTable;
import io.sluice.api.Routes;
import io.sluice.engine.CatalogBrowser;
import io.sluice.engine.Engine;
import io.sluice.engine.EngineException;
import io.sluice.engine.Engines;

import java.util.List;
import java.util.Map;

/** The schema browser: catalogs → databases → tables → columns, per engine, briefly cached. */
public final class CatalogRoutes implements Routes {

    private static final String BASE = "/api/catalog/{engine}";

    private final Engines engines;
    private final CatalogCache cache;
    private final Responder responder;

    public CatalogRoutes(Engines engines, CatalogCache cache, Responder responder) {
        this.engines = engines;
        this.cache = cache;
        this.responder = responder;
    }

    @Override
    public void register(RouteTable table) {
        table.get(BASE + "/catalogs", Role.USER, ctx ->
                items(ctx, cached(ctx, List.of(), CatalogBrowser::catalogs)));
        table.get(BASE + "/catalogs/{catalog}/databases", Role.USER, ctx ->
                items(ctx, cached(ctx, List.of(p(ctx, "catalog")), b -> b.databases(p(ctx, "catalog")))));
        table.get(BASE + "/catalogs/{catalog}/databases/{database}/tables", Role.USER, ctx ->
                items(ctx, cached(ctx, List.of(p(ctx, "catalog"), p(ctx, "database")),
                        b -> b.tables(p(ctx, "catalog"), p(ctx, "database")))));
        table.get(BASE + "/catalogs/{catalog}/databases/{database}/tables/{table}", Role.USER, ctx ->
                responder.ok(ctx, MessageCode.CATALOG_LISTED, cached(ctx,
                        List.of(p(ctx, "catalog"), p(ctx, "database"), p(ctx, "table")),
                        b -> b.table(p(ctx, "catalog"), p(ctx, "database"), p(ctx, "table")))));
    }

    private void items(Context ctx, Object items) {
        responder.ok(ctx, MessageCode.CATALOG_LISTED, Map.of("items", items));
    }

    private Object cached(Context ctx, List<String> path, CatalogCache.Lookup lookup) {
        String engineName = ctx.pathParam("engine");
        Engine engine = engines.find(engineName).orElseThrow(() ->
                new ApiException(404, MessageCode.UNKNOWN_ENGINE, Map.of("engine", engineName, "engines", engines.names()), null));
        for (String part : path) {
            if (part.isEmpty() || part.length() > 255) {
                throw new ApiException(MessageCode.INVALID_PARAMETER, Map.of("reason", "names are 1..255 characters"));
            }
        }
        try {
            return cache.get(engineName, path, () -> lookup.load(engine.catalog()));
        } catch (EngineException e) {
            throw switch (e.code()) {
                case "CATALOG_NOT_FOUND" -> new ApiException(MessageCode.CATALOG_NOT_FOUND, e.details());
                case "DATABASE_NOT_FOUND" -> new ApiException(MessageCode.DATABASE_NOT_FOUND, e.details());
                case "TABLE_NOT_FOUND" -> new ApiException(MessageCode.TABLE_NOT_FOUND, e.details());
                default -> new ApiException(MessageCode.ENGINE_UNAVAILABLE, Map.of("reason", String.valueOf(e.getMessage())));
            };
        }
    }

    private static String p(Context ctx, String name) {
        return ctx.pathParam(name);
    }
}
