package io.sluice.result;

import io.sluice.engine.Column;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.sluice.result.Results.columns;
import static io.sluice.result.Results.newId;
import static io.sluice.result.Results.open;
import static io.sluice.result.Results.parseRow;
import static io.sluice.result.Results.publish;
import static io.sluice.result.Results.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One stored value is read back whole, whatever its length, with its kind. */
class ResultValueTest {

    @TempDir
    Path root;

    @Test
    void everyKindOfValueIsReadWhole() throws IOException {
        FolderResultStore store = new FolderResultStore(root, 2, false, new PageBudget(4096, 16));
        List<Column> columns = columns("a", "varchar", "b", "varchar", "n", "bigint", "d", "double", "t", "boolean",
                "f", "boolean", "nan", "double");
        List<Object[]> rows = new ArrayList<>();
        for (String s : ResultRoundTripTest.TRICKY_STRINGS) {
            rows.add(new Object[] {null, s, -42L, -1.5e300, true, false, Double.NaN});
        }
        rows.add(new Object[] {"", ResultRoundTripTest.LONG_STRING, Long.MIN_VALUE, 0.1, false, true, 2.0});
        String id = newId();
        publish(store, id, 1, columns, rows);
        ResultReader reader = open(store, id, 1);

        for (int r = 0; r < rows.size(); r++) {
            Object[] row = rows.get(r);
            assertThat(value(reader, r, 1)).as("row %d", r).isEqualTo(new Results.Value(ValueKind.STRING, (String) row[1]));
            assertThat(value(reader, r, 2).text()).isEqualTo(Long.toString((Long) row[2]));
            assertThat(value(reader, r, 2).kind()).isEqualTo(ValueKind.NUMBER);
            assertThat(Double.parseDouble(value(reader, r, 3).text())).isEqualTo(row[3]);
            assertThat(value(reader, r, 4)).isEqualTo(new Results.Value(ValueKind.BOOLEAN, row[4].toString()));
            assertThat(value(reader, r, 5)).isEqualTo(new Results.Value(ValueKind.BOOLEAN, row[5].toString()));
        }
        assertThat(value(reader, 0, 0)).isEqualTo(new Results.Value(ValueKind.NULL, null));
        assertThat(value(reader, rows.size() - 1, 0)).isEqualTo(new Results.Value(ValueKind.STRING, ""));
        assertThat(value(reader, 0, 6)).as("NaN is stored as text").isEqualTo(new Results.Value(ValueKind.STRING, "NaN"));
    }

    @Test
    void aRowOrColumnOutsideTheResultIsRefused() throws IOException {
        FolderResultStore store = new FolderResultStore(root);
        String id = newId();
        publish(store, id, 1, columns("a", "bigint", "b", "varchar"), List.<Object[]>of(new Object[] {1L, "x"}));
        ResultReader reader = open(store, id, 1);

        assertThatThrownBy(() -> value(reader, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> value(reader, -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> value(reader, 0, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> value(reader, 0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(value(reader, 0, 1).text()).isEqualTo("x");
    }

    /**
     * JSON allows any character as a {@code \\u} escape (a surrogate pair as two), and {@code \/}:
     * the reader decodes them all, counts their UTF-8 size, and never cuts inside one.
     */
    @Test
    void everyJsonEscapeIsDecodedAndCountedInUtf8() throws IOException {
        FolderResultStore store = new FolderResultStore(root, 2, false, new PageBudget(4096, 5));
        String id = newId();
        publish(store, id, 1, columns("v", "varchar"), List.<Object[]>of(new Object[] {"placeholder"}));
        Path data = root.resolve(id).resolve("1").resolve(ResultFiles.DATA_FILE);
        Files.writeString(data, "[\"\\uD83D\\uDE00\\u00e9\\/\\u20ac\\uD800x\"]\n", StandardCharsets.UTF_8);
        ResultReader reader = open(store, id, 1);
        String decoded = "😀é/€\uFFFDx";

        assertThat(value(reader, 0, 0).text()).isEqualTo(decoded);
        ResultPage page = reader.page(0, 1);
        // 😀 is 4 bytes: with é (2 more) the 5-byte limit is passed, so the page shows 😀 only.
        assertThat(parseRow(page.rowsJson().get(0))).containsExactly("😀");
        assertThat(page.truncatedCells())
                .containsExactly(new TruncatedCell(0, 0, decoded.getBytes(StandardCharsets.UTF_8).length));
        assertThat(Results.csv(reader)).isEqualTo("\"v\"\n\"" + decoded + "\"\n");
    }
}
