package io.sluice.engine.athena;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.standin.AthenaStandIn;
import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.AthenaFixture;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.QueryExecution;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static io.sluice.testing.Queries.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Athena engines, one per workgroup of the stand-in, under their own names beside DuckDB: each
 * query runs in its engine's workgroup and writes to its engine's output location, and every route
 * takes either name.
 */
class AthenaWorkgroupsApiTest {

    static final String ETL_OUTPUT = "s3://" + AthenaFixture.BUCKET + "/etl/";

    @TempDir
    static Path dir;
    static AthenaStandIn standIn;
    static TestServer server;
    static AthenaClient athenaClient;
    static ApiClient api;

    @BeforeAll
    static void start() {
        standIn = AthenaFixture.startStandIn();
        standIn.workGroup("etl", ETL_OUTPUT, null, false);
        server = TestServer.start(dir, root -> {
            AthenaFixture.configure(root, standIn);
            ObjectNode engines = (ObjectNode) root.get("engines");
            ObjectNode analysts = ((ObjectNode) engines.remove("athena")).put("type", "athena");
            engines.set("athena_analysts", analysts);
            engines.set("athena_etl", analysts.deepCopy().put("workgroup", "etl").put("outputLocation", ETL_OUTPUT)
                    .put("resultReuse", false));
        }, Clock.systemUTC());
        athenaClient = AthenaFixture.athenaClient(standIn);
        api = server.client().with("Accept-Language", "en");
    }

    @AfterAll
    static void stop() {
        if (athenaClient != null) {
            athenaClient.close();
        }
        if (server != null) {
            server.close();
        }
        standIn.close();
    }

    private static JsonNode run(String engine, String sql) {
        Response submitted = api.post("/api/query", Map.of("query", sql, "engine", engine));
        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
        String id = submitted.data().path("id").asText();
        assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
        return api.get("/api/query/" + id + "/status").data();
    }

    private static QueryExecution execution(JsonNode status) {
        return athenaClient.getQueryExecution(r -> r.queryExecutionId(status.path("engineQueryId").asText()))
                .queryExecution();
    }

    @Test
    void eachQueryRunsInItsEnginesWorkgroupAndOutputLocation() {
        JsonNode analysts = run("athena_analysts", "SELECT count(*) AS n FROM events");
        JsonNode etl = run("athena_etl", "SELECT count(*) AS n FROM events");
        assertThat(analysts.path("engine").asText()).isEqualTo("athena_analysts");
        assertThat(etl.path("engine").asText()).isEqualTo("athena_etl");
        assertThat(execution(analysts).workGroup()).isEqualTo("primary");
        assertThat(execution(analysts).resultConfiguration().outputLocation()).startsWith(AthenaFixture.OUTPUT);
        assertThat(execution(etl).workGroup()).isEqualTo("etl");
        assertThat(execution(etl).resultConfiguration().outputLocation()).startsWith(ETL_OUTPUT);
        for (JsonNode status : new JsonNode[]{analysts, etl}) {
            JsonNode rows = api.get("/api/query/" + status.path("id").asText() + "/results").data().path("rows");
            assertThat(rows.toString()).isEqualTo("[[3000]]");
            assertThat(status.path("statistics").path("dataScannedBytes").asLong()).isPositive();
        }

        // The download is the engine's own file, in its own output location.
        Response link = api.get("/api/query/" + etl.path("id").asText() + "/download");
        assertThat(link.status()).isEqualTo(200);
        assertThat(link.data().path("url").asText()).contains("/" + AthenaFixture.BUCKET + "/etl/")
                .contains(etl.path("engineQueryId").asText() + ".csv");
    }

    @Test
    void theSynchronousRouteRunsOnANamedAthenaEngine() {
        Response r = api.post("/api/athena_etl/query", Map.of("sql", "SELECT 7 AS seven"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.data().path("rows").toString()).isEqualTo("[[7]]");
    }

    @Test
    void eachAthenaEngineBrowsesTheCatalog() {
        for (String engine : new String[]{"athena_analysts", "athena_etl"}) {
            assertThat(api.get("/api/catalog/" + engine + "/catalogs").data().path("items").toString())
                    .isEqualTo("[\"AwsDataCatalog\"]");
            assertThat(api.get("/api/catalog/" + engine + "/catalogs/AwsDataCatalog/databases").data()
                    .path("items").toString()).contains("\"analytics\"");
            JsonNode table = api.get("/api/catalog/" + engine
                    + "/catalogs/AwsDataCatalog/databases/analytics/tables/events").data();
            assertThat(table.path("columns").findValuesAsText("name")).contains("event_id", "event_type", "dt");
        }
    }

    @Test
    void theConfigurationShowsEachEnginesTypeCapabilitiesAndWorkgroup() {
        JsonNode config = api.get("/api/config").data();
        JsonNode engines = config.path("engines");
        assertThat(engines.findValuesAsText("name")).containsExactly("duckdb", "athena_analysts", "athena_etl");
        assertThat(engines.findValuesAsText("type")).containsExactly("duckdb", "athena", "athena");
        JsonNode analysts = engines.get(1);
        JsonNode etl = engines.get(2);
        assertThat(analysts.path("workgroup").asText()).isEqualTo("primary");
        assertThat(etl.path("workgroup").asText()).isEqualTo("etl");
        assertThat(etl.path("outputLocation").asText()).isEqualTo(ETL_OUTPUT);
        for (JsonNode engine : new JsonNode[]{analysts, etl}) {
            JsonNode capabilities = engine.path("capabilities");
            assertThat(capabilities.path("dialect").asText()).isEqualTo("trino");
            assertThat(capabilities.path("cost").asBoolean()).isTrue();
            assertThat(capabilities.path("scannedBytes").asBoolean()).isTrue();
            assertThat(capabilities.path("cancel").asBoolean()).isTrue();
            assertThat(capabilities.path("catalog").asBoolean()).isTrue();
            assertThat(capabilities.path("partialDownload").asBoolean()).isTrue();
            assertThat(capabilities.path("engineDownloadLink").asBoolean()).isTrue();
            assertThat(engine.path("maxScannedBytes").asLong()).isPositive();
        }
        // Result reuse as each engine is configured.
        assertThat(analysts.path("capabilities").path("resultReuse").asBoolean()).isTrue();
        assertThat(etl.path("capabilities").path("resultReuse").asBoolean()).isFalse();
        assertThat(api.get("/api/config").text()).doesNotContain(standIn.secretAccessKey());
    }
}
