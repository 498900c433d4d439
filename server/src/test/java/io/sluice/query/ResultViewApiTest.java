package io.sluice.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testing.ApiClient;
import io.sluice.testing.ApiClient.Response;
import io.sluice.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;

import static io.sluice.testing.Queries.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sorted and filtered pages, aggregates and Parquet / JSON lines downloads of a stored result,
 * computed over the stored file without running the query again, with the caller's access checked
 * as for results and every filter value bound as a value, never as SQL.
 */
class ResultViewApiTest {

    private static final String SECRET = "proxy-secret-for-tests";
    /** 5,000 rows: n, g = n % 7, a label, an exact decimal and a date; every 10th label is NULL. */
    private static final String ROWS = """
            SELECT range AS n, range % 7 AS g, CASE WHEN range % 10 = 0 THEN NULL ELSE 'row ' || range END AS label,
                   (range / 100)::DECIMAL(12,2) AS amount, DATE '2024-01-01' + (range % 365)::INTEGER AS day
            FROM range(5000) ORDER BY n""";

    @TempDir
    static Path dir;
    static TestServer server;
    static ApiClient alice;
    static ApiClient bob;
    static String rowsId;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, c -> c.putObject("auth").put("enabled", true).put("proxySecret", SECRET),
                Clock.systemUTC());
        alice = server.client().with("X-Sluice-Proxy-Secret", SECRET).with("X-Email", "alice@example.com");
        bob = server.client().with("X-Sluice-Proxy-Secret", SECRET).with("X-Email", "bob@example.com");
        rowsId = alice.submit(ROWS);
        assertThat(awaitEnd(alice, rowsId)).isEqualTo("SUCCEEDED");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void sortedAndFilteredPagesWalkTheViewWithCursorsOfTheirOwn() {
        String view = "sort=" + enc("g:desc,n:asc") + "&filter=" + enc("gt:n:100") + "&filter=" + enc("contains:label:9");
        List<Long> expected = LongStream.range(101, 5000).filter(n -> n % 10 != 0 && Long.toString(n).contains("9"))
                .boxed().sorted(Comparator.<Long>comparingLong(n -> -(n % 7)).thenComparingLong(n -> n)).toList();
        List<Long> seen = new ArrayList<>();
        String cursor = null;
        String firstCursor = null;
        do {
            JsonNode page = alice.get("/api/query/" + rowsId + "/results?limit=300&" + view
                    + (cursor == null ? "" : "&cursor=" + enc(cursor))).data();
            assertThat(page.path("totalRows").asLong()).isEqualTo(expected.size());
            page.path("rows").forEach(row -> seen.add(row.get(0).asLong()));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
            firstCursor = firstCursor == null ? cursor : firstCursor;
        } while (cursor != null);
        assertThat(seen).isEqualTo(expected);

        // A cursor serves its own view only: not the plain result, not another sort.
        assertThat(alice.get("/api/query/" + rowsId + "/results?cursor=" + enc(firstCursor)).errorCode())
                .isEqualTo("INVALID_CURSOR");
        assertThat(alice.get("/api/query/" + rowsId + "/results?sort=n&cursor=" + enc(firstCursor)).errorCode())
                .isEqualTo("INVALID_CURSOR");
        // Values keep their page rendering in a view: a decimal as exact text, NULL as null.
        JsonNode top = alice.get("/api/query/" + rowsId + "/results?limit=2&sort=" + enc("amount:desc,n:desc")).data();
        assertThat(top.path("rows").get(0).toString()).isEqualTo("[4999,1,\"row 4999\",\"49.99\",\"2024-09-11\"]");
        JsonNode nulls = alice.get("/api/query/" + rowsId + "/results?limit=1&filter=null:label&sort=n:desc").data();
        assertThat(nulls.path("totalRows").asLong()).isEqualTo(500);
        assertThat(nulls.path("rows").get(0).toString()).startsWith("[4990,6,null,");
    }

    @Test
    void filterValuesAreValuesOfTheColumnsTypeNeverSql() {
        String base = "/api/query/" + rowsId + "/results?filter=";
        assertThat(alice.get(base + enc("eq:label:x' OR '1'='1")).data().path("totalRows").asLong()).isZero();
        assertThat(alice.get(base + enc("eq:label:row 42")).data().path("totalRows").asLong()).isEqualTo(1);
        assertThat(alice.get(base + enc("ge:day:2024-12-30")).data().path("totalRows").asLong()).isEqualTo(13);
        assertThat(alice.get(base + enc("lt:amount:0.5")).data().path("totalRows").asLong()).isEqualTo(50);
        assertThat(alice.get(base + enc("startswith:label:row 49")).data().path("totalRows").asLong()).isEqualTo(100);

        Response notANumber = alice.get(base + enc("eq:n:1; DROP TABLE x"));
        assertThat(notANumber.status()).isEqualTo(400);
        assertThat(notANumber.errorCode()).isEqualTo("INVALID_PARAMETER");
        assertThat(notANumber.json().path("error").path("details").path("parameter").asText()).isEqualTo("filter");
        for (String bad : List.of("drop:n:1", "eq:nope:1", "eq:n", "null:n:1", "eq", "eq:#99:1")) {
            Response r = alice.get(base + enc(bad));
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.errorCode()).as(bad).isEqualTo("INVALID_PARAMETER");
        }
        Response badSort = alice.get("/api/query/" + rowsId + "/results?sort=" + enc("n:sideways"));
        assertThat(badSort.errorCode()).isEqualTo("INVALID_PARAMETER");
        assertThat(badSort.json().path("error").path("details").path("parameter").asText()).isEqualTo("sort");
        // The stored result is untouched by any of it.
        assertThat(alice.get("/api/query/" + rowsId + "/results").data().path("totalRows").asLong()).isEqualTo(5000);
    }

    @Test
    void columnsWithAnyNameAreSortedAndFilteredByTheirName() {
        String id = alice.submit("SELECT range AS \"we\"\"ird; DROP TABLE t; --\", 10 - range AS a, range AS \"A\" FROM range(10)");
        assertThat(awaitEnd(alice, id)).isEqualTo("SUCCEEDED");
        JsonNode page = alice.get("/api/query/" + id + "/results?sort=" + enc("we\"ird; DROP TABLE t; --:desc")
                + "&filter=" + enc("lt:#2:8")).data();
        assertThat(page.path("columns").get(2).path("name").asText()).isEqualTo("A");
        assertThat(page.path("rows").get(0).toString()).isEqualTo("[7,3,7]");
        assertThat(page.path("totalRows").asLong()).isEqualTo(8);
        JsonNode byA = alice.get("/api/query/" + id + "/results?limit=1&sort=" + enc("a:asc")).data();
        assertThat(byA.path("rows").get(0).toString()).isEqualTo("[9,1,9]");
    }

    @Test
    void aggregatesGroupAndMeasureTheStoredRows() {
        JsonNode agg = alice.get("/api/query/" + rowsId + "/aggregate?groupBy=g&measures="
                + enc("count,count:label,sum:amount,avg:n,min:label,max:day") + "&filter=" + enc("lt:n:70")).data();
        assertThat(agg.path("columns").toString()).isEqualTo("[{\"name\":\"g\",\"type\":\"bigint\"},"
                + "{\"name\":\"count\",\"type\":\"bigint\"},{\"name\":\"count(label)\",\"type\":\"bigint\"},"
                + "{\"name\":\"sum(amount)\",\"type\":\"decimal(12,2)\"},{\"name\":\"avg(n)\",\"type\":\"double\"},"
                + "{\"name\":\"min(label)\",\"type\":\"varchar\"},{\"name\":\"max(day)\",\"type\":\"date\"}]");
        assertThat(agg.path("rows")).hasSize(7);
        // g = 0: n = 0, 7, ..., 63 (10 rows, 0 / 10 / 20 / ... have NULL labels: 0, 70 → only 0 here)
        assertThat(agg.path("rows").get(0).toString()).isEqualTo("[0,10,9,3.15,31.5,\"row 14\",\"2024-03-04\"]");
        assertThat(agg.path("truncated").asBoolean()).isFalse();

        JsonNode total = alice.get("/api/query/" + rowsId + "/aggregate?measures=" + enc("count,sum:n")).data();
        assertThat(total.path("rows").toString()).isEqualTo("[[5000,12497500]]");
        JsonNode capped = alice.get("/api/query/" + rowsId + "/aggregate?groupBy=n&limit=10").data();
        assertThat(capped.path("rows")).hasSize(10);
        assertThat(capped.path("truncated").asBoolean()).isTrue();

        Response sumOfText = alice.get("/api/query/" + rowsId + "/aggregate?measures=" + enc("sum:label"));
        assertThat(sumOfText.errorCode()).isEqualTo("INVALID_PARAMETER");
        assertThat(sumOfText.json().path("error").path("details").path("parameter").asText()).isEqualTo("measures");
        assertThat(alice.get("/api/query/" + rowsId + "/aggregate?measures=median:n").errorCode())
                .isEqualTo("INVALID_PARAMETER");
    }

    @Test
    void anotherUsersResultIsNotFoundForViewsAggregatesAndDownloads() {
        for (String path : List.of("/results?sort=n", "/results?filter=eq:n:1", "/aggregate?groupBy=g",
                "/download?format=parquet", "/download?format=jsonl")) {
            Response r = bob.get("/api/query/" + rowsId + path);
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.errorCode()).as(path).isEqualTo("QUERY_NOT_FOUND");
        }
    }

    @Test
    void downloadsStreamTheStoredResultAsParquetAndJsonLines() throws Exception {
        Response link = alice.get("/api/query/" + rowsId + "/download?format=parquet");
        assertThat(link.data().path("fileName").asText()).isEqualTo("sluice-" + rowsId + ".parquet");
        HttpResponse<byte[]> parquet = bytes(link.data().path("url").asText());
        assertThat(parquet.statusCode()).isEqualTo(200);
        assertThat(parquet.headers().firstValue("content-type").orElse("")).startsWith("application/vnd.apache.parquet");
        Path file = dir.resolve("download.parquet");
        Files.write(file, parquet.body());
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), sum(n), count(label), typeof(any_value(amount)), "
                     + "typeof(any_value(day)) FROM read_parquet('" + file + "')")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(5000);
            assertThat(rs.getLong(2)).isEqualTo(12_497_500);
            assertThat(rs.getLong(3)).isEqualTo(4500);
            assertThat(rs.getString(4)).isEqualTo("DECIMAL(12,2)");
            assertThat(rs.getString(5)).isEqualTo("DATE");
        }

        Response jsonLink = alice.get("/api/query/" + rowsId + "/download?format=jsonl");
        assertThat(jsonLink.data().path("fileName").asText()).isEqualTo("sluice-" + rowsId + ".jsonl");
        HttpResponse<byte[]> jsonl = bytes(jsonLink.data().path("url").asText());
        String[] lines = new String(jsonl.body(), StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(5000);
        assertThat(lines[0]).isEqualTo("{\"n\":0,\"g\":0,\"label\":null,\"amount\":\"0.00\",\"day\":\"2024-01-01\"}");
        assertThat(lines[4999]).isEqualTo("{\"n\":4999,\"g\":1,\"label\":\"row 4999\",\"amount\":\"49.99\",\"day\":\"2024-09-11\"}");

        assertThat(alice.get("/api/query/" + rowsId + "/download?format=xlsx").errorCode()).isEqualTo("INVALID_PARAMETER");
        String csvUrl = alice.get("/api/query/" + rowsId + "/download?format=csv").data().path("url").asText();
        String csv = new String(bytes(csvUrl).body(), StandardCharsets.UTF_8);
        assertThat(csv).startsWith("\"n\",\"g\",\"label\",\"amount\",\"day\"\n\"0\",\"0\",,\"0.00\",\"2024-01-01\"\n");
    }

    private static HttpResponse<byte[]> bytes(String url) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(alice.request(url).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
