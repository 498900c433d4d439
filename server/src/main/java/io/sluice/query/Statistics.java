package io.sluice.query;

import io.sluice.result.ResultSummary;
import io.sluice.result.ResultTruncation;

/**
 * What a run cost. Every field may be null while unknown.
 *
 * @param queueMillis      time between submission and start
 * @param executionMillis  time the engine spent executing
 * @param rows             rows in the result
 * @param resultBytes      size of the stored result
 * @param scannedBytes     data the engine scanned (Athena)
 * @param costUsd          estimated cost in US dollars (Athena)
 * @param resultReused     whether the engine served an earlier result
 * @param truncation       why the stored result holds less than the engine produced (a result
 *                         limit), null when it holds everything
 * @param cachedFrom       the run whose stored result answered this one from the local result cache
 *                         (no engine call, cost 0), null for a run that really ran
 * @param savedUsd         for a cache hit, the cost of the source run that it did not pay again
 */
public record Statistics(
        Long queueMillis,
        Long executionMillis,
        Long rows,
        Long resultBytes,
        Long scannedBytes,
        Double costUsd,
        Boolean resultReused,
        ResultTruncation truncation,
        CachedFrom cachedFrom,
        Double savedUsd) {

    public static final Statistics EMPTY = new Statistics(null, null, null, null, null, null, null, null);

    /** A run that really ran (not answered from the local result cache). */
    public Statistics(Long queueMillis, Long executionMillis, Long rows, Long resultBytes, Long scannedBytes,
                      Double costUsd, Boolean resultReused, ResultTruncation truncation) {
        this(queueMillis, executionMillis, rows, resultBytes, scannedBytes, costUsd, resultReused, truncation, null,
                null);
    }

    public Statistics withTimes(Long queue, Long execution) {
        return new Statistics(queue, execution, rows, resultBytes, scannedBytes, costUsd, resultReused, truncation,
                cachedFrom, savedUsd);
    }

    /** The stored result's size and, if a limit cut it short, its truncation. */
    public Statistics withResult(ResultSummary result) {
        return new Statistics(queueMillis, executionMillis, result.rows(), result.bytes(), scannedBytes, costUsd,
                resultReused, result.truncation(), cachedFrom, savedUsd);
    }

    public Statistics withScan(Long scanned, Double cost, Boolean reused) {
        return new Statistics(queueMillis, executionMillis, rows, resultBytes, scanned, cost, reused, truncation,
                cachedFrom, savedUsd);
    }

    /** A run answered from the local result cache by {@code source}, whose cost {@code saved} it did not pay. */
    public Statistics withCachedFrom(CachedFrom source, Double saved) {
        return new Statistics(queueMillis, executionMillis, rows, resultBytes, scannedBytes, costUsd, resultReused,
                truncation, source, saved);
    }
}
