package io.sluice.store;

import io.sluice.query.QueryRecord;
import io.sluice.query.QueryState;
import io.sluice.query.Statistics;
import io.sluice.store.RetentionStore.RunKey;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.sluice.query.QueryState.FAILED;
import static io.sluice.query.QueryState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention's part of the store (migration V5) on every store database, part of the
 * {@link QueryStoreContract}: the cluster-wide lease, and which runs and queries are old enough to go.
 */
interface RetentionContract {

    Instant DAY0 = Instant.parse("2026-05-01T00:00:00Z");
    long LEASE_MILLIS = 30_000;

    /** The store on the contract's database. */
    QueryStore store();

    /** The contract's database. */
    Database database();

    private LeaseStore leases() {
        return new JdbcLeaseStore(database());
    }

    private RetentionStore retention() {
        return new JdbcRetentionStore(database(), io.sluice.Json.mapper());
    }

    /** A query that ran and ended in {@code state} at {@code endedAt}. */
    private QueryRecord ended(String id, QueryState state, Instant endedAt) {
        QueryRecord running = QueryRecord.queued(id, "alice@example.com", "duckdb", "SELECT 1", null, null, null,
                endedAt.minusSeconds(60)).withStarted(endedAt.minusSeconds(30), "i1");
        store().insert(running);
        return store().update(running, running.withEnd(state, endedAt, Statistics.EMPTY.withTimes(1L, 2L), null))
                .orElseThrow();
    }

