package io.sluice.engine;

import java.time.Instant;

/**
 * What a remote engine says about one query.
 *
 * @param state           the remote state mapped onto Sluice's states (never TIMED_OUT)
 * @param queueMillis     time spent queued, if known
 * @param executionMillis time spent executing, if known
 * @param scannedBytes    data scanned so far, if the engine reports it
 * @param costUsd         what the query costs so far, if the engine has a price
 * @param resultReused    whether the engine served an earlier result
 * @param completedAt     when the engine says the query ended, if it ended
 * @param error           why it failed or was cancelled by the engine, else null
 * @param result          for a succeeded query, the engine's own note of where its result is
 *                        (handed back to {@link RemoteEngine#readResult(String, RemoteStatus, RowSink)}
 *                        so that it need not ask again), else null
 */
public record RemoteStatus(
        RemoteState state,
        Long queueMillis,
        Long executionMillis,
        Long scannedBytes,
        Double costUsd,
        boolean resultReused,
        Instant completedAt,
        EngineFailure error,
        ResultHandle result) {

    /** A status without a result handle. */
    public RemoteStatus(RemoteState state, Long queueMillis, Long executionMillis, Long scannedBytes, Double costUsd,
                        boolean resultReused, Instant completedAt, EngineFailure error) {
        this(state, queueMillis, executionMillis, scannedBytes, costUsd, resultReused, completedAt, error, null);
    }

    public enum RemoteState { QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED }

    /**
     * An opaque handle an engine attaches to a succeeded query's status: Sluice never reads it, only
     * gives it back to the engine that made it.
     */
    public interface ResultHandle {
    }

    /** A failure as the remote engine describes it. */
    public record EngineFailure(String code, String message, java.util.Map<String, Object> details) {
    }
}
