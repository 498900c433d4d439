package io.sluice.engine.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.SluiceExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Stream;

import static io.sluice.testing.Queries.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The file rules through the real server: queries read the allowed folder, write only into the
 * writable one within its quota, and see no server path; refusals are Sluice's own errors,
 * worded in the caller's language.
 */
class DuckDbFileAccessApiTest {

    static final long QUOTA = 50_000;

    /** The server's folder holds the DuckDB file; "out" beside it is writable. */
    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension(c -> {
        ObjectNode duck = (ObjectNode) c.get("engines").get("duckdb");
        Path base = Path.of(duck.get("database").asText()).getParent();
        duck.putArray("writableDirectories").addObject().put("path", base.resolve("out").toString()).put("quotaBytes", QUOTA);
    }, Clock.systemUTC());

    static ApiClient api;
    static Path files;
    static Path out;

    @BeforeAll
    static void setUp() throws IOException {
        api = sluice.api().with("Accept-Language", "en");
        files = sluice.dir().resolve("files");
        out = sluice.dir().resolve("out");
        Files.writeString(files.resolve("in.csv"), "id,name\n1,ada\n2,grace\n");
    }

    static String lit(Path path) {
        return "'" + path.toString().replace("'", "''") + "'";
    }

    /** Runs a query to its end and answers its status. */
    static JsonNode finished(String sql) {
        String id = api.submit(sql);
        awaitEnd(api, id);
        return api.get("/api/query/" + id + "/status").data();
    }

    static JsonNode rows(JsonNode status) {
        return api.get("/api/query/" + status.path("id").asText() + "/results").data().path("rows");
    }