    @Test
    default void ofInstancesRacingForAFreeLeaseExactlyOneTakesIt() throws Exception {
        int racers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            for (int round = 0; round < 20; round++) {
                String name = "race-" + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> tries = new ArrayList<>();
                for (int i = 0; i < racers; i++) {
                    String holder = "instance-" + i;
                    tries.add(pool.submit(() -> {
                        start.await();
                        return leases().acquire(name, holder, DAY0.toEpochMilli(), LEASE_MILLIS);
                    }));
                }
                start.countDown();
                int winners = 0;
                for (Future<Boolean> f : tries) {
                    winners += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(winners).as("winners of round " + round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    default void ofInstancesRacingForAnExpiredLeaseExactlyOneTakesIt() throws Exception {
        int racers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            long now = DAY0.toEpochMilli();
            for (int round = 0; round < 20; round++) {
                assertThat(leases().acquire("expiring", "old-holder-" + round, now, LEASE_MILLIS)).isTrue();
                long later = now + LEASE_MILLIS;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> tries = new ArrayList<>();
                for (int i = 0; i < racers; i++) {
                    String holder = "instance-" + i;
                    tries.add(pool.submit(() -> {
                        start.await();
                        return leases().acquire("expiring", holder, later, LEASE_MILLIS);
                    }));
                }
                start.countDown();
                int winners = 0;
                for (Future<Boolean> f : tries) {
                    winners += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(winners).as("winners of round " + round).isEqualTo(1);
                now = later + LEASE_MILLIS; // every racer's lease has expired by then
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    default void aLeaseIsRenewedByItsHolderAloneUntilItExpiresOrIsReleased() {
        LeaseStore leases = leases();
        long t = DAY0.toEpochMilli();
        assertThat(leases.acquire("job", "a", t, LEASE_MILLIS)).isTrue();
        assertThat(leases.acquire("job", "b", t + 1_000, LEASE_MILLIS)).isFalse();
        assertThat(leases.acquire("job", "a", t + 20_000, LEASE_MILLIS)).as("renewal").isTrue();
        assertThat(leases.acquire("job", "b", t + LEASE_MILLIS, LEASE_MILLIS)).as("renewed, not expired").isFalse();
        assertThat(leases.acquire("job", "b", t + 20_000 + LEASE_MILLIS, LEASE_MILLIS)).as("expired").isTrue();
        assertThat(leases.acquire("job", "a", t + 20_000 + LEASE_MILLIS + 1, LEASE_MILLIS)).isFalse();

        leases.release("job", "a"); // not the holder: nothing changes
        assertThat(leases.acquire("job", "c", t + 20_000 + LEASE_MILLIS + 2, LEASE_MILLIS)).isFalse();
        leases.release("job", "b");
        assertThat(leases.acquire("job", "c", t + 20_000 + LEASE_MILLIS + 3, LEASE_MILLIS)).isTrue();
        assertThat(leases.acquire("other-job", "a", t, LEASE_MILLIS)).as("names are independent").isTrue();
    }

    @Test
    default void succeededRunsThatEndedBeforeTheCutOffAreSelectedUntilMarkedRemoved() {
        Instant cutOff = DAY0.plus(Duration.ofDays(10));
        QueryRecord old = ended("q-old", SUCCEEDED, DAY0);
        ended("q-recent", SUCCEEDED, cutOff.plusMillis(1));
        ended("q-failed", FAILED, DAY0);
        QueryRecord refreshed = ended("q-refreshed", SUCCEEDED, DAY0.plusSeconds(1));
        QueryRecord second = store().update(refreshed, refreshed.nextRun(cutOff.plusSeconds(5))).orElseThrow();
        RetentionStore retention = retention();

        assertThat(retention.findResultsEndedBefore(cutOff, 10))
                .containsExactly(new RunKey("q-old", 1), new RunKey("q-refreshed", 1));
        assertThat(retention.findResultsEndedBefore(cutOff, 1)).containsExactly(new RunKey("q-old", 1));
        assertThat(retention.resultRemovedAt("q-old", 1)).isEmpty();

        Instant removedAt = cutOff.plusSeconds(60);
        retention.markResultsRemoved(List.of(new RunKey("q-old", 1), new RunKey("q-refreshed", 1)), removedAt);

        assertThat(retention.findResultsEndedBefore(cutOff, 10)).isEmpty();
        assertThat(retention.resultRemovedAt("q-old", 1)).contains(removedAt);
        assertThat(retention.resultRemovedAt("q-refreshed", 1)).contains(removedAt);
        assertThat(retention.resultRemovedAt("q-refreshed", 2)).as("the new run has a result of its own").isEmpty();
        assertThat(store().find("q-old")).contains(old);
        assertThat(store().find("q-refreshed")).contains(second);
    }

    @Test
    default void queriesThatEndedBeforeTheCutOffGoWithAllTheirRunsUnlessActiveOrStopping() {
        Instant cutOff = DAY0.plus(Duration.ofDays(10));
        QueryRecord old = ended("h-old", SUCCEEDED, DAY0);
        QueryRecord twice = ended("h-twice", FAILED, DAY0.plusSeconds(1));
        twice = store().update(twice, twice.nextRun(DAY0.plusSeconds(2))).orElseThrow();
        twice = store().update(twice, twice.withEnd(SUCCEEDED, DAY0.plusSeconds(3), Statistics.EMPTY, null)).orElseThrow();
        ended("h-recent", SUCCEEDED, cutOff.plusSeconds(1));
        QueryRecord rerun = ended("h-rerun", SUCCEEDED, DAY0.plusSeconds(4));
        store().update(rerun, rerun.nextRun(cutOff.plusSeconds(2))).orElseThrow(); // active again
        QueryRecord stopping = ended("h-stopping", QueryState.CANCELLED, DAY0.plusSeconds(5));
        store().update(stopping, stopping.withStopRequested(true)).orElseThrow();
        RetentionStore retention = retention();

        List<QueryRecord> found = retention.findQueriesEndedBefore(cutOff, 10);
        assertThat(found).extracting(QueryRecord::id).containsExactly("h-old", "h-twice");
        assertThat(found).containsExactly(old, twice);
        assertThat(retention.findQueriesEndedBefore(cutOff, 1)).extracting(QueryRecord::id).containsExactly("h-old");

        // h-old changed since it was read (a refresh, say): it stays.
        QueryRecord changed = store().update(old, old.nextRun(cutOff.plusSeconds(9))).orElseThrow();
        assertThat(retention.deleteQueries(found)).containsExactly(twice);

        assertThat(store().find("h-twice")).isEmpty();
        assertThat(store().findRun("h-twice", 1)).isEmpty();
        assertThat(store().findRun("h-twice", 2)).isEmpty();
        assertThat(store().find("h-old")).contains(changed);
        assertThat(store().findRun("h-old", 1)).isPresent();
        assertThat(store().find("h-recent")).isPresent();
        assertThat(store().find("h-rerun")).isPresent();
        assertThat(store().find("h-stopping")).isPresent();
        assertThat(retention.findQueriesEndedBefore(cutOff, 10)).isEmpty();
    }
}
