package io.sluice.sync;

import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.SluiceExtension;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.sluice.testing.Queries.LONG_RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A synchronous query, cancellable by its request id; the cancelled request answers 499. */
class SyncQueryApiTest {

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
    void answersWithTheFirstPageInline() {
        Response r = api.post("/api/duckdb/query", Map.of("sql", "SELECT range AS n FROM range(250)",
                "request_id", "sync:first-page", "limit", 100));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.messageCode()).isEqualTo("QUERY_SUCCEEDED");
        assertThat(r.data().path("request_id").asText()).isEqualTo("sync:first-page");
        assertThat(r.data().path("rows")).hasSize(100);
        assertThat(r.data().path("totalRows").asLong()).isEqualTo(250);
        String queryId = r.data().path("query_id").asText();
        // It is an ordinary query underneath: status and further pages work.
        assertThat(api.state(queryId)).isEqualTo("SUCCEEDED");
        assertThat(api.get("/api/query/" + queryId + "/results?offset=200").data().path("rows")).hasSize(50);
    }

    @Test
    void cancelByRequestIdMakesTheWaitingRequestAnswer499() {
        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() ->
                api.post("/api/duckdb/query", Map.of("sql", LONG_RUNNING, "request_id", "sync:long-1")));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.sluice().runner().busyWorkers() == 1);

        long before = System.nanoTime();
        Response cancel = api.post("/api/query/cancel/sync:long-1");
        assertThat(cancel.status()).isEqualTo(200);
        assertThat(cancel.json().path("success").asBoolean()).isTrue();
        assertThat(cancel.data().path("request_id").asText()).isEqualTo("sync:long-1");
        assertThat(cancel.messageCode()).isEqualTo("QUERY_CANCELLED");
        assertThat(cancel.json().path("message").asText()).isEqualTo("取消请求已提交");

        Response cancelled = waiting.join();
        // A cancel takes effect within 2 s (typically a few ms).
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));
        assertThat(cancelled.status()).isEqualTo(499);
        assertThat(cancelled.messageCode()).isEqualTo("QUERY_CANCELLED");
        assertThat(cancelled.json().path("success").asBoolean()).isFalse();
        assertThat(cancelled.data().path("cancelled").asBoolean()).isTrue();
        assertThat(cancelled.data().path("request_id").asText()).isEqualTo("sync:long-1");
        // The query runs for minutes unless interrupted; 5 s leaves room for a loaded CI machine.
        await().atMost(Duration.ofSeconds(5)).until(() -> server.sluice().runner().busyWorkers() == 0);

        Response again = api.post("/api/query/cancel/sync:long-1");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.messageCode()).isEqualTo("QUERY_ALREADY_CANCELLED");
    }

    @Test
    void cancellingAFinishedRequestIsANoOp() {
        api.post("/api/duckdb/query", Map.of("sql", "SELECT 1", "request_id", "sync:done"));
        Response r = api.post("/api/query/cancel/sync:done");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.messageCode()).isEqualTo("QUERY_ALREADY_FINISHED");
        assertThat(r.data().path("request_id").asText()).isEqualTo("sync:done");
    }

    @Test
    void unknownRequestIdsAreNotFound() {
        Response r = api.post("/api/query/cancel/sync:never-submitted");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errorCode()).isEqualTo("REQUEST_NOT_FOUND");
        assertThat(api.post("/api/query/cancel/" + "x".repeat(300)).errorCode()).isEqualTo("REQUEST_NOT_FOUND");
    }

    @Test
    void aRunningRequestIdCannotBeReused() {
        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() ->
                api.post("/api/duckdb/query", Map.of("sql", LONG_RUNNING, "request_id", "sync:dup")));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.sluice().runner().busyWorkers() == 1);
        Response dup = api.post("/api/duckdb/query", Map.of("sql", "SELECT 1", "request_id", "sync:dup"));
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.errorCode()).isEqualTo("REQUEST_ID_IN_USE");
        api.post("/api/query/cancel/sync:dup");
        assertThat(waiting.join().status()).isEqualTo(499);
    }

    @Test
    void failuresAndBadInputUseTheStandardErrors() {
        Response failed = api.post("/api/duckdb/query", Map.of("sql", "SELECT * FROM nope_table"));
        assertThat(failed.status()).isEqualTo(422);
        assertThat(failed.errorCode()).isEqualTo("QUERY_FAILED");
        assertThat(api.post("/api/duckdb/query", Map.of("sql", " ")).errorCode()).isEqualTo("QUERY_EMPTY");
        assertThat(api.post("/api/duckdb/query", Map.of("sql", "SELECT 1", "request_id", "bad id!")).errorCode())
                .isEqualTo("INVALID_REQUEST_ID");
        assertThat(api.post("/api/duckdb/query", Map.of("sql", "SELECT 1", "limit", 5000)).errorCode())
                .isEqualTo("INVALID_LIMIT");
    }
}
