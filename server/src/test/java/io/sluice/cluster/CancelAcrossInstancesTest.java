package io.sluice.cluster;

import io.sluice.standin.AthenaStandIn;
import io.sluice.standin.CallLog;
import io.sluice.testing.ApiClient;
import io.sluice.testing.AthenaFixture;
import io.sluice.testing.EmbeddedDatabases;
import io.sluice.testing.SluiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.sluice.cluster.ClusterFixture.config;
import static io.sluice.cluster.ClusterFixture.credentials;
import static io.sluice.cluster.ClusterFixture.submit;
import static io.sluice.testing.Queries.LONG_RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A cancel answered by one instance for a run another live instance is running: the store holds
 * the end, and the owner stops its work — a DuckDB run is interrupted on its own worker (which is
 * then free for the next query), an Athena query is stopped even when the first stop call fails.
 */
class CancelAcrossInstancesTest {

    @TempDir
    static Path dir;
    static AthenaStandIn standIn;
    static EmbeddedDatabases.Postgres pg;
    static SluiceProcess a;
    static SluiceProcess b;

    @BeforeAll
    static void start() {
        standIn = AthenaFixture.startStandIn();
        pg = EmbeddedDatabases.postgres();
        EmbeddedDatabases.Store store = pg.createDatabase();
        a = SluiceProcess.start(dir, "a", config(dir, "a", store, standIn, 30), credentials(standIn));
        b = SluiceProcess.start(dir, "b", config(dir, "b", store, standIn, 30), credentials(standIn));
    }

    @AfterAll
    static void stop() {
        if (a != null) {
            a.kill();
        }
        if (b != null) {
            b.kill();
        }
        pg.close();
        standIn.close();
    }

    @Test
    void aLocalRunCancelledThroughAnotherInstanceStopsOnItsOwnersWorker() throws Exception {
        ApiClient onA = a.api();
        String endless = submit(onA, LONG_RUNNING, "duckdb");
        await().atMost(Duration.ofSeconds(30)).until(() -> onA.state(endless).equals("RUNNING"));

        ApiClient.Response cancel = b.api().post("/api/query/" + endless + "/cancel");
        assertThat(cancel.status()).as(cancel.toString()).isEqualTo(200);
        assertThat(onA.state(endless)).isEqualTo("CANCELLED");

        // A has one worker: the next query runs only once the cancelled run has let it go.
        String next = submit(onA, "SELECT 42 AS after_cancel", "duckdb");
        await().atMost(Duration.ofSeconds(30)).until(() -> onA.state(next).equals("SUCCEEDED"));
        assertThat(onA.get("/api/query/" + next + "/results").data().path("rows").get(0).get(0).asInt()).isEqualTo(42);
        assertThat(onA.state(endless)).isEqualTo("CANCELLED");
        assertThat(Files.readString(a.log())).contains("ended elsewhere");
    }

    @Test
    void anAthenaStopThatFailsAtTheCancellingInstanceIsDeliveredLater() {
        standIn.faults().completionDelay(Duration.ofMinutes(10));
        ApiClient onA = a.api();
        String id = submit(onA, "SELECT 7 AS cross_cancel_marker", "athena");
        await().atMost(Duration.ofSeconds(30)).until(() -> onA.state(id).equals("RUNNING"));
        String execution = onA.get("/api/query/" + id + "/status").data().path("engineQueryId").asText();

        standIn.faults().deny("StopQueryExecution");
        try {
            ApiClient.Response cancel = b.api().post("/api/query/" + id + "/cancel");
            assertThat(cancel.status()).as(cancel.toString()).isEqualTo(200);
            assertThat(stops(execution)).as("B tried to stop it").contains("b");
            assertThat(lastState(execution)).isEqualTo("RUNNING");
        } finally {
            standIn.faults().reset();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> lastState(execution).equals("CANCELLED"));
        assertThat(onA.state(id)).isEqualTo("CANCELLED");
        assertThat(b.api().state(id)).isEqualTo("CANCELLED");
    }

    private static List<String> stops(String execution) {
        return standIn.callLog().calls().stream()
                .filter(c -> c.operation().equals("StopQueryExecution") && c.executionIds().contains(execution))
                .map(CallLog.Call::caller).toList();
    }

    private static String lastState(String execution) {
        List<String> history = standIn.stateHistory(execution);
        return history.get(history.size() - 1);
    }
}
