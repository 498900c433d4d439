package io.sluice.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.SluiceExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.StreamSupport;

import static io.sluice.testing.Queries.LONG_RUNNING;
import static io.sluice.testing.Queries.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A synchronous query lives only as long as its client waits for it, and its request id names
 * one active query at a time, however many requests race for it.
 */
class SyncQueryHardeningApiTest {

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension();

    @Test
    void aClientThatHangsUpHasItsQueryCancelledAndFreesItsWorker() throws Exception {
        ApiClient api = sluice.api();
        List<Socket> clients = new ArrayList<>();
        // More abandoned requests than workers: before, they held all four workers for up to an
        // hour; two more waited QUEUED.
        for (int i = 0; i < 6; i++) {
            clients.add(postRaw(Map.of("sql", LONG_RUNNING, "request_id", "hangup-" + i)));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> sluice.server().sluice().runner().busyWorkers() == 4
                && sluice.server().sluice().runner().waitingLocalRuns() == 2);
        for (Socket client : clients) {
            client.close();
        }
        for (int i = 0; i < 6; i++) {
            String id = queryOf(api, "hangup-" + i).path("id").asText();
            assertThat(awaitEnd(api, id)).as("abandoned request %d", i).isEqualTo("CANCELLED");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sluice.server().sluice().runner().busyWorkers() == 0);
        Response quick = api.post("/api/duckdb/query", Map.of("sql", "SELECT 1 AS one"));
        assertThat(quick.status()).isEqualTo(200);
    }

    @Test
    void aClientThatWaitsGetsItsAnswerAndItsConnectionServesTheNextRequest() {
        ApiClient api = sluice.api();
        // The same HttpClient connection carries both requests (keep-alive) after the watch stopped.
        for (int i = 0; i < 3; i++) {
            Response r = api.post("/api/duckdb/query", Map.of("sql", "SELECT " + i + " AS n", "request_id", "keep-" + i));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.data().path("rows").get(0).get(0).asInt()).isEqualTo(i);
        }
    }

    @Test
    void concurrentRequestsWithOneRequestIdStartOneQuery() throws Exception {
        ApiClient api = sluice.api();
        for (int trial = 0; trial < 10; trial++) {
            String requestId = "race-" + trial;
            int racers = 10;
            CyclicBarrier start = new CyclicBarrier(racers);
            List<CompletableFuture<Response>> answers = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return api.post("/api/duckdb/query", Map.of("sql", LONG_RUNNING, "request_id", requestId));
                }));
            }
            // Every racer but one is refused at once; the one that started waits for its query.
            await().atMost(Duration.ofSeconds(20)).until(() -> answers.stream().filter(CompletableFuture::isDone).count()
                    == racers - 1);
            for (CompletableFuture<Response> answer : answers) {
                if (answer.isDone()) {
                    assertThat(answer.get().status()).isEqualTo(409);
                    assertThat(answer.get().errorCode()).isEqualTo("REQUEST_ID_IN_USE");
                }
            }
            assertThat(queriesWith(api, requestId)).hasSize(1);
            CompletableFuture<Response> winner = answers.stream().filter(a -> !a.isDone()).findFirst().orElseThrow();
            // The one cancel stops the one query, and its request answers 499.
            assertThat(api.post("/api/query/cancel/" + requestId).status()).isEqualTo(200);
            assertThat(winner.get(10, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(499);
            await().atMost(Duration.ofSeconds(10)).until(() -> sluice.server().sluice().runner().busyWorkers() == 0);
        }
    }

    /** Sends a synchronous query on a raw connection and leaves the connection open, unread. */
    private static Socket postRaw(Map<String, Object> body) throws IOException {
        String json = io.sluice.Json.mapper().writeValueAsString(body);
        Socket socket = new Socket("127.0.0.1", sluice.api().base().getPort());
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/duckdb/query HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + json.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + json)
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
        return socket;
    }

    private static JsonNode queryOf(ApiClient api, String requestId) {
        List<JsonNode> found = queriesWith(api, requestId);
        assertThat(found).as("queries with request id %s", requestId).hasSize(1);
        return found.get(0);
    }

    private static List<JsonNode> queriesWith(ApiClient api, String requestId) {
        JsonNode items = api.get("/api/queries?limit=200").data().path("items");
        return StreamSupport.stream(items.spliterator(), false)
                .filter(item -> requestId.equals(item.path("requestId").asText()))
                .toList();
    }
}
