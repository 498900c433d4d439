package io.sluice.engine.athena;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.testing.AthenaFixture;
import io.sluice.testing.ApiClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static io.sluice.testing.Queries.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Athena results stored as Parquet through DuckDB's CSV reader (Athena's CSV streamed from S3, no
 * value parsed in Java) read exactly as the row format shows them: the same pages, the same single
 * values, NULL apart from the empty string, every Athena type, and the stored columns typed where
 * Athena's type is a number or a boolean.
 */
class AthenaStoredResultTest {

    static final String VALUES = """
            SELECT * FROM (VALUES
              (NULL::VARCHAR, '', 'null', 'quote " comma , newline
            next', '中文 ☃ 🚀', 42::BIGINT, -7::INTEGER, 3::SMALLINT, 1.5::DOUBLE, 0.1::DOUBLE, 1e300::DOUBLE,
               true, 12.30::DECIMAL(10,2), 123456789012345678.123456789012345678::DECIMAL(38,18), DATE '2024-02-29',
               TIMESTAMP '2024-01-01 12:34:56.789', [1, 2, NULL], {'k': 'v', 'n': 1}, MAP {'a': 1}, '"'),
              ('x', NULL, '""', '', '', NULL, NULL, NULL, NULL, 'NaN'::DOUBLE, '-Infinity'::DOUBLE, false, NULL, NULL,
               NULL, NULL, [], NULL, NULL, ',,,'))
            AS t(a_null, empty, null_text, tricky, unicode, big, int, small, dbl, tenth, huge, flag, dec, wide_dec,
                 day, ts, arr, rec, mp, quote_only)""";

    @TempDir
    static Path dir;
    static AthenaFixture parquet;
    static AthenaFixture rows;

    @BeforeAll
    static void start() {
        parquet = AthenaFixture.start(dir.resolve("parquet"), c -> { });
        rows = AthenaFixture.start(dir.resolve("rows"), c -> ((ObjectNode) c.get("results")).put("format", "rows"));
    }

    @AfterAll
    static void stop() {
        parquet.close();
        rows.close();
    }

    @Test
    void everyAthenaTypeReadsTheSameAsInTheRowFormat() throws Exception {
        String[] ids = runOnBoth(VALUES);
        JsonNode expected = rows.api().get("/api/query/" + ids[1] + "/results").data();
        JsonNode actual = parquet.api().get("/api/query/" + ids[0] + "/results").data();
        assertThat(actual.path("columns")).isEqualTo(expected.path("columns"));
        assertThat(actual.path("rows").toString()).isEqualTo(expected.path("rows").toString());
        assertThat(actual.path("rows").get(0).get(0).isNull()).isTrue();
        assertThat(actual.path("rows").get(0).get(1).asText()).isEmpty();
        assertThat(actual.path("rows").get(0).get(5).isIntegralNumber()).isTrue();
        for (int row = 0; row < 2; row++) {
            for (int column = 0; column < expected.path("columns").size(); column++) {
                String path = "/value?row=" + row + "&column=" + column;
                ApiClient.Response want = rows.api().get("/api/query/" + ids[1] + path);
                ApiClient.Response got = parquet.api().get("/api/query/" + ids[0] + path);
                assertThat(got.status()).as(path).isEqualTo(want.status());
                assertThat(got.text()).as(path).isEqualTo(want.text());
                assertThat(got.headers().get("x-sluice-value-type")).as(path).isEqualTo(want.headers().get("x-sluice-value-type"));
            }
        }
        assertThat(storedFiles(parquet, ids[0])).anyMatch(name -> name.endsWith(".parquet")).noneMatch(name -> name.endsWith(".csv"));
        // The stored file keeps numbers typed: a filter compares them as numbers.
        assertThat(parquet.api().get("/api/query/" + ids[0] + "/results?filter=gt:big:9").data().path("totalRows").asLong())
                .isEqualTo(1);
    }

