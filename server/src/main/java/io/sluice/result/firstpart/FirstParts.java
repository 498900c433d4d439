package io.sluice.result.firstpart;

import io.sluice.result.ResultReader;
import io.sluice.result.ResultStore;

import java.io.IOException;
import java.util.Optional;

/**
 * The first part of a run's result, kept in the result store beside the run's own result while the
 * whole result is being stored: published atomically as any result, so every instance sharing the
 * store sees it at once, whole or not at all. It is stored under a run number of its own,
 * {@link #OFFSET} above the run's, which no real run reaches.
 */
public final class FirstParts {

    /** Added to a run's number to name its first part in the result store. */
    static final int OFFSET = 1_000_000_000;

    private FirstParts() {
    }

    /** The result-store run number of run {@code run}'s first part. */
    public static int storeRun(int run) {
        if (run < 1 || run >= OFFSET) {
            throw new IllegalArgumentException("run out of range: " + run);
        }
        return OFFSET + run;
    }

    /** The published first part of a run, if there is one. */
    public static Optional<ResultReader> open(ResultStore store, String queryId, int run) throws IOException {
        return store.open(queryId, storeRun(run));
    }

    /** Removes a run's first part, if any. Idempotent. */
    public static void delete(ResultStore store, String queryId, int run) throws IOException {
        store.delete(queryId, storeRun(run));
    }
}
