package io.sluice.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.standin.AthenaStandIn;
import io.sluice.testing.ApiClient;
import io.sluice.testing.AthenaFixture;
import io.sluice.testing.ShiftedClock;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import static io.sluice.testing.Queries.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local result cache through the API, with the Athena stand-in and the real AWS SDK: a second
 * identical query (up to whitespace, comments and keyword case) within the TTL is answered from the
 * first one's stored result, with no StartQueryExecution call and at cost 0; everything else runs.
 * Each test's SQL carries a marker literal of its own, so its executions can be counted.
 */
class LocalResultCacheApiTest {

    private static final String SECRET = "cache-test-proxy-secret";
    private static final long TTL_SECONDS = 3600;

    @TempDir
    static Path dir;
    static AthenaStandIn standIn;
    /** Sluice's clock: the stand-in's (real) time, moved ahead by the tests that cross the TTL. */
    static final ShiftedClock clock = new ShiftedClock();
    static TestServer server;
    static ApiClient alice;
    static ApiClient bob;

    @AfterEach
    void backToNow() {
        clock.shiftTo(Duration.ZERO);
    }

    @BeforeAll
    static void start() {
        standIn = AthenaFixture.startStandIn();
        standIn.workGroup("etl", "s3://" + AthenaFixture.BUCKET + "/etl/", null, false);
        standIn.execute("CREATE SCHEMA other");
        startServer("primary");
    }

    @AfterAll
    static void stop() {
        try {
            server.close();
        } finally {
            standIn.close();
        }
    }

    /** (Re)starts Sluice on the same store and results, its athena engines in {@code workgroup}. */
    static void startServer(String workgroup) {
        server = TestServer.start(dir, root -> {
            AthenaFixture.configure(root, standIn);
            ObjectNode engines = (ObjectNode) root.get("engines");
            ObjectNode athena = ((ObjectNode) engines.get("athena")).put("workgroup", workgroup)
                    .put("localCacheTtlSeconds", TTL_SECONDS).put("maxResultRows", 1000);
            engines.set("athena_shared", athena.deepCopy().put("type", "athena").put("localCacheShared", true));
            ObjectNode auth = root.putObject("auth").put("enabled", true).put("proxySecret", SECRET);
            auth.putArray("trustedProxies").add("10.255.255.0/24");
        }, clock);
        ApiClient proxied = server.client().with("X-Sluice-Proxy-Secret", SECRET);
        alice = proxied.with("X-Email", "alice@example.com");
        bob = proxied.with("X-Email", "bob@example.com");
    }

    static String sql(String marker) {
        return "SELECT '" + marker + "' AS marker, event_type, count(*) AS n FROM analytics.events"
                + " GROUP BY event_type ORDER BY event_type";
    }

    /** The same query, written differently: case, spacing, a comment, a semicolon. */
    static String sameSqlWrittenDifferently(String marker) {
        return "select   '" + marker + "' as MARKER,\n  EVENT_TYPE, COUNT(*) as N -- the events\n"
                + "from Analytics.Events group by event_type\norder   by event_type ;";
    }

    static int executions(String marker) {
        return standIn.executionIds(Pattern.quote("'" + marker + "'")).size();
    }

    static ApiClient.Response submit(ApiClient api, String sql, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("query", sql, "engine", "athena"));
        body.putAll(extra);
        ApiClient.Response r = api.post("/api/query", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r;
    }

    /** Submits, waits for the end, and returns the status. */
    static JsonNode run(ApiClient api, String sql, Map<String, Object> extra) {
        String id = submit(api, sql, extra).data().path("id").asText();
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
        return status(api, id);
    }

    static JsonNode run(ApiClient api, String sql) {
        return run(api, sql, Map.of());
    }

    static JsonNode status(ApiClient api, String id) {
        return api.get("/api/query/" + id + "/status").data();
    }

    static JsonNode rows(ApiClient api, String id) {
        return api.get("/api/query/" + id + "/results").data().path("rows");
    }

