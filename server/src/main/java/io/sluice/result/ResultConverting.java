package io.sluice.result;

import java.time.Duration;

/**
 * A sort, filter or aggregate of a result published as Athena's CSV did not get the result's
 * Parquet form within the store's conversion wait: the conversion goes on, and the same request
 * asked again shortly is answered from it.
 */
public final class ResultConverting extends RuntimeException {

    private final Duration waited;

    public ResultConverting(Duration waited) {
        super("the result is still being converted to Parquet (waited " + waited.toMillis() + " ms)");
        this.waited = waited;
    }

    /** How long the request waited for the conversion. */
    public Duration waited() {
        return waited;
    }
}
