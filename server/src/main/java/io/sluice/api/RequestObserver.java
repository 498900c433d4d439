package io.sluice.api;

import java.time.Duration;

/**
 * Told of every request the app answered — by a route, with the UI's files, or as an unknown path —
 * once its answer is complete. Requests the HTTP server refuses before the app (see
 * {@link RequestGate}, {@link EnvelopeErrorHandler}) are not included. Called on a Jetty thread:
 * it must return quickly and not throw.
 */
@FunctionalInterface
public interface RequestObserver {

    RequestObserver NONE = (route, method, status, took) -> { };

    /**
     * @param route  the matched route's template, e.g. {@code /api/query/{id}/status} (never the
     *               request's own path, which holds ids); null when no route matched
     * @param method the request's method as sent
     * @param status the answer's status
     * @param took   from the request's arrival to its complete answer
     */
    void answered(String route, String method, int status, Duration took);
}
