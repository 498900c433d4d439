package io.sluice.engine.duckdb;

import io.sluice.engine.Cancellation;
import io.sluice.engine.EngineException;
import io.sluice.engine.EngineQuery;
import io.sluice.engine.ResultLimits;
import io.sluice.result.DownloadFormat;
import io.sluice.result.FolderResultStore;
import io.sluice.result.PageBudget;
import io.sluice.result.ResultFormat;
import io.sluice.result.ResultPage;
import io.sluice.result.ResultReader;
import io.sluice.result.ResultStore;
import io.sluice.result.ResultSummary;
import io.sluice.result.ResultTruncation;
import io.sluice.result.ResultView;
import io.sluice.result.ResultWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * DuckDB results stored as Parquet (handed over as Arrow where every column survives the trip,
 * row by row otherwise) read back exactly as the row format shows them: the same page JSON, the
 * same single values, the same CSV, for every DuckDB type; and the stored file keeps the types.
 */
class DuckDbStoredResultTest {

    /** Rows per stored part (the result store's sixteen row groups of 16,384 rows; Arrow batches of 32,768 fill them exactly). */
    private static final long PART_ROWS = 262_144;

    /** Every type Arrow carries exactly, with NULLs, empty strings, quotes, newlines, unicode and extremes. */
    static final String ARROW_TYPES = """
            SELECT * FROM (VALUES
              (true, 1::TINYINT, 2::UTINYINT, 3::UBIGINT, 170141183460469231731687303715884105727::HUGEINT,
               5::UHUGEINT, 1.5::FLOAT, 123456789012345678.123456789012345678::DECIMAL(38,18), 1.50::DECIMAL(5,2),
               DATE '2024-02-29', TIME '12:34:56.789', TIMESTAMP '2024-01-01 12:00:00.123456',
               TIMESTAMPTZ '2024-01-01 12:00:00+02', TIMESTAMP_NS '2024-01-01 12:00:00.123456789',
               TIMESTAMP_MS '2024-01-01 12:00:00.123', TIMESTAMP_S '2024-01-01 12:00:00',
               INTERVAL '1 year 2 months 3 days 04:05:06.7', uuid '6f1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d',
               [1, 2, NULL], [[1.5], []]::DOUBLE[][], {'x': 1, 'y': 2.5}, MAP {1: 1.5}, [1, 2, 3]::INTEGER[3],
               'x', 'line' || chr(10) || 'next "q", 漢字 😀', '1e400'::DOUBLE, 'nan'::DOUBLE, -0.0::DOUBLE,
               123456789012345678901234567890::BIGNUM, 9007199254740993::BIGINT, (-2147483648)::INTEGER),
              (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               NULL, NULL, NULL, NULL, NULL, NULL, '', '', '-1e400'::DOUBLE, NULL, 0.1::DOUBLE, NULL, NULL, NULL))
            AS t(bo, ti, uti, ub, hi, uhi, fl, de, de2, dt, tm, ts, tstz, tsns, tsms, tss, iv, uu, li, lil, st, mp,
                 arr, v, uni, inf, nan, dbl, bn, big, int_min)""";

    /** Types that travel row by row: their text is exact only on that path. */
    static final String ROW_TYPES = """
            SELECT TIMETZ '12:00:00+02' AS ttz, '101'::BIT AS bi, union_value(num := 2)::UNION(num INT, str VARCHAR) AS un,
                   'a'::ENUM('a', 'b') AS en, '\\xAA\\x00a'::BLOB AS bl, ['a', NULL, ''] AS strs,
                   {'k': 'v "q"'} AS st_text, 'plain' AS v""";

    @TempDir
    static Path dir;
    static DuckDbEngine engine;
    static FolderResultStore parquet;
    static FolderResultStore rows;

    @BeforeAll
    static void open() throws Exception {
        Path files = dir.resolve("files");
        Files.createDirectories(files);
        engine = DuckDbEngine.open("duckdb", new DuckDbSettings(dir.resolve("db/sample.duckdb"), false, true, 2, "1GB",
                List.of(files), Duration.ofMinutes(5), 1_000_000_000, 1L << 40, List.of()));
        parquet = new FolderResultStore(dir.resolve("parquet"), "test", ResultFormat.PARQUET, 128, false,
                new PageBudget(1 << 20, 64), 2, "512MB");
        rows = new FolderResultStore(dir.resolve("rows"), "test", 128, false, new PageBudget(1 << 20, 64));
    }

