package io.sluice.result;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.engine.Column;
import io.sluice.engine.CsvSink;
import io.sluice.engine.ResultLimits;
import io.sluice.testing.ApiClient;
import io.sluice.testing.Queries;
import io.sluice.testing.TestServer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;

/** Small helpers shared by the result store tests. */
final class Results {

    static final ObjectMapper JSON = new ObjectMapper();

    private Results() {
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    static List<Column> columns(String... nameTypePairs) {
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < nameTypePairs.length; i += 2) {
            columns.add(new Column(nameTypePairs[i], nameTypePairs[i + 1]));
        }
        return columns;
    }

    static ResultSummary publish(ResultStore store, String id, int run, List<Column> columns, List<Object[]> rows)
            throws IOException {
        try (ResultWriter writer = store.create(id, run)) {
            writer.columns(columns);
            rows.forEach(writer::row);
            return writer.publish();
        }
    }

    /** Row i of the numbered results: {@code [i, "row-i"]}. */
    static Object[] numbered(long i) {
        return new Object[] {i, "row-" + i};
    }

    static List<Object[]> numberedRows(long count) {
        return LongStream.range(0, count).mapToObj(Results::numbered).toList();
    }

    static String numberedJson(long i) {
        return "[" + i + ",\"row-" + i + "\"]";
    }

    static ResultReader open(ResultStore store, String id, int run) throws IOException {
        return store.open(id, run).orElseThrow(() -> new AssertionError("no result for " + id + "/" + run));
    }

    /** The result once the store has converted it from Athena's CSV in the background (as it is, if it was never CSV). */
    static ResultReader converted(ResultStore store, String id, int run) {
        return org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> open(store, id, run), r -> !(r instanceof CsvPartsReader));
    }

    static String csv(ResultReader reader) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        reader.writeCsv(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** One whole value as {@link ResultReader#writeValue} streams it: its kind, and its text (null for NULL). */
    record Value(ValueKind kind, String text) {
    }

    static Value value(ResultReader reader, long row, int column) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ValueKind kind = reader.writeValue(row, column, k -> k == ValueKind.NULL ? null : out);
        return new Value(kind, kind == ValueKind.NULL ? null : out.toString(StandardCharsets.UTF_8));
    }

    /** A page's rows as the JSON array the API embeds. */
    static String rowsArray(ResultPage page) {
        return "[" + String.join(",", page.rowsJson()) + "]";
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The longest prefix of {@code s} that ends between two characters and has at most {@code maxBytes} UTF-8 bytes. */
    static String utf8Prefix(String s, int maxBytes) {
        int end = 0;
        int bytes = 0;
        while (end < s.length()) {
            int cp = s.codePointAt(end);
            int n = utf8Length(new String(Character.toChars(cp)));
            if (bytes + n > maxBytes) {
                break;
            }
            bytes += n;
            end += Character.charCount(cp);
        }
        return s.substring(0, end);
    }

    static List<Object> parseRow(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            List<Object> values = new ArrayList<>();
            node.forEach(v -> values.add(v.isNull() ? null
                    : v.isBoolean() ? v.booleanValue()
                    : v.isIntegralNumber() ? v.longValue()
                    : v.isNumber() ? v.doubleValue()
                    : v.textValue()));
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Object> list(Object... values) {
        return Arrays.asList(values);
    }

    /** A folder store writing Parquet under {@code root}, as the server's default (2 DuckDB threads, 256 MB). */
    /**
     * Athena's CSV of columns {@code n} (bigint) and {@code s} (varchar) for {@code rows} rows:
     * {@code "i","s<i>"}, with a byte that is not UTF-8 at the end of row {@code badRow}'s text (which
     * the copy keeps and DuckDB's CSV reader refuses: its conversion fails), or none when it is -1.
     */
    static byte[] numberedCsv(int rows, int badRow) {
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        csv.writeBytes("\"n\",\"s\"\n".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < rows; i++) {
            csv.writeBytes(("\"" + i + "\",\"s" + i).getBytes(StandardCharsets.UTF_8));
            if (i == badRow) {
                csv.write(0xFF);
            }
            csv.writeBytes("\"\n".getBytes(StandardCharsets.UTF_8));
        }
        return csv.toByteArray();
    }

    /**
     * The id of a query that succeeded on a server over {@code dir}, whose result was then replaced,
     * while no server ran, by Athena's CSV {@code csv} (columns {@code n} bigint and {@code s}
     * varchar) published as CSV and not yet converted: what a server finds after a crash between a
     * large Athena result's publishing and its conversion.
     */
    static String queryWithCsvFormResult(java.nio.file.Path dir, byte[] csv) throws Exception {
        String id;
        try (TestServer first = TestServer.start(dir)) {
            ApiClient api = first.client();
            id = api.submit("SELECT 1 AS n, 'x' AS s");
            if (!Queries.awaitEnd(api, id).equals("SUCCEEDED")) {
                throw new AssertionError("the query did not succeed");
            }
        }
        try (FolderResultStore store = parquetStore(dir.resolve("results"))) {
            store.convertAfterPublish(false);
            try (ResultWriter writer = store.create(id, 1, ResultLimits.NONE)) {
                ((CsvSink) writer).athenaCsv(columns("n", "bigint", "s", "varchar"),
                        new ByteArrayInputStream(csv));
                writer.publish();
            }
            if (!(open(store, id, 1) instanceof CsvPartsReader)) {
                throw new AssertionError("the result was not left as CSV");
            }
        }
        return id;
    }

    static FolderResultStore parquetStore(java.nio.file.Path root) throws IOException {
        return new FolderResultStore(root, "test", ResultFormat.PARQUET, 128, false,
                new PageBudget(1 << 20, 4096), 2, "256MB");
    }
}
