package io.sluice.datasource;

import io.sluice.api.MessageCode;

import java.util.Map;

/**
 * Why a datasource operation did not happen: its code (one of the API's message codes) and details
 * that never hold a password. The routes turn it into the error envelope.
 */
public final class DatasourceException extends RuntimeException {

    private final MessageCode code;
    private final Map<String, Object> details;

    public DatasourceException(MessageCode code, Map<String, Object> details) {
        super(code.name());
        this.code = code;
        this.details = Map.copyOf(details);
    }

    public MessageCode code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // an expected answer, not a bug
    }
}
