package io.sluice.datasource;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.sluice.datasource.DatasourceFixture.closedPort;
import static io.sluice.datasource.DatasourceFixture.network;
import static io.sluice.datasource.DatasourceFixture.sqlite;
import static io.sluice.datasource.DatasourceFixture.sqliteFile;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The datasource registry through the real HTTP server: its routes, who sees and changes what, the
 * SQLite directory rule, bad input, and that no password ever leaves the server.
 */
class DatasourceApiTest {

    @TempDir
    static Path dir;
    static DatasourceFixture fx;

    @BeforeAll
    static void start() {
        fx = new DatasourceFixture(dir);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void aSqliteDatasourceIsCreatedListedShownReplacedTestedAndDeleted() {
        Path file = sqliteFile(fx.sqliteDir.resolve("crud.db"));
        Response created = fx.alice.post("/api/datasources", sqlite("crud-db", file.toString()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.messageCode()).isEqualTo("DATASOURCE_CREATED");
        assertThat(created.data().path("id").asText()).isEqualTo("crud-db");
        assertThat(created.data().path("type").asText()).isEqualTo("sqlite");
        assertThat(created.data().path("owner").asText()).isEqualTo("alice@example.com");
        assertThat(created.data().path("shared").asBoolean()).isFalse();
        assertThat(created.data().path("params").path("path").asText()).isEqualTo(file.toString());
        assertThat(created.data().path("createdAt").asText()).endsWith("Z");

        assertThat(fx.alice.get("/api/datasources/crud-db").data().path("type").asText()).isEqualTo("sqlite");
        assertThat(ids(fx.alice.get("/api/datasources"))).contains("crud-db");
        assertThat(fx.alice.post("/api/datasources", sqlite("crud-db", file.toString())).errorCode())
                .isEqualTo("CONNECTION_EXISTS");

        Response tested = fx.alice.post("/api/datasources/crud-db/test");
        assertThat(tested.status()).as(tested.toString()).isEqualTo(200);
        assertThat(tested.messageCode()).isEqualTo("CONNECTION_TEST_SUCCEEDED");
        assertThat(tested.data().path("ok").asBoolean()).isTrue();

        Path other = fx.sqliteDir.resolve("missing.db");
        Response replaced = fx.alice.put("/api/datasources/crud-db", sqlite(null, other.toString()));
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(replaced.data().path("params").path("path").asText()).isEqualTo(other.toString());
        Response missing = fx.alice.post("/api/datasources/crud-db/test");
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.errorCode()).isEqualTo("ATTACH_FAILED");
        assertThat(missing.json().path("error").path("details").path("reason").asText()).contains("does not exist");

        Response deleted = fx.alice.delete("/api/datasources/crud-db");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.messageCode()).isEqualTo("DATASOURCE_DELETED");
        assertThat(fx.alice.get("/api/datasources/crud-db").status()).isEqualTo(404);
        assertThat(fx.alice.delete("/api/datasources/crud-db").errorCode()).isEqualTo("CONNECTION_NOT_FOUND");
    }

    @Test
    void anotherUsersDatasourceIsNotFoundOnEveryRoute() {
        Path file = sqliteFile(fx.sqliteDir.resolve("alice-only.db"));
        assertThat(fx.alice.post("/api/datasources", sqlite("alice-only", file.toString())).status()).isEqualTo(201);

        for (Response r : List.of(fx.bob.get("/api/datasources/alice-only"),
                fx.bob.put("/api/datasources/alice-only", sqlite(null, file.toString())),
                fx.bob.delete("/api/datasources/alice-only"), fx.bob.post("/api/datasources/alice-only/test"))) {
            assertThat(r.status()).as(r.toString()).isEqualTo(404);
            assertThat(r.errorCode()).isEqualTo("CONNECTION_NOT_FOUND");
        }
        assertThat(ids(fx.bob.get("/api/datasources"))).doesNotContain("alice-only");
        // Bob may use the same id for his own: ids belong to their owner.
        assertThat(fx.bob.post("/api/datasources", sqlite("alice-only", file.toString())).status()).isEqualTo(201);
        assertThat(fx.alice.get("/api/datasources/alice-only").data().path("owner").asText()).isEqualTo("alice@example.com");
        assertThat(fx.bob.get("/api/datasources/alice-only").data().path("owner").asText()).isEqualTo("bob@example.com");
    }

