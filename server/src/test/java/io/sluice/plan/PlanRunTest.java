package io.sluice.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.AthenaFixture;
import io.sluice.testing.EmbeddedDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Plans end to end on real parts: an Athena step through the stand-in (real AWS SDK), a relational
 * step on an embedded PostgreSQL bound to the Athena step's column, a Parquet file (written by
 * DuckDB) read from the stand-in's S3, and a local join; a cancel mid-plan stops the Athena query;
 * a failed step names itself; owners see only their plans.
 */
class PlanRunTest {

    static final String SECRET = "proxy-secret-0123456789";
    static final String BASELINES = "analytics-baselines";

    @TempDir
    static Path dir;
    static AthenaFixture fx;
    static EmbeddedDatabases.Postgres postgres;
    static ApiClient alice;
    static ApiClient bob;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedDatabases.postgres();
        EmbeddedDatabases.Store pg = postgres.createDatabase();
        try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE accounts (account_id text, region text)");
            s.execute("INSERT INTO accounts VALUES ('acc-1', 'eu'), ('acc-2', 'us'), ('acc-3', 'eu'), ('acc-9', 'us')");
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        fx = AthenaFixture.start(dir, root -> {
            ObjectNode auth = root.putObject("auth").put("enabled", true).put("proxySecret", SECRET);
            auth.putArray("trustedProxies").add("10.255.255.0/24");
            root.putObject("datasources").put("encryptionKey", Base64.getEncoder().encodeToString(key))
                    .put("connectTimeoutSeconds", 5);
            root.putObject("plans").put("maxSteps", 5).put("directory", dir.resolve("plans").toString());
        });
        fx.standIn().execute("""
                CREATE TABLE analytics.week_events AS
                  SELECT * FROM (VALUES ('acc-1', 'Login'), ('acc-1', 'Login'), ('acc-2', 'Deposit'), ('acc-3', 'Login'))
                  AS t(account_id, event_type)""");
        ApiClient proxied = fx.api().with("X-Sluice-Proxy-Secret", SECRET);
        alice = proxied.with("X-Email", "alice@example.com");
        bob = proxied.with("X-Email", "bob@example.com");
        ApiClient.Response created = alice.post("/api/datasources", Map.of("id", "crm", "type", "postgresql",
                "params", Map.of("host", "127.0.0.1", "port", postgres.port(),
                        "database", pg.url().substring(pg.url().lastIndexOf('/') + 1), "user", pg.user())));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        Path parquet = dir.resolve("baseline.parquet");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement()) {
            s.execute("COPY (SELECT * FROM (VALUES ('acc-1', 1), ('acc-2', 4), ('acc-3', 1)) AS t(account_id, baseline_events))"
                    + " TO '" + parquet + "' (FORMAT parquet)");
        }
        fx.standIn().createBucket(BASELINES);
        fx.s3Client().putObject(r -> r.bucket(BASELINES).key("baselines/week.parquet"), RequestBody.fromFile(parquet));
    }

    @AfterEach
    void release() {
        fx.standIn().faults().releaseHeld();
        fx.standIn().faults().reset();
    }

    @AfterAll
    static void stop() {
        fx.close();
        postgres.close();
    }

    static Map<String, Object> step(String id, String type, Object... fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("type", type);
        for (int i = 0; i < fields.length; i += 2) {
            m.put((String) fields[i], fields[i + 1]);
        }
        return m;
    }

    static String submit(ApiClient client, Map<String, Object> body) {
        ApiClient.Response r = client.post("/api/plans", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        assertThat(r.messageCode()).isEqualTo("PLAN_SUBMITTED");
        return r.data().path("planId").asText();
    }

    static JsonNode awaitEnd(String id) {
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .until(() -> alice.get("/api/plans/" + id).data(), d -> d.path("state").asText().matches("SUCCEEDED|FAILED|CANCELLED"));
    }

    static JsonNode step(JsonNode plan, String id) {
        for (JsonNode s : plan.path("steps")) {
            if (s.path("id").asText().equals(id)) {
                return s;
            }
        }
        throw new AssertionError("no step " + id + " in " + plan);
    }

    static List<List<String>> rows(JsonNode page) {
        List<List<String>> out = new ArrayList<>();
        for (JsonNode row : page.path("rows")) {
            List<String> values = new ArrayList<>();
            row.forEach(v -> values.add(v.isNull() ? null : v.asText()));
            out.add(values);
        }
        return out;
    }

    @Test
    void temporalBaselineComparisonGivesTheJoinedRows() {
        String id = submit(alice, Map.of("name", "temporal baseline comparison", "steps", List.of(
                step("week", "AthenaQuery", "sql", "SELECT account_id, count(*) AS events FROM week_events "
                        + "GROUP BY account_id", "max_scan_gb", 5.0),
                step("accounts", "RelationalQuery", "datasource", "crm",
                        "sql", "SELECT account_id, region FROM accounts WHERE account_id = ANY($1)",
                        "bind", Map.of("$1", Map.of("ref", "week", "field", "account_id"))),
                step("baseline", "S3ParquetRead", "bucket", BASELINES, "key", "baselines/week.parquet"),
                step("compare", "LocalQuery", "sql", """
                        SELECT w.account_id, a.region, w.events, b.baseline_events,
                               w.events - b.baseline_events AS change
                        FROM week w JOIN accounts a ON a.account_id = w.account_id
                        JOIN baseline b ON b.account_id = w.account_id
                        ORDER BY w.account_id"""))));
        JsonNode plan = awaitEnd(id);
        assertThat(plan.path("state").asText()).as(plan.toString()).isEqualTo("SUCCEEDED");
        assertThat(plan.path("name").asText()).isEqualTo("temporal baseline comparison");
        JsonNode week = step(plan, "week");
        assertThat(week.path("queryId").asText()).isNotEmpty();
        assertThat(week.path("rows").asLong()).isEqualTo(3);
        assertThat(step(plan, "accounts").path("rows").asLong()).isEqualTo(3); // acc-9 was not bound
        assertThat(step(plan, "baseline").path("rows").asLong()).isEqualTo(3);

        // The Athena step is a real query of the owner's, in their history with its cost.
        ApiClient.Response query = alice.get("/api/query/" + week.path("queryId").asText() + "/status");
        assertThat(query.data().path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(query.data().path("engine").asText()).isEqualTo("athena");

        ApiClient.Response page = alice.get("/api/plans/" + id + "/results");
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.data().path("columns").toString())
                .contains("account_id", "region", "events", "baseline_events", "change");
        assertThat(rows(page.data())).containsExactly(
                List.of("acc-1", "eu", "2", "1", "1"),
                List.of("acc-2", "us", "1", "4", "-3"),
                List.of("acc-3", "eu", "1", "1", "0"));
        ApiClient.Response second = alice.get("/api/plans/" + id + "/results?limit=1&offset=2");
        assertThat(rows(second.data())).containsExactly(List.of("acc-3", "eu", "1", "1", "0"));

        ApiClient.Response link = alice.get("/api/plans/" + id + "/download?format=csv");
        assertThat(link.status()).as(link.toString()).isEqualTo(200);
        ApiClient.Response file = alice.get(link.data().path("url").asText());
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.text()).contains("acc-2").contains("-3");

        // Owner-scoped: bob does not see it.
        for (String path : List.of("", "/results", "/download")) {
            ApiClient.Response other = bob.get("/api/plans/" + id + path);
            assertThat(other.status()).as(path).isEqualTo(404);
            assertThat(other.errorCode()).isEqualTo("PLAN_NOT_FOUND");
        }
        assertThat(bob.post("/api/plans/" + id + "/cancel").errorCode()).isEqualTo("PLAN_NOT_FOUND");
        ApiClient.Response again = alice.post("/api/plans/" + id + "/cancel");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.errorCode()).isEqualTo("PLAN_ALREADY_FINISHED");
    }

    @Test
    void cancelMidPlanStopsTheAthenaQuery() {
        fx.standIn().faults().holdMatching("plan_hold_marker");
        long stopsBefore = fx.standIn().calls().count("StopQueryExecution");
        String id = submit(alice, Map.of("steps", List.of(
                step("slow", "AthenaQuery", "sql", "SELECT 'plan_hold_marker' AS marker"),
                step("fast", "LocalQuery", "sql", "SELECT 42 AS answer"),
                step("joined", "LocalQuery", "sql", "SELECT * FROM slow, fast"))));
        String execution = fx.executionId("plan_hold_marker");
        await().atMost(Duration.ofSeconds(30)).until(() -> step(alice.get("/api/plans/" + id).data(), "fast")
                .path("state").asText().equals("SUCCEEDED"));
        JsonNode running = alice.get("/api/plans/" + id).data();
        assertThat(step(running, "slow").path("state").asText()).isEqualTo("RUNNING");
        assertThat(step(running, "joined").path("state").asText()).isEqualTo("QUEUED");

        ApiClient.Response cancel = alice.post("/api/plans/" + id + "/cancel");
        assertThat(cancel.status()).as(cancel.toString()).isEqualTo(200);
        assertThat(cancel.messageCode()).isEqualTo("PLAN_CANCELLED");
        assertThat(cancel.data().path("state").asText()).isEqualTo("CANCELLED");

        await().atMost(Duration.ofSeconds(30)).until(() -> fx.standIn().calls().count("StopQueryExecution") > stopsBefore);
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.standIn().stateHistory(execution).contains("CANCELLED"));
        JsonNode ended = await().atMost(Duration.ofSeconds(30)).until(() -> alice.get("/api/plans/" + id).data(),
                d -> step(d, "slow").path("state").asText().equals("CANCELLED"));
        assertThat(ended.path("state").asText()).isEqualTo("CANCELLED");
        assertThat(step(ended, "joined").path("state").asText()).isEqualTo("CANCELLED");
        assertThat(step(ended, "fast").path("state").asText()).isEqualTo("SUCCEEDED");
        String queryId = step(ended, "slow").path("queryId").asText();
        assertThat(alice.get("/api/query/" + queryId + "/status").data().path("state").asText()).isEqualTo("CANCELLED");
        assertThat(alice.get("/api/plans/" + id + "/results").status()).isEqualTo(404);
    }

    @Test
    void aFailedStepFailsThePlanNamingTheStep() {
        String id = submit(alice, Map.of("steps", List.of(
                step("base", "LocalQuery", "sql", "SELECT 1 AS a"),
                step("broken", "LocalQuery", "sql", "SELECT no_such_column FROM base"),
                step("after", "LocalQuery", "sql", "SELECT * FROM broken"))));
        JsonNode plan = awaitEnd(id);
        assertThat(plan.path("state").asText()).isEqualTo("FAILED");
        assertThat(plan.path("error").path("code").asText()).isEqualTo("PLAN_STEP_FAILED");
        assertThat(plan.path("error").path("params").path("step").asText()).isEqualTo("broken");
        assertThat(plan.path("error").path("params").path("error").asText()).contains("no_such_column");
        assertThat(plan.path("error").path("message").asText()).contains("broken");
        assertThat(step(plan, "base").path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(step(plan, "broken").path("state").asText()).isEqualTo("FAILED");
        assertThat(step(plan, "after").path("state").asText()).isEqualTo("CANCELLED");
        assertThat(alice.get("/api/plans/" + id + "/results").status()).isEqualTo(404);
        assertThat(Files.exists(dir.resolve("plans").resolve(id))).isFalse();
    }

    @Test
    void aLocalQueryCannotReadServerFiles() {
        String id = submit(alice, Map.of("steps", List.of(
                step("leak", "LocalQuery", "sql", "SELECT * FROM read_csv('/etc/passwd')"))));
        JsonNode plan = awaitEnd(id);
        assertThat(plan.path("state").asText()).isEqualTo("FAILED");
        assertThat(plan.path("error").path("params").path("step").asText()).isEqualTo("leak");
    }

    @Test
    void aFailedAthenaQueryFailsItsStep() {
        String id = submit(alice, Map.of("steps", List.of(
                step("missing", "AthenaQuery", "sql", "SELECT * FROM no_such_table_here"))));
        JsonNode plan = awaitEnd(id);
        assertThat(plan.path("state").asText()).isEqualTo("FAILED");
        assertThat(plan.path("error").path("params").path("step").asText()).isEqualTo("missing");
        assertThat(step(plan, "missing").path("queryId").asText()).isNotEmpty();
    }

    @Test
    void theListShowsTheCallersPlansNewestFirst() {
        String first = submit(alice, Map.of("steps", List.of(step("one", "LocalQuery", "sql", "SELECT 1 AS x"))));
        awaitEnd(first); // a later creation time for the second
        String second = submit(alice, Map.of("steps", List.of(step("two", "LocalQuery", "sql", "SELECT 2 AS x"))));
        awaitEnd(second);
        ApiClient.Response list = alice.get("/api/plans?limit=2");
        assertThat(list.messageCode()).isEqualTo("PLAN_LIST");
        List<String> ids = new ArrayList<>();
        list.data().path("items").forEach(p -> ids.add(p.path("planId").asText()));
        assertThat(ids).containsExactly(second, first);
        bob.get("/api/plans").data().path("items").forEach(p ->
                assertThat(p.path("planId").asText()).isNotIn(first, second));
        assertThat(alice.get("/api/plans?limit=0").errorCode()).isEqualTo("INVALID_LIMIT");
        assertThat(alice.get("/api/plans/not-a-plan-id").errorCode()).isEqualTo("PLAN_NOT_FOUND");
    }

    /** A body and the rule its refusal names. */
    record Refused(Object steps, String rule, String field) {
    }

    @Test
    void invalidPlansAreRefusedWithTheRuleAndNothingIsStored() {
        Map<String, Object> local = step("a", "LocalQuery", "sql", "SELECT 1 AS x");
        List<Map<String, Object>> six = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            six.add(step("s" + i, "LocalQuery", "sql", "SELECT 1 AS x"));
        }
        List<Refused> cases = List.of(
                new Refused(List.of(), "STEPS_EMPTY", "steps"),
                new Refused("not a list", "FIELD_INVALID", "steps"),
                new Refused(six, "TOO_MANY_STEPS", "steps"),
                new Refused(List.of("text"), "STEP_NOT_OBJECT", "steps[0]"),
                new Refused(List.of(Map.of("type", "LocalQuery", "sql", "SELECT 1")), "ID_MISSING", "steps[0].id"),
                new Refused(List.of(step("x\"; DROP TABLE plans; --", "LocalQuery", "sql", "SELECT 1")), "ID_INVALID",
                        "steps[0].id"),
                new Refused(List.of(step("1abc", "LocalQuery", "sql", "SELECT 1")), "ID_INVALID", "steps[0].id"),
                new Refused(List.of(step("a-b", "LocalQuery", "sql", "SELECT 1")), "ID_INVALID", "steps[0].id"),
                new Refused(List.of(step("main.t", "LocalQuery", "sql", "SELECT 1")), "ID_INVALID", "steps[0].id"),
                new Refused(List.of(step("é", "LocalQuery", "sql", "SELECT 1")), "ID_INVALID", "steps[0].id"),
                new Refused(List.of(step("a".repeat(64), "LocalQuery", "sql", "SELECT 1")), "ID_INVALID", "steps[0].id"),
                new Refused(List.of(local, step("A", "LocalQuery", "sql", "SELECT 2")), "ID_DUPLICATE", "steps[1].id"),
                new Refused(List.of(step("a", "AuroraQuery", "sql", "SELECT 1")), "TYPE_UNKNOWN", "steps[0].type"),
                new Refused(List.of(Map.of("id", "a", "sql", "SELECT 1")), "FIELD_MISSING", "steps[0].type"),
                new Refused(List.of(step("a", "LocalQuery", "sql", "SELECT 1", "bucket", "b")), "FIELD_UNKNOWN",
                        "steps[0].bucket"),
                new Refused(List.of(step("a", "LocalQuery")), "FIELD_MISSING", "steps[0].sql"),
                new Refused(List.of(step("a", "S3ParquetRead", "bucket", "b")), "FIELD_MISSING", "steps[0].key"),
                new Refused(List.of(step("a", "LocalQuery", "sql", "DROP TABLE x")), "SQL_NOT_SELECT", "steps[0].sql"),
                new Refused(List.of(step("a", "LocalQuery", "sql", "SELECT 1; SELECT 2")), "SQL_NOT_SELECT",
                        "steps[0].sql"),
                new Refused(List.of(step("a", "LocalQuery", "sql", "SELECT * FROM b"),
                        step("b", "LocalQuery", "sql", "SELECT * FROM a")), "CYCLE", "steps"),
                new Refused(List.of(step("a", "LocalQuery", "sql", "SELECT * FROM a")), "CYCLE", "steps"),
                new Refused(List.of(step("r", "RelationalQuery", "datasource", "crm", "sql", "SELECT $1",
                        "bind", Map.of("$1", Map.of("ref", "nowhere", "field", "x")))), "REF_UNKNOWN",
                        "steps[0].bind.$1.ref"),
                new Refused(List.of(step("r", "RelationalQuery", "datasource", "crm", "sql", "SELECT $1",
                        "bind", Map.of("x", Map.of("ref", "r", "field", "x")))), "BIND_PLACEHOLDER", "steps[0].bind.x"),
                new Refused(List.of(step("r", "RelationalQuery", "datasource", "crm", "sql", "SELECT $2")),
                        "BIND_MISSING", "steps[0].sql"),
                new Refused(List.of(local, step("r", "RelationalQuery", "datasource", "crm", "sql", "SELECT '$1'",
                        "bind", Map.of("$1", Map.of("ref", "a", "field", "x")))), "BIND_UNUSED", "steps[1].bind.$1"),
                new Refused(List.of(step("w", "AthenaQuery", "sql", "SELECT 1", "max_scan_gb", -1)),
                        "MAX_SCAN_INVALID", "steps[0].max_scan_gb"),
                new Refused(List.of(step("w", "AthenaQuery", "sql", "SELECT 1", "engine", "duckdb")),
                        "ENGINE_NOT_ATHENA", "steps[0].engine"),
                new Refused(List.of(step("r", "RelationalQuery", "datasource", "not-mine", "sql", "SELECT 1")),
                        "DATASOURCE_NOT_FOUND", "steps[0].datasource"));
        int before = alice.get("/api/plans?limit=200").data().path("items").size();
        for (Refused c : cases) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("steps", c.steps());
            ApiClient.Response r = alice.post("/api/plans", body);
            assertThat(r.status()).as(c + " -> " + r).isEqualTo(400);
            assertThat(r.errorCode()).as(c.toString()).isEqualTo("PLAN_INVALID");
            JsonNode details = r.json().path("error").path("details");
            assertThat(details.path("rule").asText()).as(c + " -> " + r).isEqualTo(c.rule());
            assertThat(details.path("field").asText()).as(c + " -> " + r).isEqualTo(c.field());
            assertThat(r.json().path("error").path("message").asText()).as(c.toString()).isNotBlank();
        }
        // Another user's datasource is not one this caller may use.
        ApiClient.Response bobs = bob.post("/api/plans", Map.of("steps", List.of(step("r", "RelationalQuery",
                "datasource", "crm", "sql", "SELECT 1"))));
        assertThat(bobs.json().path("error").path("details").path("rule").asText()).isEqualTo("DATASOURCE_NOT_FOUND");
        ApiClient.Response unknownField = alice.post("/api/plans", Map.of("steps", List.of(local), "extra", 1));
        assertThat(unknownField.errorCode()).isEqualTo("INVALID_FIELD");
        ApiClient.Response zh = alice.with("Accept-Language", "zh-CN").post("/api/plans", Map.of("steps", List.of()));
        assertThat(zh.json().path("error").path("message").asText()).contains("计划");
        assertThat(alice.get("/api/plans?limit=200").data().path("items").size()).isEqualTo(before);
    }

    @Test
    void cancelInterruptsARunningLocalStepAndTheTourPlanGivesItsResult() {
        String slow = submit(alice, Map.of("steps", List.of(
                step("slow", "LocalQuery", "sql", "SELECT count(*) AS n FROM range(100000000000)"))));
        await().atMost(Duration.ofSeconds(30)).until(() -> step(alice.get("/api/plans/" + slow).data(), "slow")
                .path("state").asText().equals("RUNNING"));
        ApiClient.Response early = alice.get("/api/plans/" + slow + "/results");
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.errorCode()).isEqualTo("PLAN_NOT_FINISHED");
        assertThat(alice.post("/api/plans/" + slow + "/cancel").data().path("state").asText()).isEqualTo("CANCELLED");
        await().atMost(Duration.ofSeconds(30)).until(() -> step(alice.get("/api/plans/" + slow).data(), "slow")
                .path("state").asText().equals("CANCELLED"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(dir.resolve("plans").resolve(slow)));

        String tour = submit(alice, Map.of("name", "tour", "steps", List.of(
                step("nums", "LocalQuery", "sql", "SELECT range AS n FROM range(10)"),
                step("squares", "LocalQuery", "sql", "SELECT n, n * n AS sq FROM nums"),
                step("total", "LocalQuery", "sql", "SELECT count(*) AS cnt, sum(sq) AS sum_sq FROM squares"))));
        JsonNode plan = awaitEnd(tour);
        assertThat(plan.path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(step(plan, "squares").path("rows").asLong()).isEqualTo(10);
        assertThat(rows(alice.get("/api/plans/" + tour + "/results").data())).containsExactly(List.of("10", "285"));
    }
}
