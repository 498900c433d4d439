package io.sluice.result;

import io.sluice.engine.Column;
import io.sluice.engine.ResultLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.sluice.result.Results.columns;
import static io.sluice.result.Results.newId;
import static io.sluice.result.Results.numbered;
import static io.sluice.result.Results.numberedJson;
import static io.sluice.result.Results.numberedRows;
import static io.sluice.result.Results.open;
import static io.sluice.result.Results.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every result store guarantees, run against each one (one small subclass per store): the
 * same pages, values and CSV bytes as the folder store, truncation, nothing visible before
 * publish or after an abort, atomic replacement, complete deletion, page cost independent of the
 * offset, and a sweep that touches only this instance's temporary files.
 */
abstract class ResultStoreContract {

    static final List<Column> TWO = columns("n", "bigint", "s", "varchar");
    static final int STRIDE = FolderResultStore.DEFAULT_INDEX_STRIDE;

    @TempDir
    Path reference;

    /** A store under test, for instance {@code instanceId}; its reads are counted by {@link #dataReads()}. */
    abstract ResultStore store(String instanceId, int indexStride, PageBudget budget) throws IOException;

    /** Everything the store holds outside its staging folder (file or object names), for the last store made. */
    abstract List<String> stored() throws IOException;

    /** The local folder where the last store made stages writes. */
    abstract Path stagingDir();

    /** Row data read since the last {@link DataReads#reset()}; null for a store whose reads are not counted. */
    abstract DataReads dataReads();

    /** How far past what it needs one read of row data may fetch (a read buffer, a GET's range). */
    abstract long readAhead();

    /** Requests and bytes of row data read. */
    interface DataReads {
        void reset();

        /** Separate reads of the data: file opens, or GETs. */
        long requests();

        long bytes();
    }

    ResultStore store() throws IOException {
        return store("box-a", STRIDE, PageBudget.DEFAULT);
    }

    /** Strings of every length around the budget, escapes, multi-byte text, every value kind. */
    static List<Object[]> mixedRows() {
        List<Object[]> rows = new ArrayList<>();
        String[] texts = {"", "a", "é\"\n\t,", "0123456789abcdef", "0123456789abcdefg", "日本語のテキストです",
                "😀 emoji 😀 and more text past the value budget", "x".repeat(5000), "line\r\nbreak \"quoted\""};
        for (int i = 0; i < 40; i++) {
            rows.add(new Object[] {i % 7 == 0 ? null : (long) i * 1_000_003, texts[i % texts.length],
                    i % 5 == 0 ? Double.NaN : i % 6 == 0 ? Double.NEGATIVE_INFINITY : i / 3.0,
                    i % 4 == 0 ? null : i % 2 == 0});
        }
        return rows;
    }

    @Test
    void pagesValuesAndCsvAreByteForByteTheFolderStores() throws IOException {
        PageBudget budget = new PageBudget(4096, 16);
        List<Column> cols = columns("n", "bigint", "s", "varchar", "d", "double", "b", "boolean");
        ResultStore store = store("box-a", 4, budget);
        FolderResultStore folder = new FolderResultStore(reference, 4, false, budget);
        String id = newId();
        assertThat(publish(store, id, 1, cols, mixedRows())).usingRecursiveComparison().ignoringFields("bytes")
                .isEqualTo(publish(folder, id, 1, cols, mixedRows()));

        ResultReader tested = open(store, id, 1);
        ResultReader expected = open(folder, id, 1);
        assertThat(tested.summary()).usingRecursiveComparison().ignoringFields("bytes").isEqualTo(expected.summary());
        for (long offset : new long[] {0, 1, 3, 4, 17, 39, 40}) {
            for (int limit : new int[] {1, 5, 100}) {
                ResultPage page = tested.page(offset, limit);
                assertThat(page).as("page %d+%d", offset, limit).isEqualTo(expected.page(offset, limit));
            }
        }
        assertThat(tested.page(0, 100).truncatedCells()).isNotEmpty();
        assertThat(tested.page(0, 2).rowsJson()).containsExactly("[null,\"\",\"NaN\",null]",
                "[1000003,\"a\",0.3333333333333333,false]");
        for (long row = 0; row < 40; row++) {
            for (int column = 0; column < cols.size(); column++) {
                assertThat(Results.value(tested, row, column)).isEqualTo(Results.value(expected, row, column));
            }
        }
        assertThat(Results.value(tested, 7, 1).text()).isEqualTo("x".repeat(5000));
        assertThat(csvBytes(tested)).isEqualTo(csvBytes(expected));
    }

