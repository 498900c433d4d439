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
 * import promptly, and nothing stays attached and no import file remains.
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
    void aCancelDuringTheImportOfALargeTableStopsItPromptlyAndLeavesNothing() throws Exception {
        Federation federation = new Federation(new FederationSettings(FederationMode.IMPORT, Optional.empty(),
                Duration.ofSeconds(10), 1_000), new SqlitePaths(List.of(sources.sqliteDir)));
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
    }

    @Test
    void theWholeLargeTableIsImportedWhenNotCancelled() throws Exception {
        Federation federation = new Federation(FederationSettings.of(FederationMode.IMPORT),
                new SqlitePaths(List.of(sources.sqliteDir)));
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            AttachTarget pg = new AttachTarget("bigdb", sources.postgres("pg", "analytics"), FederationSources.PASSWORD);
            String sql = "SELECT count(*), sum(b.id) FROM bigdb.big b WHERE b.id > 1500000";
            try (Attachment a = federation.attach(duck, scratch, List.of(pg), sql, new FederationTesting.Switch())) {
                assertThat(rows(duck, sql)).containsExactly("500000|875000250000");
                assertThat(a.importedRows()).isEqualTo(500_000);
            }
            assertThat(files(scratch)).isEmpty();
        }
    }
}
