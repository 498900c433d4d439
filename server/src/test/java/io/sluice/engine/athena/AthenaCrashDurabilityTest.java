package io.sluice.engine.athena;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.standin.AthenaStandIn;
import io.sluice.testing.ApiClient;
import io.sluice.testing.AthenaFixture;
import io.sluice.testing.CrashLoad;
import io.sluice.testing.SluiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * After any crash, no Athena execution runs on without a Sluice query that owns it, and nothing
 * acknowledged is lost: Sluice (a separate JVM, Athena its default engine) is killed with SIGKILL
 * while clients submit and cancel; after the restarts every acknowledged submit exists, every
 * acknowledged cancel stuck and reached Athena, every execution Athena started belongs to a Sluice
 * query, and none is left running.
 */
class AthenaCrashDurabilityTest {

    private static final String MARKER = "crash_marker";

    @TempDir
    Path dir;

    @Test
    void noAthenaExecutionOutlivesItsSluiceQuery() {
        AthenaStandIn standIn = AthenaFixture.startStandIn();
        try {
            // Every query runs a while in Athena, so that kills and cancels find them running.
            standIn.faults().completionDelay(Duration.ofMillis(1500));
            ObjectNode config = SluiceProcess.defaultConfig(dir);
            AthenaFixture.configure(config, standIn);
            ((ObjectNode) config.get("engines")).put("default", "athena");
            ((ObjectNode) config.get("queries")).put("maxQueuedPerUser", 100_000);
            Map<String, String> credentials = Map.of("AWS_ACCESS_KEY_ID", standIn.accessKeyId(),
                    "AWS_SECRET_ACCESS_KEY", standIn.secretAccessKey());
            CrashLoad load = new CrashLoad(n -> "SELECT " + n + " AS " + MARKER, 7);
            for (int round = 0; round < 3; round++) {
                SluiceProcess sluice = SluiceProcess.start(dir, "athena-crash", config, credentials);
                try {
                    load.verifyNothingAcknowledgedIsLost(sluice.api());
                    load.loadAndKill(sluice, 60);
                } finally {
                    sluice.kill();
                }
            }
            try (SluiceProcess sluice = SluiceProcess.start(dir, "athena-crash", config, credentials)) {
                ApiClient api = sluice.api();
                load.verifyNothingAcknowledgedIsLost(api);
                load.awaitAllEnded(api);
                load.verifyNothingAcknowledgedIsLost(api);
                // Every execution Athena started belongs to a Sluice query (the clients' or one whose
                // 202 the kill swallowed), and none is left running.
                Set<String> owned = engineIds(api);
                List<String> executions = standIn.executionIds(MARKER);
                assertThat(owned).containsAll(executions);
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                    for (String execution : executions) {
                        assertThat(last(standIn.stateHistory(execution))).as("execution %s", execution)
                                .isIn("SUCCEEDED", "FAILED", "CANCELLED");
                    }
                });
                // What Sluice cancelled, Athena stopped (or had finished before the stop).
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                    for (String id : load.cancelled()) {
                        String engineId = api.get("/api/query/" + id + "/status").data().path("engineQueryId").asText("");
                        if (!engineId.isEmpty()) {
                            assertThat(last(standIn.stateHistory(engineId))).as("Athena's side of cancelled %s", id)
                                    .isIn("CANCELLED", "SUCCEEDED");
                        }
                    }
                });
            }
            assertThat(load.submitted()).hasSizeGreaterThanOrEqualTo(180);
            assertThat(load.cancelled()).isNotEmpty();
        } finally {
            standIn.close();
        }
    }

    private static Set<String> engineIds(ApiClient api) {
        Set<String> ids = new HashSet<>();
        String cursor = null;
        do {
            JsonNode page = api.get("/api/queries?limit=200" + (cursor == null ? "" : "&cursor=" + cursor)).data();
            page.path("items").forEach(item -> {
                if (!item.path("engineQueryId").isNull()) {
                    ids.add(item.path("engineQueryId").asText());
                }
            });
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
        } while (cursor != null);
        return ids;
    }

    private static String last(List<String> history) {
        return history.isEmpty() ? "" : history.get(history.size() - 1);
    }
}
