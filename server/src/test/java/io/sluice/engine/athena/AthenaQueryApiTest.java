package io.sluice.engine.athena;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.AthenaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static io.sluice.testing.Queries.awaitEnd;
import static io.sluice.testing.Queries.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The athena engine end to end: Sluice's HTTP API → the real AWS SDK → the Athena stand-in →
 * result files in S3 → Sluice's result store.
 */
class AthenaQueryApiTest {

    @TempDir
    static Path dir;
    static AthenaFixture athena;
    static ApiClient api;

    @BeforeAll
    static void start() {
        athena = AthenaFixture.start(dir, c -> { });
        api = athena.api();
    }

    @AfterAll
    static void stop() {
        athena.close();
    }

    @AfterEach
    void resetFaults() {
        athena.standIn().faults().reset();
        athena.standIn().faults().releaseHeld();
    }

    @Test
    void valuesSurviveTheTripThroughAthenasCsv() {
        String id = athena.submit("""
                SELECT NULL::VARCHAR AS a_null, '' AS empty, 'null' AS null_text,
                       'quote " comma , newline
                next' AS tricky, '中文 ☃ 🚀' AS unicode, 42::BIGINT AS n, 1.5::DOUBLE AS d, true AS b,
                       12.30::DECIMAL(10,2) AS dec""");
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
        Response r = api.get("/api/query/" + id + "/results");
        JsonNode row = r.data().path("rows").get(0);
        assertThat(row.get(0).isNull()).isTrue();
        assertThat(row.get(1).isTextual()).isTrue();
        assertThat(row.get(1).asText()).isEmpty();
        assertThat(row.get(2).asText()).isEqualTo("null");
        assertThat(row.get(3).asText()).isEqualTo("quote \" comma , newline\nnext");
        assertThat(row.get(4).asText()).isEqualTo("中文 ☃ 🚀");
        assertThat(row.get(5).isIntegralNumber()).isTrue();
        assertThat(row.get(5).asLong()).isEqualTo(42);
        assertThat(row.get(6).asDouble()).isEqualTo(1.5);
        assertThat(row.get(7).asBoolean()).isTrue();
        assertThat(row.get(8).asText()).isEqualTo("12.30");
        JsonNode columns = r.data().path("columns");
        assertThat(columns.get(5).path("type").asText()).isEqualTo("bigint");
        assertThat(columns.get(8).path("type").asText()).isEqualTo("decimal(10,2)");
        JsonNode status = api.get("/api/query/" + id + "/status").data();
        assertThat(status.path("engine").asText()).isEqualTo("athena");
        assertThat(status.path("catalog").asText()).isEqualTo("AwsDataCatalog");
        assertThat(status.path("database").asText()).isEqualTo("analytics");
    }

