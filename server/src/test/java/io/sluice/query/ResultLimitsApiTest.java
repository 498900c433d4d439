package io.sluice.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.SluiceExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.util.Map;

import static io.sluice.testing.Queries.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DuckDB results past {@code maxResultRows} or {@code maxResultBytes} are stored up to the limit
 * and the query succeeds, marked truncated on every view of it: status, history, results and the
 * synchronous answer.
 */
class ResultLimitsApiTest {

    private static final int MAX_ROWS = 1000;
    private static final int MAX_BYTES = 65_536;

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension(c -> ((ObjectNode) c.get("engines").get("duckdb"))
            .put("maxResultRows", MAX_ROWS).put("maxResultBytes", MAX_BYTES), Clock.systemUTC());
    static ApiClient api;

    @BeforeAll
    static void start() {
        api = sluice.api();
    }

    private static void assertTruncated(JsonNode view, String reason, long limit) {
        assertThat(view.path("truncated").asBoolean()).isTrue();
        assertThat(view.path("truncation").path("reason").asText()).isEqualTo(reason);
        assertThat(view.path("truncation").path("limit").asLong()).isEqualTo(limit);
    }

    private static JsonNode historyItem(String id) {
        for (JsonNode item : api.get("/api/queries?limit=200").data().path("items")) {
            if (item.path("id").asText().equals(id)) {
                return item;
            }
        }
        throw new AssertionError("query " + id + " is not in the history");
    }

    @Test
    void moreRowsThanTheLimitSucceedTruncatedOnEveryView() {
        String id = api.submit("SELECT range AS n FROM range(5000) ORDER BY n");
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");

        JsonNode status = api.get("/api/query/" + id + "/status").data();
        assertTruncated(status, "MAX_RESULT_ROWS", MAX_ROWS);
        assertThat(status.path("statistics").path("rows").asLong()).isEqualTo(MAX_ROWS);
        assertThat(status.path("error").isNull()).isTrue();
        assertTruncated(historyItem(id), "MAX_RESULT_ROWS", MAX_ROWS);
        JsonNode page = api.get("/api/query/" + id + "/results?offset=900&limit=1000").data();
        assertTruncated(page, "MAX_RESULT_ROWS", MAX_ROWS);
        assertThat(page.path("totalRows").asLong()).isEqualTo(MAX_ROWS);
        assertThat(page.path("rows")).hasSize(100);
        assertThat(page.path("rows").get(99).get(0).asLong()).as("the first rows are kept").isEqualTo(999);
    }

    @Test
    void moreBytesThanTheLimitSucceedTruncatedWithinTheLimit() {
        String id = api.submit("SELECT range AS n, repeat('z', 1000) AS s FROM range(500) ORDER BY n");
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");

        JsonNode status = api.get("/api/query/" + id + "/status").data();
        assertTruncated(status, "MAX_RESULT_BYTES", MAX_BYTES);
        long rows = status.path("statistics").path("rows").asLong();
        assertThat(status.path("statistics").path("resultBytes").asLong()).isLessThanOrEqualTo(MAX_BYTES);
        // Each row is [n,"zzz…"] and a line end: about 1,010 bytes, so 64 of them fit in 64 KiB.
        assertThat(rows).isBetween(60L, 65L);
        JsonNode page = api.get("/api/query/" + id + "/results?limit=1000").data();
        assertTruncated(page, "MAX_RESULT_BYTES", MAX_BYTES);
        assertThat(page.path("rows")).hasSize((int) rows);
        assertThat(page.path("rows").get((int) rows - 1).get(1).asText()).isEqualTo("z".repeat(1000));
    }

    @Test
    void aQueryOfEndlessRowsStopsAtTheLimitAndSucceeds() {
        String id = api.submit("SELECT range AS n FROM range(1000000000000)");
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
        assertTruncated(api.get("/api/query/" + id + "/status").data(), "MAX_RESULT_ROWS", MAX_ROWS);
    }

    @Test
    void aCompleteResultIsNotTruncatedAnywhere() {
        String id = api.submit("SELECT 1 AS one");
        awaitEnd(api, id);
        for (JsonNode view : new JsonNode[] {api.get("/api/query/" + id + "/status").data(), historyItem(id),
                api.get("/api/query/" + id + "/results").data()}) {
            assertThat(view.path("truncated").isBoolean()).isTrue();
            assertThat(view.path("truncated").asBoolean()).isFalse();
            assertThat(view.has("truncation")).isTrue();
            assertThat(view.path("truncation").isNull()).isTrue();
        }
        assertThat(api.get("/api/query/" + id + "/results").data().path("truncatedCells")).isEmpty();
    }

    @Test
    void theSynchronousAnswerCarriesTheTruncation() {
        Response r = api.post("/api/duckdb/query", Map.of("sql", "SELECT range AS n FROM range(2000)", "limit", 10));
        assertThat(r.status()).isEqualTo(200);
        assertTruncated(r.data(), "MAX_RESULT_ROWS", MAX_ROWS);
        assertThat(r.data().path("totalRows").asLong()).isEqualTo(MAX_ROWS);
        assertThat(r.data().path("truncatedCells")).isEmpty();

        Response complete = api.post("/api/duckdb/query", Map.of("sql", "SELECT 2 AS two"));
        assertThat(complete.data().path("truncated").asBoolean()).isFalse();
        assertThat(complete.data().path("truncation").isNull()).isTrue();
    }

    @Test
    void theLimitsAreShownInTheEffectiveConfiguration() {
        JsonNode duck = api.get("/api/config").data().path("engines").get(0);
        assertThat(duck.path("maxResultRows").asLong()).isEqualTo(MAX_ROWS);
        assertThat(duck.path("maxResultBytes").asLong()).isEqualTo(MAX_BYTES);
        JsonNode results = api.get("/api/config").data().path("results");
        assertThat(results.path("maxPageBytes").asLong()).isEqualTo(4L * 1024 * 1024);
        assertThat(results.path("maxValueBytes").asLong()).isEqualTo(64L * 1024);
    }
}
