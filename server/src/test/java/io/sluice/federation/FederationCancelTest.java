package io.sluice.federation;

import io.sluice.api.MessageCode;
import io.sluice.datasource.SqlitePaths;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.sluice.federation.FederationTesting.databases;
import static io.sluice.federation.FederationTesting.files;
import static io.sluice.federation.FederationTesting.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A cancel while a large table (2 million rows generated in PostgreSQL) is being imported stops the
 * import promptly, and nothing stays attached and no import file remains: on the JDBC path while rows
 * arrive in DuckDB, and on the COPY path (PostgreSQL's default) during the COPY (PostgreSQL's statement
 * ends too) and during DuckDB's load of the CSV file.
 */
class FederationCancelTest {

    @TempDir
    static Path dir;
    static FederationSources sources;

    @TempDir
    Path scratch;

    @BeforeAll
    static void start() throws Exception {
        sources = FederationSources.start(dir, false);
        try (Connection c = sources.superuser("analytics"); Statement s = c.createStatement()) {
            s.execute("SET ROLE analyst");
            s.execute("CREATE TABLE big AS SELECT g AS id, md5(g::text) AS h FROM generate_series(1, 2000000) g");
        }
    }

    @AfterAll
    static void stop() {
        if (sources != null) {
            sources.close();
        }
    }

    @Test
    void aCancelDuringTheJdbcImportOfALargeTableStopsItPromptlyAndLeavesNothing() throws Exception {
        Federation federation = new Federation(new FederationSettings(FederationMode.IMPORT, Optional.empty(),
                Duration.ofSeconds(10), 1_000, false), new SqlitePaths(List.of(sources.sqliteDir)));
        try (DuckDBConnection duck = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
             Connection observer = duck.duplicate()) {
            List<String> originals = databases(duck);
            FederationTesting.Switch cancel = new FederationTesting.Switch();
            AttachTarget pg = new AttachTarget("bigdb", sources.postgres("pg", "analytics"), FederationSources.PASSWORD);
            CompletableFuture<Attachment> attach = CompletableFuture.supplyAsync(() -> {
                try {
                    return federation.attach(duck, scratch, List.of(pg), "SELECT count(*) FROM bigdb.big", cancel);
                } catch (FederationException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            // rows are arriving in DuckDB: the import is under way
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> !rows(observer,
                    "SELECT 1 FROM duckdb_tables() WHERE database_name = 'bigdb' AND estimated_size > 0").isEmpty());
            cancelAndCheck(duck, originals, cancel, attach);
        }
    }

    @Test
    void aCancelDuringTheCopyOfALargeTableStopsItAndPostgresqlsStatementPromptlyAndLeavesNothing() throws Exception {
        try (DuckDBConnection duck = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
             Connection pg = sources.superuser("analytics")) {
            List<String> originals = databases(duck);
            FederationTesting.Switch cancel = new FederationTesting.Switch();
            CompletableFuture<Attachment> attach = attachInBackground(duck, cancel);
            // the COPY is running and its file is filling
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() ->
                    copyRunning(pg) && files(scratch).stream().anyMatch(f -> f.toString().endsWith(".csv")
                            && f.toFile().length() > 0));
            cancelAndCheck(duck, originals, cancel, attach);
            await().atMost(Duration.ofSeconds(2)).until(() -> !copyRunning(pg));
        }
    }

    @Test
    void aCancelDuringDuckDbsLoadOfTheCopiedFileStopsItPromptlyAndLeavesNothing() throws Exception {
        try (DuckDBConnection duck = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
             Connection pg = sources.superuser("analytics")) {
            List<String> originals = databases(duck);
            FederationTesting.Switch cancel = new FederationTesting.Switch();
            CompletableFuture<Attachment> attach = attachInBackground(duck, cancel);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> copyRunning(pg));
            // the COPY has ended and its file is there: DuckDB is reading it
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> !copyRunning(pg));
            assertThat(files(scratch)).anyMatch(f -> f.toString().endsWith(".csv"));
            cancelAndCheck(duck, originals, cancel, attach);
        }
    }

    private CompletableFuture<Attachment> attachInBackground(Connection duck, FederationTesting.Switch cancel) {
        Federation federation = new Federation(FederationSettings.of(FederationMode.IMPORT),
                new SqlitePaths(List.of(sources.sqliteDir)));
        AttachTarget pg = new AttachTarget("bigdb", sources.postgres("pg", "analytics"), FederationSources.PASSWORD);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return federation.attach(duck, scratch, List.of(pg), "SELECT count(*), max(h) FROM bigdb.big", cancel);
            } catch (FederationException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    /** Whether the source runs a COPY for the import now. */
    private static boolean copyRunning(Connection pg) throws java.sql.SQLException {
        return !rows(pg, "SELECT 1 FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'COPY (SELECT%'").isEmpty();
    }

    private void cancelAndCheck(Connection duck, List<String> originals, FederationTesting.Switch cancel,
                                CompletableFuture<Attachment> attach) throws Exception {
        long cancelledAt = System.nanoTime();
        cancel.cancel();
        await().atMost(Duration.ofSeconds(5)).until(attach::isDone);
        long stoppedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelledAt);
        assertThat(stoppedMillis).isLessThan(2_000);
        try {
            attach.get();
            throw new AssertionError("the attach finished although it was cancelled");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(FederationException.class);
            assertThat(((FederationException) e.getCause()).code()).isEqualTo(MessageCode.QUERY_CANCELLED);
        }
        assertThat(databases(duck)).isEqualTo(originals);
        assertThat(files(scratch)).isEmpty();
    }

    @Test
    void theWholeLargeTableIsImportedWhenNotCancelled() throws Exception {
        Federation federation = new Federation(FederationSettings.of(FederationMode.IMPORT),
                new SqlitePaths(List.of(sources.sqliteDir)));
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            AttachTarget pg = new AttachTarget("bigdb", sources.postgres("pg", "analytics"), FederationSources.PASSWORD);
            String sql = "SELECT count(*), sum(b.id) FROM bigdb.big b WHERE b.id > 1500000";
            try (Attachment a = federation.attach(duck, scratch, List.of(pg), sql, new FederationTesting.Switch())) {
                assertThat(((AttachedDatabases) a).importMethods()).containsEntry("bigdb.main.big", "copy");
                assertThat(rows(duck, sql)).containsExactly("500000|875000250000");
                assertThat(a.importedRows()).isEqualTo(500_000);
            }
            assertThat(files(scratch)).isEmpty();
        }
    }
}