    @AfterAll
    static void close() {
        engine.close();
        parquet.close();
    }

    @Test
    void everyTypeArrowCarriesReadsExactlyAsTheRowFormatShowsIt() throws Exception {
        String id = run(ARROW_TYPES, parquet);
        run(ARROW_TYPES, rows, id);
        assertSameReading(id);
        assertThat(open(parquet, id).page(0, 10).rowsJson().get(1))
                .startsWith("[null,null,null,null,null,null,null,null,null,null")
                .contains(",\"\",\"\",\"-Infinity\",null,0.1,");
        assertThat(storedTypes(id)).containsEntry("de", "DECIMAL(38,18)").containsEntry("tstz", "TIMESTAMP WITH TIME ZONE")
                .containsEntry("tsns", "TIMESTAMP_NS").containsEntry("iv", "INTERVAL").containsEntry("li", "INTEGER[]")
                .containsEntry("st", "STRUCT(x INTEGER, y DECIMAL(2,1))").containsEntry("dt", "DATE")
                .containsEntry("big", "BIGINT").containsEntry("hi", "DECIMAL(38,0)");
    }

    @Test
    void typesArrowCannotCarryTravelRowByRowAndReadTheSame() throws Exception {
        String id = run(ROW_TYPES, parquet);
        run(ROW_TYPES, rows, id);
        assertSameReading(id);
        assertThat(open(parquet, id).page(0, 1).rowsJson().get(0))
                .isEqualTo("[\"12:00+02:00\",\"101\",\"2\",\"a\",\"\\\\xAA\\\\x00a\",\"[a, NULL, '']\",\"{'k': 'v \\\"q\\\"'}\",\"plain\"]");
        assertThat(storedTypes(id)).containsEntry("ttz", "VARCHAR").containsEntry("v", "VARCHAR");
    }

    @Test
    void serverPathsInValuesAreMaskedOnTheArrowPathAsOnTheRowPath() throws Exception {
        String files = dir.resolve("files").toAbsolutePath().normalize().toString();
        String sql = "SELECT range AS n, CASE WHEN range = 40000 THEN '" + files + "/in.csv' ELSE 'row ' || range END AS s,"
                + " 'a/b' AS not_a_path FROM range(50000)";
        String id = run(sql, parquet);
        run(sql, rows, id);
        assertSameReading(id);
        String row = open(parquet, id).page(40_000, 1).rowsJson().get(0);
        assertThat(row).doesNotContain(files).endsWith("/in.csv\",\"a/b\"]");
    }

