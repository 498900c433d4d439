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
 */
public record RemoteStatus(
        RemoteState state,
        Long queueMillis,
        Long executionMillis,
        Long scannedBytes,
        Double costUsd,
        boolean resultReused,
        Instant completedAt,
        EngineFailure error) {

    public enum RemoteState { QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED }

    /** A failure as the remote engine describes it. */
    public record EngineFailure(String code, String message, java.util.Map<String, Object> details) {
    }
}
