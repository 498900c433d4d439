package io.sluice.standin;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many Athena API calls the stand-in received, per operation name (e.g.
 * {@code "GetQueryExecution"}), including calls answered with an injected fault. Benchmarks use it
 * to measure how many calls a poller makes. Thread-safe.
 */
public final class CallCounts {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> batchSizes = new ConcurrentHashMap<>();

    CallCounts() {
    }

    void record(String operation) {
        counts.computeIfAbsent(operation, name -> new LongAdder()).increment();
    }

    void recordBatch(int ids) {
        batchSizes.computeIfAbsent(ids, size -> new LongAdder()).increment();
    }

    /**
     * How many BatchGetQueryExecution calls carried each number of ids (answered calls only), since
     * the start or the last {@link #reset()}: shows how a poller splits its queries into batches.
     */
    public Map<Integer, Long> batchSizes() {
        Map<Integer, Long> copy = new TreeMap<>();
        batchSizes.forEach((size, adder) -> {
            long sum = adder.sum();
            if (sum > 0) {
                copy.put(size, sum);
            }
        });
        return copy;
    }

    /** Calls of one operation since the start or the last {@link #reset()}. */
    public long count(String operation) {
        LongAdder adder = counts.get(operation);
        return adder == null ? 0 : adder.sum();
    }

    /** Calls of all operations since the start or the last {@link #reset()}. */
    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** A sorted copy of the counts that are not zero. */
    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((operation, adder) -> {
            long sum = adder.sum();
            if (sum > 0) {
                copy.put(operation, sum);
            }
        });
        return copy;
    }

    public void reset() {
        counts.values().forEach(LongAdder::reset);
        batchSizes.values().forEach(LongAdder::reset);
    }
}