    @Test
    void limitsTruncateTheStoredResult() throws IOException {
        ResultStore store = store();
        String id = newId();
        try (ResultWriter writer = store.create(id, 1, new ResultLimits(5, Long.MAX_VALUE))) {
            writer.columns(TWO);
            for (long i = 0; i < 5; i++) {
                assertThat(writer.row(numbered(i))).isTrue();
            }
            assertThat(writer.row(numbered(5))).isFalse();
            assertThat(writer.publish().truncation()).isEqualTo(
                    new ResultTruncation(ResultTruncation.Reason.MAX_RESULT_ROWS, 5));
        }
        ResultReader reader = open(store, id, 1);
        assertThat(reader.summary().truncated()).isTrue();
        assertThat(reader.page(0, 100).rowsJson()).hasSize(5);
        assertThat(Results.csv(reader)).isEqualTo("\"n\",\"s\"\n\"0\",\"row-0\"\n\"1\",\"row-1\"\n\"2\",\"row-2\"\n"
                + "\"3\",\"row-3\"\n\"4\",\"row-4\"\n");
    }

    @Test
    void nothingIsVisibleBeforePublishAndAnAbortLeavesNothing() throws IOException {
        ResultStore store = store();
        String id = newId();
        ResultWriter aborted = store.create(id, 1);
        aborted.columns(TWO);
        numberedRows(1000).forEach(aborted::row);
        assertThat(store.open(id, 1)).isEmpty();
        assertThat(stored()).isEmpty();

        aborted.abort();
        try (ResultWriter closed = store.create(id, 2)) {
            closed.columns(TWO);
            numberedRows(10).forEach(closed::row);
        }

        assertThat(store.open(id, 1)).isEmpty();
        assertThat(store.open(id, 2)).isEmpty();
        assertThat(stored()).isEmpty();
        assertThat(staged()).isEmpty();

        ResultSummary summary = publish(store, id, 1, TWO, numberedRows(1000));
        assertThat(open(store, id, 1).summary()).isEqualTo(summary);
        assertThat(staged()).as("nothing staged stays after a publish").isEmpty();
    }

    @Test
    void publishingARunAgainReplacesItWholeAndOldReadersFailCleanly() throws IOException {
        ResultStore store = store();
        String id = newId();
        publish(store, id, 1, TWO, numberedRows(5));
        List<String> afterOnePublish = stored();
        ResultReader old = open(store, id, 1);

        publish(store, id, 1, TWO, numberedRows(300));

        assertThat(open(store, id, 1).summary().rows()).isEqualTo(300);
        assertThat(open(store, id, 1).page(299, 1).rowsJson()).containsExactly(numberedJson(299));
        assertThatThrownBy(() -> old.page(0, 1)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> Results.csv(old)).isInstanceOf(NoSuchFileException.class);
        assertThat(stored()).as("the replaced result's pieces are gone").hasSameSizeAs(afterOnePublish);
    }

    @Test
    void aCopyReadsAsTheSourceAndOutlivesIt() throws IOException {
        ResultStore store = store();
        String source = newId();
        String copy = newId();
        publish(store, source, 2, TWO, numberedRows(300));
        String csv = Results.csv(open(store, source, 2));

        assertThat(store.copy(source, 2, copy, 1)).isTrue();
        store.delete(source, 2);

        assertThat(store.open(source, 2)).isEmpty();
        ResultReader reader = open(store, copy, 1);
        assertThat(reader.summary().rows()).isEqualTo(300);
        assertThat(reader.page(299, 1).rowsJson()).containsExactly(numberedJson(299));
        assertThat(Results.csv(reader)).isEqualTo(csv);
        assertThat(store.copy(source, 2, newId(), 1)).as("no source, no copy").isFalse();
        store.delete(copy, 1);
        assertThat(stored()).isEmpty();
    }

