package io.sluice.result;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;

import static io.sluice.testing.Queries.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Results stored by an earlier version (the row format: {@code rows.jsonl}, {@code rows.idx}) stay
 * readable after an upgrade to the Parquet format: the same pages and the same CSV from the same
 * store and results folder. What only Parquet can do (sort, filter, aggregate, Parquet and JSON lines
 * downloads) answers 409 RESULT_NOT_COLUMNAR with what to do, and a refresh stores the query anew.
 */
class OldResultsApiTest {

    private static final String SQL = """
            SELECT range AS n, CASE WHEN range % 3 = 0 THEN NULL ELSE 'v' || range END AS s, range / 7 AS d,
                   (range * 1.25)::DECIMAL(10,2) AS amount, range % 2 = 0 AS even FROM range(250) ORDER BY n""";

    @TempDir
    Path dir;

    @Test
    void resultsOfTheRowFormatReadTheSameAfterTheUpgrade() throws Exception {
        String id;
        String page;
        String lastPage;
        String csv;
        try (TestServer before = TestServer.start(dir, c -> ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("results"))
                .put("format", "rows"), Clock.systemUTC())) {
            ApiClient api = before.client();
            id = api.submit(SQL);
            assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
            page = api.get("/api/query/" + id + "/results?limit=100").data().path("rows").toString();
            lastPage = api.get("/api/query/" + id + "/results?offset=240").data().path("rows").toString();
            csv = api.get(api.get("/api/query/" + id + "/download").data().path("url").asText()).text();
        }
        assertThat(files(dir.resolve("results").resolve(id))).contains("rows.jsonl", "rows.idx", "summary.json");

        try (TestServer after = TestServer.start(dir)) {
            ApiClient api = after.client().with("Accept-Language", "en");
            assertThat(api.get("/api/query/" + id + "/results?limit=100").data().path("rows").toString()).isEqualTo(page);
            assertThat(api.get("/api/query/" + id + "/results?offset=240").data().path("rows").toString()).isEqualTo(lastPage);
            assertThat(api.get(api.get("/api/query/" + id + "/download").data().path("url").asText()).text()).isEqualTo(csv);

            for (String path : List.of("/results?sort=n:desc", "/results?filter=eq:n:1", "/aggregate?groupBy=even",
                    "/download?format=parquet", "/download?format=jsonl")) {
                ApiClient.Response r = api.get("/api/query/" + id + path);
                assertThat(r.status()).as(path).isEqualTo(409);
                assertThat(r.errorCode()).as(path).isEqualTo("RESULT_NOT_COLUMNAR");
                assertThat(r.json().path("error").path("message").asText()).as(path).contains("Refresh");
            }

            assertThat(api.post("/api/query/" + id + "/refresh").status()).isEqualTo(202);
            assertThat(awaitEnd(api, id)).isEqualTo("SUCCEEDED");
            assertThat(api.get("/api/query/" + id + "/results?limit=100").data().path("rows").toString()).isEqualTo(page);
            assertThat(api.get(api.get("/api/query/" + id + "/download").data().path("url").asText()).text()).isEqualTo(csv);
            JsonNode sorted = api.get("/api/query/" + id + "/results?limit=1&sort=n:desc").data();
            assertThat(sorted.path("rows").get(0).get(0).asLong()).isEqualTo(249);
            assertThat(files(dir.resolve("results").resolve(id))).anyMatch(name -> name.endsWith(".parquet"));
        }
    }

    private static List<String> files(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
        }
    }
}
