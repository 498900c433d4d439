package io.sluice.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.api.RequestObserver;

import java.time.Duration;
import java.util.Set;

/**
 * Times every request the app answered, by route template, method, status and outcome. Label
 * values stay few whatever clients send: the route is the template ({@code /api/query/{id}/status}),
 * never the path with its ids; a request no route matched is {@link #UI} (the web UI's files) or
 * {@link #UNMATCHED}; a method outside the standard ones is {@code OTHER}.
 */
final class HttpRequestMetrics implements RequestObserver {

    /** The route label of the web UI's files (answered without a route). */
    static final String UI = "UI";
    /** The route label of requests no route matched (404, 405). */
    static final String UNMATCHED = "UNMATCHED";
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
            "TRACE");

    /** What became of a request, so dashboards need not decode statuses. */
    enum Outcome {
        /** Answered below 400. */
        SUCCESS,
        /** 499: the client cancelled its synchronous query (or hung up); not an error of the server. */
        CLIENT_CLOSED,
        /** Any other 4xx. */
        CLIENT_ERROR,
        /** 5xx. */
        SERVER_ERROR;

        static Outcome of(int status) {
            if (status == 499) {
                return CLIENT_CLOSED;
            }
            return status < 400 ? SUCCESS : status < 500 ? CLIENT_ERROR : SERVER_ERROR;
        }
    }

    private final MeterRegistry registry;

    HttpRequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void answered(String route, String method, int status, Duration took) {
        Timer.builder("sluice.http.server.requests")
                .description("HTTP requests answered by the app, by route template, method, status and outcome")
                .tag("route", route != null ? route : status < 400 ? UI : UNMATCHED)
                .tag("method", METHODS.contains(method) ? method : "OTHER")
                .tag("status", Integer.toString(status))
                .tag("outcome", Outcome.of(status).name())
                .register(registry).record(took);
    }
}
