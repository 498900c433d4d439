package io.sluice.system;

import io.sluice.access.Role;
import io.sluice.api.HttpApp;
import io.sluice.api.MessageCode;
import io.sluice.api.Responder;
import io.sluice.api.RouteTable;
import io.sluice.api.Routes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Liveness and the effective non-secret configuration. */
public final class SystemRoutes implements Routes {

    private final Responder responder;
    private final Supplier<Map<String, Object>> effectiveConfig;

    public SystemRoutes(Responder responder, Supplier<Map<String, Object>> effectiveConfig) {
        this.responder = responder;
        this.effectiveConfig = effectiveConfig;
    }

    @Override
    public void register(RouteTable table) {
        table.get("/health", Role.ANYONE, ctx -> responder.ok(ctx, MessageCode.HEALTHY, Map.of("status", "UP")));
        table.get("/api/config", Role.USER, ctx -> {
            Map<String, Object> data = new LinkedHashMap<>(effectiveConfig.get());
            data.put("user", HttpApp.caller(ctx).identity());
            responder.ok(ctx, MessageCode.CONFIG, data);
        });
    }
}