    @Test
    void aCsvInTheAllowedFolderIsRead() {
        JsonNode status = finished("SELECT name FROM read_csv(" + lit(files.resolve("in.csv")) + ") ORDER BY id");
        assertThat(status.path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(rows(status).toString()).isEqualTo("[[\"ada\"],[\"grace\"]]");
    }

    @Test
    void copyOverTheInputIsRefusedAndLeavesItAsItWas() throws IOException {
        byte[] before = Files.readAllBytes(files.resolve("in.csv"));
        JsonNode status = finished("COPY (SELECT 'gone' AS name) TO " + lit(files.resolve("in.csv")));
        assertThat(status.path("state").asText()).isEqualTo("FAILED");
        JsonNode error = status.path("error");
        assertThat(error.path("code").asText()).isEqualTo("STATEMENT_NOT_ALLOWED");
        assertThat(error.path("source").asText()).isEqualTo("sluice");
        assertThat(error.path("message").asText()).startsWith("Statement 1 (COPY TO) is not allowed.")
                .contains("writable directory");
        assertThat(error.path("details").path("kind").asText()).isEqualTo("COPY TO");
        assertThat(error.path("details").path("statement").asInt()).isEqualTo(1);
        assertThat(error.path("details").path("target").asText()).isEqualTo("files/in.csv");
        assertThat(Files.readAllBytes(files.resolve("in.csv"))).isEqualTo(before);

        JsonNode zh = sluice.api().get("/api/query/" + status.path("id").asText() + "/status").data().path("error");
        assertThat(zh.path("message").asText()).startsWith("第 1 条语句（COPY TO）不允许执行");
    }

    @Test
    void copyToStdoutIsRefused() {
        JsonNode status = finished("COPY (SELECT 1) TO STDOUT");
        assertThat(status.path("error").path("code").asText()).isEqualTo("STATEMENT_NOT_ALLOWED");
        assertThat(status.path("error").path("details").path("reason").asText()).isEqualTo("TARGET_NOT_LITERAL");
    }

    @Test
    void copyIntoTheWritableFolderWorksAndOutsideFails() throws IOException {
        JsonNode written = finished("COPY (SELECT 1 AS n, 'one' AS word) TO " + lit(out.resolve("one.csv")) + " (HEADER)");
        assertThat(written.path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(Files.readString(out.resolve("one.csv"))).isEqualTo("n,word\n1,one\n");
        JsonNode outside = finished("COPY (SELECT 1) TO " + lit(sluice.dir().resolve("beside.csv")));
        assertThat(outside.path("error").path("code").asText()).isEqualTo("STATEMENT_NOT_ALLOWED");
        assertThat(sluice.dir().resolve("beside.csv")).doesNotExist();
    }

    @Test
    void aWritePastTheQuotaFailsAndLeavesTheFolderUnderIt() throws IOException {
        JsonNode status = finished("COPY (SELECT range AS n, 'padding-padding' AS p FROM range(200000)) TO "
                + lit(out.resolve("big.csv")));
        assertThat(status.path("state").asText()).isEqualTo("FAILED");
        JsonNode error = status.path("error");
        assertThat(error.path("code").asText()).isEqualTo("WRITE_QUOTA_EXCEEDED");
        assertThat(error.path("source").asText()).isEqualTo("sluice");
        assertThat(error.path("message").asText())
                .isEqualTo("The write into out passed the directory's quota of 50,000 bytes; what it wrote was removed");
        assertThat(error.path("details").path("quotaBytes").asLong()).isEqualTo(QUOTA);
        assertThat(out.resolve("big.csv")).doesNotExist();
        try (Stream<Path> paths = Files.walk(out)) {
            assertThat(paths.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum()).isLessThan(QUOTA);
        }
    }

    @Test
    void attachIsRefused() {
        JsonNode status = finished("ATTACH " + lit(files.resolve("other.duckdb")) + " AS other");
        assertThat(status.path("error").path("code").asText()).isEqualTo("STATEMENT_NOT_ALLOWED");
        assertThat(status.path("error").path("details").path("kind").asText()).isEqualTo("ATTACH");
        assertThat(files.resolve("other.duckdb")).doesNotExist();
    }

    @Test
    void aTextWhoseSecondStatementWritesIsRefusedBeforeTheFirstRuns() {
        JsonNode status = finished("COPY (SELECT 1) TO " + lit(out.resolve("first.csv")) + "; COPY (SELECT 2) TO "
                + lit(files.resolve("second.csv")));
        assertThat(status.path("error").path("code").asText()).isEqualTo("STATEMENT_NOT_ALLOWED");
        assertThat(status.path("error").path("details").path("statement").asInt()).isEqualTo(2);
        assertThat(status.path("error").path("message").asText()).startsWith("Statement 2 (COPY TO)");
        assertThat(out.resolve("first.csv")).doesNotExist();
        assertThat(files.resolve("second.csv")).doesNotExist();
    }

    @Test
    void theSynchronousRouteRefusesToo() {
        Response r = api.post("/api/duckdb/query", Map.of("sql", "INSTALL httpfs", "request_id", "sync:install"));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.errorCode()).isEqualTo("QUERY_FAILED");
        JsonNode details = r.json().path("error").path("details");
        assertThat(details.path("errorCode").asText()).isEqualTo("STATEMENT_NOT_ALLOWED");
        assertThat(details.path("errorSource").asText()).isEqualTo("sluice");
        assertThat(details.path("kind").asText()).isEqualTo("INSTALL");
    }

    @Test
    void noServerPathLeaks() {
        String root = sluice.dir().toString();
        JsonNode databases = rows(finished("PRAGMA database_list"));
        assertThat(databases.toString()).doesNotContain(root).contains("\"sluice\",\"sluice.duckdb\"");
        JsonNode allowed = rows(finished("SELECT current_setting('allowed_directories')"));
        assertThat(allowed.toString()).doesNotContain(root).contains("files/", "out/");
        JsonNode missing = finished("SELECT * FROM read_csv(" + lit(files.resolve("missing.csv")) + ")").path("error");
        assertThat(missing.path("message").asText()).contains("files/missing.csv").doesNotContain(root);
        Response catalogs = api.get("/api/catalog/duckdb/catalogs/sluice/databases/main/tables");
        assertThat(catalogs.text()).doesNotContain(root);
    }
}
