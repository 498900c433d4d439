package io.sluice.metrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.PrometheusText;
import io.sluice.testing.SluiceExtension;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.sluice.testing.Queries.LONG_RUNNING;
import static io.sluice.testing.Queries.awaitEnd;
import static io.sluice.testing.Queries.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /metrics} of a real server on DuckDB: runs by engine and end state with their times
 * and stored bytes, the worker pool, requests by route template and outcome, the store's pool and
 * the JVM, as Prometheus text. One worker, so a second long query waits in the queue.
 */
class MetricsApiTest {

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension(root -> {
        ((ObjectNode) root.get("queries")).put("workers", 1);
        ((ObjectNode) root.get("engines").get("duckdb")).put("sampleData", false);
    }, Clock.systemUTC());
    static ApiClient api;
    static TestServer server;

    @BeforeAll
    static void start() {
        api = sluice.api();
        server = sluice.server();
    }

    private static PrometheusText scrape() {
        return PrometheusText.scrape(api);
    }

    @Test
    void runsAreCountedByEngineAndEndStateWithTheirTimesAndStoredBytes() {
        PrometheusText before = scrape();
        String succeeded = api.submit("SELECT range AS n, 'row ' || range AS label FROM range(1000)");
        String failed = api.submit("SELEC 1");
        String cancelled = api.submit(LONG_RUNNING);
        awaitState(api, cancelled, "RUNNING");
        assertThat(api.post("/api/query/" + cancelled + "/cancel").status()).isEqualTo(200);
        assertThat(awaitEnd(api, succeeded)).isEqualTo("SUCCEEDED");
        assertThat(awaitEnd(api, failed)).isEqualTo("FAILED");
        assertThat(awaitEnd(api, cancelled)).isEqualTo("CANCELLED");
        long resultBytes = api.get("/api/query/" + succeeded + "/status").data()
                .path("statistics").path("resultBytes").asLong();
        assertThat(resultBytes).isPositive();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            PrometheusText after = scrape();
            for (String state : new String[]{"SUCCEEDED", "FAILED", "CANCELLED"}) {
                assertThat(delta(before, after, "sluice_query_runs_total", Map.of("engine", "duckdb", "state", state)))
                        .as(state).isEqualTo(1);
            }
            assertThat(delta(before, after, "sluice_query_runs_total", Map.of("state", "TIMED_OUT"))).isZero();
            Map<String, String> duckdb = Map.of("engine", "duckdb");
            assertThat(delta(before, after, "sluice_query_run_duration_seconds_count", duckdb)).isEqualTo(3);
            assertThat(delta(before, after, "sluice_query_queue_duration_seconds_count", duckdb)).isEqualTo(3);
            // Only the succeeded run stored a result, of exactly the size its statistics show.
            assertThat(delta(before, after, "sluice_result_stored_bytes_total", duckdb)).isEqualTo(resultBytes);
        });
        PrometheusText now = scrape();
        // Histograms with explicit buckets: every run took at most "+Inf", and the buckets are the documented ones.
        assertThat(now.find("sluice_query_run_duration_seconds_bucket", Map.of("engine", "duckdb", "le", "+Inf")))
                .singleElement().extracting(PrometheusText.Sample::value)
                .isEqualTo(now.sum("sluice_query_run_duration_seconds_count", Map.of("engine", "duckdb")));
        assertThat(now.find("sluice_query_run_duration_seconds_bucket", Map.of("engine", "duckdb", "le", "1.0")))
                .hasSize(1);
        assertThat(now.find("sluice_query_queue_duration_seconds_bucket", Map.of("engine", "duckdb", "le", "0.01")))
                .hasSize(1);
        assertThat(now.text()).contains("# TYPE sluice_query_runs_total counter");
    }

    @Test
    void queueDepthAndBusyWorkersFollowTheWorkerPool() {
        String running = api.submit(LONG_RUNNING);
        awaitState(api, running, "RUNNING");
        String waiting = api.submit(LONG_RUNNING);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            PrometheusText now = scrape();
            assertThat(now.sum("sluice_query_workers_busy", Map.of())).isEqualTo(1);
            assertThat(now.sum("sluice_query_queue_depth", Map.of())).isEqualTo(1);
        });
        assertThat(api.state(waiting)).isEqualTo("QUEUED");

        api.post("/api/query/" + waiting + "/cancel");
        api.post("/api/query/" + running + "/cancel");
        awaitEnd(api, running);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            PrometheusText now = scrape();
            assertThat(now.sum("sluice_query_workers_busy", Map.of())).isZero();
            assertThat(now.sum("sluice_query_queue_depth", Map.of())).isZero();
        });
    }

    @Test
    void requestsAreCountedByRouteTemplateAndOutcomeNeverByTheirIds() {
        String unknownId = UUID.randomUUID().toString();
        Map<String, String> notFound = Map.of("route", "/api/query/{id}/status", "method", "GET", "status", "404",
                "outcome", "CLIENT_ERROR");
        Map<String, String> found = Map.of("route", "/api/query/{id}/status", "method", "GET", "status", "200",
                "outcome", "SUCCESS");
        Map<String, String> unmatched = Map.of("route", "UNMATCHED", "status", "404", "outcome", "CLIENT_ERROR");
        PrometheusText before = scrape();
        String known = api.submit("SELECT 1");
        awaitEnd(api, known);
        assertThat(api.get("/api/query/" + unknownId + "/status").status()).isEqualTo(404);
        assertThat(api.get("/api/query/" + unknownId + "/status").status()).isEqualTo(404);
        assertThat(api.get("/api/no-such-route/" + unknownId).status()).isEqualTo(404);
        String timings = "sluice_http_server_requests_seconds_count";
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            PrometheusText after = scrape();
            assertThat(delta(before, after, timings, notFound)).isEqualTo(2);
            assertThat(delta(before, after, timings, found)).isPositive(); // the waits above polled it
            assertThat(delta(before, after, timings, unmatched)).isEqualTo(1);
            assertThat(delta(before, after, timings, Map.of("route", "/api/query", "method", "POST", "status", "202",
                    "outcome", "SUCCESS"))).isEqualTo(1);
        });
        PrometheusText now = scrape();
        assertThat(now.text()).doesNotContain(unknownId).doesNotContain(known);
        assertThat(now.find(timings, Map.of())).allSatisfy(s ->
                assertThat(s.labels().get("route")).matches("/[A-Za-z0-9/{}_-]*|UI|UNMATCHED"));
        assertThat(now.find(timings, Map.of("outcome", "SERVER_ERROR"))).isEmpty();
    }

    @Test
    void aCancelledSynchronousQueryIsCountedAsClientClosedNotAsAnError() {
        Map<String, String> closed = Map.of("route", "/api/{engine}/query", "method", "POST", "status", "499",
                "outcome", "CLIENT_CLOSED");
        String timings = "sluice_http_server_requests_seconds_count";
        PrometheusText before = scrape();
        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() ->
                api.post("/api/duckdb/query", Map.of("sql", LONG_RUNNING, "request_id", "sync:metrics-499")));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.sluice().runner().busyWorkers() == 1);
        assertThat(api.post("/api/query/cancel/sync:metrics-499").status()).isEqualTo(200);
        assertThat(waiting.join().status()).isEqualTo(499);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            PrometheusText after = scrape();
            assertThat(delta(before, after, timings, closed)).isEqualTo(1);
            assertThat(delta(before, after, timings, Map.of("route", "/api/query/cancel/{request_id}",
                    "status", "200", "outcome", "SUCCESS"))).isEqualTo(1);
            assertThat(delta(before, after, timings, Map.of("outcome", "CLIENT_ERROR"))).isZero();
            assertThat(delta(before, after, "sluice_query_runs_total",
                    Map.of("engine", "duckdb", "state", "CANCELLED"))).isEqualTo(1);
        });
        assertThat(scrape().text()).doesNotContain("sync:metrics-499");
    }

    @Test
    void theAnswerIsPrometheusTextAndHeadAnswersLikeGet() {
        Response get = api.get("/metrics");
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.headers().get("content-type")).containsExactly("text/plain; version=0.0.4; charset=utf-8");
        assertThat(get.json()).isNull(); // not the envelope
        assertThat(get.text()).contains("# HELP ").contains("# TYPE ");

        Response head = api.method("HEAD", "/metrics");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.headers().get("content-type")).containsExactly("text/plain; version=0.0.4; charset=utf-8");
        assertThat(head.text()).isEmpty();
    }

    @Test
    void theStorePoolAndTheJvmAreReported() {
        PrometheusText now = scrape();
        Map<String, String> pool = Map.of("pool", "sluice-store");
        assertThat(now.find("hikaricp_connections_max", pool)).singleElement()
                .extracting(PrometheusText.Sample::value).isEqualTo((double) server.config().store().maxPoolSize());
        for (String gauge : new String[]{"hikaricp_connections_active", "hikaricp_connections_idle",
                "hikaricp_connections_pending", "hikaricp_connections"}) {
            assertThat(now.find(gauge, pool)).as(gauge).hasSize(1);
        }
        assertThat(now.sum("hikaricp_connections_active", pool) + now.sum("hikaricp_connections_idle", pool))
                .isEqualTo(now.sum("hikaricp_connections", pool));
        assertThat(now.sum("jvm_memory_used_bytes", Map.of("area", "heap"))).isPositive();
        assertThat(now.sum("jvm_threads_live_threads", Map.of())).isPositive();
        assertThat(now.samples()).anyMatch(s -> s.name().startsWith("jvm_gc_"));
        assertThat(now.has("process_uptime_seconds")).isTrue();
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, Map<String, String> labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }
}
