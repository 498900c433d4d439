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
 */
public record Statistics(
        Long queueMillis,
        Long executionMillis,
        Long rows,
        Long resultBytes,
        Long scannedBytes,
        Double costUsd,
        Boolean resultReused,
        ResultTruncation truncation) {

    public static final Statistics EMPTY = new Statistics(null, null, null, null, null, null, null, null);

    public Statistics withTimes(Long queue, Long execution) {
        return new Statistics(queue, execution, rows, resultBytes, scannedBytes, costUsd, resultReused, truncation);
    }

    /** The stored result's size and, if a limit cut it short, its truncation. */
    public Statistics withResult(ResultSummary result) {
        return new Statistics(queueMillis, executionMillis, result.rows(), result.bytes(), scannedBytes, costUsd,
                resultReused, result.truncation());
    }

    public Statistics withScan(Long scanned, Double cost, Boolean reused) {
        return new Statistics(queueMillis, executionMillis, rows, resultBytes, scanned, cost, reused, truncation);
    }
}
