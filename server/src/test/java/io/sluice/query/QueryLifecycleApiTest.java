package io.sluice.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.SluiceExtension;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import static io.sluice.testing.Queries.LONG_RUNNING;
import static io.sluice.testing.Queries.awaitEnd;
import static io.sluice.testing.Queries.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Submit, status, results, cancel and refresh over HTTP against real DuckDB and H2. */
class QueryLifecycleApiTest {

    /** A long query runs for minutes: a worker still busy after this was not interrupted. */
    static final Duration WORKER_FREED = Duration.ofSeconds(5);

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension();
    static ApiClient api;
    static TestServer server;

    @BeforeAll
    static void start() {
        api = sluice.api();
        server = sluice.server();
    }

    @Test
    void submittedQueryRunsToSucceededWithStatusAndResults() {
        Response submit = api.post("/api/query", Map.of("query",
                "SELECT event_type, count(*) AS n FROM events GROUP BY event_type ORDER BY event_type"));
        assertThat(submit.status()).isEqualTo(202);
        assertThat(submit.messageCode()).isEqualTo("QUERY_SUBMITTED");
        String id = submit.data().path("id").asText();
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(submit.data().path("state").asText()).isIn("QUEUED", "RUNNING", "SUCCEEDED");

        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
        JsonNode status = api.get("/api/query/" + id + "/status").data();
        assertThat(status.path("engine").asText()).isEqualTo("duckdb");
        assertThat(status.path("query").asText()).startsWith("SELECT event_type");
        assertThat(status.path("submittedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(status.path("startedAt").isTextual()).isTrue();
        assertThat(status.path("completedAt").isTextual()).isTrue();
        JsonNode stats = status.path("statistics");
        assertThat(stats.path("rows").asLong()).isEqualTo(8);
        assertThat(stats.path("resultBytes").asLong()).isPositive();
        assertThat(stats.path("queueSeconds").isNumber()).isTrue();
        assertThat(api.get("/api/query/" + id + "/status").text())
                .containsPattern("\"executionSeconds\":\\d+\\.\\d{2}[,}]")
                .containsPattern("\"queueSeconds\":\\d+\\.\\d{2}[,}]");
        assertThat(status.path("error").isNull()).isTrue();

        Response results = api.get("/api/query/" + id + "/results");
        assertThat(results.status()).isEqualTo(200);
        JsonNode data = results.data();
        assertThat(data.path("columns").get(0).path("name").asText()).isEqualTo("event_type");
        assertThat(data.path("columns").get(0).path("type").asText()).isEqualTo("varchar");
        assertThat(data.path("columns").get(1).path("type").asText()).isEqualTo("bigint");
        assertThat(data.path("rows")).hasSize(8);
        long total = 0;
        for (JsonNode row : data.path("rows")) {
            total += row.get(1).asLong();
        }
        assertThat(total).isEqualTo(100_000);
        assertThat(data.path("totalRows").asLong()).isEqualTo(8);
        assertThat(data.path("nextCursor").isNull()).isTrue();
        assertThat(data.path("completedAt").asText()).isEqualTo(status.path("completedAt").asText());
    }

    @Test
    void cancellingARunningQueryInterruptsItAndKeepsItCancelled() {
        String id = api.submit(LONG_RUNNING);
        awaitState(api, id, "RUNNING");
        assertThat(api.get("/api/query/" + id + "/results").errorCode()).isEqualTo("QUERY_NOT_FINISHED");
        assertThat(api.get("/api/query/" + id + "/results").status()).isEqualTo(409);
        assertThat(api.post("/api/query/" + id + "/refresh").status()).isEqualTo(409);

        Response cancel = api.post("/api/query/" + id + "/cancel");
        assertThat(cancel.status()).isEqualTo(200);
        assertThat(cancel.messageCode()).isEqualTo("QUERY_CANCELLED");
        assertThat(api.state(id)).isEqualTo("CANCELLED");
        // The statement is really interrupted: every worker is free again shortly after.
        await().atMost(WORKER_FREED).until(() -> server.sluice().runner().busyWorkers() == 0);

        Response results = api.get("/api/query/" + id + "/results");
        assertThat(results.status()).isEqualTo(410);
        assertThat(results.messageCode()).isEqualTo("QUERY_CANCELLED");

        Response again = api.post("/api/query/" + id + "/cancel");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.messageCode()).isEqualTo("QUERY_ALREADY_CANCELLED");
        assertThat(api.state(id)).isEqualTo("CANCELLED");
        assertThat(api.get("/api/query/" + id + "/status").data().path("completedAt").isTextual()).isTrue();
    }

    @Test
    void cancellingAFinishedQueryChangesNothing() {
        String id = api.submit("SELECT 42 AS answer");
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
        Response cancel = api.post("/api/query/" + id + "/cancel");
        assertThat(cancel.status()).isEqualTo(409);
        assertThat(cancel.errorCode()).isEqualTo("QUERY_ALREADY_FINISHED");
        assertThat(api.state(id)).isEqualTo("SUCCEEDED");
        assertThat(api.get("/api/query/" + id + "/results").data().path("rows").get(0).get(0).asInt()).isEqualTo(42);
    }

    @Test
    void failedQueryCarriesTheEnginesError() {
        String id = api.submit("SELECT * FROM no_such_table");
        assertThat(awaitEnd(api, id)).isEqualTo("FAILED");
        JsonNode error = api.get("/api/query/" + id + "/status").data().path("error");
        assertThat(error.path("code").asText()).isEqualTo("QUERY_FAILED");
        assertThat(error.path("message").asText()).contains("no_such_table");

        Response results = api.get("/api/query/" + id + "/results");
        assertThat(results.status()).isEqualTo(422);
        assertThat(results.errorCode()).isEqualTo("QUERY_FAILED");
        assertThat(results.json().path("error").path("details").path("errorMessage").asText()).contains("no_such_table");
        assertThat(results.json().path("error").path("details").path("errorSource").asText()).isEqualTo("engine");

        assertThat(api.post("/api/query/" + id + "/cancel").errorCode()).isEqualTo("QUERY_ALREADY_FINISHED");
    }

    @Test
    void syntaxErrorFailsWithSyntaxErrorCode() {
        String id = api.submit("SELEC 1");
        assertThat(awaitEnd(api, id)).isEqualTo("FAILED");
        assertThat(api.get("/api/query/" + id + "/status").data().path("error").path("code").asText())
                .isEqualTo("SYNTAX_ERROR");
    }

    @Test
    void refreshRerunsUnderTheSameIdAndDropsThePreviousRun() {
        String id = api.submit("SELECT count(*) AS n FROM events");
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
        Response firstPage = api.get("/api/query/" + id + "/results?limit=1");
        String firstCompleted = firstPage.data().path("completedAt").asText();

        Response refresh = api.post("/api/query/" + id + "/refresh");
        assertThat(refresh.status()).isEqualTo(202);
        assertThat(refresh.messageCode()).isEqualTo("QUERY_REFRESHED");
        assertThat(refresh.data().path("id").asText()).isEqualTo(id);
        assertThat(refresh.data().path("run").asInt()).isEqualTo(2);

        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
        JsonNode status = api.get("/api/query/" + id + "/status").data();
        assertThat(status.path("run").asInt()).isEqualTo(2);
        Response results = api.get("/api/query/" + id + "/results");
        assertThat(results.data().path("rows").get(0).get(0).asLong()).isEqualTo(100_000);
        assertThat(results.data().path("completedAt").asText()).isGreaterThanOrEqualTo(firstCompleted);
    }

    @Test
    void refreshOfACancelledQueryRunsItAgain() {
        String id = api.submit(LONG_RUNNING);
        awaitState(api, id, "RUNNING");
        api.post("/api/query/" + id + "/cancel");
        assertThat(api.post("/api/query/" + id + "/refresh").status()).isEqualTo(202);
        awaitState(api, id, "RUNNING");
        assertThat(api.get("/api/query/" + id + "/status").data().path("run").asInt()).isEqualTo(2);
        assertThat(api.post("/api/query/" + id + "/cancel").messageCode()).isEqualTo("QUERY_CANCELLED");
        await().atMost(WORKER_FREED).until(() -> server.sluice().runner().busyWorkers() == 0);
    }

    @Test
    void rootPathsOfOlderClientsAnswerLikeTheApiPaths() {
        Response submit = api.post("/query", Map.of("query", "SELECT 'root' AS via"));
        assertThat(submit.status()).isEqualTo(202);
        String id = submit.data().path("id").asText();
        awaitEnd(api, id);
        assertThat(api.get("/query/" + id + "/status").data().path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(api.get("/query/" + id + "/results").data().path("rows").get(0).get(0).asText()).isEqualTo("root");
        assertThat(api.post("/query/" + id + "/cancel").errorCode()).isEqualTo("QUERY_ALREADY_FINISHED");
        assertThat(api.post("/query/" + id + "/refresh").status()).isEqualTo(202);
    }

    @Test
    void manyQueriesRunInParallelAndTheExcessWaitsQueued() {
        // Earlier tests' cancelled runs may still be leaving their workers.
        await().atMost(WORKER_FREED).until(() -> server.sluice().runner().busyWorkers() == 0);
        String[] ids = new String[6];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = api.submit(LONG_RUNNING);
        }
        // 4 workers: four run, the others wait queued. (A worker counts as busy a moment before
        // it stores RUNNING, so the states are what to wait for.)
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            Map<String, Long> states = Arrays.stream(ids)
                    .collect(Collectors.groupingBy(api::state, Collectors.counting()));
            return states.equals(Map.of("RUNNING", 4L, "QUEUED", 2L));
        });
        assertThat(server.sluice().runner().busyWorkers()).isEqualTo(4);
        for (String id : ids) {
            api.post("/api/query/" + id + "/cancel");
        }
        for (String id : ids) {
            assertThat(api.state(id)).isEqualTo("CANCELLED");
        }
        await().atMost(WORKER_FREED).until(() -> server.sluice().runner().busyWorkers() == 0);
    }
}
