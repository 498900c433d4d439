package io.sluice.api;

import java.util.Map;

/**
 * An answer that is not a success: thrown by handlers and services, turned into the standard
 * error envelope by one exception mapper.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final MessageCode code;
    private final Map<String, Object> details;
    private final Object data;
    private final Object[] args;
    private final String messageKey;

    public ApiException(int status, MessageCode code, Map<String, Object> details, Object data, Object... args) {
        this(status, code, code.name(), details, data, args);
    }

    private ApiException(int status, MessageCode code, String messageKey, Map<String, Object> details, Object data,
                         Object[] args) {
        super(code.name());
        this.status = status;
        this.code = code;
        this.messageKey = messageKey;
        this.details = details == null ? Map.of() : details;
        this.data = data;
        this.args = args;
    }

    /**
     * An answer whose text is not its code's usual one: {@code messageKey} names another entry of the
     * message catalog, one that says more about this case (e.g. that retention removed a result).
     */
    public static ApiException withMessage(MessageCode code, String messageKey, Map<String, Object> details,
                                           Object... args) {
        return new ApiException(code.status(), code, messageKey, details, null, args);
    }

    public ApiException(MessageCode code, Map<String, Object> details, Object... args) {
        this(code.status(), code, details, null, args);
    }

    public ApiException(MessageCode code) {
        this(code.status(), code, Map.of(), null);
    }

    /**
     * The answer for a bare HTTP status set by the HTTP server or the framework rather than by a
     * route. Every status a client can provoke maps to a 4xx: an unsupported HTTP version (505) is a
     * malformed request, an unknown method (501) is a method not allowed; real 5xx stay 5xx.
     */
    public static ApiException fromHttpStatus(int status, Map<String, Object> details) {
        return switch (status) {
            case 400, 505 -> new ApiException(400, MessageCode.MALFORMED_REQUEST, details, null);
            case 401 -> new ApiException(MessageCode.UNAUTHENTICATED, details);
            case 403 -> new ApiException(MessageCode.ACCESS_DENIED, details);
            case 404 -> new ApiException(MessageCode.ROUTE_NOT_FOUND, details);
            case 405, 501 -> new ApiException(MessageCode.METHOD_NOT_ALLOWED, details);
            case 408 -> new ApiException(MessageCode.REQUEST_TIMEOUT, details);
            case 413 -> new ApiException(MessageCode.REQUEST_TOO_LARGE, details);
            case 414 -> new ApiException(MessageCode.URI_TOO_LONG, details);
            case 415 -> new ApiException(MessageCode.UNSUPPORTED_MEDIA_TYPE, details);
            case 431 -> new ApiException(MessageCode.HEADERS_TOO_LARGE, details);
            case 503 -> new ApiException(MessageCode.SERVICE_UNAVAILABLE, details);
            default -> status >= 400 && status < 500
                    ? new ApiException(status, MessageCode.MALFORMED_REQUEST, details, null)
                    : new ApiException(MessageCode.INTERNAL_ERROR, Map.of());
        };
    }

    public int status() {
        return status;
    }

    public MessageCode code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }

    /** Extra data shown next to the error (e.g. the cancelled synchronous request). */
    public Object data() {
        return data;
    }

    public Object[] args() {
        return args;
    }

    /** The message catalog entry of the answer's text: the code's own, unless {@link #withMessage} chose another. */
    public String messageKey() {
        return messageKey;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // an expected answer, not a bug: no stack trace to build
    }
}
