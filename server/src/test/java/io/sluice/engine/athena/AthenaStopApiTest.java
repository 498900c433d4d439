package io.sluice.engine.athena;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.standin.AthenaStandIn;
import io.sluice.testing.ApiClient;
import io.sluice.testing.AthenaFixture;
import io.sluice.testing.SluiceProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.athena.model.QueryExecution;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.sluice.testing.Queries.awaitEnd;
import static io.sluice.testing.Queries.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What Sluice stops stays stopped and is billed truthfully: the stop reaches Athena even when
 * Sluice dies between the user's cancel and Athena's StopQueryExecution; a stopped query shows
 * what Athena scanned until the stop (read after the stop, not the last poll before it); a rerun
 * really runs again instead of being served from Athena's result reuse; downloads are named after
 * the Sluice query.
 */
class AthenaStopApiTest {

    @TempDir
    Path dir;
    AthenaFixture athena;

    @AfterEach
    void stop() {
        if (athena != null) {
            athena.close();
        }
    }

    @Test
    void aCancelSurvivesACrashBeforeAthenaHearsOfIt() {
        AthenaStandIn standIn = AthenaFixture.startStandIn();
        try {
            standIn.faults().holdMatching("doomed_marker").scanRate(50_000_000);
            ObjectNode config = SluiceProcess.defaultConfig(dir);
            AthenaFixture.configure(config, standIn);
            ((ObjectNode) config.get("engines")).put("default", "athena");
            Map<String, String> credentials = Map.of("AWS_ACCESS_KEY_ID", standIn.accessKeyId(),
                    "AWS_SECRET_ACCESS_KEY", standIn.secretAccessKey());
            String id;
            String executionId;
            SluiceProcess first = SluiceProcess.start(dir, "athena", config, credentials);
            try {
                ApiClient api = first.api();
                id = api.submit("SELECT 1 AS doomed_marker");
                executionId = awaitEngineId(api, id);
                // Athena refuses the stop: the cancel is answered (and stored) but Athena runs on.
                standIn.faults().deny("StopQueryExecution");
                assertThat(api.post("/api/query/" + id + "/cancel").status()).isEqualTo(200);
                assertThat(api.state(id)).isEqualTo("CANCELLED");
                assertThat(athenaState(standIn, executionId)).isEqualTo("RUNNING");
            } finally {
                first.kill();
            }
            standIn.faults().reset();
            standIn.faults().holdMatching("doomed_marker").scanRate(50_000_000);
            try (SluiceProcess second = SluiceProcess.start(dir, "athena", config, credentials)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> athenaState(standIn, executionId), "CANCELLED"::equals);
                long billed = execution(standIn, executionId).statistics().dataScannedInBytes();
                ApiClient api = second.api();
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        api.get("/api/query/" + id + "/status").data().path("statistics").path("dataScannedBytes")
                                .asLong() == billed);
                assertThat(api.state(id)).isEqualTo("CANCELLED");
            }
        } finally {
            standIn.close();
        }
    }

    @Test
    void aStoppedQueryShowsWhatAthenaScannedUntilTheStop() {
        athena = AthenaFixture.start(dir, c -> { });
        athena.standIn().faults().holdMatching("scanning_marker").scanRate(200_000_000);
        ApiClient api = athena.api();
        String id = athena.submit("SELECT 1 AS scanning_marker");
        String executionId = awaitEngineId(api, id);
        await().atMost(Duration.ofSeconds(30)).until(() -> scanned(api, id) > 0);
        assertThat(api.post("/api/query/" + id + "/cancel").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> athenaState(athena.standIn(), executionId), "CANCELLED"::equals);
        long billed = execution(athena.standIn(), executionId).statistics().dataScannedInBytes();
        await().atMost(Duration.ofSeconds(30)).until(() -> scanned(api, id) == billed);
        JsonNode statistics = api.get("/api/query/" + id + "/status").data().path("statistics");
        assertThat(statistics.path("costUsd").decimalValue()).isPositive();
        assertThat(api.state(id)).isEqualTo("CANCELLED");
    }

    @Test
    void aRerunRunsTheQueryAgainWhileAFirstRunMayBeServedFromReuse() {
        athena = AthenaFixture.start(dir, c -> { });
        ApiClient api = athena.api();
        String sql = "SELECT 7 AS reuse_marker";
        String first = athena.submit(sql);
        assertThat(awaitEnd(api, first)).isEqualTo("SUCCEEDED");
        // A new query with the same text within the reuse age is answered from Athena's reuse ...
        String second = athena.submit(sql);
        assertThat(awaitEnd(api, second)).isEqualTo("SUCCEEDED");
        assertThat(api.get("/api/query/" + second + "/status").data().path("statistics").path("resultReused")
                .asBoolean()).isTrue();
        // ... but a rerun runs again: Athena really executes it.
        assertThat(api.post("/api/query/" + second + "/refresh").status()).isEqualTo(202);
        awaitState(api, second, "SUCCEEDED");
        JsonNode rerun = api.get("/api/query/" + second + "/status").data();
        assertThat(rerun.path("run").asInt()).isEqualTo(2);
        assertThat(rerun.path("statistics").path("resultReused").asBoolean()).isFalse();
        List<String> executions = athena.standIn().executionIds("reuse_marker");
        assertThat(executions).hasSize(3);
        QueryExecution rerunExecution = execution(athena.standIn(), rerun.path("engineQueryId").asText());
        assertThat(rerunExecution.statistics().resultReuseInformation().reusedPreviousResult()).isFalse();
    }

    @Test
    void anAthenaDownloadIsNamedAfterTheSluiceQuery() {
        athena = AthenaFixture.start(dir, c -> { });
        ApiClient api = athena.api();
        String id = athena.submit("SELECT 1 AS named_marker");
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
        JsonNode link = api.get("/api/query/" + id + "/download").data();
        assertThat(link.path("fileName").asText()).isEqualTo("sluice-" + id + ".csv");
        assertThat(java.net.URLDecoder.decode(link.path("url").asText(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("filename=\"sluice-" + id + ".csv\"");
    }

    private static String awaitEngineId(ApiClient api, String id) {
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> api.get("/api/query/" + id + "/status").data().path("engineQueryId").asText(""),
                engineId -> !engineId.isEmpty());
    }

    private static long scanned(ApiClient api, String id) {
        return api.get("/api/query/" + id + "/status").data().path("statistics").path("dataScannedBytes").asLong();
    }

    private static QueryExecution execution(AthenaStandIn standIn, String executionId) {
        try (var client = AthenaFixture.athenaClient(standIn)) {
            return client.getQueryExecution(r -> r.queryExecutionId(executionId)).queryExecution();
        }
    }

    private static String athenaState(AthenaStandIn standIn, String executionId) {
        return execution(standIn, executionId).status().stateAsString();
    }
}
