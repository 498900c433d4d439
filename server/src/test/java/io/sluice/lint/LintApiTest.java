package io.sluice.lint;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.standin.CallCounts;
import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.AthenaFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.sluice.testing.Queries.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/query/lint} through the real route: table metadata (partition keys included)
 * from the Athena stand-in over the real AWS SDK, texts in the caller's language.
 */
class LintApiTest {

    @TempDir
    static Path dir;
    static AthenaFixture athena;
    static ApiClient api;

    @BeforeAll
    static void start() {
        athena = AthenaFixture.start(dir, c -> { });
        api = athena.api();
        String ddl = athena.submit("CREATE EXTERNAL TABLE analytics.visits (id bigint, page string) "
                + "PARTITIONED BY (event_type string, dt string) STORED AS PARQUET LOCATION 's3://data/visits/'");
        assertThat(awaitEnd(api, ddl)).isEqualTo("SUCCEEDED");
        athena.standIn().execute("CREATE TABLE analytics.wide AS SELECT "
                + IntStream.range(0, 55).mapToObj(i -> i + " AS c" + i).collect(Collectors.joining(", ")));
    }

    @AfterAll
    static void stop() {
        athena.close();
    }

    static Response lint(ApiClient client, String sql, String... more) {
        Map<String, Object> body = new HashMap<>();
        body.put("query", sql);
        body.put("engine", "athena");
        for (int i = 0; i < more.length; i += 2) {
            body.put(more[i], more[i + 1]);
        }
        return client.post("/api/query/lint", body);
    }

    @Test
    void aPartitionedTableWithoutAFilterIsNamedWithItsKeys() {
        long started = athena.standIn().calls().count("StartQueryExecution");
        Response r = lint(api.with("Accept-Language", "en"), "SELECT v.id, v.page FROM visits v JOIN wide w ON w.c1 = v.id");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.messageCode()).isEqualTo("LINT_DONE");
        JsonNode warnings = r.data().path("warnings");
        assertThat(warnings.findValuesAsText("code")).containsExactly("LINT_NO_PARTITION_FILTER", "LINT_NO_LIMIT");
        JsonNode first = warnings.get(0);
        assertThat(first.path("params").path("table").asText()).isEqualTo("analytics.visits");
        assertThat(first.path("params").path("partitionKeys").toString()).isEqualTo("[\"event_type\",\"dt\"]");
        assertThat(first.path("message").asText())
                .isEqualTo("Table analytics.visits is partitioned by event_type, dt, but the query has no condition "
                        + "on any of them: it reads every partition");
        assertThat(warnings.get(1).path("params").size()).isZero();
        assertThat(athena.standIn().calls().count("StartQueryExecution")).as("lint runs nothing").isEqualTo(started);
    }

    @Test
    void aPricedSubmitKeepsTheFindingsAsWarningsAndRunsAnyway() {
        Response submitted = api.post("/api/query", Map.of("query", "SELECT id FROM visits", "engine", "athena"));
        assertThat(submitted.status()).isEqualTo(202);
        assertThat(submitted.data().path("warnings").findValuesAsText("code"))
                .containsExactly("LINT_NO_PARTITION_FILTER", "LINT_NO_LIMIT");
        String id = submitted.data().path("id").asText();
        awaitEnd(api, id);
        JsonNode status = api.get("/api/query/" + id + "/status").data();
        assertThat(status.path("warnings").findValuesAsText("code"))
                .containsExactly("LINT_NO_PARTITION_FILTER", "LINT_NO_LIMIT");
        assertThat(status.path("warnings").get(0).path("params").path("table").asText()).isEqualTo("analytics.visits");
        // An engine that does not price its queries (the default, DuckDB) is not linted on submit.
        Response local = api.post("/api/query", Map.of("query", "SELECT 1 AS x"));
        assertThat(local.status()).isEqualTo(202);
        assertThat(local.data().path("warnings").size()).isZero();
    }

    @Test
    void aFilteredLimitedQueryHasNoWarnings() {
        Response r = lint(api, "SELECT id FROM \"AwsDataCatalog\".\"analytics\".\"VISITS\" "
                + "WHERE CAST(dt AS date) >= DATE '2024-10-01' OR dt IN ('x') LIMIT 10");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.data().path("warnings").size()).isZero();
    }

    @Test
    void theDatabaseOfTheRequestResolvesUnqualifiedNames() {
        athena.standIn().execute("CREATE SCHEMA IF NOT EXISTS other; CREATE TABLE IF NOT EXISTS other.visits (x INTEGER)");
        Response r = lint(api, "SELECT x FROM visits LIMIT 1", "database", "other");
        assertThat(r.data().path("warnings").size()).as("other.visits is not partitioned").isZero();
    }

    @Test
    void selectStarOnAWideTableInChinese() {
        Response r = lint(api.with("Accept-Language", "zh-CN"), "SELECT * FROM wide LIMIT 5");
        JsonNode warning = r.data().path("warnings").get(0);
        assertThat(warning.path("code").asText()).isEqualTo("LINT_SELECT_STAR_WIDE");
        assertThat(warning.path("params").path("table").asText()).isEqualTo("analytics.wide");
        assertThat(warning.path("params").path("columns").asInt()).isEqualTo(55);
        assertThat(warning.path("message").asText()).isEqualTo("SELECT * 会读取 analytics.wide 的全部 55 列，请只列出需要的列");
        assertThat(r.json().path("message").asText()).isEqualTo("查询已检查");
    }

    @Test
    void tableMetadataComesFromTheSharedCatalogCache() {
        api.get("/api/catalog/athena/catalogs/AwsDataCatalog/databases/analytics/tables/events");
        CallCounts calls = athena.standIn().calls();
        long before = calls.count("GetTableMetadata");
        Response r = lint(api, "SELECT event_id FROM events LIMIT 1");
        assertThat(r.data().path("warnings").size()).as(r.toString()).isZero();
        assertThat(calls.count("GetTableMetadata")).isEqualTo(before);
    }

    @Test
    void textThatDoesNotParseIsOneWarningNotAnError() {
        Response r = lint(api, "SELEKT what even");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.data().path("warnings").findValuesAsText("code")).containsExactly("LINT_UNPARSEABLE");
    }

    @Test
    void requestsAreValidatedAsSubmitsAre() {
        assertThat(lint(api, "  ").errorCode()).isEqualTo("QUERY_EMPTY");
        assertThat(lint(api, "SELECT 1", "engine", "nope").errorCode()).isEqualTo("UNKNOWN_ENGINE");
        assertThat(lint(api, "SELECT '" + "x".repeat(262_145) + "'").errorCode()).isEqualTo("QUERY_TOO_LONG");
        Response unknownField = api.post("/api/query/lint", Map.of("query", "SELECT 1", "cache", false));
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.errorCode()).isEqualTo("INVALID_FIELD");
        Response noEngine = api.post("/api/query/lint", Map.of("query", "SELECT name FROM users"));
        assertThat(noEngine.status()).as("the default engine").isEqualTo(200);
        assertThat(noEngine.data().path("warnings").findValuesAsText("code")).containsExactly("LINT_NO_LIMIT");
    }
}
