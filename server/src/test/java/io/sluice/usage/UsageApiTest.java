package io.sluice.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.AthenaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.sluice.testing.Queries.awaitEnd;
import static io.sluice.testing.Queries.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Usage (/api/usage, /api/usage/top) and the per-query scan cap (maxScanGb) through the Athena
 * stand-in with the real AWS SDK, with identities from a trusted proxy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsageApiTest {

    static final String SECRET = "proxy-secret-0123456789";
    static final String ADMIN = "admin@example.com";

    Path dir;
    AthenaFixture athena;
    ApiClient alice;
    ApiClient bob;
    ApiClient admin;
    ApiClient carol;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("sluice-usage");
        athena = AthenaFixture.start(dir, UsageApiTest::withAuth);
        alice = as(athena.api(), "alice@example.com");
        bob = as(athena.api(), "bob@example.com");
        admin = as(athena.api(), ADMIN);
        carol = as(athena.api(), "carol@example.com");
    }

    /** Identities through the proxy secret; {@link #ADMIN} is an admin. */
    static void withAuth(ObjectNode c) {
        ObjectNode auth = c.putObject("auth").put("enabled", true).put("proxySecret", SECRET);
        auth.putArray("trustedProxies").add("10.255.255.0/24");
        auth.putArray("admins").add(ADMIN);
    }

    static ApiClient as(ApiClient api, String email) {
        return api.with("X-Sluice-Proxy-Secret", SECRET).with("X-Email", email);
    }

    @AfterAll
    void stop() {
        if (athena != null) {
            athena.close();
        }
    }

    static String submit(ApiClient client, Map<String, Object> body) {
        Map<String, Object> request = new HashMap<>(body);
        request.putIfAbsent("engine", "athena");
        ApiClient.Response r = client.post("/api/query", request);
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r.data().path("id").asText();
    }

    static String submit(ApiClient client, String sql) {
        return submit(client, Map.of("query", sql));
    }

    /** The costs of every run of the caller's query {@code id}, from its run list. */
    static double runCosts(ApiClient client, String id) {
        double sum = 0;
        for (JsonNode run : client.get("/api/query/" + id + "/runs?limit=50").data().path("items")) {
            sum += run.path("statistics").path("costUsd").asDouble(0);
        }
        return sum;
    }

    static JsonNode item(JsonNode usage, String key) {
        for (JsonNode item : usage.path("items")) {
            if (item.path("key").asText().equals(key)) {
                return item;
            }
        }
        throw new AssertionError("no item " + key + " in " + usage);
    }

    @Test
    void usageAddsUpTheRunsCostsAcrossRefreshesFailuresAndCancels() {
        String counted = submit(alice, "SELECT count(*) AS usage_one FROM events");
        assertThat(awaitEnd(alice, counted)).isEqualTo("SUCCEEDED");
        assertThat(alice.post("/api/query/" + counted + "/refresh").status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> alice.get("/api/query/" + counted + "/status").data()
                .path("run").asInt() == 2 && alice.state(counted).equals("SUCCEEDED"));
        // The same SQL as a new query: Athena reuses the earlier result, for free (a refresh never reuses).
        String again = submit(alice, "SELECT count(*) AS usage_one FROM events");
        assertThat(awaitEnd(alice, again)).isEqualTo("SUCCEEDED");
        assertThat(alice.get("/api/query/" + again + "/status").data().path("statistics").path("resultReused")
                .asBoolean()).isTrue();
        String failed = submit(alice, "SELECT CAST('x' AS INTEGER) AS usage_fail");
        assertThat(awaitEnd(alice, failed)).isEqualTo("FAILED");
        athena.standIn().faults().holdMatching("usage_hold").scanRate(20_000_000L);
        String cancelled = submit(alice, "SELECT 1 AS usage_hold");
        awaitState(alice, cancelled, "RUNNING");
        await().atMost(Duration.ofSeconds(30)).until(() -> alice.get("/api/query/" + cancelled + "/status").data()
                .path("statistics").path("dataScannedBytes").asLong(0) > 0);
        assertThat(alice.post("/api/query/" + cancelled + "/cancel").status()).isEqualTo(200);
        String bobs = submit(bob, "SELECT count(*) AS usage_bob FROM events WHERE event_id < 10");
        assertThat(awaitEnd(bob, bobs)).isEqualTo("SUCCEEDED");

        List<String> mine = List.of(counted, again, failed, cancelled);
        // The cancelled run's final cost arrives once Athena confirms the stop.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            double expected = mine.stream().mapToDouble(id -> runCosts(alice, id)).sum();
            JsonNode usage = alice.get("/api/usage").data();
            assertThat(usage.path("totals").path("costUsd").asDouble()).isCloseTo(expected, within(2e-6));
            assertThat(runCosts(alice, cancelled)).isPositive();
        });
        JsonNode usage = alice.get("/api/usage").data();
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        assertThat(usage.path("groupBy").asText()).isEqualTo("day");
        assertThat(usage.path("from").asText()).isEqualTo(LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).toString());
        JsonNode totals = usage.path("totals");
        assertThat(totals.path("runs").asInt()).isEqualTo(5); // two runs of the refreshed query
        assertThat(totals.path("succeeded").path("runs").asInt()).isEqualTo(3);
        assertThat(totals.path("failed").path("runs").asInt()).isEqualTo(1);
        assertThat(totals.path("failed").path("costUsd").asDouble()).isZero();
        assertThat(totals.path("cancelled").path("runs").asInt()).isEqualTo(1);
        assertThat(totals.path("cancelled").path("costUsd").asDouble())
                .isCloseTo(runCosts(alice, cancelled), within(2e-6));
        assertThat(totals.path("succeeded").path("costUsd").asDouble())
                .isCloseTo(runCosts(alice, counted) + runCosts(alice, again), within(2e-6));
        assertThat(totals.path("reusedRuns").asInt()).isEqualTo(1);
        assertThat(totals.path("cachedRuns").asInt()).isZero();
        assertThat(item(usage, today).path("runs").asInt()).isEqualTo(5);

        double bobCost = runCosts(bob, bobs);
        // groupBy variants, as the admin who sees everyone's runs
        JsonNode byUser = admin.get("/api/usage?groupBy=user").data();
        assertThat(item(byUser, "alice@example.com").path("runs").asInt()).isEqualTo(5);
        assertThat(item(byUser, "bob@example.com").path("costUsd").asDouble()).isCloseTo(bobCost, within(2e-6));
        JsonNode byMonth = admin.get("/api/usage?groupBy=month&user=alice@example.com").data();
        assertThat(byMonth.path("items")).hasSize(1);
        assertThat(byMonth.path("items").get(0).path("key").asText()).isEqualTo(today.substring(0, 7));
        assertThat(byMonth.path("totals")).isEqualTo(totals);
        assertThat(item(alice.get("/api/usage?groupBy=engine").data(), "athena").path("runs").asInt()).isEqualTo(5);
        assertThat(item(alice.get("/api/usage?groupBy=workgroup").data(), "primary").path("costUsd").asDouble())
                .isCloseTo(totals.path("costUsd").asDouble(), within(2e-6));

        // a user sees their own runs only
        assertThat(bob.get("/api/usage").data().path("totals").path("runs").asInt()).isEqualTo(1);
        ApiClient.Response other = bob.get("/api/usage?user=alice@example.com");
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.errorCode()).isEqualTo("ACCESS_DENIED");
        assertThat(bob.get("/api/usage?user=BOB@example.com").status()).isEqualTo(200);

        // the costliest runs, costliest first, the caller's own
        JsonNode top = alice.get("/api/usage/top?limit=2").data();
        assertThat(top.path("items")).hasSize(2);
        assertThat(top.path("items").get(0).path("costUsd").asDouble())
                .isGreaterThanOrEqualTo(top.path("items").get(1).path("costUsd").asDouble());
        top.path("items").forEach(i -> assertThat(i.path("user").asText()).isEqualTo("alice@example.com"));
        assertThat(top.path("items").get(0).path("query").asText()).contains("usage_");
        JsonNode everyone = admin.get("/api/usage/top?limit=100").data();
        assertThat(everyone.path("items").findValuesAsText("queryId")).contains(bobs, counted, cancelled);
    }

    @Test
    void badUsageRequestsAreRefusedWithClearCodes() {
        assertBad(alice.get("/api/usage?from=2026-13-01"), "INVALID_PARAMETER", "from");
        assertBad(alice.get("/api/usage?to=yesterday"), "INVALID_PARAMETER", "to");
        assertBad(alice.get("/api/usage?from=2026-11-20&to=2026-11-19"), "INVALID_PARAMETER", "to");
        assertBad(alice.get("/api/usage?groupBy=week"), "INVALID_PARAMETER", "groupBy");
        assertBad(alice.get("/api/usage?from=1900-01-01&to=2026-01-01"), "INVALID_PARAMETER", "from");
        ApiClient.Response huge = alice.get("/api/usage/top?limit=100000");
        assertThat(huge.status()).isEqualTo(400);
        assertThat(huge.errorCode()).isEqualTo("INVALID_LIMIT");
        assertThat(alice.get("/api/usage/top?limit=ten").errorCode()).isEqualTo("INVALID_LIMIT");
        assertThat(alice.get("/api/usage/top?limit=0").errorCode()).isEqualTo("INVALID_LIMIT");
        assertBad(alice.get("/api/usage/top?from=2026-02-30"), "INVALID_PARAMETER", "from");
        JsonNode empty = alice.get("/api/usage?from=2020-01-01&to=2020-01-31&groupBy=MONTH").data();
        assertThat(empty.path("groupBy").asText()).isEqualTo("month");
        assertThat(empty.path("items")).isEmpty();
        assertThat(empty.path("totals").path("runs").asInt()).isZero();
    }

    static void assertBad(ApiClient.Response r, String code, String parameter) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo(code);
        assertThat(r.json().path("error").path("details").path("parameter").asText()).isEqualTo(parameter);
        assertThat(r.json().path("error").path("message").asText()).isNotBlank();
    }

    @Test
    void maxScanGbStopsAQueryAtItsOwnCapBelowTheEngines() {
        athena.standIn().faults().holdMatching("capped_marker").scanRate(20_000_000L);
        String id = submit(carol, Map.of("query", "SELECT 1 AS capped_marker", "maxScanGb", 0.01));
        assertThat(awaitEnd(carol, id)).isEqualTo("CANCELLED");
        JsonNode status = carol.get("/api/query/" + id + "/status").data();
        long cap = (long) Math.floor(0.01 * 1024 * 1024 * 1024);
        assertThat(status.path("maxScanBytes").asLong()).isEqualTo(cap);
        JsonNode error = status.path("error");
        assertThat(error.path("code").asText()).isEqualTo("SCAN_LIMIT_EXCEEDED");
        assertThat(error.path("details").path("scanCap").asText()).isEqualTo("query");
        assertThat(error.path("details").path("maxScannedBytes").asLong()).isEqualTo(cap);
        assertThat(error.path("details").path("scannedBytes").asLong()).isGreaterThan(cap);
        // The same query without a cap of its own is not stopped by one.
        athena.standIn().faults().releaseHeld();
        String free = submit(carol, Map.of("query", "SELECT 2 AS free_marker", "maxScanGb", 10));
        assertThat(awaitEnd(carol, free)).isEqualTo("SUCCEEDED");
    }

    @Test
    void aBadMaxScanGbIsRefused() {
        ApiClient.Response negative = carol.post("/api/query", Map.of("query", "SELECT 1", "engine", "athena",
                "maxScanGb", -1));
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.errorCode()).isEqualTo("INVALID_MAX_SCAN");
        assertThat(negative.json().path("error").path("details").path("engineMaxGb").asDouble()).isEqualTo(10.0);
        assertThat(carol.post("/api/query", Map.of("query", "SELECT 1", "engine", "athena", "maxScanGb", 0))
                .errorCode()).isEqualTo("INVALID_MAX_SCAN");
        assertThat(carol.post("/api/query", Map.of("query", "SELECT 1", "engine", "athena", "maxScanGb", 10.5))
                .errorCode()).isEqualTo("INVALID_MAX_SCAN");
        ApiClient.Response text = carol.post("/api/query", Map.of("query", "SELECT 1", "engine", "athena",
                "maxScanGb", "5"));
        assertThat(text.status()).isEqualTo(400);
        assertThat(text.errorCode()).isEqualTo("INVALID_FIELD");
        assertThat(text.json().path("error").path("details").path("field").asText()).isEqualTo("maxScanGb");
        // DuckDB measures no scans: it takes no cap.
        assertThat(carol.post("/api/query", Map.of("query", "SELECT 1", "engine", "duckdb", "maxScanGb", 1))
                .errorCode()).isEqualTo("INVALID_MAX_SCAN");
        assertThat(carol.post("/api/query", Map.of("query", "SELECT 1", "budgetOverride", "yes")).errorCode())
                .isEqualTo("INVALID_FIELD");
    }
}
