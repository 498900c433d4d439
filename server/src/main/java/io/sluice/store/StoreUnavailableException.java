package io.sluice.store;

/**
 * The metadata store cannot be reached (stopped, restarting, network down, pool exhausted). Nothing
 * was changed by the failed call, or its outcome is unknown: a caller that retries must read the
 * store again first (every change is a compare-and-set, so a retried change that already happened
 * is declined, never applied twice). Answered to clients as 503 {@code STORE_UNAVAILABLE}.
 */
public final class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // an expected condition during an outage, logged without a trace
    }
}
