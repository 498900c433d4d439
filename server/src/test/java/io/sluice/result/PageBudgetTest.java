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
import static io.sluice.result.Results.rowsArray;
import static io.sluice.result.Results.utf8Length;
import static io.sluice.result.Results.utf8Prefix;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page is bounded in bytes: long strings are cut (on a character boundary, and listed), rows stop
 * before the one that would pass the page's budget, and a first row too large on its own is cut
 * further until it fits.
 */
class PageBudgetTest {

    private static final List<Column> ONE = columns("v", "varchar");

    @TempDir
    Path root;

    /** A store of the format under test (the row format here; the Parquet store in {@link ParquetPageBudgetTest}). */
    FolderResultStore store(Path folder, PageBudget budget) throws IOException {
        return new FolderResultStore(folder, 4, false, budget);
    }

    private ResultReader stored(PageBudget budget, List<Column> columns, List<Object[]> rows) throws IOException {
        FolderResultStore store = store(root.resolve(newId()), budget);
        String id = newId();
        publish(store, id, 1, columns, rows);
        return open(store, id, 1);
    }

    @Test
    void longStringsAreCutToTheLongestWholeCharacterPrefixAndListed() throws IOException {
        int max = 10;
        List<String> values = new ArrayList<>();
        for (String wide : List.of("é", "€", "😀", "\"", "\\", "\n", "\u0001")) {
            for (int lead = 0; lead <= max + 1; lead++) {
                values.add("a".repeat(lead) + wide + wide + "tail");
            }
        }
        values.add("x".repeat(max));
        values.add("");
        List<Object[]> rows = values.stream().map(v -> new Object[] {v}).toList();
        ResultReader reader = stored(new PageBudget(1 << 20, max), ONE, rows);

        ResultPage page = reader.page(0, 1000);

        assertThat(page.rowsJson()).hasSize(values.size());
        List<TruncatedCell> expectedCuts = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            assertThat(parseRow(page.rowsJson().get(i))).as("row %d: %s", i, value)
                    .containsExactly(utf8Prefix(value, max));
            if (utf8Length(value) > max) {
                expectedCuts.add(new TruncatedCell(i, 0, utf8Length(value)));
            }
        }
        assertThat(page.truncatedCells()).containsExactlyElementsOf(expectedCuts);
        assertThat(page.truncatedCells()).isNotEmpty();
    }

    @Test
    void aPageStopsBeforeTheRowThatWouldPassItsBudgetAndTheNextPageContinuesThere() throws IOException {
        int budget = 300;
        List<Object[]> rows = new ArrayList<>();
        for (long i = 0; i < 100; i++) {
            rows.add(new Object[] {i, "s".repeat((int) (i % 37)), i % 2 == 0});
        }
        ResultReader reader = stored(new PageBudget(budget, 64), columns("n", "bigint", "s", "varchar", "b", "boolean"),
                rows);

        long offset = 0;
        int pages = 0;
        while (offset >= 0) {
            ResultPage page = reader.page(offset, 1000);
            String json = rowsArray(page);
            assertThat(utf8Length(json)).as("page at %d", offset).isLessThanOrEqualTo(budget);
            assertThat(page.rowsJson()).isNotEmpty();
            assertThat(page.truncatedCells()).isEmpty();
            for (int i = 0; i < page.rowsJson().size(); i++) {
                assertThat(parseRow(page.rowsJson().get(i))).containsExactly(rows.get((int) offset + i));
            }
            if (page.nextOffset() >= 0) {
                String withNext = json.substring(0, json.length() - 1) + ","
                        + reader.page(page.nextOffset(), 1).rowsJson().get(0) + "]";
                assertThat(utf8Length(withNext)).as("the next row would not have fit").isGreaterThan(budget);
            }
            offset = page.nextOffset();
            pages++;
        }
        assertThat(pages).isGreaterThan(5);
    }

    @Test
    void aFirstRowLargerThanTheBudgetIsCutUntilItFitsKeepingShortValuesWhole() throws IOException {
        int budget = 1024;
        Object[] big = {7L, "short", "b".repeat(5000), "c\u00e9".repeat(1500), null, true, "d".repeat(200)};
        List<Column> columns = columns("n", "bigint", "s", "varchar", "b", "varchar", "c", "varchar",
                "x", "varchar", "t", "boolean", "d", "varchar");
        ResultReader reader = stored(new PageBudget(budget, budget), columns,
                List.of(big, new Object[] {8L, "next", "b", "c", null, false, "d"}));

        ResultPage page = reader.page(0, 10);

        assertThat(page.rowsJson()).hasSize(1);
        assertThat(utf8Length(rowsArray(page))).isLessThanOrEqualTo(budget);
        List<Object> row = parseRow(page.rowsJson().get(0));
        assertThat(row.get(0)).isEqualTo(7L);
        assertThat(row.get(1)).isEqualTo("short");
        assertThat(row.get(4)).isNull();
        assertThat(row.get(5)).isEqualTo(true);
        assertThat(row.get(6)).as("fits its share: kept whole").isEqualTo("d".repeat(200));
        String b = (String) row.get(2);
        String c = (String) row.get(3);
        assertThat((String) big[2]).startsWith(b);
        assertThat((String) big[3]).startsWith(c);
        assertThat(Math.abs(utf8Length(b) - utf8Length(c))).as("the room left is shared evenly").isLessThanOrEqualTo(2);
        assertThat(utf8Length(b)).isGreaterThan(200);
        assertThat(page.truncatedCells()).containsExactly(new TruncatedCell(0, 2, 5000), new TruncatedCell(0, 3, 4500));
        assertThat(page.nextOffset()).isEqualTo(1);
        assertThat(parseRow(reader.page(1, 10).rowsJson().get(0))).containsExactly(8L, "next", "b", "c", null, false, "d");
    }

    @Test
    void theRowsOfAPageNeverPassTheBudgetWhateverTheirShape() throws IOException {
        int budget = 2048;
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            rows.add(new Object[] {"é".repeat(i * 37 % 1500), (long) i, "\n\"".repeat(i * 53 % 900), "😀".repeat(i % 7)});
        }
        ResultReader reader = stored(new PageBudget(budget, 700),
                columns("a", "varchar", "n", "bigint", "b", "varchar", "c", "varchar"), rows);

        long offset = 0;
        long seen = 0;
        while (offset >= 0) {
            ResultPage page = reader.page(offset, 1000);
            assertThat(utf8Length(rowsArray(page))).isLessThanOrEqualTo(budget);
            for (TruncatedCell cell : page.truncatedCells()) {
                Object full = rows.get((int) offset + cell.row())[cell.column()];
                assertThat(cell.bytes()).isEqualTo(utf8Length((String) full));
            }
            for (int i = 0; i < page.rowsJson().size(); i++) {
                List<Object> shown = parseRow(page.rowsJson().get(i));
                Object[] full = rows.get((int) offset + i);
                for (int c = 0; c < full.length; c++) {
                    if (full[c] instanceof String s) {
                        assertThat(s).startsWith((String) shown.get(c));
                        assertThat(utf8Length((String) shown.get(c))).isLessThanOrEqualTo(700);
                    } else {
                        assertThat(shown.get(c)).isEqualTo(full[c]);
                    }
                }
            }
            seen += page.rowsJson().size();
            offset = page.nextOffset();
        }
        assertThat(seen).isEqualTo(rows.size());
    }
}