    @Test
    void largeResultsPageTheSameAtEveryOffset() throws Exception {
        String[] ids = runOnBoth("SELECT range AS n, 'v' || range AS s, CASE WHEN range % 3 = 0 THEN NULL ELSE range * 0.5 END AS d "
                + "FROM range(300000) ORDER BY n");
        // Published first as Athena's CSV (more than one part), converted to Parquet parts after: the
        // pages are the same before, during and after the conversion.
        for (int pass = 0; pass < 2; pass++) {
            for (long offset : new long[] {0, 16383, 16384, 20000, 130_500, 131_072, 262_000, 299_000}) {
                String page = "/results?limit=1000&offset=" + offset;
                assertThat(parquet.api().get("/api/query/" + ids[0] + page).data().path("rows").toString()).as(page)
                        .isEqualTo(rows.api().get("/api/query/" + ids[1] + page).data().path("rows").toString());
            }
            assertThat(parquet.api().get("/api/query/" + ids[0] + "/results").data().path("totalRows").asLong()).isEqualTo(300000);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                java.util.List<String> files = storedFiles(parquet, ids[0]);
                return files.stream().filter(name -> name.endsWith(".parquet")).count() == 3
                        && files.stream().noneMatch(name -> name.endsWith(".csv"));
            });
        }
        // A view this large is written to a file in its order: the decimals' order, not their text's.
        String sorted = "/api/query/" + ids[0] + "/results?sort=d:desc&limit=2";
        assertThat(column(parquet.api().get(sorted).data(), 2)).isEqualTo("[\"149999.5\",\"149999.0\"]");
        assertThat(column(parquet.api().get(sorted + "&offset=199999").data(), 2)).isEqualTo("[\"0.5\",null]");
    }

    @Test
    void decimalsDatesAndTimestampsSortFilterAndAggregateByTheirValueNotTheirText() {
        // Stored as Athena's exact text, but ordered and compared as Athena's types: as text,
        // "10.25" < "9.50" and "-1.00" < "-2.00".
        String id = parquet.submit("SELECT * FROM (VALUES (9.50::DECIMAL(12,2), DATE '2024-10-09', TIMESTAMP '2024-10-09 09:00:00', 'a'),"
                + " (10.25, DATE '2024-10-10', TIMESTAMP '2024-10-10 10:00:00', 'b'), (100.00, DATE '2024-09-30', TIMESTAMP '2024-09-30 23:59:59.5', 'a'),"
                + " (-1.00, NULL, NULL, 'b'), (-2.00, DATE '2025-01-01', TIMESTAMP '2025-01-01 00:00:00', 'a'), (NULL, DATE '2024-10-01', TIMESTAMP '2024-10-01 00:00:00', 'b'))"
                + " AS t(amount, day, ts, k)");
        assertThat(awaitEnd(parquet.api(), id)).isEqualTo("SUCCEEDED");
        String results = "/api/query/" + id + "/results";
        assertThat(column(parquet.api().get(results + "?sort=amount:asc").data(), 0))
                .isEqualTo("[\"-2.00\",\"-1.00\",\"9.50\",\"10.25\",\"100.00\",null]");
        assertThat(column(parquet.api().get(results + "?sort=amount:desc").data(), 0))
                .isEqualTo("[\"100.00\",\"10.25\",\"9.50\",\"-1.00\",\"-2.00\",null]");
        assertThat(column(parquet.api().get(results + "?filter=gt:amount:9.5").data(), 0)).isEqualTo("[\"10.25\",\"100.00\"]");
        assertThat(column(parquet.api().get(results + "?filter=lt:amount:-1").data(), 0)).isEqualTo("[\"-2.00\"]");
        assertThat(column(parquet.api().get(results + "?sort=ts:desc&filter=ge:day:2024-10-01").data(), 2))
                .isEqualTo("[\"2025-01-01 00:00:00.000\",\"2024-10-10 10:00:00.000\",\"2024-10-09 09:00:00.000\",\"2024-10-01 00:00:00.000\"]");
        ApiClient.Response notADecimal = parquet.api().get(results + "?filter=gt:amount:abc");
        assertThat(notADecimal.status()).isEqualTo(400);
        assertThat(notADecimal.errorCode()).isEqualTo("INVALID_PARAMETER");

        String sums = parquet.api().get("/api/query/" + id + "/aggregate?groupBy=k&measures=count,sum:amount,max:amount,min:day").text();
        // Sums are exact numbers; the least and greatest values keep the text a page shows.
        assertThat(sums).contains("\"rows\":[[\"a\",3,107.50,\"100.00\",\"2024-09-30\"],[\"b\",3,9.25,\"10.25\",\"2024-10-01\"]]");
        JsonNode byAmount = parquet.api().get("/api/query/" + id + "/aggregate?groupBy=amount&measures=count,max:ts").data();
        assertThat(column(byAmount, 0)).isEqualTo("[\"-2.00\",\"-1.00\",\"9.50\",\"10.25\",\"100.00\",null]");
        assertThat(byAmount.path("rows").get(4).get(2).asText()).isEqualTo("2024-09-30 23:59:59.500");
    }

    /** Column {@code c} of a page's rows, as JSON. */
    private static String column(JsonNode page, int c) {
        StringBuilder out = new StringBuilder("[");
        for (JsonNode row : page.path("rows")) {
            out.append(out.length() > 1 ? "," : "").append(row.get(c));
        }
        return out.append(']').toString();
    }

    private static String[] runOnBoth(String sql) {
        String a = parquet.submit(sql);
        String b = rows.submit(sql);
        assertThat(awaitEnd(parquet.api(), a)).isEqualTo("SUCCEEDED");
        assertThat(awaitEnd(rows.api(), b)).isEqualTo("SUCCEEDED");
        return new String[] {a, b};
    }

    private static java.util.List<String> storedFiles(AthenaFixture fixture, String id) throws Exception {
        Path results = fixture.server().config().results().dir().resolve(id);
        try (Stream<Path> walk = Files.walk(results)) {
            return walk.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
        }
    }
}
