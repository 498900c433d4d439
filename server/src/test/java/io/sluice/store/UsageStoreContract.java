package io.sluice.store;

import io.sluice.query.QueryRecord;
import io.sluice.query.QueryState;
import io.sluice.query.Statistics;
import io.sluice.store.UsageStore.Group;
import io.sluice.store.UsageStore.Range;
import io.sluice.store.UsageStore.Sums;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.sluice.query.QueryState.CANCELLED;
import static io.sluice.query.QueryState.FAILED;
import static io.sluice.query.QueryState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Usage's part of the store (migration V9) on every store database, part of the
 * {@link QueryStoreContract}: runs added up by day, user and engine, in the database.
 */
interface UsageStoreContract {

    Instant NOV20 = Instant.parse("2026-11-20T10:00:00Z");
    String ANN = "ann@example.com";
    String BEN = "ben@example.com";

    QueryStore store();

    Database database();

    private UsageStore usage() {
        return new JdbcUsageStore(database());
    }

    /** A query's first run, submitted at {@code at}, ended in {@code state} with this scan and cost. */
    private QueryRecord ran(String id, String owner, String engine, Instant at, QueryState state, long scanned,
                            double cost, boolean reused) {
        QueryRecord queued = QueryRecord.queued(id, owner, engine, "SELECT " + id, null, null, null, at)
                .withStarted(at.plusSeconds(1), "i1");
        store().insert(queued);
        return store().update(queued, end(queued, state, scanned, cost, reused)).orElseThrow();
    }

    private static QueryRecord end(QueryRecord r, QueryState state, long scanned, double cost, boolean reused) {
        return r.withEnd(state, r.submittedAt().plusSeconds(5),
                Statistics.EMPTY.withTimes(1L, 2L).withScan(scanned, cost, reused), null);
    }

    /** The next run of {@code r}, submitted at {@code at}, ended like {@link #ran}. */
    private QueryRecord reran(QueryRecord r, Instant at, QueryState state, long scanned, double cost) {
        QueryRecord next = store().update(r, r.nextRun(at, "i1")).orElseThrow();
        QueryRecord running = store().update(next, next.withStarted(at.plusSeconds(1), "i1")).orElseThrow();
        return store().update(running, end(running, state, scanned, cost, false)).orElseThrow();
    }

    private static Map<String, Sums> byKeyAndState(List<Sums> sums) {
        return sums.stream().collect(Collectors.toMap(s -> s.key() + "/" + s.state(), s -> s));
    }

