package io.sluice.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.SluiceExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static io.sluice.testing.Queries.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;

/** The schema browser's routes answered by the DuckDB engine for its own catalog. */
class DuckDbCatalogApiTest {

    /** Writable, so a test can add tables while the browser's answers are cached. */
    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension(
            c -> ((ObjectNode) c.get("engines").get("duckdb")).put("readOnly", false), Clock.systemUTC());
    static ApiClient api;

    private static final String MAIN = "/api/catalog/duckdb/catalogs/sluice/databases/main";

    @BeforeAll
    static void client() {
        api = sluice.api();
    }

    private static List<String> names(JsonNode items) {
        List<String> names = new ArrayList<>();
        items.forEach(item -> names.add(item.path("name").asText()));
        return names;
    }

    @Test
    void catalogsDatabasesTablesAndColumnsAreListed() {
        Response catalogs = api.get("/api/catalog/duckdb/catalogs");
        assertThat(catalogs.status()).isEqualTo(200);
        assertThat(catalogs.messageCode()).isEqualTo("CATALOG_LISTED");
        assertThat(catalogs.data().path("items").toString()).isEqualTo("[\"sluice\"]");
        assertThat(api.get("/api/catalog/duckdb/catalogs/sluice/databases").data().path("items").toString())
                .contains("\"main\"");

        JsonNode tables = api.get(MAIN + "/tables").data().path("items");
        assertThat(names(tables)).containsExactly("events", "members");
        assertThat(tables.get(1).path("type").asText()).isEqualTo("BASE_TABLE");

        JsonNode members = api.get(MAIN + "/tables/members").data();
        assertThat(members.path("name").asText()).isEqualTo("members");
        JsonNode columns = members.path("columns");
        assertThat(names(columns)).containsExactly("member_code", "registration_date", "country",
                "account_status", "total_deposit", "email_verified");
        assertThat(columns.findValuesAsText("type")).containsExactly("varchar", "date", "varchar", "varchar",
                "decimal(12,2)", "boolean");
        assertThat(columns.findValues("partitionKey")).extracting(JsonNode::asBoolean).containsOnly(false);
    }

    @Test
    void missingNamesAnswerTheirOwn404() {
        Response engine = api.get("/api/catalog/nope/catalogs");
        assertThat(engine.status()).isEqualTo(404);
        assertThat(engine.errorCode()).isEqualTo("UNKNOWN_ENGINE");
        Response catalog = api.get("/api/catalog/duckdb/catalogs/nope/databases");
        assertThat(catalog.status()).isEqualTo(404);
        assertThat(catalog.errorCode()).isEqualTo("CATALOG_NOT_FOUND");
        Response database = api.get("/api/catalog/duckdb/catalogs/sluice/databases/nope/tables");
        assertThat(database.status()).isEqualTo(404);
        assertThat(database.errorCode()).isEqualTo("DATABASE_NOT_FOUND");
        Response table = api.get(MAIN + "/tables/nope");
        assertThat(table.status()).isEqualTo(404);
        assertThat(table.errorCode()).isEqualTo("TABLE_NOT_FOUND");
        assertThat(table.json().path("success").asBoolean()).isFalse();
        Response tooLong = api.get(MAIN + "/tables/" + "t".repeat(256));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.errorCode()).isEqualTo("INVALID_PARAMETER");
    }

    @Test
    void answersAreCachedBriefly() {
        String schema = "/api/catalog/duckdb/catalogs/sluice/databases/cached";
        assertThat(awaitEnd(api, api.submit("CREATE SCHEMA cached"))).isEqualTo("SUCCEEDED");
        assertThat(awaitEnd(api, api.submit("CREATE TABLE cached.first (x INTEGER)"))).isEqualTo("SUCCEEDED");
        assertThat(names(api.get(schema + "/tables").data().path("items"))).containsExactly("first");

        assertThat(awaitEnd(api, api.submit("CREATE TABLE cached.second (y INTEGER)"))).isEqualTo("SUCCEEDED");
        // Within the cache's 60 s the listing is the one already given; the new table is not asked for yet.
        assertThat(names(api.get(schema + "/tables").data().path("items"))).containsExactly("first");
        assertThat(api.get(schema + "/tables/second").data().path("columns").get(0).path("name").asText())
                .isEqualTo("y");
    }
}
