package io.sluice.engine.athena;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.standin.CallCounts;
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
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.sluice.testing.Queries.awaitEnd;
import static io.sluice.testing.Queries.awaitEngineAccepted;
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
        athena.standIn().execute("CREATE SCHEMA parted; CREATE SCHEMA wide;"
                + IntStream.range(0, 55).mapToObj(i -> String.format("CREATE TABLE wide.t%02d (x INTEGER);", i))
                        .collect(Collectors.joining()));
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

    private static long getQueryResultsCalls() {
        return athena.standIn().calls().count("GetQueryResults");
    }

    @Test
    void valuesSurviveTheTripThroughAthenasCsv() {
        long pagedBefore = getQueryResultsCalls();
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
        // Read from <id>.csv with the types from <id>.csv.metadata: GetQueryResults never called.
        assertThat(getQueryResultsCalls()).isEqualTo(pagedBefore);
    }

    @Test
    void largeResultsPageExactlyLikeDuckDb() {
        long pagedBefore = getQueryResultsCalls();
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
        assertThat(getQueryResultsCalls()).isEqualTo(pagedBefore); // 13 pages of GetQueryResults were not needed
    }

    @Test
    void aSyntaxErrorFailsTheQueryWithAthenasMessage() {
        Response submit = api.post("/api/query", java.util.Map.of("query", "SELEC 1", "engine", "athena"));
        assertThat(submit.status()).isEqualTo(202);
        String id = submit.data().path("id").asText();
        assertThat(awaitEnd(api, id)).isEqualTo("FAILED");
        JsonNode error = api.get("/api/query/" + id + "/status").data().path("error");
        assertThat(error.path("code").asText()).isEqualTo("SYNTAX_ERROR");
        assertThat(error.path("message").asText()).contains("line 1:1: mismatched input 'SELEC'");
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
        JsonNode details = error.path("details");
        // Athena's "ERROR_NAME: detail" reason, its AthenaError message the same text.
        assertThat(details.path("stateChangeReason").asText()).matches("[A-Z_]+: .+");
        assertThat(error.path("message").asText()).isEqualTo(details.path("stateChangeReason").asText());
        assertThat(details.path("errorCategory").asInt()).isEqualTo(2);
        assertThat(details.path("errorCategoryName").asText()).isEqualTo("USER");
        assertThat(details.path("errorType").asInt()).isEqualTo(1106);
        assertThat(details.path("retryable").isBoolean()).isTrue();
        assertThat(details.path("retryable").asBoolean()).isFalse();
        assertThat(details.path("engine").asText()).isEqualTo("athena");
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
        // Statistics show seconds and GB with two decimals.
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
        long pagedBefore = getQueryResultsCalls();
        String id = athena.submit("SHOW TABLES");
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
        JsonNode rows = api.get("/api/query/" + id + "/results").data().path("rows");
        assertThat(rows.toString()).contains("events");
        assertThat(getQueryResultsCalls()).isGreaterThan(pagedBefore);
    }

    @Test
    void withoutMetadataTheColumnTypesComeFromGetQueryResultsColumnInfo() {
        athena.standIn().faults().holdMatching("meta_marker");
        String id = athena.submit("SELECT 42::BIGINT AS n, 12.30::DECIMAL(10,2) AS amount, 'x' AS s, "
                + "'meta_marker' AS m");
        awaitState(api, id, "RUNNING");
        awaitEngineAccepted(athena.server().sluice(), id);
        // Sluice must not see the end before the metadata file is gone.
        athena.standIn().faults().deny("BatchGetQueryExecution");
        athena.standIn().faults().releaseHeld();
        String executionId = athena.executionId("meta_marker");
        await().atMost(Duration.ofSeconds(10)).until(() -> athena.athenaClient()
                .getQueryExecution(r -> r.queryExecutionId(executionId)).queryExecution().status().stateAsString()
                .equals("SUCCEEDED"));
        URI metadata = URI.create(athena.athenaClient().getQueryExecution(r -> r.queryExecutionId(executionId))
                .queryExecution().resultConfiguration().outputLocation() + ".metadata");
        athena.s3Client().deleteObject(r -> r.bucket(metadata.getHost()).key(metadata.getPath().substring(1)));
        long pagedBefore = getQueryResultsCalls();

        athena.standIn().faults().reset();
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
        JsonNode data = api.get("/api/query/" + id + "/results").data();
        assertThat(data.path("columns").findValuesAsText("type")).containsExactly("bigint", "decimal(10,2)", "varchar",
                "varchar");
        assertThat(data.path("columns").findValuesAsText("name")).containsExactly("n", "amount", "s", "m");
        JsonNode row = data.path("rows").get(0);
        assertThat(row.get(0).isIntegralNumber()).isTrue();
        assertThat(row.get(0).asLong()).isEqualTo(42);
        assertThat(row.get(1).asText()).isEqualTo("12.30");
        // Once, for the column info only; the rows still came from the CSV.
        assertThat(getQueryResultsCalls()).isEqualTo(pagedBefore + 1);
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
        HttpResponse<String> file = fetch(link.data().path("url").asText());
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
    void everyDownloadCallSignsAFreshLinkAndEachWorks() throws Exception {
        String id = athena.submit("SELECT range AS n FROM range(3)");
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
        JsonNode first = api.get("/api/query/" + id + "/download").data();
        long signedBy = Instant.now().getEpochSecond();
        // Presigned URLs carry their signing time in whole seconds: ask again in a later second.
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> Instant.now().getEpochSecond() > signedBy);
        JsonNode second = api.get("/api/query/" + id + "/download").data();

        assertThat(second.path("url").asText()).isNotEqualTo(first.path("url").asText());
        assertThat(Instant.parse(second.path("expiresAt").asText()))
                .isAfter(Instant.parse(first.path("expiresAt").asText()));
        HttpClient http = HttpClient.newHttpClient();
        for (JsonNode link : List.of(first, second)) {
            HttpResponse<String> file = http.send(HttpRequest.newBuilder(URI.create(link.path("url").asText())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.body()).isEqualTo("\"n\"\n\"0\"\n\"1\"\n\"2\"\n");
        }
    }

    @Test
    void aQueryThatLeftNoResultObjectHasNothingToDownload() {
        athena.standIn().faults().queueDelay(Duration.ofMinutes(10));
        String queued = athena.submit("SELECT 1 AS never_ran");
        await().atMost(Duration.ofSeconds(10)).until(() -> athena.standIn().executionIds("never_ran").size() == 1);
        awaitState(api, queued, "QUEUED");
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/query/" + queued + "/status").data()
                .path("statistics").has("queueSeconds"));
        assertThat(api.post("/api/query/" + queued + "/cancel").messageCode()).isEqualTo("QUERY_CANCELLED");
        Response cancelled = api.get("/api/query/" + queued + "/download");
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(404);
        assertThat(cancelled.errorCode()).isEqualTo("RESULT_NOT_AVAILABLE");

        String refused = athena.submit("SELEC 2");
        assertThat(awaitEnd(api, refused)).isEqualTo("FAILED");
        Response syntax = api.get("/api/query/" + refused + "/download");
        assertThat(syntax.status()).isEqualTo(404);
        assertThat(syntax.errorCode()).isEqualTo("RESULT_NOT_AVAILABLE");
    }

    @Test
    void aFailedQueryThatLeftPartOfItsResultOffersItAsPartial() throws Exception {
        athena.standIn().faults().failAfterRunning("lost_worker");
        String id = athena.submit("SELECT range AS lost_worker FROM range(10)");
        assertThat(awaitEnd(api, id)).isEqualTo("FAILED");
        Response link = api.get("/api/query/" + id + "/download");
        assertThat(link.status()).as(link.toString()).isEqualTo(200);
        assertThat(link.data().path("partial").asBoolean()).isTrue();
        HttpResponse<String> file = fetch(link.data().path("url").asText());
        assertThat(file.body()).isEqualTo("\"lost_worker\"\n\"0\"\n\"1\"\n\"2\"\n\"3\"\n\"4\"\n");
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
    void partitionKeysAreMarkedAfterTheColumns() {
        String ddl = athena.submit("CREATE EXTERNAL TABLE parted.visits (id bigint, page string) "
                + "PARTITIONED BY (dt string, region string) STORED AS PARQUET LOCATION 's3://data/visits/'");
        assertThat(awaitEnd(api, ddl)).isEqualTo("SUCCEEDED");
        JsonNode columns = api.get("/api/catalog/athena/catalogs/AwsDataCatalog/databases/parted/tables/visits").data()
                .path("columns");
        assertThat(columns.findValuesAsText("name")).containsExactly("id", "page", "dt", "region");
        assertThat(columns.findValues("partitionKey")).extracting(JsonNode::asBoolean)
                .containsExactly(false, false, true, true);
        JsonNode listed = api.get("/api/catalog/athena/catalogs/AwsDataCatalog/databases/parted/tables").data()
                .path("items").get(0);
        assertThat(listed.path("columns").get(2).path("partitionKey").asBoolean()).isTrue();
    }

    @Test
    void everyPageOfTablesIsListedAndTheAnswerIsCached() {
        CallCounts calls = athena.standIn().calls();
        long before = calls.count("ListTableMetadata");
        JsonNode items = api.get("/api/catalog/athena/catalogs/AwsDataCatalog/databases/wide/tables").data()
                .path("items");
        assertThat(items).hasSize(55);
        assertThat(items.get(54).path("name").asText()).isEqualTo("t54");
        assertThat(calls.count("ListTableMetadata")).isEqualTo(before + 2); // Athena's pages hold 50

        assertThat(api.get("/api/catalog/athena/catalogs/AwsDataCatalog/databases/wide/tables").data()
                .path("items")).hasSize(55);
        assertThat(calls.count("ListTableMetadata")).isEqualTo(before + 2);
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
        assertThat(athenaConfig.path("maxPollCallsPerSecond").asInt()).isEqualTo(15);
        assertThat(config.text()).doesNotContain(athena.standIn().secretAccessKey())
                .doesNotContain(athena.standIn().accessKeyId());
    }

    /** Fetches a download link as a browser would follow it. */
    private static HttpResponse<String> fetch(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
