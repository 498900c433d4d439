package io.sluice.result;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.engine.Column;

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

    static String csv(ResultReader reader) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        reader.writeCsv(out);
        return out.toString(StandardCharsets.UTF_8);
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
}
