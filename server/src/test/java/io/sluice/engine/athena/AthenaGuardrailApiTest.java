package io.sluice.engine.athena;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.Json;
import io.sluice.config.SluiceConfig;
import io.sluice.query.QueryRecord;
import io.sluice.standin.AthenaStandIn;
import io.sluice.store.Database;
import io.sluice.store.JdbcQueryStore;
import io.sluice.testing.ApiClient;
import io.sluice.testing.AthenaFixture;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.athena.AthenaClient;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.sluice.testing.Queries.awaitEnd;
import static io.sluice.testing.Queries.awaitEngineAccepted;
import static io.sluice.testing.Queries.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Timeouts, scan limits, throttling storms, early cancels and restarts against the stand-in. */
class AthenaGuardrailApiTest {

    @TempDir
    Path dir;
    AthenaFixture athena;

    @AfterEach
    void stop() {
        if (athena != null) {
            athena.close();
        }
    }

    private String athenaState(String sluiceId, int run) {
        AthenaClient client = athena.athenaClient();
        // The same idempotency token Sluice used returns the same execution, whatever its state.
        String token = "sluice-" + sluiceId + "-run-" + run;
        JsonNode status = api().get("/api/query/" + sluiceId + "/status").data();
        String id = client.startQueryExecution(r -> r.queryString(status.path("query").asText())
                .clientRequestToken(token).workGroup("primary")
                .queryExecutionContext(c -> c.catalog("AwsDataCatalog").database("analytics"))
                .resultConfiguration(c -> c.outputLocation(AthenaFixture.OUTPUT))).queryExecutionId();
        return client.getQueryExecution(r -> r.queryExecutionId(id)).queryExecution().status().stateAsString();
    }

    private ApiClient api() {
        return athena.api();
    }

