package io.sluice.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testing.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static io.sluice.task.TaskFixture.awaitEnd;
import static io.sluice.task.TaskFixture.submit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code federation.mode} in locked workspaces, where DuckDB loads no extension: {@code auto}
 * imports, {@code native} fails the task with UNSUPPORTED_TYPE saying why, and nothing stays attached.
 */
class FederationModeTaskTest {

    @TempDir
    Path dir;

    @Test
    void autoImportsAndNativeSaysWhyItCannotAttach() throws Exception {
        for (String mode : List.of("auto", "native")) {
            Path folder = dir.resolve(mode);
            try (TaskFixture fx = new TaskFixture(folder, TaskFixture.randomKey(), mode)) {
                Path lite = fx.sqliteDir.resolve("items.db");
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + lite); Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE items (id INTEGER)");
                    s.execute("INSERT INTO items VALUES (1), (2)");
                }
                ApiClient.Response created = fx.alice.post("/api/datasources", Map.of("id", "lite", "type", "sqlite",
                        "params", Map.of("path", lite.toString())));
                assertThat(created.status()).as(created.toString()).isEqualTo(201);
                String id = submit(fx.alice, Map.of("sql", "SELECT count(*) AS n FROM l.items",
                        "attach_databases", List.of(Map.of("alias", "l", "connection_id", "lite"))));
                JsonNode task = awaitEnd(fx.alice, id);
                if (mode.equals("auto")) {
                    assertThat(task.path("state").asText()).as(task.toString()).isEqualTo("SUCCEEDED");
                    assertThat(task.path("result_info").path("row_count").asLong()).isEqualTo(1);
                } else {
                    assertThat(task.path("state").asText()).as(task.toString()).isEqualTo("FAILED");
                    assertThat(task.path("error").path("code").asText()).isEqualTo("UNSUPPORTED_TYPE");
                    assertThat(task.path("error").path("details").path("alias").asText()).isEqualTo("l");
                    assertThat(task.path("error").path("details").path("reason").asText()).isNotBlank();
                }
                ApiClient.Response dbs = fx.alice.post("/api/duckdb/query",
                        Map.of("sql", "SELECT count(*) FROM duckdb_databases() WHERE database_name = 'l'"));
                assertThat(dbs.data().path("rows").get(0).get(0).asLong()).isZero();
            }
        }
    }
}