    @Test
    void largeResultsPageExactlyLikeDuckDb() {
        String id = athena.submit("SELECT range AS n, 'v' || range AS s FROM range(12345) ORDER BY n");
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
        long expected = 0;
        String cursor = null;
        do {
            JsonNode data = api.get("/api/query/" + id + "/results?limit=1000"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8))).data();
            assertThat(data.path("totalRows").asLong()).isEqualTo(12_345);
            for (JsonNode row : data.path("rows")) {
                assertThat(row.get(0).asLong()).isEqualTo(expected);
                assertThat(row.get(1).asText()).isEqualTo("v" + expected);
                expected++;
            }
            cursor = data.path("nextCursor").isNull() ? null : data.path("nextCursor").asText();
        } while (cursor != null);
        assertThat(expected).isEqualTo(12_345);
        assertThat(api.get("/api/query/" + id + "/results").data().path("rows")).hasSize(100);
        assertThat(api.get("/api/query/" + id + "/results?limit=1001").errorCode()).isEqualTo("INVALID_LIMIT");
    }

    @Test
    void aSyntaxErrorFailsTheQueryWithAthenasMessage() {
        Response submit = api.post("/api/query", java.util.Map.of("query", "SELEC 1", "engine", "athena"));
        assertThat(submit.status()).isEqualTo(202);
        String id = submit.data().path("id").asText();
        assertThat(awaitEnd(api, id)).isEqualTo("FAILED");
        JsonNode error = api.get("/api/query/" + id + "/status").data().path("error");
        assertThat(error.path("code").asText()).isEqualTo("SYNTAX_ERROR");
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("details").path("athenaErrorCode").asText()).isEqualTo("MALFORMED_QUERY");
        assertThat(api.get("/api/query/" + id + "/results").status()).isEqualTo(422);
    }

    @Test
    void aRuntimeFailureCarriesAthenasErrorFields() {
        String id = athena.submit("SELECT CAST('not a number' AS INTEGER)");
        assertThat(awaitEnd(api, id)).isEqualTo("FAILED");
        JsonNode status = api.get("/api/query/" + id + "/status").data();
        JsonNode error = status.path("error");
        assertThat(error.path("code").asText()).isEqualTo("QUERY_FAILED");
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("details").path("errorCategory").asInt()).isEqualTo(2);
        assertThat(error.path("details").path("errorCategoryName").asText()).isEqualTo("USER");
        assertThat(error.path("details").has("retryable")).isTrue();
        assertThat(status.path("statistics").path("costUsd").asDouble()).isZero();
    }

    @Test
    void statisticsShowScanGigabytesCostAndReuse() {
        String sql = "SELECT event_type, count(*) AS n FROM events GROUP BY event_type ORDER BY event_type";
        String first = athena.submit(sql);
        assertThat(awaitEnd(api, first)).isEqualTo("SUCCEEDED");
        Response status = api.get("/api/query/" + first + "/status");
        JsonNode stats = status.data().path("statistics");
        assertThat(stats.path("dataScannedBytes").asLong()).isPositive();
        // Seed 000 §6: seconds and GB with two decimals.
        assertThat(status.text()).containsPattern("\"dataScannedGb\":\\d+\\.\\d{2}[,}]")
                .containsPattern("\"executionSeconds\":\\d+\\.\\d{2}[,}]")
                .containsPattern("\"queueSeconds\":\\d+\\.\\d{2}[,}]");
        // Under 10 MB scanned: billed the 10 MB minimum at $5 per TB.
        assertThat(stats.path("costUsd").asDouble()).isCloseTo(10.0 / (1024 * 1024) * 5.0, org.assertj.core.data.Offset.offset(5e-7));
        assertThat(stats.path("resultReused").asBoolean()).isFalse();
        assertThat(stats.path("queueSeconds").isNumber()).isTrue();
        assertThat(stats.path("executionSeconds").isNumber()).isTrue();
        assertThat(stats.path("rows").asLong()).isEqualTo(3);

        String second = athena.submit(sql);
        assertThat(awaitEnd(api, second)).isEqualTo("SUCCEEDED");
        JsonNode reused = api.get("/api/query/" + second + "/status").data().path("statistics");
        assertThat(reused.path("resultReused").asBoolean()).isTrue();
        assertThat(reused.path("costUsd").asDouble()).isZero();
        assertThat(api.get("/api/query/" + second + "/results").data().path("rows")).hasSize(3);
    }

    @Test
    void statementsWithoutACsvArePagedThroughGetQueryResults() {
        String id = athena.submit("SHOW TABLES");
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
        JsonNode rows = api.get("/api/query/" + id + "/results").data().path("rows");
        assertThat(rows.toString()).contains("events");
    }

    @Test
    void cancelWhileQueuedStopsTheAthenaQuery() {
        athena.standIn().faults().queueDelay(Duration.ofMinutes(10));
        String id = athena.submit("SELECT 1");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                !api.get("/api/query/" + id + "/status").data().path("statistics").isMissingNode()
                        && athena.standIn().calls().count("StartQueryExecution") > 0);
        awaitState(api, id, "QUEUED");
        long stops = athena.standIn().calls().count("StopQueryExecution");
        assertThat(api.post("/api/query/" + id + "/cancel").messageCode()).isEqualTo("QUERY_CANCELLED");
        assertThat(athena.standIn().calls().count("StopQueryExecution")).isGreaterThan(stops);
        assertThat(api.state(id)).isEqualTo("CANCELLED");
        assertThat(api.get("/api/query/" + id + "/results").status()).isEqualTo(410);
    }

    @Test
    void cancelWhileRunningStopsItAndLeavesAPartialDownload() throws Exception {
        athena.standIn().faults().holdMatching("held_marker");
        String id = athena.submit("SELECT range AS held_marker FROM range(5000)");
        awaitState(api, id, "RUNNING");
        // Statistics are live while it runs: the scanned figure grows.
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/query/" + id + "/status").data()
                .path("statistics").path("dataScannedBytes").asLong() > 0);
        assertThat(api.post("/api/query/" + id + "/cancel").messageCode()).isEqualTo("QUERY_CANCELLED");
        assertThat(api.state(id)).isEqualTo("CANCELLED");

        Response link = api.get("/api/query/" + id + "/download");
        assertThat(link.status()).as(link.toString()).isEqualTo(200);
        assertThat(link.data().path("partial").asBoolean()).isTrue();
        HttpResponse<String> file = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(link.data().path("url").asText())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).startsWith("\"held_marker\"\n");
    }

    @Test
    void theDownloadLinkIsAFreshPresignedUrlToAthenasCsv() throws Exception {
        String id = athena.submit("SELECT range AS n FROM range(2000)");
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
        Response link = api.get("/api/query/" + id + "/download");
        assertThat(link.messageCode()).isEqualTo("DOWNLOAD_READY");
        assertThat(link.data().path("partial").asBoolean()).isFalse();
        String url = link.data().path("url").asText();
        assertThat(url).contains("X-Amz-Signature").contains("X-Amz-Expires=86400");
        assertThat(link.data().path("fileName").asText()).endsWith(".csv");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> file = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body().split("\n")).hasSize(2001);
        assertThat(file.headers().firstValue("Content-Disposition").orElse("")).contains(".csv");
        String tampered = url.replace("X-Amz-Signature=", "X-Amz-Signature=0");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(tampered)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
    }

    @Test
    void theCatalogIsBrowsable() {
        assertThat(api.get("/api/catalog/athena/catalogs").data().path("items").toString()).contains("AwsDataCatalog");
        assertThat(api.get("/api/catalog/athena/catalogs/AwsDataCatalog/databases").data().path("items").toString())
                .contains("analytics");
        JsonNode tables = api.get("/api/catalog/athena/catalogs/AwsDataCatalog/databases/analytics/tables").data();
        assertThat(tables.path("items").get(0).path("name").asText()).isEqualTo("events");
        JsonNode table = api.get("/api/catalog/athena/catalogs/AwsDataCatalog/databases/analytics/tables/events").data();
        assertThat(table.path("columns").get(0).path("name").asText()).isEqualTo("event_id");
        assertThat(api.get("/api/catalog/athena/catalogs/AwsDataCatalog/databases/analytics/tables/nope").status())
                .isEqualTo(404);
    }

    @Test
    void configShowsTheAthenaSettingsWithoutCredentials() {
        Response config = api.get("/api/config");
        JsonNode engines = config.data().path("engines");
        JsonNode athenaConfig = engines.get(1);
        assertThat(athenaConfig.path("name").asText()).isEqualTo("athena");
        assertThat(athenaConfig.path("region").asText()).isEqualTo("us-east-1");
        assertThat(athenaConfig.path("workgroup").asText()).isEqualTo("primary");
        assertThat(athenaConfig.path("outputLocation").asText()).isEqualTo(AthenaFixture.OUTPUT);
        assertThat(athenaConfig.path("maxScannedBytes").asLong()).isEqualTo(10L * 1024 * 1024 * 1024);
        assertThat(config.text()).doesNotContain(athena.standIn().secretAccessKey())
                .doesNotContain(athena.standIn().accessKeyId());
    }
}
