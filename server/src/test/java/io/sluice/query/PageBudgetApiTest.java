package io.sluice.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.SluiceExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static io.sluice.testing.Queries.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A result holding a 100 MB value is served in bounded pages: eight requests at once all answer
 * 200 with bodies within the page budget, paging continues where a short page stopped, and the
 * value itself streams whole from the value route.
 */
class PageBudgetApiTest {

    private static final int MAX_PAGE_BYTES = 1024 * 1024;
    private static final int MAX_VALUE_BYTES = 64 * 1024;
    /** Room for the envelope, the columns and the page's other fields around the rows. */
    private static final int ENVELOPE_BYTES = 4096;
    private static final int HUGE = 100_000_000;
    private static final int ROWS = 300;

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension(c -> ((ObjectNode) c.get("results"))
            .put("maxPageBytes", MAX_PAGE_BYTES).put("maxValueBytes", MAX_VALUE_BYTES), Clock.systemUTC());
    static ApiClient api;
    static String id;

    @BeforeAll
    static void storeAHugeValue() {
        api = sluice.api();
        id = api.submit("SELECT n, CASE WHEN n = 0 THEN repeat('x', " + HUGE + ") ELSE repeat('y', 50000) END AS v "
                + "FROM range(" + ROWS + ") t(n) ORDER BY n");
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
    }

    @Test
    void eightConcurrentPagesOfAHugeValueAllAnswerWithinTheBudget() {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Response>> pages = IntStream.range(0, 8)
                    .mapToObj(i -> CompletableFuture.supplyAsync(
                            () -> api.get("/api/query/" + id + "/results?limit=1000"), pool))
                    .toList();
            for (CompletableFuture<Response> page : pages) {
                Response r = page.join();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.text().getBytes(StandardCharsets.UTF_8).length)
                        .isLessThan(MAX_PAGE_BYTES + ENVELOPE_BYTES);
                JsonNode data = r.data();
                assertThat(data.path("rows").size()).isBetween(1, 999);
                assertThat(data.path("rows").get(0).get(1).asText()).isEqualTo("x".repeat(MAX_VALUE_BYTES));
                JsonNode cut = data.path("truncatedCells").get(0);
                assertThat(cut.path("row").asInt()).isZero();
                assertThat(cut.path("column").asInt()).isEqualTo(1);
                assertThat(cut.path("bytes").asLong()).isEqualTo(HUGE);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shortPagesContinueWhereTheyStoppedUntilEveryRowWasSeen() {
        long expected = 0;
        String cursor = null;
        int pages = 0;
        do {
            String query = "?limit=1000" + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            Response r = api.get("/api/query/" + id + "/results" + query);
            assertThat(r.text().getBytes(StandardCharsets.UTF_8).length).isLessThan(MAX_PAGE_BYTES + ENVELOPE_BYTES);
            JsonNode data = r.data();
            assertThat(data.path("offset").asLong()).isEqualTo(expected);
            assertThat(data.path("rows").size()).isPositive();
            for (JsonNode row : data.path("rows")) {
                assertThat(row.get(0).asLong()).isEqualTo(expected);
                if (expected > 0) {
                    assertThat(row.get(1).asText()).isEqualTo("y".repeat(50000));
                }
                expected++;
            }
            cursor = data.path("nextCursor").isNull() ? null : data.path("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(expected).isEqualTo(ROWS);
        // 50 kB rows in 1 MiB pages: about twenty rows a page.
        assertThat(pages).isBetween(ROWS / 21, ROWS / 15);
    }

    @Test
    void theHugeValueStreamsWholeFromTheValueRoute() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<InputStream> response = http.send(api.request("/api/query/" + id + "/value?row=0&column=1")
                .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        long bytes = 0;
        boolean onlyX = true;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream body = response.body()) {
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    onlyX &= buffer[i] == 'x';
                }
                bytes += n;
            }
        }
        assertThat(bytes).isEqualTo(HUGE);
        assertThat(onlyX).isTrue();
    }
}
