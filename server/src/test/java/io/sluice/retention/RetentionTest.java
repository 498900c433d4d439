package io.sluice.retention;

import io.sluice.Json;
import io.sluice.config.SluiceConfig;
import io.sluice.query.QueryRecord;
import io.sluice.query.Statistics;
import io.sluice.result.FolderResultStore;
import io.sluice.store.Database;
import io.sluice.store.JdbcLeaseStore;
import io.sluice.store.JdbcQueryStore;
import io.sluice.store.JdbcRetentionStore;
import io.sluice.store.LeaseStore;
import io.sluice.store.QueryStore;
import io.sluice.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static io.sluice.query.QueryState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A retention round on a real H2 store: only the lease holder works, a backlog larger than one
 * batch is worked off in one round, and nothing goes while retention is off.
 */
class RetentionTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private Database database;
    private QueryStore queries;
    private JdbcRetentionStore retained;
    private LeaseStore leases;
    private FolderResultStore results;
    private final MutableClock clock = new MutableClock(T0);

    @BeforeEach
    void open() throws IOException {
        database = Database.open("jdbc:h2:mem:retention-" + System.nanoTime(), "sa", "", 4);
        queries = new JdbcQueryStore(database, Json.mapper());
        retained = new JdbcRetentionStore(database, Json.mapper());
        leases = new JdbcLeaseStore(database);
        results = new FolderResultStore(dir.resolve("results"));
    }

    @AfterEach
    void close() throws Exception {
        results.close();
        database.close();
    }

    private Retention retention(String instance, int resultDays, int historyDays) {
        return new Retention(retained, leases, results, new SluiceConfig.Retention(resultDays, historyDays,
                Duration.ofMinutes(60)), instance, LEASE, clock);
    }

    /** Query ids are UUIDs (the result store refuses others). */
    private static String id(int n) {
        return new UUID(0, n).toString();
    }

    private void succeeded(String id, Instant endedAt) {
        QueryRecord running = QueryRecord.queued(id, "alice@example.com", "duckdb", "SELECT 1", null, null, null,
                endedAt.minusSeconds(2)).withStarted(endedAt.minusSeconds(1), "i1");
        queries.insert(running);
        queries.update(running, running.withEnd(SUCCEEDED, endedAt, Statistics.EMPTY, null)).orElseThrow();
    }

    @Test
    void onlyTheLeaseHolderWorksAndAnExpiredLeasePassesOn() {
        succeeded(id(1), T0);
        clock.advance(Duration.ofDays(31));
        assertThat(leases.acquire(Retention.LEASE, "other-instance", clock.millis(), LEASE.toMillis())).isTrue();

        assertThat(retention("this-instance", 30, 0).runOnce()).isEmpty();
        assertThat(retained.resultRemovedAt(id(1), 1)).as("nothing done without the lease").isEmpty();

        clock.advance(LEASE);
        assertThat(retention("this-instance", 30, 0).runOnce()).contains(new Retention.Round(1, 0));
        assertThat(retained.resultRemovedAt(id(1), 1)).contains(clock.instant());
        assertThat(leases.acquire(Retention.LEASE, "other-instance", clock.millis(), LEASE.toMillis()))
                .as("given up when the round is done").isTrue();
    }

    @Test
    void aBacklogLargerThanABatchIsWorkedOffInOneRound() {
        int backlog = Retention.BATCH * 2 + 7;
        for (int i = 0; i < backlog; i++) {
            succeeded(id(i), T0.plusMillis(i));
        }
        clock.advance(Duration.ofDays(100));

        assertThat(retention("i1", 30, 0).runOnce()).contains(new Retention.Round(backlog, 0));
        assertThat(retained.findResultsEndedBefore(clock.instant(), 10)).isEmpty();
        assertThat(retention("i1", 30, 90).runOnce()).contains(new Retention.Round(0, backlog));
        assertThat(queries.find(id(0))).isEmpty();
        assertThat(queries.find(id(backlog - 1))).isEmpty();
    }

    @Test
    void withBothRetentionsOffNothingGoes() {
        succeeded(id(1), T0);
        clock.advance(Duration.ofDays(10_000));
        Retention off = retention("i1", 0, 0);

        assertThat(off.enabled()).isFalse();
        assertThat(off.runOnce()).isEqualTo(Optional.empty());
        assertThat(queries.find(id(1))).isPresent();
        assertThat(retained.resultRemovedAt(id(1), 1)).isEmpty();
    }
}
