package io.sluice.store;

import io.sluice.query.QueryRecord;
import io.sluice.query.Statistics;
import io.sluice.result.ResultSummary;
import io.sluice.result.ResultTruncation;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;

import static io.sluice.query.QueryState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run's result truncation (migration V3) on every store database, part of the
 * {@link QueryStoreContract}: it is stored with the run's end, cleared by a refresh, and queries
 * stored before the columns existed read as complete.
 */
interface ResultTruncationContract {

    Instant SINCE = Instant.parse("2026-03-04T05:06:07.089Z");

    /** The store on the contract's database. */
    QueryStore store();

    /** A new, empty database on the contract's server. */
    QueryStoreContract.Connection emptyDatabase(String name) throws Exception;

    private static Statistics truncated(long rows, long bytes, ResultTruncation.Reason reason, long limit) {
        return Statistics.EMPTY.withTimes(10L, 20L)
                .withResult(new ResultSummary(List.of(), rows, bytes, new ResultTruncation(reason, limit)));
    }

    @Test
    default void aTruncatedRunKeepsItsTruncationAndARefreshClearsIt() {
        QueryRecord running = QueryRecord.queued("q-cut", "alice@example.com", "duckdb", "SELECT 1", null, null, null, SINCE)
                .withStarted(SINCE.plusSeconds(1), "i1");
        store().insert(running);
        Statistics stats = truncated(10_000_000, 999_999_000, ResultTruncation.Reason.MAX_RESULT_ROWS, 10_000_000);

        QueryRecord done = store().update(running, running.withEnd(SUCCEEDED, SINCE.plusSeconds(9), stats, null))
                .orElseThrow();

        assertThat(store().find("q-cut")).contains(done);
        assertThat(store().find("q-cut").orElseThrow().statistics().truncation())
                .isEqualTo(new ResultTruncation(ResultTruncation.Reason.MAX_RESULT_ROWS, 10_000_000));
        QueryRecord again = store().update(done, done.nextRun(SINCE.plusSeconds(60))).orElseThrow();
        assertThat(store().find("q-cut").orElseThrow().statistics().truncation()).isNull();
        assertThat(again.statistics()).isEqualTo(Statistics.EMPTY);
    }

    @Test
    default void queriesStoredBeforeTheTruncationColumnsReadAsComplete() throws Exception {
        QueryStoreContract.Connection c = emptyDatabase("before_truncation");
        StoreDialect dialect = StoreDialect.fromUrl(c.url());
        String url = dialect.driverUrl(c.url());
        Flyway.configure().dataSource(url, c.user(), c.password()).locations("classpath:db/migration")
                .placeholders(dialect.placeholders()).target("1").load().migrate();
        try (Connection jdbc = DriverManager.getConnection(url, c.user(), c.password());
             PreparedStatement insert = jdbc.prepareStatement("""
                     INSERT INTO queries (id, owner, engine, query_text, query_text_lower, state, run, version,
                         created_at, submitted_at, started_at, completed_at, result_rows, result_bytes)
                     VALUES ('q-old', 'alice@example.com', 'duckdb', 'SELECT 1', 'select 1', 'SUCCEEDED', 1, 2,
                         ?, ?, ?, ?, 1, 4)""")) {
            for (int i = 1; i <= 4; i++) {
                insert.setLong(i, SINCE.toEpochMilli() + i);
            }
            insert.executeUpdate();
        }

        try (Database upgraded = Database.open(c.url(), c.user(), c.password(), 2)) {
            assertThat(upgraded.migrationsAppliedAtOpen()).isPositive();
            QueryStore store = new JdbcQueryStore(upgraded.jdbi());
            QueryRecord old = store.find("q-old").orElseThrow();
            assertThat(old.state()).isEqualTo(SUCCEEDED);
            assertThat(old.statistics().rows()).isEqualTo(1);
            assertThat(old.statistics().resultBytes()).isEqualTo(4);
            assertThat(old.statistics().truncation()).isNull();

            QueryRecord cut = store.update(old, old.withStatistics(
                    truncated(3, 4096, ResultTruncation.Reason.MAX_RESULT_BYTES, 4096))).orElseThrow();
            assertThat(store.find("q-old")).contains(cut);
        }
    }
}
