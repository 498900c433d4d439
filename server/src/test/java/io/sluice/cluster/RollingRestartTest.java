package io.sluice.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.standin.AthenaStandIn;
import io.sluice.testing.ApiClient;
import io.sluice.testing.AthenaFixture;
import io.sluice.testing.EmbeddedDatabases;
import io.sluice.testing.SluiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.sluice.cluster.ClusterFixture.config;
import static io.sluice.cluster.ClusterFixture.credentials;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three Sluice processes (ids generated per process) on one PostgreSQL store, results on the
 * stand-in's S3 server. While a client submits 200 queries round-robin (half Athena, half DuckDB),
 * every instance in turn is stopped (SIGTERM) and started again. Every acknowledged query ends
 * SUCCEEDED with its own result, Athena received exactly one execution per stored Athena run, and
 * each Athena query was polled by one instance at a time.
 */
class RollingRestartTest {

    private static final int INSTANCES = 3;
    private static final int QUERIES = 200;
    private static final int LEASE_SECONDS = 10;
    private static final String ATHENA_MARKER = "rolling_athena";
    /** Paces the client so that its submits span the whole restart. */
    private static final long SUBMIT_PACE_MILLIS = 100;

    @TempDir
    Path dir;

    @Test
    void everyQuerySubmittedDuringARollingRestartEndsOnceWithItsResult() throws Exception {
        AthenaStandIn standIn = AthenaFixture.startStandIn();
        List<SluiceProcess> live = new CopyOnWriteArrayList<>();
        try (EmbeddedDatabases.Postgres pg = EmbeddedDatabases.postgres()) {
            // Athena queries take a few seconds: many are in flight at each stop and are handed over.
            standIn.faults().completionDelay(Duration.ofSeconds(3));
            EmbeddedDatabases.Store store = pg.createDatabase();
            AtomicInteger started = new AtomicInteger();
            for (int i = 0; i < INSTANCES; i++) {
                live.add(start(store, standIn, started.incrementAndGet()));
            }

            Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
            AtomicInteger unanswered = new AtomicInteger();
            CompletableFuture<Void> client = CompletableFuture.runAsync(() -> {
                int next = 0;
                for (int i = 0; i < QUERIES; i++) {
                    String engine = i % 2 == 0 ? "athena" : "duckdb";
                    String sql = "SELECT " + i + " AS " + (i % 2 == 0 ? ATHENA_MARKER : "rolling_local");
                    while (true) {
                        SluiceProcess instance = live.get(next++ % live.size());
                        try {
                            ApiClient.Response r = instance.api().post("/api/query", Map.of("query", sql, "engine", engine));
                            if (r.status() == 202) {
                                acknowledged.put(r.data().path("id").asText(), i);
                                break;
                            }
                            // 503 from a stopping instance: the next one takes it
                            assertThat(r.status()).as(r.toString()).isEqualTo(503);
                        } catch (UncheckedIOException stoppedOrUnreachable) {
                            unanswered.incrementAndGet();
                        }
                    }
                    pause(SUBMIT_PACE_MILLIS);
                }
            });

            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 20);
            for (int i = 0; i < INSTANCES; i++) {
                SluiceProcess old = live.get(0);
                live.remove(old);
                old.close();
                assertThat(old.errorLines()).as(old.logTail()).isEmpty();
                live.add(start(store, standIn, started.incrementAndGet()));
            }
            client.get(3, TimeUnit.MINUTES);
            assertThat(acknowledged).hasSize(QUERIES);

            ApiClient api = live.get(0).api();
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                for (String id : acknowledged.keySet()) {
                    assertThat(api.state(id)).as(id).isIn("SUCCEEDED", "FAILED", "CANCELLED");
                }
            });
            for (Map.Entry<String, Integer> query : acknowledged.entrySet()) {
                ApiClient.Response status = api.get("/api/query/" + query.getKey() + "/status");
                assertThat(status.data().path("state").asText()).as(status.toString()).isEqualTo("SUCCEEDED");
                ApiClient.Response results = api.get("/api/query/" + query.getKey() + "/results");
                assertThat(results.data().path("rows").get(0).get(0).asInt()).isEqualTo(query.getValue());
            }
            // Exactly one Athena execution per stored Athena run; a submit that went unanswered (an
            // instance stopping under it) and was sent again elsewhere may have stored one more query.
            int athenaRuns = ClusterFixture.athenaRuns(store, ATHENA_MARKER);
            List<String> executions = standIn.executionIds(ATHENA_MARKER);
            assertThat(executions).hasSize(athenaRuns).doesNotHaveDuplicates();
            assertThat(athenaRuns).isBetween(QUERIES / 2, QUERIES / 2 + unanswered.get());
            int handedOver = ClusterFixture.assertOnePollerAtATime(standIn, executions, null);
            assertThat(handedOver).as("Athena queries handed from a stopping instance to another").isPositive();
            for (SluiceProcess instance : live) {
                assertThat(instance.errorLines()).as(instance.logTail()).isEmpty();
            }
        } finally {
            live.forEach(SluiceProcess::kill);
            standIn.close();
        }
    }

    private SluiceProcess start(EmbeddedDatabases.Store store, AthenaStandIn standIn, int generation) {
        ObjectNode config = config(dir.resolve("gen-" + generation), null, store, standIn, LEASE_SECONDS);
        ((ObjectNode) config.get("server")).put("shutdownGraceSeconds", 10);
        ((ObjectNode) config.get("queries")).put("workers", 2);
        return SluiceProcess.start(dir, "instance-" + generation, config, credentials(standIn));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
