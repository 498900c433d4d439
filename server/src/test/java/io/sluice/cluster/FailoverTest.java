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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.sluice.cluster.ClusterFixture.config;
import static io.sluice.cluster.ClusterFixture.credentials;
import static io.sluice.cluster.ClusterFixture.owners;
import static io.sluice.cluster.ClusterFixture.submit;
import static io.sluice.testing.Queries.LONG_RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two Sluice processes on one store (PostgreSQL or MariaDB) sharing results on the stand-in's S3
 * server; one is killed with SIGKILL while it has Athena runs in flight, a DuckDB run executing and
 * DuckDB runs waiting for a worker. The survivor takes every run over within the lease plus a
 * heartbeat: the Athena runs finish normally (one Athena execution each, polled by one instance at a
 * time, results served by the survivor), the executing DuckDB run ends FAILED with
 * SERVER_RESTARTED, and the waiting ones run exactly once on the survivor.
 */
class FailoverTest {

    private static final int LEASE_SECONDS = 5;
    private static final String MARKER = "failover_marker";
    private static final int ATHENA_RUNS = 50;
    private static final int DUCKDB_WAITING = 19;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ClusterFixture.StoreKind.class)
    void aLiveInstanceTakesOverEveryRunOfAKilledOne(ClusterFixture.StoreKind kind) throws Exception {
        AthenaStandIn standIn = AthenaFixture.startStandIn();
        try (EmbeddedDatabases.Server server = kind.start()) {
            standIn.faults().completionDelay(Duration.ofSeconds(25));
            EmbeddedDatabases.Store store = server.createDatabase();
            SluiceProcess a = SluiceProcess.start(dir, "a", config(dir, "a", store, standIn, LEASE_SECONDS),
                    credentials(standIn));
            SluiceProcess b = SluiceProcess.start(dir, "b", config(dir, "b", store, standIn, LEASE_SECONDS),
                    credentials(standIn));
            try {
                ApiClient onA = a.api();
                List<String> athena = new ArrayList<>();
                for (int i = 0; i < ATHENA_RUNS; i++) {
                    athena.add(submit(onA, "SELECT " + i + " AS " + MARKER, "athena"));
                }
                // One worker on A: the first DuckDB run executes, the others wait for it.
                String executing = submit(onA, LONG_RUNNING, "duckdb");
                List<String> waiting = new ArrayList<>();
                for (int i = 0; i < DUCKDB_WAITING; i++) {
                    waiting.add(submit(onA, "SELECT " + (100 + i) + " AS waiting_marker", "duckdb"));
                }
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    for (String id : athena) {
                        assertThat(onA.state(id)).isEqualTo("RUNNING");
                    }
                    assertThat(onA.state(executing)).isEqualTo("RUNNING");
                });
                List<String> athenaIds = new ArrayList<>();
                for (String id : athena) {
                    athenaIds.add(onA.get("/api/query/" + id + "/status").data().path("engineQueryId").asText());
                }
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        athenaIds.stream().allMatch(e -> standIn.callLog().pollersOf(e).contains("a")));

                a.kill();
                long killedAt = System.nanoTime();
                await().atMost(Duration.ofSeconds(LEASE_SECONDS + 10)).pollInterval(Duration.ofMillis(100))
                        .until(() -> owners(store, athena).values().stream().allMatch("b"::equals));
                Duration adoption = Duration.ofNanos(System.nanoTime() - killedAt);
                // The lease, plus at most a heartbeat of the survivor and a poll interval, plus a margin
                // for a busy machine.
                assertThat(adoption).isLessThan(Duration.ofSeconds(LEASE_SECONDS + 3));

                ApiClient onB = b.api();
                await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
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
                for (int i = 0; i < waiting.size(); i++) {
                    assertThat(onB.get("/api/query/" + waiting.get(i) + "/runs").data().path("items")).hasSize(1);
                    JsonNode rows = onB.get("/api/query/" + waiting.get(i) + "/results").data().path("rows");
                    assertThat(rows.get(0).get(0).asInt()).isEqualTo(100 + i);
                }
                // One Athena execution per run: the takeover followed the dead instance's queries.
                assertThat(standIn.executionIds(MARKER)).containsExactlyInAnyOrderElementsOf(athenaIds);
                // Polled by A until it died, then by B, never by both.
                int handedOver = ClusterFixture.assertOnePollerAtATime(standIn, athenaIds, Set.of("a", "b"));
                assertThat(handedOver).isEqualTo(ATHENA_RUNS);
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
            SluiceProcess a = SluiceProcess.start(dir, "a", config(dir, "a", store, standIn, LEASE_SECONDS),
                    credentials(standIn));
            SluiceProcess b = SluiceProcess.start(dir, "b", config(dir, "b", store, standIn, LEASE_SECONDS),
                    credentials(standIn));
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
            // A lease far longer than the test: only the stop hands the runs over. Results in a shared
            // folder, the other way to share them.
            ObjectNode configA = config(dir, "a", store, standIn, 60);
            ClusterFixture.sharedFolder(configA, dir.resolve("shared-results"));
            ((ObjectNode) configA.get("server")).put("shutdownGraceSeconds", 20);
            ObjectNode configB = config(dir, "b", store, standIn, 60);
            ClusterFixture.sharedFolder(configB, dir.resolve("shared-results"));
            SluiceProcess a = SluiceProcess.start(dir, "a", configA, credentials(standIn));
            SluiceProcess b = SluiceProcess.start(dir, "b", configB, credentials(standIn));
            try {
                ApiClient onA = a.api();
                List<String> athena = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    athena.add(submit(onA, "SELECT " + i + " AS graceful_marker", "athena"));
                }
                // About six seconds of DuckDB work, running when the stop comes.
                String local = submit(onA, "SELECT count(*) FROM range(1200000000) t(x) WHERE x % 7 = 3", "duckdb");
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    for (String id : athena) {
                        assertThat(onA.state(id)).isEqualTo("RUNNING");
                    }
                    assertThat(onA.state(local)).isEqualTo("RUNNING");
                });
                long stoppedAt = System.nanoTime();
                a.terminate();
                // While it drains, A tells the load balancer to send no more work, but stays alive.
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                        .until(() -> a.api().get("/health/ready").status() == 503);
                assertThat(a.api().get("/health").status()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(40)).until(() -> !a.isAlive());
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
}
