package io.sluice.query;

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
 */
public record Statistics(
        Long queueMillis,
        Long executionMillis,
        Long rows,
        Long resultBytes,
        Long scannedBytes,
        Double costUsd,
        Boolean resultReused) {

    public static final Statistics EMPTY = new Statistics(null, null, null, null, null, null, null);

    public Statistics withTimes(Long queue, Long execution) {
        return new Statistics(queue, execution, rows, resultBytes, scannedBytes, costUsd, resultReused);
    }

    public Statistics withResult(long resultRows, long bytes) {
        return new Statistics(queueMillis, executionMillis, resultRows, bytes, scannedBytes, costUsd, resultReused);
    }

    public Statistics withScan(Long scanned, Double cost, Boolean reused) {
        return new Statistics(queueMillis, executionMillis, rows, resultBytes, scanned, cost, reused);
    }
}
