package io.sluice.metrics;

import io.javalin.http.Context;
import io.javalin.http.Header;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.access.Role;
import io.sluice.api.ApiException;
import io.sluice.api.MessageCode;
import io.sluice.api.RouteTable;
import io.sluice.api.Routes;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * {@code GET /metrics}: every metric in the Prometheus text format, streamed from the registry. The
 * one route not answered in the JSON envelope (its refusals are). No identity is needed (the
 * identity headers play no part); with token access, the request must carry the metrics token.
 */
final class MetricsRoutes implements Routes {

    /** Prometheus' text exposition format 0.0.4. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final MetricsAccess access;

    MetricsRoutes(PrometheusMeterRegistry registry, MetricsAccess access) {
        this.registry = registry;
        this.access = access;
    }

    @Override
    public void register(RouteTable table) {
        table.get("/metrics", Role.ANYONE, this::scrape);
    }

    private void scrape(Context ctx) throws IOException {
        Enumeration<String> authorization = ctx.req().getHeaders(Header.AUTHORIZATION);
        if (!access.allows(authorization == null ? List.of() : Collections.list(authorization))) {
            ctx.header(Header.WWW_AUTHENTICATE, "Bearer realm=\"sluice-metrics\"");
            throw new ApiException(MessageCode.METRICS_TOKEN_REQUIRED);
        }
        ctx.contentType(CONTENT_TYPE);
        registry.scrape(ctx.outputStream(), CONTENT_TYPE);
    }
}
