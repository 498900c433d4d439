package io.sluice.system;

import io.sluice.access.Role;
import io.sluice.api.ApiException;
import io.sluice.api.HttpApp;
import io.sluice.api.MessageCode;
import io.sluice.api.Responder;
import io.sluice.api.RouteTable;
import io.sluice.api.Routes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Liveness ({@code /health}: the process answers), readiness ({@code /health/ready}: it can serve
 * queries, so a load balancer may send traffic) and the effective non-secret configuration.
 */
public final class SystemRoutes implements Routes {

    private final Responder responder;
    private final Supplier<Map<String, Object>> effectiveConfig;
    private final BooleanSupplier storeAvailable;

    public SystemRoutes(Responder responder, Supplier<Map<String, Object>> effectiveConfig,
                        BooleanSupplier storeAvailable) {
        this.responder = responder;
        this.effectiveConfig = effectiveConfig;
        this.storeAvailable = storeAvailable;
    }

    @Override
    public void register(RouteTable table) {
        table.get("/health", Role.ANYONE, ctx -> responder.ok(ctx, MessageCode.HEALTHY, Map.of("status", "UP")));
        table.get("/health/ready", Role.ANYONE, ctx -> {
            if (storeAvailable.getAsBoolean()) {
                responder.ok(ctx, MessageCode.READY, Map.of("status", "UP", "store", "UP"));
            } else {
                throw new ApiException(MessageCode.STORE_UNAVAILABLE.status(), MessageCode.STORE_UNAVAILABLE,
                        Map.of(), Map.of("status", "DOWN", "store", "DOWN"));
            }
        });
        table.get("/api/config", Role.USER, ctx -> {
            Map<String, Object> data = new LinkedHashMap<>(effectiveConfig.get());
            data.put("user", HttpApp.caller(ctx).identity());
            responder.ok(ctx, MessageCode.CONFIG, data);
        });
    }
}
