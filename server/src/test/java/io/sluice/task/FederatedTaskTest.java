package io.sluice.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.EmbeddedDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.sluice.task.TaskFixture.awaitEnd;
import static io.sluice.task.TaskFixture.awaitState;
import static io.sluice.task.TaskFixture.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Federated tasks end to end on real databases: a PostgreSQL table (in a schema of its own), a
 * MariaDB table and a SQLite table joined with a workspace table in one task, and in one
 * synchronous query; a cancel while importing stops promptly; an unreachable database fails the
 * task with its code; every time, nothing stays attached and no import file is left.
 */
class FederatedTaskTest {

    @TempDir
    static Path dir;
    static TaskFixture fx;
    static EmbeddedDatabases.Postgres postgres;
    static EmbeddedDatabases.MariaDb mariaDb;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedDatabases.postgres();
        EmbeddedDatabases.Store pg = postgres.createDatabase();
        try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password()); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA sales");
            s.execute("CREATE TABLE sales.orders (id int, customer_id int, amount numeric(12,2), note text)");
            s.execute("INSERT INTO sales.orders VALUES (1, 1, 10.50, 'a'), (2, 1, 99.99, NULL), (3, 2, 5.00, 'x'), "
                    + "(4, 3, 1234567890.12, 'big'), (5, 2, 20.00, 'é''\"')");
            s.execute("CREATE TABLE big AS SELECT g AS id, md5(g::text) AS payload FROM generate_series(1, 3000000) g");
        }
        mariaDb = EmbeddedDatabases.mariaDb();
        EmbeddedDatabases.Store my = mariaDb.createDatabase();
        try (Connection c = DriverManager.getConnection(my.url(), my.user(), my.password()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customers (id INT, name VARCHAR(50), region VARCHAR(10)) CHARACTER SET utf8mb4");
            s.execute("INSERT INTO customers VALUES (1, 'Ann', 'eu'), (2, 'Bo', 'us'), (3, '李雷', 'eu')");
        }
        fx = new TaskFixture(dir);
        Path lite = fx.sqliteDir.resolve("regions.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + lite); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE regions (code TEXT, label TEXT)");
            s.execute("INSERT INTO regions VALUES ('eu', 'Europe'), ('us', 'United States')");
        }
        create("pg-sales", network("postgresql", "127.0.0.1", postgres.port(), database(pg.url()), pg.user()));
        create("my-crm", network("mysql", "127.0.0.1", port(my.url()), database(my.url()), my.user()));
        create("lite-regions", Map.of("type", "sqlite", "params", Map.of("path", lite.toString())));
        create("pg-closed", network("postgresql", "127.0.0.1", closedPort(), "nowhere", "postgres"));
    }

    @AfterAll
    static void stop() {
        fx.close();
        postgres.close();
        mariaDb.close();
    }

    static final String JOIN = """
            SELECT c.name, r.label, sum(o.amount) AS total, any_value(t.rate) AS rate
            FROM pg.sales.orders o
            JOIN my.customers c ON c.id = o.customer_id
            JOIN lite.regions r ON r.code = c.region
            JOIN workspace.tax_rates t ON t.code = r.code
            WHERE o.amount > 6
            GROUP BY c.name, r.label ORDER BY c.name""";

    static final List<Map<String, Object>> ATTACH = List.of(
            attach("pg", "pg-sales"), attach("my", "my-crm"), attach("lite", "lite-regions"));

    @Test
    void aTaskJoinsPostgresMariaDbSqliteAndWorkspaceData() {
        ensureTaxRates();
        String id = submit(fx.alice, Map.of("sql", JOIN, "custom_table_name", "spend", "attach_databases", ATTACH));
        JsonNode task = awaitEnd(fx.alice, id);
        assertThat(task.path("state").asText()).as(task.toString()).isEqualTo("SUCCEEDED");
        JsonNode info = task.path("result_info");
        assertThat(info.path("is_federated").asBoolean()).isTrue();
        assertThat(info.path("attached_databases").toString()).isEqualTo("[\"pg\",\"my\",\"lite\"]");
        assertThat(info.path("row_count").asLong()).isEqualTo(3);
        assertThat(task.path("metadata").path("attach_databases").toString())
                .isEqualTo("[{\"alias\":\"pg\",\"connection_id\":\"pg-sales\"},{\"alias\":\"my\",\"connection_id\":\"my-crm\"},"
                        + "{\"alias\":\"lite\",\"connection_id\":\"lite-regions\"}]");

        ApiClient.Response rows = fx.alice.post("/api/duckdb/query",
                Map.of("sql", "SELECT name, label, CAST(total AS VARCHAR), rate FROM workspace.spend ORDER BY name"));
        assertThat(rows.status()).as(rows.toString()).isEqualTo(200);
        assertThat(rows.data().path("rows").toString()).isEqualTo(
                "[[\"Ann\",\"Europe\",\"110.49\",\"0.2\"],[\"Bo\",\"United States\",\"20.00\",\"0.1\"],"
                        + "[\"李雷\",\"Europe\",\"1234567890.12\",\"0.2\"]]");
        assertNothingAttached();
    }

    @Test
    void aSynchronousQueryAttachesTheSameWayAndLeavesNoTable() {
        ensureTaxRates();
        List<String> before = tableNames();
        ApiClient.Response r = fx.alice.post("/api/duckdb/query", Map.of("sql", JOIN, "attach_databases", ATTACH));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.data().path("totalRows").asLong()).isEqualTo(3);
        assertThat(r.data().path("rows").get(0).get(0).asText()).isEqualTo("Ann");
        assertThat(r.data().path("rows").get(2).get(0).asText()).isEqualTo("李雷");
        await().atMost(Duration.ofSeconds(10)).until(() -> tableNames().equals(before));
        assertNothingAttached();

        ApiClient.Response unknown = fx.alice.post("/api/duckdb/query", Map.of("sql", "SELECT 1",
                "attach_databases", List.of(attach("x", "no-such"))));
        assertThat(unknown.errorCode()).isEqualTo("CONNECTION_NOT_FOUND");
        ApiClient.Response unreachable = fx.alice.post("/api/duckdb/query", Map.of("sql", "SELECT * FROM pg.t",
                "attach_databases", List.of(attach("pg", "pg-closed"))));
        assertThat(unreachable.status()).as(unreachable.toString()).isEqualTo(422);
        assertThat(unreachable.errorCode()).isEqualTo("CONNECTION_TIMEOUT");
    }

    @Test
    void aSynchronousFederatedQueryIsCancelledByItsRequestId() throws Exception {
        java.util.concurrent.CompletableFuture<ApiClient.Response> waiting = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> fx.alice.post("/api/duckdb/query", Map.of("request_id", "fed-cancel-1",
                        "sql", "SELECT count(*) FROM lite.regions, range(100000000000)",
                        "attach_databases", List.of(attach("lite", "lite-regions")))));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                fx.alice.get("/api/async_tasks?state=RUNNING").data().path("items").size() > 0);
        ApiClient.Response cancel = fx.alice.post("/api/query/cancel/fed-cancel-1");
        assertThat(cancel.status()).as(cancel.toString()).isEqualTo(200);
        assertThat(cancel.messageCode()).isEqualTo("QUERY_CANCELLED");
        ApiClient.Response answered = waiting.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(answered.status()).as(answered.toString()).isEqualTo(499);
        assertThat(fx.bob.post("/api/query/cancel/fed-cancel-1").status()).isEqualTo(404);
        assertNothingAttached();
    }

    @Test
    void aCancelWhileImportingStopsPromptlyAndDetachesEverything() {
        String id = submit(fx.alice, Map.of("sql", "SELECT count(*) AS n, max(payload) AS m FROM pg.public.big",
                "attach_databases", List.of(attach("lite", "lite-regions"), attach("pg", "pg-sales"))));
        awaitState(fx.alice, id, "RUNNING");
        long asked = System.nanoTime();
        assertThat(fx.alice.post("/api/async_tasks/" + id + "/cancel").status()).isEqualTo(200);
        JsonNode ended = awaitEnd(fx.alice, id);
        assertThat(ended.path("state").asText()).as(ended.toString()).isEqualTo("CANCELLED");
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(10));
        assertNothingAttached();
    }

    @Test
    void anUnreachableDatabaseFailsTheTaskWithItsCodeAndRollsBackTheOthers() {
        String id = submit(fx.alice, Map.of("sql", "SELECT * FROM lite.regions",
                "attach_databases", List.of(attach("lite", "lite-regions"), attach("pg", "pg-closed"))));
        JsonNode ended = awaitEnd(fx.alice, id);
        assertThat(ended.path("state").asText()).isEqualTo("FAILED");
        assertThat(ended.path("error").path("code").asText()).isEqualTo("CONNECTION_TIMEOUT");
        assertThat(ended.path("error").path("details").path("alias").asText()).isEqualTo("pg");
        assertNothingAttached();

        ApiClient.Response retry = fx.alice.post("/api/async_tasks/" + id + "/retry",
                Map.of("attach_databases", List.of(attach("lite", "lite-regions"), attach("pg", "pg-sales"))));
        JsonNode second = awaitEnd(fx.alice, retry.data().path("task_id").asText());
        assertThat(second.path("state").asText()).as(second.toString()).isEqualTo("SUCCEEDED");
        assertThat(second.path("result_info").path("row_count").asLong()).isEqualTo(2);
    }

    @Test
    void anotherUserCannotAttachSomeoneElsesDatasource() {
        ApiClient.Response r = fx.bob.post("/api/async_query", Map.of("sql", "SELECT * FROM pg.sales.orders",
                "attach_databases", List.of(attach("pg", "pg-sales"))));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errorCode()).isEqualTo("CONNECTION_NOT_FOUND");
    }

    /** The caller's workspace has only its own catalogs attached, and its scratch folder no import file. */
    static void assertNothingAttached() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            ApiClient.Response r = fx.alice.post("/api/duckdb/query",
                    Map.of("sql", "SELECT database_name FROM duckdb_databases() ORDER BY 1"));
            List<String> names = new ArrayList<>();
            r.data().path("rows").forEach(row -> names.add(row.get(0).asText()));
            assertThat(names).containsExactlyInAnyOrder("sluice", "system", "temp", "workspace");
            try (Stream<Path> files = Files.walk(fx.dir.resolve("data/workspaces"))) {
                assertThat(files.filter(p -> p.getParent().getFileName().toString().equals("scratch")).toList()).isEmpty();
            }
        });
    }

    static void ensureTaxRates() {
        if (!tableNames().contains("tax_rates")) {
            String id = submit(fx.alice, Map.of("sql", "SELECT * FROM (VALUES ('eu', 0.2), ('us', 0.1)) AS t(code, rate)",
                    "custom_table_name", "tax_rates"));
            JsonNode t = awaitEnd(fx.alice, id);
            assertThat(t.path("state").asText()).as(t.toString()).isIn("SUCCEEDED", "FAILED");
        }
    }

    static List<String> tableNames() {
        return fx.alice.get("/api/workspace/tables").data().path("items").findValuesAsText("name");
    }

    static Map<String, Object> attach(String alias, String connectionId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alias", alias);
        m.put("connection_id", connectionId);
        return m;
    }

    static void create(String id, Map<String, Object> body) {
        Map<String, Object> b = new LinkedHashMap<>(body);
        b.put("id", id);
        ApiClient.Response r = fx.alice.post("/api/datasources", b);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    static Map<String, Object> network(String type, String host, int port, String database, String user) {
        return Map.of("type", type, "params", Map.of("host", host, "port", port, "database", database, "user", user));
    }

    static String database(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    static int port(String url) {
        String hostPort = url.substring(url.indexOf("//") + 2, url.lastIndexOf('/'));
        return Integer.parseInt(hostPort.substring(hostPort.indexOf(':') + 1));
    }

    static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