    @Test
    void onlyAdminsShareAndASharedDatasourceIsUsedByAllButChangedOnlyByItsOwnerOrAnAdmin() {
        Path file = sqliteFile(fx.sqliteDir.resolve("team.db"));
        Map<String, Object> shared = new java.util.LinkedHashMap<>(sqlite("team-db", file.toString()));
        shared.put("shared", true);
        Response refused = fx.alice.post("/api/datasources", shared);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errorCode()).isEqualTo("ACCESS_DENIED");
        assertThat(fx.alice.get("/api/datasources/team-db").status()).isEqualTo(404);

        assertThat(fx.admin.post("/api/datasources", shared).status()).isEqualTo(201);
        for (ApiClient user : List.of(fx.alice, fx.bob)) {
            assertThat(ids(user.get("/api/datasources"))).contains("team-db");
            assertThat(user.get("/api/datasources/team-db").data().path("shared").asBoolean()).isTrue();
            assertThat(user.post("/api/datasources/team-db/test").status()).isEqualTo(200);
            assertThat(user.put("/api/datasources/team-db", sqlite(null, file.toString())).status()).isEqualTo(403);
            assertThat(user.delete("/api/datasources/team-db").status()).isEqualTo(403);
            // The shared id is taken for everyone.
            assertThat(user.post("/api/datasources", sqlite("team-db", file.toString())).errorCode())
                    .isEqualTo("CONNECTION_EXISTS");
        }
        // A user cannot turn their own datasource into a shared one either.
        assertThat(fx.bob.post("/api/datasources", sqlite("bob-private", file.toString())).status()).isEqualTo(201);
        Map<String, Object> share = new java.util.LinkedHashMap<>(sqlite(null, file.toString()));
        share.put("shared", true);
        assertThat(fx.bob.put("/api/datasources/bob-private", share).status()).isEqualTo(403);

