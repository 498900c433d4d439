package io.sluice.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.SluiceExtension;
import io.sluice.testing.TestServer;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.sluice.testing.Queries.LONG_RUNNING;
import static io.sluice.testing.Queries.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cancel, completion and refresh race under real concurrency (HTTP, worker pool, H2, DuckDB),
 * hundreds of times. Invariants: a completed query never becomes cancelled; what the cancel call
 * answered is what is stored; a cancelled run never shows a result; no worker is left busy. Each
 * race must have gone both ways at least once, or it proved nothing. (The exact interleavings are
 * placed one by one in {@link CancelInterleavingTest}; {@link ServiceRaceTest} races without HTTP.)
 */
class LifecycleRaceTest {

    static final int ITERATIONS = 300;

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension();
    static ApiClient api;
    static TestServer server;
    static Path dir;
    static final ExecutorService pool = Executors.newFixedThreadPool(4);

    @BeforeAll
    static void start() {
        api = sluice.api();
        server = sluice.server();
        dir = sluice.dir();
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
    }

    @Test
    void cancelAtStartAlwaysFreesTheWorker() {
        int hitRunning = 0;
        for (int i = 0; i < ITERATIONS / 2; i++) {
            String id = api.submit(LONG_RUNNING);
            spin(i);
            Response cancel = api.post("/api/query/" + id + "/cancel");
            assertThat(cancel.status()).as("iteration %d: %s", i, cancel).isEqualTo(200);
            assertThat(cancel.messageCode()).isEqualTo("QUERY_CANCELLED");
            // The statement is interrupted wherever the cancel landed: the worker is free again soon.
            soon(Duration.ofSeconds(5)).until(() -> server.sluice().runner().busyWorkers() == 0);
            JsonNode status = api.get("/api/query/" + id + "/status").data();
            assertThat(status.path("state").asText()).isEqualTo("CANCELLED");
            if (status.path("startedAt").isTextual()) {
                hitRunning++;
            }
        }
        assertThat(hitRunning).as("cancels that hit a RUNNING query").isPositive();
    }

    @Test
    void cancelRacingCompletionNeverCancelsACompletedQuery() {
        int cancelled = 0;
        int cancelledWhileRunning = 0;
        int completed = 0;
        long spread = ServiceRaceTest.FIRST_SPREAD_NANOS;
        for (int i = 0; i < ITERATIONS; i++) {
            // The head start widens while completions never win (a loaded machine, a slower store)
            // and narrows while cancels never win, so that both outcomes are reached on any machine.
            if (i > 0 && i % ServiceRaceTest.SPREAD_STEPS == 0) {
                if (completed == 0 && spread < ServiceRaceTest.MAX_SPREAD_NANOS) {
                    spread *= 2;
                } else if (cancelled == 0 && spread > ServiceRaceTest.SPREAD_STEPS) {
                    spread /= 2;
                }
            }
            // Small queries that finish in about the time a cancel takes to arrive, and a varying
            // head start: the cancel lands before the run, during it, and as it completes.
            String id = api.submit("SELECT sum(range) FROM range(" + (i % 7) * 20_000 + ")");
            ServiceRaceTest.spinNanos((i % ServiceRaceTest.SPREAD_STEPS) * spread / ServiceRaceTest.SPREAD_STEPS);
            Response cancel = api.post("/api/query/" + id + "/cancel");
            String finalState = awaitEnd(api, id);
            Response results = api.get("/api/query/" + id + "/results");
            if (cancel.status() == 200) {
                assertThat(cancel.messageCode()).isEqualTo("QUERY_CANCELLED");
                assertThat(finalState).isEqualTo("CANCELLED");
                assertThat(results.status()).isEqualTo(410);
                // A result the worker published before losing the race is removed (it was never served).
                soon(Duration.ofSeconds(5))
                        .until(() -> !Files.exists(dir.resolve("results").resolve(id).resolve("1")));
                if (api.get("/api/query/" + id + "/status").data().path("startedAt").isTextual()) {
                    cancelledWhileRunning++;
                }
                cancelled++;
            } else {
                assertThat(cancel.status()).isEqualTo(409);
                assertThat(cancel.errorCode()).isEqualTo("QUERY_ALREADY_FINISHED");
                assertThat(finalState).isEqualTo("SUCCEEDED");
                assertThat(results.status()).isEqualTo(200);
                completed++;
            }
            // Whatever happened is final: a second cancel changes nothing.
            api.post("/api/query/" + id + "/cancel");
            assertThat(api.state(id)).isEqualTo(finalState);
        }
        assertThat(cancelled + completed).isEqualTo(ITERATIONS);
        assertThat(cancelled).as("cancels that won").isPositive();
        assertThat(cancelledWhileRunning).as("cancels that hit a RUNNING query").isPositive();
        assertThat(completed).as("completions that won").isPositive();
        soon(Duration.ofSeconds(5)).until(() -> server.sluice().runner().busyWorkers() == 0);
    }

    @Test
    void refreshRacingCancelLeavesAConsistentRun() throws Exception {
        int cancelledNewRun = 0;
        int sawFinishedRun = 0;
        for (int i = 0; i < ITERATIONS / 2; i++) {
            String id = api.submit("SELECT " + i + " AS n");
            awaitEnd(api, id);
            CyclicBarrier start = new CyclicBarrier(2);
            CompletableFuture<Response> refresh = CompletableFuture.supplyAsync(() -> {
                awaitBarrier(start);
                return api.post("/api/query/" + id + "/refresh");
            }, pool);
            CompletableFuture<Response> cancel = CompletableFuture.supplyAsync(() -> {
                awaitBarrier(start);
                return api.post("/api/query/" + id + "/cancel");
            }, pool);
            assertThat(refresh.get().status()).isEqualTo(202);
            Response c = cancel.get();
            String finalState = awaitEnd(api, id);
            var status = api.get("/api/query/" + id + "/status").data();
            assertThat(status.path("run").asInt()).isEqualTo(2);
            if (c.status() == 200) {
                // The cancel hit the new run.
                assertThat(finalState).isEqualTo("CANCELLED");
                assertThat(api.get("/api/query/" + id + "/results").status()).isEqualTo(410);
                cancelledNewRun++;
            } else {
                // The cancel saw the finished first run; the new run completes.
                assertThat(c.errorCode()).isEqualTo("QUERY_ALREADY_FINISHED");
                assertThat(finalState).isEqualTo("SUCCEEDED");
                assertThat(api.get("/api/query/" + id + "/results").data().path("rows").get(0).get(0).asInt())
                        .isEqualTo(i);
                sawFinishedRun++;
            }
            // The first run's result is gone either way.
            assertThat(Files.exists(dir.resolve("results").resolve(id).resolve("1"))).isFalse();
            assertThat(api.get("/api/query/" + id + "/results?cursor=" + new ResultCursor(1, 0).encode()).status())
                    .isIn(400, 410);
        }
        assertThat(cancelledNewRun).as("cancels that hit the new run").isPositive();
        assertThat(sawFinishedRun).as("cancels that saw the finished run").isPositive();
        soon(Duration.ofSeconds(5)).until(() -> server.sluice().runner().busyWorkers() == 0);
    }

    /** A head start of 0..1.5 ms, in 100 µs steps (busy-waiting: sleeping is far too coarse). */
    private static void spin(int step) {
        long until = System.nanoTime() + (step % 16) * 100_000L;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    private static ConditionFactory soon(Duration atMost) {
        return await().atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
    }

    private static void awaitBarrier(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