    @Test
    void theSameQueryWithinTheTtlIsAnsweredFromTheStoredResultWithoutAthena() {
        JsonNode first = run(alice, sql("m-hit"));
        assertThat(first.path("cached").asBoolean()).isFalse();
        assertThat(first.path("statistics").path("cachedFrom").isNull()).isTrue();
        long starts = standIn.calls().count("StartQueryExecution");
        clock.shiftTo(Duration.ofSeconds(TTL_SECONDS - 120)); // the source ended moments ago: well within
        JsonNode usageBefore = usageTotals(alice);

        ApiClient.Response hit = submit(alice, sameSqlWrittenDifferently("m-hit"), Map.of());

        JsonNode submitted = hit.data();
        assertThat(submitted.path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(submitted.path("cached").asBoolean()).isTrue();
        String id = submitted.path("id").asText();
        assertThat(id).isNotEqualTo(first.path("id").asText());
        assertThat(standIn.calls().count("StartQueryExecution")).isEqualTo(starts);
        assertThat(executions("m-hit")).isEqualTo(1);
        JsonNode status = status(alice, id);
        assertThat(status.path("cached").asBoolean()).isTrue();
        assertThat(status.path("run").asInt()).isEqualTo(1);
        assertThat(status.path("engineQueryId").isNull()).isTrue();
        JsonNode stats = status.path("statistics");
        assertThat(stats.path("cachedFrom").path("queryId").asText()).isEqualTo(first.path("id").asText());
        assertThat(stats.path("cachedFrom").path("run").asInt()).isEqualTo(1);
        assertThat(stats.path("costUsd").decimalValue()).isZero();
        assertThat(stats.path("dataScannedBytes").asLong()).isZero();
        assertThat(stats.path("savedUsd").decimalValue())
                .isEqualByComparingTo(first.path("statistics").path("costUsd").decimalValue());
        assertThat(stats.path("rows").asLong()).isEqualTo(first.path("statistics").path("rows").asLong()).isEqualTo(3);
        assertThat(rows(alice, id)).isEqualTo(rows(alice, first.path("id").asText()));
        JsonNode download = alice.get("/api/query/" + id + "/download").data();
        assertThat(download.path("partial").asBoolean()).isFalse();
        assertThat(download.path("url").asText()).as("the stored copy, not an Athena file").startsWith("/api/files/");
        assertThat(alice.get(download.path("url").asText()).text().lines()).hasSize(4).anyMatch(l -> l.contains("m-hit"));
        JsonNode runs = alice.get("/api/query/" + id + "/runs").data().path("items");
        assertThat(runs.get(0).path("statistics").path("cachedFrom").path("queryId").asText())
                .isEqualTo(first.path("id").asText());
        // Usage counts the hit as a cached run that cost nothing and saved the source's cost.
        JsonNode usageAfter = usageTotals(alice);
        assertThat(usageAfter.path("runs").asLong()).isEqualTo(usageBefore.path("runs").asLong() + 1);
        assertThat(usageAfter.path("cachedRuns").asLong()).isEqualTo(usageBefore.path("cachedRuns").asLong() + 1);
        assertThat(usageAfter.path("costUsd").decimalValue()).isEqualByComparingTo(usageBefore.path("costUsd").decimalValue());
        // (status rounds a run's cost to 6 decimals, usage sums the exact costs)
        assertThat(usageAfter.path("savedUsd").asDouble() - usageBefore.path("savedUsd").asDouble())
                .isCloseTo(first.path("statistics").path("costUsd").asDouble(), org.assertj.core.data.Offset.offset(1e-6))
                .isPositive();
    }

    /** The caller's usage totals over a range that holds every run of these tests. */
    static JsonNode usageTotals(ApiClient api) {
        java.time.LocalDate today = java.time.LocalDate.now(clock);
        ApiClient.Response usage = api.get("/api/usage?from=" + today.minusDays(30) + "&to=" + today.plusDays(30));
        assertThat(usage.status()).as(usage.toString()).isEqualTo(200);
        return usage.data().path("totals");
    }

    @Test
    void pastTheTtlTheQueryRunsAgain() {
        run(alice, sql("m-ttl"));
        clock.shiftTo(Duration.ofSeconds(TTL_SECONDS + 120));

        JsonNode again = run(alice, sql("m-ttl"));

        assertThat(again.path("cached").asBoolean()).isFalse();
        assertThat(executions("m-ttl")).isEqualTo(2);
        clock.shiftTo(Duration.ZERO);
        JsonNode third = status(alice, submit(alice, sql("m-ttl"), Map.of()).data().path("id").asText());
        assertThat(third.path("statistics").path("cachedFrom").path("queryId").asText())
                .as("the fresh run answers now").isEqualTo(again.path("id").asText());
    }

    @Test
    void anotherDatabaseAnotherUserOrCacheFalseRuns() {
        JsonNode first = run(alice, sql("m-diff"));
        assertThat(run(alice, sql("m-diff"), Map.of("database", "other")).path("cached").asBoolean()).isFalse();
        assertThat(run(bob, sql("m-diff")).path("cached").asBoolean()).as("not shared: bob's own").isFalse();
        JsonNode bypass = run(alice, sql("m-diff"), Map.of("cache", false));
        assertThat(bypass.path("cached").asBoolean()).isFalse();
        assertThat(executions("m-diff")).isEqualTo(4);

        JsonNode bobsHit = status(bob, submit(bob, sql("m-diff"), Map.of()).data().path("id").asText());
        assertThat(bobsHit.path("cached").asBoolean()).isTrue();
        assertThat(bobsHit.path("statistics").path("cachedFrom").path("queryId").asText())
                .as("bob's own run, never alice's").isNotEqualTo(first.path("id").asText())
                .isNotEqualTo(bypass.path("id").asText());
        assertThat(executions("m-diff")).isEqualTo(4);
    }

    @Test
    void aSharedCacheAnswersEveryUserFromAnyUsersRun() {
        JsonNode first = run(alice, sql("m-shared"), Map.of("engine", "athena_shared"));

        JsonNode bobs = status(bob, submit(bob, sql("m-shared"), Map.of("engine", "athena_shared")).data()
                .path("id").asText());

        assertThat(bobs.path("cached").asBoolean()).isTrue();
        assertThat(bobs.path("statistics").path("cachedFrom").path("queryId").asText())
                .isEqualTo(first.path("id").asText());
        assertThat(rows(bob, bobs.path("id").asText())).isEqualTo(rows(alice, first.path("id").asText()));
        assertThat(executions("m-shared")).isEqualTo(1);
        assertThat(alice.get("/api/query/" + bobs.path("id").asText() + "/status").status())
                .as("the hit is bob's query").isEqualTo(404);
    }

    @Test
    void aTruncatedOrFailedResultIsNeverASource() {
        String truncated = "SELECT 'm-cut' AS marker, event_id FROM analytics.events ORDER BY event_id";
        assertThat(run(alice, truncated).path("truncated").asBoolean()).isTrue();
        assertThat(run(alice, truncated).path("cached").asBoolean()).isFalse();
        assertThat(executions("m-cut")).isEqualTo(2);

        standIn.faults().failAfterRunning(Pattern.quote("'m-failed'"));
        try {
            String id = submit(alice, sql("m-failed"), Map.of()).data().path("id").asText();
            assertThat(awaitEnd(alice, id)).isEqualTo("FAILED");
        } finally {
            standIn.faults().failAfterRunning(null);
        }
        assertThat(run(alice, sql("m-failed")).path("cached").asBoolean()).isFalse();
        assertThat(executions("m-failed")).isEqualTo(2);
    }

    @Test
    void theCopyOutlivesItsSourceAndARefreshOfAHitRunsForReal() {
        JsonNode first = run(alice, sql("m-copy"));
        String sourceId = first.path("id").asText();
        String hitId = submit(alice, sql("m-copy"), Map.of()).data().path("id").asText();
        JsonNode expected = rows(alice, sourceId);

        // A refresh drops the source's first result.
        assertThat(alice.post("/api/query/" + sourceId + "/refresh").status()).isEqualTo(202);
        assertThat(awaitEnd(alice, sourceId)).isEqualTo("SUCCEEDED");
        assertThat(rows(alice, hitId)).isEqualTo(expected);

        assertThat(alice.post("/api/query/" + hitId + "/refresh").status()).isEqualTo(202);
        assertThat(awaitEnd(alice, hitId)).isEqualTo("SUCCEEDED");
        JsonNode refreshed = status(alice, hitId);
        assertThat(refreshed.path("run").asInt()).isEqualTo(2);
        assertThat(refreshed.path("cached").asBoolean()).isFalse();
        assertThat(refreshed.path("statistics").path("cachedFrom").isNull()).isTrue();
        assertThat(executions("m-copy")).isEqualTo(3);
        assertThat(rows(alice, hitId)).isEqualTo(expected);
    }

    @Test
    void aRestartedSluiceStillHitsAndAnotherWorkgroupRuns() {
        JsonNode first = run(alice, sql("m-restart"));
        server.close();
        startServer("primary");

        JsonNode hit = status(alice, submit(alice, sql("m-restart"), Map.of()).data().path("id").asText());
        assertThat(hit.path("statistics").path("cachedFrom").path("queryId").asText())
                .isEqualTo(first.path("id").asText());
        assertThat(executions("m-restart")).isEqualTo(1);

        server.close();
        startServer("etl");
        try {
            assertThat(run(alice, sql("m-restart")).path("cached").asBoolean()).isFalse();
            assertThat(executions("m-restart")).isEqualTo(2);
        } finally {
            server.close();
            startServer("primary");
        }
    }
}
