package io.sluice.result;

import io.sluice.engine.Column;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.LongStream;

import static io.sluice.result.Results.columns;
import static io.sluice.result.Results.newId;
import static io.sluice.result.Results.numberedJson;
import static io.sluice.result.Results.numberedRows;
import static io.sluice.result.Results.open;
import static io.sluice.result.Results.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResultPagingTest {

    private static final List<Column> TWO = columns("n", "bigint", "s", "varchar");

    @TempDir
    Path root;

    private static List<String> expected(long from, long toExclusive) {
        return LongStream.range(from, toExclusive).mapToObj(Results::numberedJson).toList();
    }

    private static void assertPage(ResultReader reader, long rows, long offset, int limit) throws IOException {
        ResultPage page = reader.page(offset, limit);
        long end = Math.min(rows, offset + limit);
        assertThat(page.rowsJson()).as("page(%d, %d) of %d rows", offset, limit, rows)
                .containsExactlyElementsOf(expected(offset, end));
        assertThat(page.offset()).isEqualTo(offset);
        assertThat(page.totalRows()).isEqualTo(rows);
        assertThat(page.columns()).isEqualTo(TWO);
        assertThat(page.nextOffset()).isEqualTo(end < rows ? end : -1);
    }

    /** Every offset and every limit up to past the end, for sizes around small multiples of K = 4. */
    @ParameterizedTest(name = "{0} rows")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 13})
    void everyPageOfSmallResultsWithStrideFour(int rows) throws IOException {
        FolderResultStore store = new FolderResultStore(root, 4);
        String id = newId();
        publish(store, id, 1, TWO, numberedRows(rows));
        ResultReader reader = open(store, id, 1);

        for (long offset = 0; offset <= rows; offset++) {
            for (int limit = 1; limit <= rows + 2; limit++) {
                assertPage(reader, rows, offset, limit);
            }
        }
    }

    /** Offsets at and around the index boundaries of the default stride, and the last rows. */
    @ParameterizedTest(name = "{0} rows")
    @ValueSource(ints = {0, 1, 127, 128, 129, 255, 256, 257, 1000, 128 * 10 + 5})
    void pagesAroundIndexBoundariesOfTheDefaultStride(int rows) throws IOException {
        FolderResultStore store = new FolderResultStore(root);
        int k = store.indexStride();
        String id = newId();
        publish(store, id, 1, TWO, numberedRows(rows));
        ResultReader reader = open(store, id, 1);

        TreeSet<Long> offsets = new TreeSet<>(List.of(0L, 1L, (long) k - 1, (long) k, (long) k + 1,
                2L * k - 1, 2L * k, 2L * k + 1, rows / 2L, rows - 1L, (long) rows));
        for (long offset : offsets) {
            if (offset < 0 || offset > rows) {
                continue;
            }
            for (int limit : new int[] {1, 2, k - 1, k, k + 1, 1000}) {
                assertPage(reader, rows, offset, limit);
            }
        }
    }

    @Test
    void everyStrideGivesTheSameRows() throws IOException {
        for (int k : new int[] {1, 2, 3, 64, 1000}) {
            FolderResultStore store = new FolderResultStore(root.resolve("k" + k), k);
            String id = newId();
            publish(store, id, 1, TWO, numberedRows(500));
            ResultReader reader = open(store, id, 1);
            for (long offset : new long[] {0, 1, k - 1, k, k + 1, 250, 499, 500}) {
                if (offset <= 500) {
                    assertPage(reader, 500, offset, 7);
                }
            }
        }
    }

    @Test
    void lastPageIsShortAndHasNoNextOffset() throws IOException {
        FolderResultStore store = new FolderResultStore(root);
        String id = newId();
        publish(store, id, 1, TWO, numberedRows(250));
        ResultReader reader = open(store, id, 1);

        ResultPage page = reader.page(200, 100);

        assertThat(page.rowsJson()).hasSize(50).last().isEqualTo(numberedJson(249));
        assertThat(page.nextOffset()).isEqualTo(-1);
        assertThat(reader.page(100, 100).nextOffset()).isEqualTo(200);
        assertThat(reader.page(250, 100).rowsJson()).isEmpty();
    }

    @Test
    void invalidPageArgumentsAreRejected() throws IOException {
        FolderResultStore store = new FolderResultStore(root);
        String id = newId();
        publish(store, id, 1, TWO, numberedRows(10));
        ResultReader reader = open(store, id, 1);

        assertThatThrownBy(() -> reader.page(-1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> reader.page(11, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> reader.page(Long.MAX_VALUE, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> reader.page(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> reader.page(0, -5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(reader.page(0, Integer.MAX_VALUE).rowsJson()).hasSize(10);
    }

    @Test
    void rowsLongerThanTheReadBufferArePagedWhole() throws IOException {
        FolderResultStore store = new FolderResultStore(root, 4, false, new PageBudget(4 << 20, 1 << 20));
        String id = newId();
        List<Object[]> rows = LongStream.range(0, 20)
                .mapToObj(i -> new Object[] {i, String.valueOf((char) ('a' + i)).repeat((int) (i * 9_000))})
                .toList();
        publish(store, id, 1, TWO, rows);
        ResultReader reader = open(store, id, 1);

        for (int offset = 0; offset < 20; offset++) {
            List<String> page = reader.page(offset, 3).rowsJson();
            for (int j = 0; j < page.size(); j++) {
                long i = offset + j;
                assertThat(Results.parseRow(page.get(j)))
                        .containsExactly(i, String.valueOf((char) ('a' + i)).repeat((int) (i * 9_000)));
            }
        }
    }
}
