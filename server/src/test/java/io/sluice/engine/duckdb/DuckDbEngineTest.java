package io.sluice.engine.duckdb;

import io.sluice.config.SluiceConfig;
import io.sluice.engine.Cancellation;
import io.sluice.engine.Column;
import io.sluice.engine.EngineException;
import io.sluice.engine.EngineQuery;
import io.sluice.engine.RowSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The DuckDB engine against a real DuckDB file: sample data, lock-down, cancel, catalog. */
class DuckDbEngineTest {

    @TempDir
    static Path dir;
    static DuckDbEngine engine;

    @BeforeAll
    static void open() throws Exception {
        Path files = dir.resolve("files");
        Files.createDirectories(files);
        Files.writeString(files.resolve("small.csv"), "a,b\n1,x\n2,y\n");
        engine = DuckDbEngine.open("duckdb", new DuckDbSettings(dir.resolve("db/sample.duckdb"), true, true, 2, "1GB",
                List.of(files), Duration.ofMinutes(5), 1_000_000, 1L << 30, List.of()));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    /** Collects a result in memory (test-sized results only). */
    static final class Collect implements RowSink {
        List<Column> columns;
        final List<Object[]> rows = new ArrayList<>();

        @Override
        public void columns(List<Column> columns) {
            this.columns = columns;
        }

        @Override
        public boolean row(Object[] values) {
            rows.add(values.clone());
            return true;
        }
    }

    static final class Switch implements Cancellation {
        final AtomicBoolean cancelled = new AtomicBoolean();
        final AtomicReference<Runnable> action = new AtomicReference<>();

        @Override
        public boolean isCancelled() {
            return cancelled.get();
        }

        @Override
        public void onCancel(Runnable interrupt) {
            action.set(interrupt);
        }

        void cancel() {
            cancelled.set(true);
            action.get().run();
        }
    }

    private static Collect run(String sql) throws EngineException {
        Collect sink = new Collect();
        engine.execute(new EngineQuery("00000000-0000-4000-8000-000000000001", 1, sql, engine.defaultContext()),
                sink, new Switch());
        return sink;
    }

    @Test
    void sampleDataIsThereAndDeterministic() throws Exception {
        Collect c = run("SELECT count(*), count(DISTINCT event_type), min(dt), max(dt), sum(event_id) FROM events");
        assertThat(c.rows.get(0)).containsExactly(100_000L, 8L, "2024-10-01", "2024-12-31", "4999950000");
        // sum(bigint) is a hugeint in DuckDB: exact text, not a JSON number
        assertThat(run("SELECT count(*) FROM members").rows.get(0)[0]).isEqualTo(5_000L);
        Collect first = run("SELECT event_type, member_code, dt FROM events WHERE event_id = 12345");
        Collect again = run("SELECT event_type, member_code, dt FROM events WHERE event_id = 12345");
        assertThat(first.rows.get(0)).containsExactly(again.rows.get(0));
        assertThat(engine.defaultContext().catalog()).isEqualTo("sample");
        assertThat(engine.defaultContext().database()).isEqualTo("main");
    }

    @Test
    void filesOutsideTheAllowedDirectoriesCannotBeRead() throws Exception {
        assertThat(run("SELECT count(*) FROM read_csv('" + dir.resolve("files/small.csv") + "')").rows.get(0)[0])
                .isEqualTo(2L);
        for (String sql : List.of("SELECT * FROM read_csv('/etc/passwd')",
                "SELECT * FROM read_csv('" + dir.resolve("files/../db/sample.duckdb") + "')",
                "COPY (SELECT 1) TO '" + dir.resolve("out.csv") + "'",
                "ATTACH '" + dir.resolve("other.duckdb") + "' AS other",
                "SET enable_external_access = true",
                "INSTALL postgres",
                "DROP TABLE events")) {
            assertThatThrownBy(() -> run(sql)).as(sql).isInstanceOf(EngineException.class);
        }
        assertThat(Files.exists(dir.resolve("out.csv"))).isFalse();
        assertThat(run("SELECT count(*) FROM events").rows.get(0)[0]).isEqualTo(100_000L);
    }

    @Test
    void cancelInterruptsARunningStatementQuickly() {
        Switch cancellation = new Switch();
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                engine.execute(new EngineQuery("00000000-0000-4000-8000-000000000002", 1,
                        "SELECT sum(range % 7) FROM range(1000000000000)", engine.defaultContext()), new Collect(), cancellation);
                return null;
            } catch (EngineException e) {
                return e;
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> cancellation.action.get() != null);
        long start = System.nanoTime();
        cancellation.cancel();
        // DuckDB drops a cancel that lands before the statement really starts; Sluice's runner
        // repeats the interrupt until the work returns (the Cancellation contract), and so does this.
        await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    cancellation.action.get().run();
                    return outcome.isDone();
                });
        Throwable thrown = outcome.join();
        assertThat(thrown).isInstanceOf(EngineException.class);
        // A cancel takes effect within 2 s (typically a few ms; the statement otherwise runs for minutes).
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aFullSinkStopsTheQueryWhichEndsNormally() throws Exception {
        List<Object> taken = new ArrayList<>();
        AtomicInteger offered = new AtomicInteger();
        RowSink fullAfterThree = new RowSink() {
            @Override
            public void columns(List<Column> columns) {
            }

            @Override
            public boolean row(Object[] values) {
                offered.incrementAndGet();
                if (taken.size() == 3) {
                    return false;
                }
                taken.add(values[0]);
                return true;
            }
        };
        long start = System.nanoTime();

        engine.execute(new EngineQuery("00000000-0000-4000-8000-000000000003", 1,
                "SELECT range FROM range(1000000000000)", engine.defaultContext()), fullAfterThree, new Switch());

        assertThat(taken).containsExactly(0L, 1L, 2L);
        assertThat(offered).hasValue(4);
        // Producing (or merely fetching) the whole range would take hours: the statement stopped.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(run("SELECT 42").rows.get(0)).containsExactly(42L);
    }

    @Test
    void catalogListsDatabasesTablesAndColumns() throws Exception {
        assertThat(engine.catalog().catalogs()).contains("sample");
        assertThat(engine.catalog().databases("sample")).contains("main");
        var tables = engine.catalog().tables("sample", "main");
        assertThat(tables).extracting(t -> t.name()).contains("events", "members");
        var events = engine.catalog().table("sample", "main", "events");
        assertThat(events.columns()).extracting(c -> c.name()).startsWith("event_id", "event_type", "dt");
        assertThat(events.columns().get(0).type()).isEqualTo("bigint");
        assertThatThrownBy(() -> engine.catalog().table("sample", "main", "nope"))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.code()).isEqualTo("TABLE_NOT_FOUND"));
        assertThatThrownBy(() -> engine.catalog().databases("x'; DROP TABLE events; --"))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.code()).isEqualTo("CATALOG_NOT_FOUND"));
    }

    @Test
    void typesAreNamedLikeAthena() {
        assertThat(DuckDbValues.athenaTypeName("VARCHAR")).isEqualTo("varchar");
        assertThat(DuckDbValues.athenaTypeName("DECIMAL(12,2)")).isEqualTo("decimal(12,2)");
        assertThat(DuckDbValues.athenaTypeName("INTEGER[]")).isEqualTo("array(integer)");
        assertThat(DuckDbValues.athenaTypeName("FLOAT")).isEqualTo("real");
        assertThat(DuckDbValues.athenaTypeName("BLOB")).isEqualTo("varbinary");
        assertThat(DuckDbValues.athenaTypeName("STRUCT(a INTEGER)")).isEqualTo("row(a integer)");
    }
}
