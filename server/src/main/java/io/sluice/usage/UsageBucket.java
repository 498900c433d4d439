package io.sluice.usage;

import io.sluice.store.UsageStore;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sums of one group of runs as the usage route shows them: every run, and succeeded, failed
 * (TIMED_OUT included) and cancelled runs apart. Queued and running runs count in {@code runs},
 * {@code scannedBytes} and {@code costUsd} only.
 */
final class UsageBucket {

    private long runs;
    private long scannedBytes;
    private double costUsd;
    private long cachedRuns;
    private long reusedRuns;
    private double savedUsd;
    private final Part succeeded = new Part();
    private final Part failed = new Part();
    private final Part cancelled = new Part();

    void add(UsageStore.Sums s) {
        runs += s.runs();
        scannedBytes += s.scannedBytes();
        costUsd += s.costUsd();
        cachedRuns += s.cachedRuns();
        reusedRuns += s.reusedRuns();
        savedUsd += s.savedUsd();
        Part part = switch (s.state()) {
            case "SUCCEEDED" -> succeeded;
            case "FAILED", "TIMED_OUT" -> failed;
            case "CANCELLED" -> cancelled;
            default -> null;
        };
        if (part != null) {
            part.runs += s.runs();
            part.scannedBytes += s.scannedBytes();
            part.costUsd += s.costUsd();
        }
    }

    /** The JSON shape, with {@code key} first when not null. */
    Map<String, Object> view(String key) {
        Map<String, Object> view = new LinkedHashMap<>();
        if (key != null) {
            view.put("key", key);
        }
        view.put("runs", runs);
        view.put("succeeded", succeeded.view());
        view.put("failed", failed.view());
        view.put("cancelled", cancelled.view());
        view.put("scannedBytes", scannedBytes);
        view.put("costUsd", costUsd);
        view.put("cachedRuns", cachedRuns);
        view.put("reusedRuns", reusedRuns);
        view.put("savedUsd", savedUsd);
        return view;
    }

    private static final class Part {
        long runs;
        long scannedBytes;
        double costUsd;

        Map<String, Object> view() {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("runs", runs);
            view.put("scannedBytes", scannedBytes);
            view.put("costUsd", costUsd);
            return view;
        }
    }
}
