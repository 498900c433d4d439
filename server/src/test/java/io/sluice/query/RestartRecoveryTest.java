package io.sluice.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;

import static io.sluice.testing.Queries.LONG_RUNNING;
import static io.sluice.testing.Queries.awaitEnd;
import static io.sluice.testing.Queries.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restart loses no query: interrupted local runs end FAILED/SERVER_RESTARTED, queued ones run;
 * also when each process has an instance id of its own (none configured), as the shipped
 * configuration starts it.
 */
class RestartRecoveryTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "instance id configured: {0}")
    @ValueSource(booleans = {true, false})
    void interruptedRunsFailClearlyAndQueuedRunsResume(boolean configuredId) {
        Consumer<ObjectNode> config = c -> {
            c.putObject("queries").put("workers", 1);
            if (!configuredId) {
                ((ObjectNode) c.get("server")).remove("instanceId");
            }
        };
        String running;
        String queued;
        String done;
        try (TestServer first = TestServer.start(dir, config, Clock.systemUTC())) {
            ApiClient api = first.client();
            done = api.submit("SELECT 7 AS kept");
            awaitEnd(api, done);
            running = api.submit(LONG_RUNNING);
            awaitState(api, running, "RUNNING");
            queued = api.submit("SELECT 'after restart' AS resumed");
            assertThat(api.state(queued)).isEqualTo("QUEUED");
        }
        try (TestServer second = TestServer.start(dir, config, Clock.systemUTC())) {
            ApiClient api = second.client();
            // Recovery runs beside the first requests: the interrupted run ends FAILED moments after start.
            awaitState(api, running, "FAILED");
            JsonNode interrupted = api.get("/api/query/" + running + "/status").data();
            assertThat(interrupted.path("state").asText()).isEqualTo("FAILED");
            assertThat(interrupted.path("error").path("code").asText()).isEqualTo("SERVER_RESTARTED");
            // How long it ran before the restart is unknown: no execution time (never the outage's length).
            assertThat(interrupted.path("statistics").path("executionSeconds").isNull()).isTrue();
            assertThat(awaitEnd(api, queued)).isEqualTo("SUCCEEDED");
            assertThat(api.get("/api/query/" + queued + "/results").data().path("rows").get(0).get(0).asText())
                    .isEqualTo("after restart");
            assertThat(api.get("/api/query/" + done + "/results").data().path("rows").get(0).get(0).asInt())
                    .isEqualTo(7);
            assertThat(api.get("/api/queries").data().path("items")).hasSize(3);
        }
    }
}