    @Test
    void aLargeResultKeepsItsOrderThroughTheArrowHandOver() throws Exception {
        String sql = "SELECT range AS n, 'r' || range AS s, range % 3 AS m FROM range(1000000)";
        String id = run(sql, parquet);
        run(sql, rows, id);
        ResultReader tested = open(parquet, id);
        for (long offset : new long[] {0, 16_383, 16_384, 262_143, 500_000, 999_000}) {
            assertThat(tested.page(offset, 1000)).as("page at %d", offset).isEqualTo(open(rows, id).page(offset, 1000));
            assertThat(tested.page(offset, 1).rowsJson().get(0)).startsWith("[" + offset + ",");
        }
        assertThat(csv(tested)).isEqualTo(csv(open(rows, id)));

        // Stored in parts: a page, a value, a sorted view and a Parquet download across part boundaries.
        try (Stream<Path> files = Files.walk(dir.resolve("parquet"))) {
            assertThat(files.filter(f -> f.getFileName().toString().matches("rows-.*-\\d{5}\\.parquet")).count())
                    .as("parts").isGreaterThanOrEqualTo((1_000_000 + PART_ROWS - 1) / PART_ROWS);
        }
        for (long offset = PART_ROWS - 1072; offset < 1_000_000; offset += PART_ROWS) {
            assertThat(tested.page(offset, 5000)).as("page at %d", offset).isEqualTo(open(rows, id).page(offset, 5000));
            assertThat(value(tested, offset + 1072, 0)).isEqualTo("NUMBER:" + (offset + 1072));
        }
        ResultView tied = ResultView.parse("m", List.of("ge:n:262140", "le:n:262150"), tested.summary().columns());
        assertThat(tested.page(tied, 0, 4).rowsJson()).as("ties keep the stored order across parts").containsExactly(
                "[262140,\"r262140\",0]", "[262143,\"r262143\",0]", "[262146,\"r262146\",0]", "[262149,\"r262149\",0]");
        ResultView descending = ResultView.parse("n:desc", List.of("ge:n:262100", "le:n:262300"), tested.summary().columns());
        assertThat(tested.page(descending, 100, 1).rowsJson()).containsExactly("[262200,\"r262200\",0]");
        ByteArrayOutputStream parquetFile = new ByteArrayOutputStream();
        tested.write(DownloadFormat.PARQUET, parquetFile);
        Path downloaded = dir.resolve("download-" + id + ".parquet");
        Files.write(downloaded, parquetFile.toByteArray());
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), count(*) FILTER (WHERE n <> file_row_number), "
                     + "(SELECT string_agg(column_name, ',') FROM (DESCRIBE SELECT * FROM read_parquet('" + downloaded + "'))) "
                     + "FROM read_parquet('" + downloaded + "', file_row_number = true)")) {
            rs.next();
            assertThat(rs.getLong(1)).as("rows").isEqualTo(1_000_000L);
            assertThat(rs.getLong(2)).as("rows out of order").isZero();
            assertThat(rs.getString(3)).as("the result's own column names").isEqualTo("n,s,m");
        }
    }

    @Test
    void limitsCutAnArrowResultAtTheRowThatPassesThem() throws Exception {
        String sql = "SELECT range AS n, repeat('x', 100) AS s FROM range(1000000)";
        ResultSummary byRows = runWithLimits(sql, new ResultLimits(70_001, Long.MAX_VALUE));
        assertThat(byRows.rows()).isEqualTo(70_001);
        assertThat(byRows.truncation().reason()).isEqualTo(ResultTruncation.Reason.MAX_RESULT_ROWS);

        ResultSummary byBytes = runWithLimits(sql, new ResultLimits(Long.MAX_VALUE, 5_000_000));
        assertThat(byBytes.truncation().reason()).isEqualTo(ResultTruncation.Reason.MAX_RESULT_BYTES);
        assertThat(byBytes.rows()).isBetween(10_000L, 50_000L); // ~116 bytes a row as Arrow data

        ResultSummary whole = runWithLimits("SELECT range AS n FROM range(1000)", new ResultLimits(1000, Long.MAX_VALUE));
        assertThat(whole.rows()).isEqualTo(1000);
        assertThat(whole.truncated()).isFalse();
    }

    @Test
    void anEngineErrorWhileRowsStreamIsTheQuerysOwnErrorAndStoresNothing() throws Exception {
        String id = UUID.randomUUID().toString();
        try (ResultWriter writer = parquet.create(id, 1)) {
            assertThatThrownBy(() -> engine.execute(query(id,
                            "SELECT CASE WHEN range < 9000000 THEN range ELSE error('boom at ' || range) END AS n FROM range(10000000)"),
                    writer, new DuckDbEngineTest.Switch()))
                    .isInstanceOf(EngineException.class).hasMessageContaining("boom at 9000000");
        }
        assertThat(parquet.open(id, 1)).isEmpty();
        assertThat(staged()).isEmpty();
    }

    @Test
    void aCancelledArrowTransferLeavesNothingHalfVisible() throws Exception {
        String id = UUID.randomUUID().toString();
        DuckDbEngineTest.Switch cancellation = new DuckDbEngineTest.Switch();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (ResultWriter writer = parquet.create(id, 1)) {
            CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
                try {
                    engine.execute(query(id, "SELECT range AS n, md5(range::VARCHAR) AS h FROM range(2000000000)"),
                            writer, cancellation);
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> stagedFiles().anyMatch(f -> f.toString().endsWith(".parquet")));
            cancellation.cancel();
            await().atMost(Duration.ofSeconds(30)).until(running::isDone);
        }
        assertThat(failure.get()).isInstanceOf(EngineException.class);
        assertThat(((EngineException) failure.get()).code()).isEqualTo("QUERY_CANCELLED");
        assertThat(parquet.open(id, 1)).isEmpty();
        assertThat(staged()).isEmpty();
    }

    // ---- helpers

    private static ResultSummary runWithLimits(String sql, ResultLimits limits) throws Exception {
        String id = UUID.randomUUID().toString();
        try (ResultWriter writer = parquet.create(id, 1, limits)) {
            engine.execute(query(id, sql), writer, new DuckDbEngineTest.Switch());
            ResultSummary summary = writer.publish();
            ResultReader reader = open(parquet, id);
            assertThat(reader.summary().rows()).isEqualTo(summary.rows());
            if (summary.rows() > 0) {
                assertThat(reader.page(summary.rows() - 1, 10).rowsJson()).hasSize(1);
            }
            return summary;
        }
    }

    private static String run(String sql, ResultStore store) throws Exception {
        return run(sql, store, UUID.randomUUID().toString());
    }

    private static String run(String sql, ResultStore store, String id) throws Exception {
        try (ResultWriter writer = store.create(id, 1)) {
            engine.execute(query(id, sql), writer, new DuckDbEngineTest.Switch());
            writer.publish();
        }
        return id;
    }

    private static EngineQuery query(String id, String sql) {
        return new EngineQuery(id, 1, sql, engine.defaultContext());
    }

    private static ResultReader open(ResultStore store, String id) throws IOException {
        return store.open(id, 1).orElseThrow();
    }

    /** Pages at several offsets and sizes, every single value, and the CSV, byte for byte. */
    private static void assertSameReading(String id) throws IOException {
        ResultReader tested = open(parquet, id);
        ResultReader expected = open(rows, id);
        assertThat(tested.columnar()).isTrue();
        assertThat(tested.summary().columns()).isEqualTo(expected.summary().columns());
        long total = expected.summary().rows();
        assertThat(tested.summary().rows()).isEqualTo(total);
        for (long offset : new long[] {0, 1, total / 2, Math.max(0, total - 3)}) {
            for (int limit : new int[] {1, 2, 1000}) {
                ResultPage page = tested.page(offset, limit);
                assertThat(page).as("page %d+%d", offset, limit).isEqualTo(expected.page(offset, limit));
            }
        }
        for (long row = 0; row < Math.min(total, 3); row++) {
            for (int column = 0; column < expected.summary().columns().size(); column++) {
                assertThat(value(tested, row, column)).as("value %d,%d", row, column).isEqualTo(value(expected, row, column));
            }
        }
        assertThat(csv(tested)).isEqualTo(csv(expected));
    }

    private static String value(ResultReader reader, long row, int column) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var kind = reader.writeValue(row, column, k -> out);
        return kind + ":" + out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] csv(ResultReader reader) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        reader.writeCsv(out);
        return out.toByteArray();
    }

    /** The column types of the result's Parquet download, as DuckDB reads them. */
    private static Map<String, String> storedTypes(String id) throws Exception {
        Path file = dir.resolve(id + ".parquet");
        try (OutputStream out = Files.newOutputStream(file)) {
            open(parquet, id).write(DownloadFormat.PARQUET, out);
        }
        Map<String, String> types = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + file + "')")) {
            while (rs.next()) {
                types.put(rs.getString("column_name"), rs.getString("column_type"));
            }
        }
        return types;
    }

    private static List<Path> staged() throws IOException {
        try (Stream<Path> files = stagedFiles()) {
            return files.filter(p -> !p.getFileName().toString().endsWith("@duckdb")).toList();
        }
    }

    private static Stream<Path> stagedFiles() throws IOException {
        Path tmp = dir.resolve("parquet").resolve(".tmp");
        List<Path> all = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(tmp)) {
            walk.filter(p -> !p.equals(tmp) && !p.startsWith(tmp.resolve("test@duckdb"))).forEach(all::add);
        }
        return all.stream();
    }
}