    @Test
    void deleteRemovesEverythingOfOneRunAndIsIdempotent() throws IOException {
        ResultStore store = store();
        String id = newId();
        publish(store, id, 1, TWO, numberedRows(300));
        publish(store, id, 2, TWO, numberedRows(3));
        List<String> runTwoOnly = stored().stream().filter(name -> name.contains("/2/")).toList();
        ResultReader reader = open(store, id, 1);
        assertThat(reader.page(0, 1).rowsJson()).hasSize(1);

        store.delete(id, 1);
        store.delete(id, 1);
        store.delete(newId(), 4);

        assertThat(store.open(id, 1)).isEmpty();
        assertThat(stored()).containsExactlyInAnyOrderElementsOf(runTwoOnly);
        assertThatThrownBy(() -> reader.page(0, 1)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> Results.csv(reader)).isInstanceOf(NoSuchFileException.class);
        assertThat(open(store, id, 2).summary().rows()).isEqualTo(3);
        store.delete(id, 2);
        assertThat(stored()).isEmpty();
    }

    @Test
    void aPageCostsTheSameWhereverItIs() throws IOException {
        long rows = 100_000;
        int limit = 1000;
        int maxRowBytes = numberedJson(rows - 1).length() + 1;
        ResultStore store = store();
        String id = newId();
        long dataBytes;
        try (ResultWriter writer = store.create(id, 1)) {
            writer.columns(TWO);
            for (long i = 0; i < rows; i++) {
                writer.row(numbered(i));
            }
            dataBytes = writer.publish().bytes();
        }

        long[][] costs = new long[3][];
        long[] offsets = {0, rows / 2 + 77, rows - limit};
        for (int i = 0; i < offsets.length; i++) {
            ResultReader reader = open(store, id, 1);
            if (dataReads() != null) {
                dataReads().reset();
            }
            ResultPage page = reader.page(offsets[i], limit);
            assertThat(page.rowsJson()).hasSize(limit);
            assertThat(page.rowsJson().get(0)).isEqualTo(numberedJson(offsets[i]));
            assertThat(page.rowsJson().get(limit - 1)).isEqualTo(numberedJson(offsets[i] + limit - 1));
            costs[i] = dataReads() == null ? null : new long[] {dataReads().requests(), dataReads().bytes()};
        }
        if (dataReads() == null) {
            return;
        }

        long bound = (long) (STRIDE + limit) * maxRowBytes + readAhead();
        assertThat(bound).as("the bound is far below the data").isLessThan(dataBytes / 4);
        for (long[] cost : costs) {
            assertThat(cost[0]).as("reads of one page").isEqualTo(costs[0][0]);
            assertThat(cost[1]).as("bytes of one page").isLessThanOrEqualTo(bound);
        }
        assertThat(costs[2][1]).as("the last page").isLessThanOrEqualTo(costs[0][1] + (long) STRIDE * maxRowBytes);
    }

    @Test
    void aSweepRemovesOnlyThisInstancesTemporaryFiles() throws IOException {
        ResultStore store = store("box-a", STRIDE, PageBudget.DEFAULT);
        Path staging = stagingDir();
        Path mine = Files.createDirectories(staging.resolve("box-a@" + newId() + ".1.crashed"));
        Files.writeString(mine.resolve(ResultFiles.DATA_FILE), "[1]\n");
        Path others = Files.createDirectories(staging.resolve("box-b@" + newId() + ".1.writing"));
        Files.writeString(others.resolve(ResultFiles.DATA_FILE), "[1]\n");
        ResultWriter live = store.create(newId(), 1);
        live.columns(TWO);
        live.row(numbered(0));

        assertThat(store.sweepTemporary()).isEqualTo(1);

        assertThat(mine).doesNotExist();
        assertThat(others.resolve(ResultFiles.DATA_FILE)).as("another instance's temporary file").exists();
        live.row(numbered(1));
        assertThat(live.publish().rows()).isEqualTo(2);
    }

    /**
     * This instance's entries in the staging folder, but for the folders that live as long as the
     * store (its DuckDB's spill folder, the S3 store's local copies of results).
     */
    List<Path> staged() throws IOException {
        if (!Files.exists(stagingDir())) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(stagingDir())) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("box-a@"))
                    .filter(n -> !n.equals("box-a@duckdb") && !n.equals("box-a@s3-cache"))
                    .map(stagingDir()::resolve).toList();
        }
    }

    static byte[] csvBytes(ResultReader reader) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        reader.writeCsv(out);
        return out.toByteArray();
    }
}