    @Test
    default void runsAreAddedUpByDayUserAndEngineEveryRunCounted() {
        QueryRecord a = ran("u-a", ANN, "athena", NOV20, SUCCEEDED, 1_000, 0.5, false);
        reran(a, NOV20.plus(Duration.ofDays(1)), SUCCEEDED, 2_000, 0.25);
        ran("u-b", ANN, "athena", NOV20.plusSeconds(60), FAILED, 0, 0.0, false);
        ran("u-c", BEN, "athena", NOV20.plusSeconds(120), CANCELLED, 300, 0.125, false);
        ran("u-d", BEN, "duckdb", NOV20.plusSeconds(180), SUCCEEDED, 0, 0.0, true);
        ran("u-old", ANN, "athena", NOV20.minus(Duration.ofDays(40)), SUCCEEDED, 9_999, 9.0, false);
        Range nov = new Range(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"), null);

        Map<String, Sums> days = byKeyAndState(usage().sums(nov, Group.DAY));
        assertThat(days.keySet()).containsExactlyInAnyOrder("2026-11-20/SUCCEEDED", "2026-11-20/FAILED",
                "2026-11-20/CANCELLED", "2026-11-21/SUCCEEDED");
        Sums first = days.get("2026-11-20/SUCCEEDED");
        assertThat(first.runs()).isEqualTo(2);
        assertThat(first.scannedBytes()).isEqualTo(1_000);
        assertThat(first.costUsd()).isCloseTo(0.5, within(1e-9));
        assertThat(first.reusedRuns()).isEqualTo(1);
        assertThat(days.get("2026-11-21/SUCCEEDED").costUsd()).isCloseTo(0.25, within(1e-9));
        assertThat(days.get("2026-11-20/CANCELLED").scannedBytes()).isEqualTo(300);

        Map<String, Sums> users = byKeyAndState(usage().sums(nov, Group.USER));
        assertThat(users.get(ANN + "/SUCCEEDED").runs()).isEqualTo(2); // both runs of u-a
        assertThat(users.get(ANN + "/SUCCEEDED").costUsd()).isCloseTo(0.75, within(1e-9));
        assertThat(users.get(BEN + "/CANCELLED").costUsd()).isCloseTo(0.125, within(1e-9));

        Map<String, Sums> engines = byKeyAndState(usage().sums(new Range(nov.from(), nov.to(), BEN), Group.ENGINE));
        assertThat(engines.keySet()).containsExactlyInAnyOrder("athena/CANCELLED", "duckdb/SUCCEEDED");
    }

    @Test
    default void theRangeIncludesItsStartAndExcludesItsEnd() {
        Instant start = Instant.parse("2026-11-01T00:00:00Z");
        ran("r-in", ANN, "athena", start, SUCCEEDED, 1, 1.0, false);
        ran("r-out", ANN, "athena", start.minusMillis(1), SUCCEEDED, 1, 2.0, false);
        ran("r-end", ANN, "athena", start.plus(Duration.ofDays(1)), SUCCEEDED, 1, 4.0, false);
        List<Sums> sums = usage().sums(new Range(start, start.plus(Duration.ofDays(1)), null), Group.DAY);
        assertThat(sums).singleElement().satisfies(s -> {
            assertThat(s.key()).isEqualTo("2026-11-01");
            assertThat(s.costUsd()).isEqualTo(1.0);
        });
    }

    @Test
    default void cachedRunsAndWhatTheySavedAreCounted() {
        ran("c-src", ANN, "athena", NOV20, SUCCEEDED, 1_000, 0.5, false);
        ran("c-hit", ANN, "athena", NOV20.plusSeconds(10), SUCCEEDED, 0, 0.0, false);
        database().jdbi().useHandle(h -> h.execute("UPDATE query_runs SET cached_from_query = 'c-src',"
                + " cached_from_run = 1, saved_usd = 0.5 WHERE query_id = 'c-hit'"));
        List<Sums> sums = usage().sums(new Range(NOV20, NOV20.plusSeconds(60), ANN), Group.ENGINE);
        assertThat(sums).singleElement().satisfies(s -> {
            assertThat(s.runs()).isEqualTo(2);
            assertThat(s.cachedRuns()).isEqualTo(1);
            assertThat(s.savedUsd()).isCloseTo(0.5, within(1e-9));
        });
    }

    @Test
    default void theCostliestRunsComeFirstAndSpendIsSplitByEngineAndOwner() {
        QueryRecord a = ran("t-a", ANN, "athena", NOV20, SUCCEEDED, 10, 0.3, false);
        reran(a, NOV20.plusSeconds(100), SUCCEEDED, 20, 0.9);
        ran("t-b", BEN, "athena", NOV20.plusSeconds(5), CANCELLED, 5, 0.6, false);
        ran("t-c", BEN, "duckdb", NOV20.plusSeconds(6), SUCCEEDED, 0, 0.0, false);
        Range day = new Range(NOV20, NOV20.plus(Duration.ofDays(1)), null);

        List<UsageStore.CostlyRun> top = usage().costliest(day, 2);
        assertThat(top).extracting(r -> r.queryId() + "#" + r.run()).containsExactly("t-a#2", "t-b#1");
        assertThat(top.get(0).owner()).isEqualTo(ANN);
        assertThat(top.get(0).queryText()).isEqualTo("SELECT t-a");
        assertThat(top.get(1).state()).isEqualTo("CANCELLED");
        assertThat(usage().costliest(new Range(day.from(), day.to(), ANN), 10))
                .extracting(UsageStore.CostlyRun::run).containsExactly(2, 1);

        Map<String, UsageStore.EngineSpend> spend = usage().spend(day.from(), day.to(), ANN).stream()
                .collect(Collectors.toMap(UsageStore.EngineSpend::engine, s -> s));
        assertThat(spend.get("athena").ownerUsd()).isCloseTo(1.2, within(1e-9));
        assertThat(spend.get("athena").totalUsd()).isCloseTo(1.8, within(1e-9));
        assertThat(spend.get("duckdb").totalUsd()).isEqualTo(0.0);
    }

    @Test
    default void aQuerysWarningsAndScanCapAreKeptForEveryRun() {
        QueryRecord q = QueryRecord.queued("w-1", ANN, "athena", "SELECT 1", null, null, null, NOV20)
                .withSubmitted(List.of(new io.sluice.query.Warning("BUDGET_NEARLY_SPENT",
                        Map.of("budget", "user", "spentUsd", 0.85, "limitUsd", 1))), 5_000_000L);
        store().insert(q);
        QueryRecord found = store().find("w-1").orElseThrow();
        assertThat(found.maxScanBytes()).isEqualTo(5_000_000L);
        assertThat(found.warnings()).singleElement().satisfies(w -> {
            assertThat(w.code()).isEqualTo("BUDGET_NEARLY_SPENT");
            assertThat(w.params()).containsEntry("budget", "user").containsEntry("spentUsd", 0.85)
                    .containsEntry("limitUsd", 1);
        });
        QueryRecord ended = store().update(found, end(found.withStarted(NOV20, "i1"), SUCCEEDED, 1, 0.1, false))
                .orElseThrow();
        assertThat(ended).isEqualTo(store().find("w-1").orElseThrow());
        store().update(ended, ended.nextRun(NOV20.plusSeconds(60), "i1")).orElseThrow();
        assertThat(store().findRun("w-1", 1).orElseThrow().warnings()).isEqualTo(found.warnings());
        assertThat(store().findRun("w-1", 2).orElseThrow().maxScanBytes()).isEqualTo(5_000_000L);
        assertThat(QueryRecord.queued("w-2", ANN, "athena", "SELECT 2", null, null, null, NOV20).warnings()).isEmpty();
    }
}
