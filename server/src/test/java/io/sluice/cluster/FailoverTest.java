package io.sluice.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.standin.AthenaStandIn;
import io.sluice.testing.ApiClient;
import io.sluice.testing.AthenaFixture;
import io.sluice.testing.EmbeddedDatabases;
import io.sluice.testing.SluiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.sluice.testing.Queries.LONG_RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two Sluice processes on one PostgreSQL store and one results folder; one is killed with SIGKILL
 * while it has Athena runs in flight, DuckDB runs executing and DuckDB runs waiting for a worker.
 * The survivor takes every run over within the lease plus a heartbeat: the Athena runs finish
 * normally (one Athena execution each, results served by the survivor), the executing DuckDB runs
 * end FAILED with SERVER_RESTARTED, and the waiting ones run exactly once on the survivor.
 */
class FailoverTest {

    private static final int LEASE_SECONDS = 5;
    private static final String MARKER = "failover_marker";

    @TempDir
    Path dir;

    @Test
    void aLiveInstanceTakesOverEveryRunOfAKilledOne() throws Exception {
        AthenaStandIn standIn = AthenaFixture.startStandIn();
        try (EmbeddedDatabases.Postgres pg = EmbeddedDatabases.postgres()) {
            standIn.faults().completionDelay(Duration.ofSeconds(12));
            EmbeddedDatabases.Store store = pg.createDatabase();
            Map<String, String> credentials = Map.of("AWS_ACCESS_KEY_ID", standIn.accessKeyId(),
                    "AWS_SECRET_ACCESS_KEY", standIn.secretAccessKey());
            SluiceProcess a = SluiceProcess.start(dir, "a", config("a", store, standIn), credentials);
            SluiceProcess b = SluiceProcess.start(dir, "b", config("b", store, standIn), credentials);
            try {
                ApiClient onA = a.api();
                List<String> athena = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    athena.add(submit(onA, "SELECT " + i + " AS " + MARKER, "athena"));
                }
                // One worker on A: the first DuckDB run executes, the others wait for it.
                String executing = submit(onA, LONG_RUNNING, "duckdb");
                List<String> waiting = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    waiting.add(submit(onA, "SELECT " + (100 + i) + " AS waiting_marker", "duckdb"));
                }
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    for (String id : athena) {
                        assertThat(onA.state(id)).isEqualTo("RUNNING");
                    }
                    assertThat(onA.state(executing)).isEqualTo("RUNNING");
                });

                a.kill();
                long killedAt = System.nanoTime();
                await().atMost(Duration.ofSeconds(LEASE_SECONDS + 10)).pollInterval(Duration.ofMillis(100))
                        .until(() -> owners(store, athena).values().stream().allMatch("b"::equals));
                Duration adoption = Duration.ofNanos(System.nanoTime() - killedAt);
                // The lease, plus at most a heartbeat of the survivor, plus a margin for a busy machine.
                assertThat(adoption).isLessThan(Duration.ofSeconds(LEASE_SECONDS + 3));

                ApiClient onB = b.api();
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                    for (String id : athena) {
                        assertThat(onB.state(id)).isEqualTo("SUCCEEDED");
                    }
                    for (String id : waiting) {
                        assertThat(onB.state(id)).isEqualTo("SUCCEEDED");
                    }
                    assertThat(onB.state(executing)).isEqualTo("FAILED");
                });
                assertThat(onB.get("/api/query/" + executing + "/status").data().path("error").path("code").asText())
                        .isEqualTo("SERVER_RESTARTED");
                for (int i = 0; i < athena.size(); i++) {
                    JsonNode rows = onB.get("/api/query/" + athena.get(i) + "/results").data().path("rows");
                    assertThat(rows.get(0).get(0).asInt()).isEqualTo(i);
                }
                for (String id : waiting) {
                    assertThat(onB.get("/api/query/" + id + "/runs").data().path("items")).hasSize(1);
                }
                // One Athena execution per run: the takeover followed the dead instance's queries.
                assertThat(standIn.executionIds(MARKER)).hasSize(athena.size());
            } finally {
                a.kill();
                b.kill();
            }
        } finally {
            standIn.close();
        }
    }

    /**
     * Cancel, then SIGKILL at once, with Athena refusing the dead instance's stop calls: the cancels
     * were stored (with their pending stops) before they were answered, so the survivor takes the
     * stops over and delivers them: Athena ends every query CANCELLED and every run stays CANCELLED.
     */
    @Test
    void cancelsAnsweredJustBeforeAKillReachAthena() throws Exception {
        AthenaStandIn standIn = AthenaFixture.startStandIn();
        try (EmbeddedDatabases.Postgres pg = EmbeddedDatabases.postgres()) {
            standIn.faults().completionDelay(Duration.ofMinutes(10));
            EmbeddedDatabases.Store store = pg.createDatabase();
            Map<String, String> credentials = Map.of("AWS_ACCESS_KEY_ID", standIn.accessKeyId(),
                    "AWS_SECRET_ACCESS_KEY", standIn.secretAccessKey());
            SluiceProcess a = SluiceProcess.start(dir, "a", config("a", store, standIn), credentials);
            SluiceProcess b = SluiceProcess.start(dir, "b", config("b", store, standIn), credentials);
            try {
                ApiClient onA = a.api();
                List<String> athena = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    athena.add(submit(onA, "SELECT " + i + " AS cancel_kill_marker", "athena"));
                }
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    for (String id : athena) {
                        assertThat(onA.state(id)).isEqualTo("RUNNING");
                    }
                });
                standIn.faults().deny("StopQueryExecution");
                for (String id : athena) {
                    assertThat(onA.post("/api/query/" + id + "/cancel").status()).isEqualTo(200);
                }
                a.kill();
                List<String> executions = standIn.executionIds("cancel_kill_marker");
                assertThat(executions).hasSize(athena.size());
                for (String execution : executions) {
                    List<String> history = standIn.stateHistory(execution);
                    assertThat(history.get(history.size() - 1)).as("not stopped by a").isEqualTo("RUNNING");
                }
                standIn.faults().reset();
                standIn.faults().completionDelay(Duration.ofMinutes(10));

                ApiClient onB = b.api();
                await().atMost(Duration.ofSeconds(LEASE_SECONDS + 30)).pollInterval(Duration.ofMillis(250))
                        .untilAsserted(() -> {
                            for (String execution : executions) {
                                List<String> history = standIn.stateHistory(execution);
                                assertThat(history.get(history.size() - 1)).as(execution).isEqualTo("CANCELLED");
                            }
                        });
                for (String id : athena) {
                    assertThat(onB.state(id)).isEqualTo("CANCELLED");
                }
            } finally {
                a.kill();
                b.kill();
            }
        } finally {
            standIn.close();
        }
    }

    /**
     * A graceful stop (SIGTERM) lets a short local run finish, then gives the instance's runs up at
     * once: the other instance adopts its Athena runs long before the lease would have run out.
     */
    @Test
    void aStoppingInstanceFinishesItsLocalRunsAndHandsItsAthenaRunsOverAtOnce() throws Exception {
        AthenaStandIn standIn = AthenaFixture.startStandIn();
        try (EmbeddedDatabases.Postgres pg = EmbeddedDatabases.postgres()) {
            standIn.faults().completionDelay(Duration.ofSeconds(10));
            EmbeddedDatabases.Store store = pg.createDatabase();
            Map<String, String> credentials = Map.of("AWS_ACCESS_KEY_ID", standIn.accessKeyId(),
                    "AWS_SECRET_ACCESS_KEY", standIn.secretAccessKey());
            ObjectNode configA = config("a", store, standIn);
            ((ObjectNode) configA.get("cluster")).put("leaseSeconds", 60);
            ((ObjectNode) configA.get("server")).put("shutdownGraceSeconds", 20);
            ObjectNode configB = config("b", store, standIn);
            ((ObjectNode) configB.get("cluster")).put("leaseSeconds", 60);
            SluiceProcess a = SluiceProcess.start(dir, "a", configA, credentials);
            SluiceProcess b = SluiceProcess.start(dir, "b", configB, credentials);
            try {
                ApiClient onA = a.api();
                List<String> athena = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    athena.add(submit(onA, "SELECT " + i + " AS graceful_marker", "athena"));
                }
                // About two seconds of DuckDB work, running when the stop comes.
                String local = submit(onA, "SELECT count(*) FROM range(400000000) t(x) WHERE x % 7 = 3", "duckdb");
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    for (String id : athena) {
                        assertThat(onA.state(id)).isEqualTo("RUNNING");
                    }
                    assertThat(onA.state(local)).isEqualTo("RUNNING");
                });
                long stoppedAt = System.nanoTime();
                a.close();
                ApiClient onB = b.api();
                assertThat(onB.state(local)).isEqualTo("SUCCEEDED");
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                        .until(() -> owners(store, athena).values().stream().allMatch("b"::equals));
                assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt)).isLessThan(Duration.ofSeconds(30));
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    for (String id : athena) {
                        assertThat(onB.state(id)).isEqualTo("SUCCEEDED");
                    }
                });
                assertThat(standIn.executionIds("graceful_marker")).hasSize(athena.size());
            } finally {
                a.kill();
                b.kill();
            }
        } finally {
            standIn.close();
        }
    }

    private static String submit(ApiClient api, String sql, String engine) {
        ApiClient.Response r = api.post("/api/query", Map.of("query", sql, "engine", engine));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        return r.data().path("id").asText();
    }

    /** Who owns each run now, read from the store. */
    private static Map<String, String> owners(EmbeddedDatabases.Store store, List<String> ids) throws Exception {
        Map<String, String> owners = new HashMap<>();
        try (Connection c = DriverManager.getConnection(store.url(), store.user(), store.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT query_id, claimed_by FROM query_runs")) {
            while (rs.next()) {
                if (ids.contains(rs.getString(1))) {
                    owners.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return owners;
    }

    private ObjectNode config(String instance, EmbeddedDatabases.Store store, AthenaStandIn standIn) {
        ObjectNode config = SluiceProcess.defaultConfig(dir.resolve(instance));
        ((ObjectNode) config.get("server")).put("instanceId", instance);
        config.putObject("store").put("url", store.url()).put("user", store.user()).put("password", store.password());
        config.putObject("results").put("dir", dir.resolve("shared-results").toString()).put("sharedFolder", true)
                .put("linkSecret", "failover-test-link-secret-0123456789");
        config.putObject("cluster").put("enabled", true).put("leaseSeconds", LEASE_SECONDS);
        ((ObjectNode) config.get("queries")).put("workers", 1).put("maxQueuedPerUser", 1000);
        AthenaFixture.configure(config, standIn);
        ((ObjectNode) config.path("engines").path("athena")).put("pollIntervalMillis", 200);
        return config;
    }
}
