package io.sluice.result;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A result stored by the previous version as one Parquet file (format 2: {@code rows-<generation>.parquet},
 * columns under the result's own names) reads as it did: the same pages, values, views, aggregates
 * and downloads as the same rows stored in parts today. The old result is made here as the previous
 * writer made it: DuckDB's {@code COPY … TO} of the rows into one file of 16,384-row groups.
 */
class ParquetSingleFileResultTest {

    private static final long ROWS = 600_000; // three parts today

    @TempDir
    Path root;

    private FolderResultStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void aResultOfThePreviousVersionReadsAsTheSameRowsStoredInParts() throws Exception {
        store = Results.parquetStore(root);
        var columns = Results.columns("n", "bigint", "select", "varchar");
        String parts = Results.newId();
        String single = Results.newId();
        Results.publish(store, parts, 1, columns, Results.numberedRows(ROWS));
        Results.publish(store, single, 1, columns, Results.numberedRows(ROWS));
        assertThat(partFiles(single)).hasSize(3);
        rewriteAsOneFile(single);
        assertThat(partFiles(single)).isEmpty();

        ResultReader now = Results.open(store, parts, 1);
        ResultReader before = Results.open(store, single, 1);
        assertThat(before.summary().columns()).isEqualTo(now.summary().columns());
        assertThat(before.summary().rows()).isEqualTo(now.summary().rows());
        for (long offset : new long[] {0, 262_100, 524_200, ROWS - 10}) {
            assertThat(before.page(offset, 200)).as("page at %d", offset).isEqualTo(now.page(offset, 200));
            assertThat(Results.value(before, offset + 5, 1)).isEqualTo(Results.value(now, offset + 5, 1));
        }
        ResultView view = ResultView.parse("select:desc", List.of("contains:select:99"), columns);
        assertThat(before.page(view, 1000, 50)).isEqualTo(now.page(view, 1000, 50));
        Aggregation counts = Aggregation.parse("", "count,sum:n,max:select", List.of("lt:n:1000"), 10, columns);
        assertThat(before.aggregate(counts)).isEqualTo(now.aggregate(counts));
        assertThat(Results.csv(before)).isEqualTo(Results.csv(now));
        for (DownloadFormat format : List.of(DownloadFormat.JSONL, DownloadFormat.PARQUET)) {
            assertThat(rowsOf(download(before, format), format)).as(format.name())
                    .isEqualTo(rowsOf(download(now, format), format));
        }
    }

    /** What the previous version stored: one file, the result's column names, format 2 without parts. */
    private void rewriteAsOneFile(String id) throws Exception {
        Path summaryPath = summary(id);
        Path dir = summaryPath.getParent();
        SummaryFile now = ResultFiles.readSummary(Files.readAllBytes(summaryPath), id);
        List<String> names = StoredColumns.names(now.columns());
        String select = IntStream.range(0, names.size())
                .mapToObj(i -> ParquetLayout.physicalName(i) + " AS " + ResultDuck.identifier(names.get(i)))
                .collect(Collectors.joining(", "));
        List<Path> parts = partFiles(id);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT " + select + " FROM read_parquet(["
                    + parts.stream().map(ResultDuck::literal).collect(Collectors.joining(", ")) + "])) TO "
                    + ResultDuck.literal(dir.resolve(ParquetLayout.singleFile(now.generation())))
                    + " (FORMAT parquet, ROW_GROUP_SIZE 16384)");
        }
        for (Path p : parts) {
            Files.delete(p);
        }
        SummaryFile before = new SummaryFile(ResultFiles.FORMAT_PARQUET, now.generation(), now.columns(), now.rows(),
                Files.size(dir.resolve(ParquetLayout.singleFile(now.generation()))), now.truncation(), now.storedTypes(), null);
        Files.write(summaryPath, ResultFiles.summaryBytes(before));
    }

    private Path summary(String id) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().equals(ResultFiles.SUMMARY_FILE))
                    .filter(p -> p.toString().contains(id)).findFirst().orElseThrow();
        }
    }

    private List<Path> partFiles(String id) throws IOException {
        try (Stream<Path> files = Files.list(summary(id).getParent())) {
            return files.filter(p -> p.getFileName().toString().matches("rows-.*-\\d{5}\\.parquet")).sorted().toList();
        }
    }

    private Path download(ResultReader reader, DownloadFormat format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        reader.write(format, out);
        Path file = Files.createTempFile(root, "download", "." + format.extension());
        Files.write(file, out.toByteArray());
        return file;
    }

    /** A downloaded file's rows, in order, as DuckDB reads them back, with its column names. */
    private static List<String> rowsOf(Path file, DownloadFormat format) throws Exception {
        String source = format == DownloadFormat.PARQUET ? "read_parquet(" + ResultDuck.literal(file) + ")"
                : "read_json(" + ResultDuck.literal(file) + ", format = 'newline_delimited')";
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT (SELECT string_agg(column_name, ',') FROM (DESCRIBE SELECT * FROM " + source
                     + ")), count(*), md5(string_agg(CAST(t AS VARCHAR), ';' ORDER BY r)) "
                     + "FROM (SELECT *, row_number() OVER () AS r FROM " + source + ") t")) {
            rs.next();
            return List.of(rs.getString(1), rs.getString(2), rs.getString(3));
        }
    }
}