        Map<String, Object> unshare = new java.util.LinkedHashMap<>(sqlite(null, file.toString()));
        unshare.put("shared", false);
        assertThat(fx.admin.put("/api/datasources/team-db", unshare).data().path("shared").asBoolean()).isFalse();
        assertThat(fx.bob.get("/api/datasources/team-db").status()).isEqualTo(404);
        assertThat(fx.admin.delete("/api/datasources/team-db").status()).isEqualTo(200);
    }

    @Test
    void noPasswordLeavesTheServerInAnswersLogsOrTheStoredRow() throws Exception {
        String password = "Pw-that-must-never-show-7c1e";
        String replacement = "Second-pw-never-shown-91ab";
        int port = closedPort();
        List<Response> answers = new ArrayList<>();
        try (LogCapture log = LogCapture.start()) {
            DatasourceFixture.verbosely(() -> {
                answers.add(fx.alice.post("/api/datasources",
                        network("pg-secret", "postgresql", "127.0.0.1", port, "analytics", "analyst", password)));
                answers.add(fx.alice.get("/api/datasources"));
                answers.add(fx.alice.get("/api/datasources/pg-secret"));
                answers.add(fx.alice.post("/api/datasources/pg-secret/test"));
                answers.add(fx.alice.put("/api/datasources/pg-secret",
                        network(null, "mysql", "127.0.0.1", port, "analytics", "analyst", replacement)));
                answers.add(fx.alice.post("/api/datasources/pg-secret/test"));
                answers.add(fx.alice.get("/api/config"));
                // A body that fails validation after the password was read does not repeat it either.
                answers.add(fx.alice.put("/api/datasources/pg-secret",
                        network(null, "mysql", "127.0.0.1", 70000, "analytics", "analyst", password)));
            });
            List<String> logged = log.events().stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(String.join("\n", logged)).doesNotContain(password).doesNotContain(replacement);
            assertThat(log.events()).allSatisfy(e -> assertThat(String.valueOf(e.getThrowableProxy() == null ? ""
                    : e.getThrowableProxy().getMessage())).doesNotContain(password).doesNotContain(replacement));
        }
        assertThat(answers.get(0).status()).as(answers.get(0).toString()).isEqualTo(201);
        assertThat(answers.get(0).data().path("hasPassword").asBoolean()).isTrue();
        assertThat(answers.get(3).errorCode()).isEqualTo("CONNECTION_TIMEOUT");
        assertThat(answers.get(4).status()).isEqualTo(200);
        assertThat(answers.get(5).errorCode()).isEqualTo("CONNECTION_TIMEOUT");
        assertThat(answers.get(7).status()).isEqualTo(400);
        for (Response r : answers) {
            assertThat(r.text()).doesNotContain(password).doesNotContain(replacement).doesNotContain(fx.key);
            assertThat(r.text()).doesNotContain("password_sealed").doesNotContain("v1:");
        }
        assertThat(answers.get(2).data().path("params").has("password")).isFalse();

        // The stored row, read with plain JDBC: the password is sealed, not readable.
        try (Connection c = DriverManager.getConnection(fx.server.config().store().url(), "sa", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM datasources WHERE id = 'pg-secret'")) {
            assertThat(rs.next()).isTrue();
            StringBuilder row = new StringBuilder();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                row.append(rs.getString(i)).append('|');
            }
            assertThat(row.toString()).doesNotContain(replacement).doesNotContain(password)
                    .contains("v1:").contains("analyst");
        }
    }

    @Test
    void sqliteFilesOutsideTheAllowedDirectoriesAreRefused() throws Exception {
        Path outside = sqliteFile(dir.resolve("outside.db"));
        Path link = Files.createSymbolicLink(fx.sqliteDir.resolve("link.db"), outside);
        Path linkedDir = Files.createSymbolicLink(fx.sqliteDir.resolve("elsewhere"), dir);
        for (String path : List.of(outside.toString(), fx.sqliteDir + "/../outside.db", link.toString(),
                linkedDir + "/outside.db", "relative/file.db", fx.sqliteDir.toString(), "/etc/passwd")) {
            Response r = fx.alice.post("/api/datasources", sqlite("escape", path));
            assertThat(r.status()).as(path + ": " + r).isEqualTo(400);
            assertThat(r.errorCode()).isEqualTo("PATH_NOT_ALLOWED");
        }
        assertThat(fx.alice.get("/api/datasources/escape").status()).isEqualTo(404);

        // A link replaced after the datasource was saved is caught when it is used.
        Path file = sqliteFile(fx.sqliteDir.resolve("real.db"));
        Path moving = Files.createSymbolicLink(fx.sqliteDir.resolve("moving.db"), file);
        assertThat(fx.alice.post("/api/datasources", sqlite("moving", moving.toString())).status()).isEqualTo(201);
        assertThat(fx.alice.post("/api/datasources/moving/test").status()).isEqualTo(200);
        Files.delete(moving);
        Files.createSymbolicLink(moving, outside);
        Response r = fx.alice.post("/api/datasources/moving/test");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("PATH_NOT_ALLOWED");
    }

    @Test
    void badInputAnswers400InTheEnvelopeAndHostileIdsAreNotFound() {
        Map<String, String> badBodies = new java.util.LinkedHashMap<>();
        badBodies.put("{\"id\":\"x\",\"type\":\"oracle\",\"params\":{}}", "UNSUPPORTED_TYPE");
        badBodies.put("{\"id\":\"Bad Id\",\"type\":\"sqlite\",\"params\":{\"path\":\"/x\"}}", "INVALID_FIELD");
        badBodies.put("{\"id\":\"" + "a".repeat(65) + "\",\"type\":\"sqlite\",\"params\":{\"path\":\"/x\"}}", "INVALID_FIELD");
        badBodies.put("{\"id\":\"_x\",\"type\":\"sqlite\",\"params\":{\"path\":\"/x\"}}", "INVALID_FIELD");
        badBodies.put("{\"type\":\"sqlite\",\"params\":{\"path\":\"/x\"}}", "INVALID_FIELD");
        badBodies.put("{\"id\":\"x\",\"type\":\"sqlite\"}", "INVALID_FIELD");
        badBodies.put("{\"id\":\"x\",\"type\":\"sqlite\",\"params\":[]}", "INVALID_FIELD");
        badBodies.put("{\"id\":\"x\",\"type\":\"sqlite\",\"params\":{\"host\":\"h\"}}", "INVALID_FIELD");
        badBodies.put("{\"id\":\"x\",\"type\":\"postgresql\",\"params\":{\"host\":\"h\",\"database\":\"d\"}}", "INVALID_FIELD");
        badBodies.put("{\"id\":\"x\",\"type\":\"postgresql\",\"params\":{\"host\":\"h;x=1\",\"database\":\"d\",\"user\":\"u\"}}", "INVALID_FIELD");
        badBodies.put("{\"id\":\"x\",\"type\":\"postgresql\",\"params\":{\"host\":\"h\",\"database\":\"d?ssl=false\",\"user\":\"u\"}}", "INVALID_FIELD");
        badBodies.put("{\"id\":\"x\",\"type\":\"postgresql\",\"params\":{\"host\":\"h\",\"port\":\"5432\",\"database\":\"d\",\"user\":\"u\"}}", "INVALID_FIELD");
        badBodies.put("{\"id\":\"x\",\"type\":\"postgresql\",\"params\":{\"host\":\"h\",\"database\":\"d\",\"user\":\"u\",\"sslMode\":\"maybe\"}}", "INVALID_FIELD");
        badBodies.put("{\"id\":\"x\",\"type\":\"sqlite\",\"params\":{\"path\":\"/x\"},\"shared\":\"yes\"}", "INVALID_FIELD");
        badBodies.put("{\"id\":\"x\",\"type\":\"sqlite\",\"params\":{\"path\":\"/x\"},\"owner\":\"bob@example.com\"}", "INVALID_FIELD");
        badBodies.put("{\"id\":\"x\",", "INVALID_JSON");
        badBodies.put("[1,2]", "INVALID_JSON");
        badBodies.forEach((body, code) -> {
            Response r = fx.alice.post("/api/datasources", body);
            assertThat(r.status()).as(body + " → " + r).isEqualTo(400);
            assertThat(r.errorCode()).as(body).isEqualTo(code);
            assertThat(r.json().path("success").asBoolean()).isFalse();
        });
        assertThat(fx.alice.put("/api/datasources/x", "{\"type\":\"mysql\",\"params\":{}}").status()).isEqualTo(400);
        assertThat(fx.alice.put("/api/datasources/never-made", sqlite(null, fx.sqliteDir.resolve("n.db").toString()))
                .errorCode()).isEqualTo("CONNECTION_NOT_FOUND");

        for (String id : List.of("..%2F..%2Fetc%2Fpasswd", "%27%20OR%20%271%27%3D%271", "a".repeat(5000), "UPPER",
                "%00", "%2e%2e", "x%22y")) {
            // Each on a connection of its own: the server may close one after refusing a hostile target.
            for (Response r : List.of(alone().get("/api/datasources/" + id), alone().delete("/api/datasources/" + id),
                    alone().post("/api/datasources/" + id + "/test"))) {
                assertThat(r.status()).as(id.substring(0, Math.min(40, id.length())) + " → " + r).isIn(400, 404, 414);
                assertThat(r.json()).isNotNull();
                assertThat(r.json().path("success").asBoolean()).isFalse();
            }
        }
        ApiClient fresh = alone();
        Response dots = fresh.send(fresh.request("/api/datasources/../datasources/x").GET());
        assertThat(dots.status()).isIn(400, 404);
    }

    @Test
    void theConfigurationShowsDatasourcesWithoutTheKey() {
        Response config = fx.alice.get("/api/config");
        assertThat(config.data().path("datasources").path("enabled").asBoolean()).isTrue();
        assertThat(config.data().path("datasources").path("connectTimeoutSeconds").asInt()).isEqualTo(5);
        assertThat(config.text()).doesNotContain(fx.key);
        assertThat(fx.server.config().toString()).doesNotContain(fx.key);
    }

    /** Alice's client on a new connection. */
    private static ApiClient alone() {
        return new ApiClient(fx.alice.base(), Map.of("X-Sluice-Proxy-Secret", DatasourceFixture.SECRET,
                "X-Email", "alice@example.com"));
    }

    private static List<String> ids(Response list) {
        List<String> ids = new ArrayList<>();
        list.data().path("items").forEach(i -> ids.add(i.path("id").asText()));
        return ids;
    }
}
