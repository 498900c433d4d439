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

    public ApiException(int status, MessageCode code, Map<String, Object> details, Object data, Object... args) {
        super(code.name());
        this.status = status;
        this.code = code;
        this.details = details == null ? Map.of() : details;
        this.data = data;
        this.args = args;
    }

    public ApiException(MessageCode code, Map<String, Object> details, Object... args) {
        this(code.status(), code, details, null, args);
    }

    public ApiException(MessageCode code) {
        this(code.status(), code, Map.of(), null);
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

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // an expected answer, not a bug: no stack trace to build
    }
}
