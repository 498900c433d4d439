package io.sluice.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.SluiceExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static io.sluice.testing.Queries.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two DuckDB engines beside the default one, each on its own database file with its own writable
 * folder: every route takes them by name, and each keeps its own file rules.
 */
class DuckDbEnginesApiTest {

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension(c -> {
        ObjectNode engines = (ObjectNode) c.get("engines");
        Path dir = Path.of(engines.get("duckdb").get("database").asText()).getParent();
        for (String name : new String[]{"sales", "hr"}) {
            ObjectNode engine = engines.putObject("duckdb_" + name).put("type", "duckdb")
                    .put("database", dir.resolve(name + "/" + name + ".duckdb").toString())
                    .put("threads", 1).put("memoryLimit", "512MB").put("sampleData", name.equals("sales"));
            engine.putArray("allowedDirectories").add(dir.resolve("files").toString());
            engine.putArray("writableDirectories").addObject()
                    .put("path", dir.resolve(name + "-out").toString()).put("quotaBytes", 1_000_000);
        }
    }, Clock.systemUTC());

    static ApiClient api;

    @BeforeAll
    static void setUp() {
        api = sluice.api().with("Accept-Language", "en");
    }

    private static JsonNode run(String engine, String sql) {
        Response submitted = api.post("/api/query", Map.of("query", sql, "engine", engine));
        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
        String id = submitted.data().path("id").asText();
        awaitEnd(api, id);
        return api.get("/api/query/" + id + "/status").data();
    }

    private static JsonNode rows(JsonNode status) {
        return api.get("/api/query/" + status.path("id").asText() + "/results").data().path("rows");
    }

    @Test
    void queriesRunOnTheEngineTheyName() {
        JsonNode sales = run("duckdb_sales", "SELECT current_database() AS db, count(*) AS n FROM events");
        assertThat(sales.path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(sales.path("engine").asText()).isEqualTo("duckdb_sales");
        // The catalog is the file's name; only the sales file has the sample data.
        assertThat(sales.path("catalog").asText()).isEqualTo("sales");
        assertThat(rows(sales).toString()).isEqualTo("[[\"sales\",100000]]");

        JsonNode hr = run("duckdb_hr", "SELECT current_database() AS db");
        assertThat(hr.path("catalog").asText()).isEqualTo("hr");
        assertThat(rows(hr).toString()).isEqualTo("[[\"hr\"]]");
        JsonNode missing = run("duckdb_hr", "SELECT count(*) FROM events");
        assertThat(missing.path("state").asText()).isEqualTo("FAILED");

        // History filters by any configured name.
        JsonNode history = api.get("/api/queries?engine=duckdb_hr").data().path("items");
        assertThat(history).isNotEmpty();
        history.forEach(item -> assertThat(item.path("engine").asText()).isEqualTo("duckdb_hr"));
    }

    @Test
    void theSynchronousRouteTakesTheEngineFromItsPath() {
        Response r = api.post("/api/duckdb_hr/query", Map.of("sql", "SELECT current_database() AS db"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.data().path("rows").toString()).isEqualTo("[[\"hr\"]]");
        Response unknown = api.post("/api/duckdb_nowhere/query", Map.of("sql", "SELECT 1"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.errorCode()).isEqualTo("UNKNOWN_ENGINE");
    }

    @Test
    void eachEngineBrowsesItsOwnCatalog() {
        assertThat(api.get("/api/catalog/duckdb_sales/catalogs").data().path("items").toString()).contains("\"sales\"")
                .doesNotContain("\"hr\"");
        assertThat(api.get("/api/catalog/duckdb_hr/catalogs").data().path("items").toString()).contains("\"hr\"")
                .doesNotContain("\"sales\"");
        JsonNode tables = api.get("/api/catalog/duckdb_sales/catalogs/sales/databases/main/tables").data().path("items");
        assertThat(tables.findValuesAsText("name")).contains("events", "members");
        assertThat(api.get("/api/catalog/duckdb_hr/catalogs/hr/databases/main/tables").data().path("items")).isEmpty();
        Response elsewhere = api.get("/api/catalog/duckdb_hr/catalogs/sales/databases");
        assertThat(elsewhere.status()).isEqualTo(404);
        assertThat(elsewhere.errorCode()).isEqualTo("CATALOG_NOT_FOUND");
    }

    @Test
    void eachEngineWritesOnlyIntoItsOwnFolder() {
        Path dir = sluice.dir();
        JsonNode own = run("duckdb_sales", "COPY (SELECT 1 AS n) TO '" + dir.resolve("sales-out/one.csv") + "'");
        assertThat(own.path("state").asText()).as(own.toString()).isEqualTo("SUCCEEDED");
        assertThat(Files.exists(dir.resolve("sales-out/one.csv"))).isTrue();

        JsonNode other = run("duckdb_sales", "COPY (SELECT 1 AS n) TO '" + dir.resolve("hr-out/one.csv") + "'");
        assertThat(other.path("state").asText()).isEqualTo("FAILED");
        assertThat(other.path("error").path("code").asText()).isEqualTo("STATEMENT_NOT_ALLOWED");
        assertThat(Files.exists(dir.resolve("hr-out/one.csv"))).isFalse();
    }

    @Test
    void downloadsWorkOnEveryEngine() {
        JsonNode hr = run("duckdb_hr", "SELECT 'hr' AS source");
        Response link = api.get("/api/query/" + hr.path("id").asText() + "/download");
        assertThat(link.status()).isEqualTo(200);
        Response file = api.get(link.data().path("url").asText());
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.text()).isEqualTo("\"source\"\n\"hr\"\n");
    }

    @Test
    void theConfigurationShowsEachEnginesTypeAndCapabilities() {
        JsonNode engines = api.get("/api/config").data().path("engines");
        assertThat(engines.findValuesAsText("name")).containsExactly("duckdb", "duckdb_sales", "duckdb_hr");
        for (JsonNode engine : engines) {
            assertThat(engine.path("type").asText()).isEqualTo("duckdb");
            JsonNode capabilities = engine.path("capabilities");
            assertThat(capabilities.path("dialect").asText()).isEqualTo("duckdb");
            assertThat(capabilities.path("cancel").asBoolean()).isTrue();
            assertThat(capabilities.path("catalog").asBoolean()).isTrue();
            assertThat(capabilities.path("cost").asBoolean()).isFalse();
            assertThat(capabilities.path("scannedBytes").asBoolean()).isFalse();
            assertThat(capabilities.path("partialDownload").asBoolean()).isFalse();
            assertThat(capabilities.path("resultReuse").asBoolean()).isFalse();
            assertThat(capabilities.path("engineDownloadLink").asBoolean()).isFalse();
            assertThat(engine.has("maxResultRows")).isTrue();
        }
        assertThat(engines.get(1).path("defaultCatalog").asText()).isEqualTo("sales");
        assertThat(engines.get(2).path("defaultCatalog").asText()).isEqualTo("hr");
    }
}
