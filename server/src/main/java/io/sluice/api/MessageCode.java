package io.sluice.api;

/**
 * Every {@code messageCode} the API answers with, and the HTTP status it usually goes with. The
 * code is the stable i18n key: both message catalogs hold a text for each (a test checks it).
 */
public enum MessageCode {
    // successes
    HEALTHY(200),
    READY(200),
    CONFIG(200),
    QUERY_SUBMITTED(202),
    QUERY_STATUS(200),
    QUERY_RESULTS(200),
    QUERY_AGGREGATE(200),
    QUERY_REFRESHED(202),
    QUERY_HISTORY(200),
    QUERY_RUNS(200),
    QUERY_SUCCEEDED(200),
    QUERY_ALREADY_CANCELLED(200),
    DOWNLOAD_READY(200),
    CATALOG_LISTED(200),

    // the caller's mistakes
    INVALID_JSON(400),
    INVALID_FIELD(400),
    INVALID_PARAMETER(400),
    QUERY_EMPTY(400),
    QUERY_TOO_LONG(400),
    UNKNOWN_ENGINE(400),
    INVALID_LIMIT(400),
    INVALID_CURSOR(400),
    INVALID_STATE(400),
    INVALID_REQUEST_ID(400),
    MALFORMED_REQUEST(400),
    IDENTITY_INVALID(400),
    UNAUTHENTICATED(401),
    METRICS_TOKEN_REQUIRED(401),
    ACCESS_DENIED(403),
    LINK_INVALID(403),
    LINK_EXPIRED(403),
    QUERY_NOT_FOUND(404),
    REQUEST_NOT_FOUND(404),
    ROUTE_NOT_FOUND(404),
    RESULT_NOT_AVAILABLE(404),
    CATALOG_NOT_FOUND(404),
    DATABASE_NOT_FOUND(404),
    TABLE_NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    QUERY_NOT_FINISHED(409),
    QUERY_ALREADY_FINISHED(409),
    REQUEST_TIMEOUT(408),
    REQUEST_ID_IN_USE(409),
    RESULT_NOT_COLUMNAR(409),
    QUERY_CANCELLED(410),
    QUERY_TIMED_OUT(410),
    REQUEST_TOO_LARGE(413),
    URI_TOO_LONG(414),
    UNSUPPORTED_MEDIA_TYPE(415),
    QUERY_FAILED(422),
    TOO_MANY_QUERIES(429),
    HEADERS_TOO_LARGE(431),

    // query error codes (stored with a query, shown in its status)
    SYNTAX_ERROR(422),
    SCAN_LIMIT_EXCEEDED(422),
    SERVER_RESTARTED(422),
    RESULT_WRITE_FAILED(422),
    STATEMENT_NOT_ALLOWED(422),
    WRITE_QUOTA_EXCEEDED(422),

    // ours or the engine's
    INTERNAL_ERROR(500),
    ENGINE_UNAVAILABLE(502),
    SERVICE_UNAVAILABLE(503),
    STORE_UNAVAILABLE(503);

    private final int status;

    MessageCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
