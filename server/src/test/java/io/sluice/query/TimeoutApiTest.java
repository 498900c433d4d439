package io.sluice.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.SluiceExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;

import static io.sluice.testing.Queries.LONG_RUNNING;
import static io.sluice.testing.Queries.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A DuckDB run longer than the engine's maxRuntimeSeconds ends TIMED_OUT, over the whole API. */
class TimeoutApiTest {

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension(
            c -> ((ObjectNode) c.path("engines").path("duckdb")).put("maxRuntimeSeconds", 1), Clock.systemUTC());

    @Test
    void aRunPastItsLimitIsStoppedAndAnswersAsTimedOut() {
        ApiClient api = sluice.api().with("Accept-Language", "en");
        String id = api.submit(LONG_RUNNING);

        assertThat(awaitEnd(api, id)).isEqualTo("TIMED_OUT");
        JsonNode status = api.get("/api/query/" + id + "/status").data();
        assertThat(status.path("error").path("code").asText()).isEqualTo("QUERY_TIMED_OUT");
        assertThat(status.path("error").path("details").path("maxRuntimeSeconds").asInt()).isEqualTo(1);
        assertThat(status.path("completedAt").isTextual()).isTrue();
        assertThat(status.path("statistics").path("executionSeconds").asDouble()).isGreaterThanOrEqualTo(1.0);
        // The statement is really stopped: the worker is free (the query would run for minutes).
        await().atMost(Duration.ofSeconds(5)).until(() -> sluice.server().sluice().runner().busyWorkers() == 0);

        Response results = api.get("/api/query/" + id + "/results");
        assertThat(results.status()).isEqualTo(410);
        assertThat(results.messageCode()).isEqualTo("QUERY_TIMED_OUT");
        assertThat(results.errorCode()).isEqualTo("QUERY_TIMED_OUT");
        JsonNode details = results.json().path("error").path("details");
        assertThat(details.path("state").asText()).isEqualTo("TIMED_OUT");
        assertThat(details.path("errorSource").asText()).isEqualTo("sluice");
        assertThat(details.path("maxRuntimeSeconds").asInt()).isEqualTo(1);
        assertThat(details.has("source")).as("the stored mark stays inside").isFalse();

        Response cancel = api.post("/api/query/" + id + "/cancel");
        assertThat(cancel.status()).isEqualTo(409);
        assertThat(cancel.errorCode()).isEqualTo("QUERY_ALREADY_FINISHED");
        assertThat(api.state(id)).isEqualTo("TIMED_OUT");

        // A timed-out query can be run again, and times out again.
        assertThat(api.post("/api/query/" + id + "/refresh").status()).isEqualTo(202);
        assertThat(awaitEnd(api, id)).isEqualTo("TIMED_OUT");
        assertThat(api.get("/api/query/" + id + "/status").data().path("run").asInt()).isEqualTo(2);
    }

    @Test
    void aQueryWithinTheLimitSucceeds() {
        ApiClient api = sluice.api();
        String id = api.submit("SELECT 1 AS quick");
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
    }
}
