package io.sluice.result;

import io.sluice.engine.Column;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.sluice.result.Results.columns;
import static io.sluice.result.Results.newId;
import static io.sluice.result.Results.open;
import static io.sluice.result.Results.parseRow;
import static io.sluice.result.Results.publish;
import static io.sluice.result.Results.utf8Length;
import static io.sluice.result.Results.utf8Prefix;
import static io.sluice.result.Results.value;
import static org.assertj.core.api.Assertions.assertThat;

class ResultRoundTripTest {

    private static final List<Column> ONE = columns("v", "varchar");

    static final String LONG_STRING = "0123456789abcdef\"\n,é€😀".repeat(200_000); // ~4.8 MB of text

    /** Strings that break naive line, CSV or JSON handling. */
    static final List<String> TRICKY_STRINGS = List.of(
            "", " ", "null", "NULL", "NaN", "true", "42",
            "a,b", "say \"hi\"", "\"", "\"\"", "line1\nline2", "cr\rlf\r\n", "tab\there",
            "back\\slash", "\\n is not a newline", "[1,2]", "{\"a\":1}", "\u0000nul", "\u001f\u007f",
            "é ü ß", "中文字符", "emoji 😀 👍🏽", "line\u2028separator\u2029", "\uFEFFbom-looking",
            "x".repeat(70_000));

    @TempDir
    Path root;

    @Test
    void everyValueKindReadsBackAsWritten() throws IOException {
        FolderResultStore store = new FolderResultStore(root, 3);
        List<Column> columns = columns("b", "boolean", "n", "bigint", "d", "double", "s", "varchar");
        List<Object[]> rows = List.of(
                new Object[] {true, 0L, 0.0, "plain"},
                new Object[] {false, Long.MAX_VALUE, 1.5, ""},
                new Object[] {null, Long.MIN_VALUE, -0.0, "null"},
                new Object[] {true, null, 1e300, null},
                new Object[] {false, -1L, Double.MIN_VALUE, "NaN"},
                new Object[] {null, 42L, null, "x"},
                new Object[] {true, 7L, Double.NaN, "y"},
                new Object[] {true, 8L, Double.POSITIVE_INFINITY, "z"},
                new Object[] {true, 9L, Double.NEGATIVE_INFINITY, "w"});
        String id = newId();
        publish(store, id, 1, columns, rows);

        List<String> json = open(store, id, 1).page(0, 100).rowsJson();

        assertThat(json).containsExactly(
                "[true,0,0.0,\"plain\"]",
                "[false,9223372036854775807,1.5,\"\"]",
                "[null,-9223372036854775808,-0.0,\"null\"]",
                "[true,null,1.0E300,null]",
                "[false,-1,4.9E-324,\"NaN\"]",
                "[null,42,null,\"x\"]",
                "[true,7,\"NaN\",\"y\"]",
                "[true,8,\"Infinity\",\"z\"]",
                "[true,9,\"-Infinity\",\"w\"]");
        for (int i = 0; i < 6; i++) {
            assertThat(parseRow(json.get(i))).as("row %d", i).containsExactly(rows.get(i));
        }
    }

    @Test
    void nullEmptyStringAndTheWordNullStayDistinct() throws IOException {
        FolderResultStore store = new FolderResultStore(root);
        String id = newId();
        publish(store, id, 1, columns("a", "varchar", "b", "varchar", "c", "varchar"),
                List.<Object[]>of(new Object[] {null, "", "null"}));

        ResultReader reader = open(store, id, 1);

        assertThat(reader.page(0, 1).rowsJson()).containsExactly("[null,\"\",\"null\"]");
        assertThat(parseRow(reader.page(0, 1).rowsJson().get(0))).containsExactly(null, "", "null");
        assertThat(Results.csv(reader)).isEqualTo("\"a\",\"b\",\"c\"\n,\"\",\"null\"\n");
    }

    @Test
    void trickyStringsReadBackExactlyAtEveryPosition() throws IOException {
        FolderResultStore store = new FolderResultStore(root, 4);
        List<Object[]> rows = new ArrayList<>();
        TRICKY_STRINGS.forEach(s -> rows.add(new Object[] {s}));
        rows.add(new Object[] {LONG_STRING});
        String id = newId();
        publish(store, id, 1, ONE, rows);
        ResultReader reader = open(store, id, 1);

        int shown = PageBudget.DEFAULT.maxValueBytes();
        for (int i = 0; i < rows.size(); i++) {
            String value = (String) rows.get(i)[0];
            ResultPage page = reader.page(i, 1);
            assertThat(page.rowsJson()).hasSize(1);
            assertThat(parseRow(page.rowsJson().get(0))).as("row %d", i).containsExactly(utf8Prefix(value, shown));
            assertThat(page.rowsJson().get(0)).doesNotContain("\n");
            assertThat(page.truncatedCells()).isEqualTo(utf8Length(value) > shown
                    ? List.of(new TruncatedCell(0, 0, utf8Length(value))) : List.of());
            assertThat(value(reader, i, 0).text()).as("row %d whole", i).isEqualTo(value);
        }
        ResultPage all = reader.page(0, 1000);
        assertThat(all.rowsJson()).hasSize(rows.size());
        assertThat(all.truncatedCells()).extracting(TruncatedCell::row).containsExactly(rows.size() - 2, rows.size() - 1);
    }

    @Test
    void unicodeIsStoredAsUtf8NotEscaped() throws IOException {
        FolderResultStore store = new FolderResultStore(root);
        String id = newId();
        publish(store, id, 1, ONE, List.<Object[]>of(new Object[] {"é中😀"}));

        assertThat(open(store, id, 1).page(0, 1).rowsJson()).containsExactly("[\"é中😀\"]");
    }
}
