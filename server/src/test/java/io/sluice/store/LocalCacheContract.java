package io.sluice.store;

import io.sluice.query.CachedFrom;
import io.sluice.query.QueryRecord;
import io.sluice.query.QueryState;
import io.sluice.query.Statistics;
import io.sluice.result.ResultSummary;
import io.sluice.result.ResultTruncation;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.sluice.query.QueryState.FAILED;
import static io.sluice.query.QueryState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local result cache's part of the store (migration V10) on every store database, part of the
 * {@link QueryStoreContract}: cache keys, the lookup of runs that may answer a query, and the
 * statistics of a cache hit.
 */
interface LocalCacheContract {

    Instant C0 = Instant.parse("2026-07-01T10:00:00Z");
    String KEY = "a".repeat(64);
    String ALICE = "alice@example.com";
    String BOB = "bob@example.com";

    QueryStore store();

    Database database();

    private CacheStore cache() {
        return new JdbcCacheStore(database(), io.sluice.Json.mapper());
    }

    private static String id(int n) {
        return String.format("00000000-0000-4000-8000-%012d", n);
    }

    /** A query of {@code owner} with {@code key} that ended in {@code state} at {@code endedAt}, costing 0.25 USD. */
    private QueryRecord ended(int n, String owner, String key, QueryState state, Instant endedAt, Statistics stats) {
        QueryRecord running = QueryRecord.queued(id(n), owner, "athena", "SELECT 1", "AwsDataCatalog", "analytics",
                null, endedAt.minusSeconds(60)).withStarted(endedAt.minusSeconds(30), "i1");
        store().insert(running);
        if (key != null) {
            cache().setCacheKey(running.id(), key);
        }
        return store().update(running, running.withEnd(state, endedAt, stats, null)).orElseThrow();
    }

    private QueryRecord succeeded(int n, String owner, String key, Instant endedAt) {
        return ended(n, owner, key, SUCCEEDED, endedAt, Statistics.EMPTY.withTimes(1L, 2L).withScan(1000L, 0.25, false)
                .withResult(new ResultSummary(List.of(), 3, 30, null)));
    }

    private static List<String> ids(List<QueryRecord> runs) {
        return runs.stream().map(r -> r.id() + "/" + r.run()).toList();
    }

    @Test
    default void theLookupFindsSucceededCompleteRunsWithTheKeyWithinTheTtlNewestFirst() {
        succeeded(1, ALICE, KEY, C0.plusSeconds(10));
        succeeded(2, ALICE, KEY, C0.plusSeconds(30));
        succeeded(3, BOB, KEY, C0.plusSeconds(20));
        succeeded(4, ALICE, KEY, C0.minusSeconds(1));
        succeeded(5, ALICE, "b".repeat(64), C0.plusSeconds(40));
        succeeded(6, ALICE, null, C0.plusSeconds(40));
        ended(7, ALICE, KEY, FAILED, C0.plusSeconds(50), Statistics.EMPTY);
        ended(8, ALICE, KEY, SUCCEEDED, C0.plusSeconds(60), Statistics.EMPTY.withResult(new ResultSummary(List.of(), 9,
                90, new ResultTruncation(ResultTruncation.Reason.MAX_RESULT_ROWS, 9))));
        ended(9, ALICE, KEY, SUCCEEDED, C0.plusSeconds(70), Statistics.EMPTY.withResult(new ResultSummary(List.of(), 3,
                30, null)).withCachedFrom(new CachedFrom(id(2), 1), 0.25));

        assertThat(ids(cache().sources(KEY, ALICE, C0, 10))).containsExactly(id(2) + "/1", id(1) + "/1");
        assertThat(ids(cache().sources(KEY, null, C0, 10))).containsExactly(id(2) + "/1", id(3) + "/1", id(1) + "/1");
        assertThat(ids(cache().sources(KEY, null, C0, 1))).containsExactly(id(2) + "/1");
        assertThat(cache().sources(KEY, "carol@example.com", C0, 10)).isEmpty();
        QueryRecord source = cache().sources(KEY, ALICE, C0, 1).get(0);
        assertThat(source.statistics().costUsd()).isEqualTo(0.25);
        assertThat(source.statistics().rows()).isEqualTo(3);
    }

    @Test
    default void anEarlierRunCountsByItsOwnEndAndARemovedResultIsNoSource() {
        QueryRecord first = succeeded(1, ALICE, KEY, C0.plusSeconds(10));
        QueryRecord second = store().update(first, first.nextRun(C0.plusSeconds(20), "i1")).orElseThrow();
        assertThat(ids(cache().sources(KEY, ALICE, C0, 10))).as("run 1 stays a source while run 2 runs")
                .containsExactly(id(1) + "/1");
        QueryRecord running = store().update(second, second.withStarted(C0.plusSeconds(21), "i1")).orElseThrow();
        store().update(running, running.withEnd(SUCCEEDED, C0.plusSeconds(30), Statistics.EMPTY.withTimes(1L, 1L),
                null)).orElseThrow();
        assertThat(ids(cache().sources(KEY, ALICE, C0, 10))).containsExactly(id(1) + "/2", id(1) + "/1");

        new JdbcRetentionStore(database(), io.sluice.Json.mapper())
                .markResultsRemoved(List.of(new RetentionStore.RunKey(id(1), 1)), C0.plusSeconds(40));
        assertThat(ids(cache().sources(KEY, ALICE, C0, 10))).containsExactly(id(1) + "/2");
    }

    @Test
    default void aCacheHitsStatisticsSurviveTheStore() {
        Statistics hit = new Statistics(0L, 0L, 3L, 30L, 0L, 0.0, false, null, new CachedFrom(id(1), 2), 0.125);
        QueryRecord record = new QueryRecord(id(20), ALICE, "athena", "select 1", "AwsDataCatalog", "analytics", null,
                SUCCEEDED, 1, 0, null, null, C0, C0, C0, C0, hit, null);
        store().insert(record);
        cache().setCacheKey(record.id(), KEY);

        assertThat(store().find(id(20)).orElseThrow().statistics()).isEqualTo(hit);
        assertThat(store().findRun(id(20), 1).orElseThrow().statistics()).isEqualTo(hit);
        QueryRecord refreshed = store().update(store().find(id(20)).orElseThrow(),
                record.nextRun(C0.plusSeconds(5), "i1")).orElseThrow();
        assertThat(refreshed.statistics().cachedFrom()).isNull();
        assertThat(store().find(id(20)).orElseThrow().statistics().cachedFrom()).as("a refresh runs for real").isNull();
        assertThat(store().findRun(id(20), 1).orElseThrow().statistics()).isEqualTo(hit);
    }
}
