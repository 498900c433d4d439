package io.sluice.store;

import java.time.Instant;
import java.util.List;

/**
 * Runs added up for usage and budgets. Runs are counted by their submission time; every run of a
 * query counts (refreshes included). Every call may throw {@link StoreUnavailableException}.
 */
public interface UsageStore {

    /** What runs are grouped by in the database. */
    enum Group {
        /** The UTC day of submission; the key is its ISO date ({@code 2026-11-20}). */
        DAY,
        /** The query's owner. */
        USER,
        /** The engine's name. */
        ENGINE
    }

    /**
     * Runs submitted in {@code [from, to)}, of {@code owner} (null: everyone's).
     *
     * @param from first instant counted
     * @param to   first instant not counted
     */
    record Range(Instant from, Instant to, String owner) {
    }

    /**
     * The runs of one group in one state.
     *
     * @param key          the group (see {@link Group})
     * @param state        the runs' state (QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT)
     * @param runs         how many
     * @param scannedBytes bytes they scanned (0 where unknown)
     * @param costUsd      what they cost (0 where unknown)
     * @param cachedRuns   how many were answered from the local result cache
     * @param reusedRuns   how many the engine answered with an earlier result (Athena result reuse)
     * @param savedUsd     what the cache saved
     */
    record Sums(String key, String state, long runs, long scannedBytes, double costUsd, long cachedRuns,
                long reusedRuns, double savedUsd) {
    }

    /** One run with its cost, for the most expensive runs. */
    record CostlyRun(String queryId, int run, String owner, String engine, String queryText, Long scannedBytes,
                     double costUsd, String state, Instant submittedAt) {
    }

    /** What the runs of one engine cost: those of one user, and everyone's. */
    record EngineSpend(String engine, double ownerUsd, double totalUsd) {
    }

    /** The runs of {@code range} grouped by {@code group} and state. */
    List<Sums> sums(Range range, Group group);

    /** The {@code limit} costliest runs of {@code range}, costliest first (runs without a cost left out). */
    List<CostlyRun> costliest(Range range, int limit);

    /** What the runs submitted in {@code [from, to)} cost per engine: {@code owner}'s and everyone's. */
    List<EngineSpend> spend(Instant from, Instant to, String owner);
}