    @Test
    void aQueryPastItsMaximumRuntimeIsStoppedAndTimedOut() {
        athena = AthenaFixture.start(dir, c -> ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("engines")
                .get("athena")).put("maxRuntimeSeconds", 1));
        athena.standIn().faults().holdMatching("forever_marker");
        String id = athena.submit("SELECT 1 AS forever_marker");
        assertThat(awaitEnd(api(), id)).isEqualTo("TIMED_OUT");
        JsonNode status = api().get("/api/query/" + id + "/status").data();
        assertThat(status.path("error").path("code").asText()).isEqualTo("QUERY_TIMED_OUT");
        assertThat(api().get("/api/query/" + id + "/results").errorCode()).isEqualTo("QUERY_TIMED_OUT");
        await().atMost(Duration.ofSeconds(10)).until(() -> athenaState(id, 1).equals("CANCELLED"));
    }

    @Test
    void theWorkgroupCutoffIsReportedAsScanLimitExceeded() {
        athena = AthenaFixture.start(dir, c -> { });
        athena.standIn().workGroup("primary", AthenaFixture.OUTPUT, 10_000_000L, false);
        athena.standIn().faults().holdMatching("scan_marker").scanRate(20_000_000L);
        String id = athena.submit("SELECT 1 AS scan_marker");
        assertThat(awaitEnd(api(), id)).isEqualTo("CANCELLED");
        JsonNode status = api().get("/api/query/" + id + "/status").data();
        assertThat(status.path("error").path("code").asText()).isEqualTo("SCAN_LIMIT_EXCEEDED");
        assertThat(status.path("error").path("message").asText()).contains("Bytes scanned limit was exceeded");
        // A cancelled query pays for what it scanned.
        assertThat(status.path("statistics").path("dataScannedBytes").asLong()).isEqualTo(10_000_000L);
        assertThat(status.path("statistics").path("costUsd").asDouble()).isPositive();
    }

    @Test
    void withoutACutoffSluiceStopsAQueryThatScansTooMuch() {
        athena = AthenaFixture.start(dir, c -> ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("engines")
                .get("athena")).put("maxScannedBytes", 10_000_000L));
        athena.standIn().faults().holdMatching("greedy_marker").scanRate(20_000_000L);
        String id = athena.submit("SELECT 1 AS greedy_marker");
        assertThat(awaitEnd(api(), id)).isEqualTo("CANCELLED");
        JsonNode status = api().get("/api/query/" + id + "/status").data();
        assertThat(status.path("error").path("code").asText()).isEqualTo("SCAN_LIMIT_EXCEEDED");
        assertThat(status.path("error").path("details").path("maxScannedBytes").asLong()).isEqualTo(10_000_000L);
        await().atMost(Duration.ofSeconds(10)).until(() -> athenaState(id, 1).equals("CANCELLED"));
    }

    @Test
    void everyQueryReachesItsTrueEndDuringAStormOfThrottlingConcurrencyLimitsAndServerErrors() {
        athena = AthenaFixture.start(dir, c -> { });
        AthenaStandIn standIn = athena.standIn();
        // Of all Athena calls 28 % fail: 5 % answer 500, 5 % of the rest TooManyRequests, 20 % of the rest
        // ThrottlingException. Each call's SDK retries (8 attempts) get through.
        standIn.faults().internalErrors(0.05).tooManyRequests(0.05).throttle(0.2).holdMatching("storm_hold");
        List<String> succeed = new ArrayList<>();
        List<String> fail = new ArrayList<>();
        List<String> cancel = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            succeed.add(athena.submit("SELECT " + i + " AS storm_" + i + ", count(*) FROM events"));
            fail.add(athena.submit("SELECT CAST('x" + i + "' AS INTEGER)"));
            cancel.add(athena.submit("SELECT " + i + " AS storm_hold"));
        }
        for (String id : cancel) {
            awaitState(api(), id, "RUNNING");
            assertThat(api().post("/api/query/" + id + "/cancel").status()).isEqualTo(200);
        }
        for (int i = 0; i < succeed.size(); i++) {
            String id = succeed.get(i);
            assertThat(awaitEnd(api(), id)).isEqualTo("SUCCEEDED");
            assertThat(api().get("/api/query/" + id + "/results").data().path("rows").get(0).get(0).asInt()).isEqualTo(i);
            assertThat(awaitEnd(api(), fail.get(i))).isEqualTo("FAILED");
            assertThat(api().state(cancel.get(i))).isEqualTo("CANCELLED");
        }
        assertThat(standIn.calls().count("StartQueryExecution")).isGreaterThan(24); // retried, not lost
        standIn.faults().reset();
        // A start still backing off from throttling (up to ~20 s in all) lands later and is stopped then:
        // once no start is under way, whatever reached Athena for a cancelled query ends CANCELLED there.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> athena.server().sluice().runner().busyWorkers() == 0);
        for (int i = 0; i < cancel.size(); i++) {
            List<String> executions = standIn.executionIds("SELECT " + i + " AS storm_hold");
            assertThat(executions).hasSizeLessThanOrEqualTo(1);
            for (String execution : executions) {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> athena
                        .athenaClient().getQueryExecution(r -> r.queryExecutionId(execution)).queryExecution()
                        .status().stateAsString().equals("CANCELLED"));
            }
        }
    }

    @Test
    void aStartWhoseAnswerWasLostIsRetriedWithTheSameTokenAndStartsOneExecution() {
        athena = AthenaFixture.start(dir, c -> { });
        AthenaStandIn standIn = athena.standIn();
        // The start runs on Athena, but its answer is lost (HTTP 500): the SDK retries the same request.
        standIn.faults().loseAnswers(1.0, "StartQueryExecution");
        String id = athena.submit("SELECT 9 AS lost_start_marker");
        await().atMost(Duration.ofSeconds(10)).until(() -> standIn.calls().count("StartQueryExecution") >= 1);
        standIn.faults().reset();

        assertThat(awaitEnd(api(), id)).isEqualTo("SUCCEEDED");
        assertThat(api().get("/api/query/" + id + "/results").data().path("rows").get(0).get(0).asInt()).isEqualTo(9);
        assertThat(standIn.calls().count("StartQueryExecution")).isGreaterThanOrEqualTo(2);
        assertThat(standIn.executionIds("lost_start_marker")).hasSize(1);
    }

    @Test
    void runsWithoutAnEngineIdAtRestartAreStartedAgainWithoutASecondExecution() {
        AthenaStandIn standIn = AthenaFixture.startStandIn();
        try {
            java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> config =
                    root -> AthenaFixture.configure(root, standIn);
            // What a stop between Athena's start and storing its id leaves: one run RUNNING without an
            // engine id (its start reached Athena), one QUEUED run that never started.
            String interrupted = UUID.randomUUID().toString();
            String queued = UUID.randomUUID().toString();
            SluiceConfig sluiceConfig = TestServer.config(dir, config);
            try (Database database = Database.open(sluiceConfig.store().url(), sluiceConfig.store().user(),
                    sluiceConfig.store().password(), 2)) {
                JdbcQueryStore store = new JdbcQueryStore(database.jdbi(), Json.mapper());
                Instant now = Instant.now();
                QueryRecord running = QueryRecord.queued(interrupted, "anonymous", "athena",
                        "SELECT 11 AS interrupted_marker", "AwsDataCatalog", "analytics", null, now);
                store.insert(running);
                store.update(running, running.withStarted(now, "test")).orElseThrow();
                store.insert(QueryRecord.queued(queued, "anonymous", "athena", "SELECT 12 AS queued_marker",
                        "AwsDataCatalog", "analytics", null, now));
            }
            try (AthenaClient client = AthenaFixture.athenaClient(standIn)) {
                client.startQueryExecution(r -> r.queryString("SELECT 11 AS interrupted_marker")
                        .clientRequestToken("sluice-" + interrupted + "-run-1").workGroup("primary")
                        .queryExecutionContext(c -> c.catalog("AwsDataCatalog").database("analytics"))
                        .resultConfiguration(c -> c.outputLocation(AthenaFixture.OUTPUT)));
            }

            try (TestServer server = TestServer.start(dir, config, Clock.systemUTC())) {
                ApiClient api = server.client();
                assertThat(awaitEnd(api, interrupted)).isEqualTo("SUCCEEDED");
                assertThat(awaitEnd(api, queued)).isEqualTo("SUCCEEDED");
                assertThat(api.get("/api/query/" + interrupted + "/results").data().path("rows").get(0).get(0).asInt())
                        .isEqualTo(11);
                assertThat(api.get("/api/query/" + queued + "/results").data().path("rows").get(0).get(0).asInt())
                        .isEqualTo(12);
            }
            assertThat(standIn.executionIds("interrupted_marker")).hasSize(1);
            assertThat(standIn.executionIds("queued_marker")).hasSize(1);
        } finally {
            standIn.close();
        }
    }

    @Test
    void aCancelBeforeAthenaAnsweredStillStopsTheQuery() {
        athena = AthenaFixture.start(dir, c -> { });
        // Every start is throttled for now: the SDK keeps retrying while the cancel arrives.
        athena.standIn().faults().throttle(1.0, "StartQueryExecution").holdMatching("early_marker");
        String id = athena.submit("SELECT 1 AS early_marker");
        await().atMost(Duration.ofSeconds(10)).until(() -> athena.standIn().calls().count("StartQueryExecution") > 0);
        assertThat(api().post("/api/query/" + id + "/cancel").messageCode()).isEqualTo("QUERY_CANCELLED");
        athena.standIn().faults().throttle(0, "StartQueryExecution");
        // The start that was under way lands, and the worker stops what it started.
        await().atMost(Duration.ofSeconds(30)).until(() -> athena.standIn().calls().count("StopQueryExecution") > 0);
        assertThat(athenaState(id, 1)).isEqualTo("CANCELLED");
        assertThat(api().state(id)).isEqualTo("CANCELLED");
    }

    @Test
    void runningAthenaQueriesSurviveARestartOfSluice() {
        AthenaStandIn standIn = AthenaFixture.startStandIn();
        try {
            standIn.faults().holdMatching("restart_marker");
            java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> config =
                    root -> AthenaFixture.configure(root, standIn);
            String id;
            try (TestServer first = TestServer.start(dir, config, Clock.systemUTC())) {
                id = first.client().post("/api/query", Map.of("query", "SELECT 5 AS restart_marker",
                        "engine", "athena")).data().path("id").asText();
                awaitState(first.client(), id, "RUNNING");
                awaitEngineAccepted(first.sluice(), id);
            }
            standIn.faults().releaseHeld();
            try (TestServer second = TestServer.start(dir, config, Clock.systemUTC())) {
                assertThat(awaitEnd(second.client(), id)).isEqualTo("SUCCEEDED");
                assertThat(second.client().get("/api/query/" + id + "/results").data().path("rows").get(0).get(0)
                        .asInt()).isEqualTo(5);
                assertThat(standIn.calls().count("StartQueryExecution")).isEqualTo(1);
            }
        } finally {
            standIn.close();
        }
    }

    @Test
    void runningFallingBackToQueuedIsToleratedAndShown() {
        athena = AthenaFixture.start(dir, c -> { });
        // Held RUNNING until Sluice has shown it so, then QUEUED again for 2 s once released.
        athena.standIn().faults().holdMatching("flapping").flapToQueued(Duration.ofSeconds(2));
        String id = athena.submit("SELECT 7 AS flapping");
        await().atMost(Duration.ofSeconds(30)).until(() -> api().state(id).equals("RUNNING"));
        athena.standIn().faults().releaseHeld();
        List<String> seen = new ArrayList<>(List.of("RUNNING"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            String state = api().state(id);
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(state)) {
                seen.add(state);
            }
            return state.equals("SUCCEEDED");
        });
        assertThat(String.join(">", seen)).contains("RUNNING>QUEUED");
        assertThat(api().get("/api/query/" + id + "/results").data().path("rows").get(0).get(0).asInt()).isEqualTo(7);
    }
}
