package io.sluice.store;

/** The owner already has an active query with this synchronous request id. Nothing was written. */
public final class RequestIdInUseException extends RuntimeException {

    private final String requestId;

    public RequestIdInUseException(String requestId, Throwable cause) {
        super("request id " + requestId + " is in use by an active query", cause);
        this.requestId = requestId;
    }

    public String requestId() {
        return requestId;
    }
}
