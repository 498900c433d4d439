package io.sluice.result;

import io.sluice.engine.Column;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static io.sluice.result.Results.columns;
import static io.sluice.result.Results.newId;
import static io.sluice.result.Results.numberedRows;
import static io.sluice.result.Results.open;
import static io.sluice.result.Results.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The folder store's files, publishing, deleting and sweeping, on the row format (the Parquet format: {@code ParquetResultStoreContractTest}). */
class FolderResultStoreTest {

    private static final List<Column> TWO = columns("n", "bigint", "s", "varchar");

    @TempDir
    Path root;

    private FolderResultStore store() throws IOException {
        return new FolderResultStore(root, FolderResultStore.DEFAULT_INDEX_STRIDE); // the row format's files
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve(".tmp"))) {
            return files.toList();
        }
    }

    private List<Path> everything() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> !p.equals(root) && !p.equals(root.resolve(".tmp"))).toList();
        }
    }

    @Test
    void unpublishedResultIsInvisibleAndPublishingMakesItVisible() throws IOException {
        FolderResultStore store = store();
        String id = newId();
        try (ResultWriter writer = store.create(id, 1)) {
            writer.columns(TWO);
            numberedRows(1000).forEach(writer::row);
            assertThat(writer.rowCount()).isEqualTo(1000);
            assertThat(store.open(id, 1)).isEmpty();
            assertThat(root.resolve(id)).doesNotExist();

            ResultSummary summary = writer.publish();

            assertThat(summary.rows()).isEqualTo(1000);
            assertThat(summary.columns()).isEqualTo(TWO);
        }
        assertThat(open(store, id, 1).summary().rows()).isEqualTo(1000);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void writesTheDocumentedFileFormat() throws IOException {
        FolderResultStore store = new FolderResultStore(root, 2);
        String id = newId();
        ResultSummary summary = publish(store, id, 3, columns("a", "bigint", "b", "varchar", "c", "double", "d", "boolean"),
                List.of(new Object[] {1L, "x", 1.5, true},
                        new Object[] {null, "", Double.NaN, false},
                        new Object[] {-7L, "é\"\n", Double.NEGATIVE_INFINITY, null}));

        Path dir = root.resolve(id).resolve("3");
        assertThat(dir.resolve("rows.jsonl")).content(StandardCharsets.UTF_8).isEqualTo("""
                [1,"x",1.5,true]
                [null,"","NaN",false]
                [-7,"é\\"\\n","-Infinity",null]
                """);
        assertThat(summary.bytes()).isEqualTo(Files.size(dir.resolve("rows.jsonl")));

        try (DataInputStream index = new DataInputStream(Files.newInputStream(dir.resolve("rows.idx")))) {
            byte[] magic = new byte[8];
            index.readFully(magic);
            assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("SLUICEIX");
            assertThat(index.readInt()).as("format").isEqualTo(1);
            assertThat(index.readInt()).as("stride").isEqualTo(2);
            index.skipNBytes(16); // generation
            assertThat(index.readLong()).as("offset of row 0").isZero();
            assertThat(index.readLong()).as("offset of row 2")
                    .isEqualTo("[1,\"x\",1.5,true]\n[null,\"\",\"NaN\",false]\n".length());
            assertThat(index.available()).isZero();
        }

        assertThat(Results.JSON.readTree(dir.resolve("summary.json").toFile()).toString())
                .matches("\\{\"format\":1,\"generation\":\"[0-9a-f-]{36}\",\"columns\":\\[\\{\"name\":\"a\",\"type\":\"bigint\"},"
                        + ".*],\"rows\":3,\"bytes\":" + summary.bytes() + ",\"truncation\":null}");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("rows.jsonl", "rows.idx", "summary.json");
        }
    }

    @Test
    void abortAndCloseRemoveTheTemporaryDirectory() throws IOException {
        FolderResultStore store = store();
        String id = newId();
        ResultWriter aborted = store.create(id, 1);
        aborted.columns(TWO);
        numberedRows(10).forEach(aborted::row);
        assertThat(leftovers()).hasSize(1);

        aborted.abort();
        aborted.abort(); // idempotent

        assertThat(leftovers()).isEmpty();
        assertThatThrownBy(aborted::publish).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> aborted.row(Results.numbered(1))).isInstanceOf(IllegalStateException.class);

        try (ResultWriter closed = store.create(id, 1)) {
            closed.columns(TWO);
            numberedRows(10).forEach(closed::row);
        }
        assertThat(leftovers()).isEmpty();
        assertThat(store.open(id, 1)).isEmpty();
        assertThat(everything()).isEmpty();
    }

    @Test
    void closeAfterPublishKeepsTheResult() throws IOException {
        FolderResultStore store = store();
        String id = newId();
        ResultWriter writer = store.create(id, 1);
        writer.columns(TWO);
        writer.row(Results.numbered(0));
        writer.publish();
        writer.close();
        writer.abort();

        assertThat(open(store, id, 1).page(0, 10).rowsJson()).containsExactly(Results.numberedJson(0));
        assertThatThrownBy(writer::publish).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void publishingTheSameRunAgainReplacesTheResultAndOldReadersFailCleanly() throws IOException {
        FolderResultStore store = store();
        String id = newId();
        publish(store, id, 1, TWO, numberedRows(5));
        ResultReader old = open(store, id, 1);

        publish(store, id, 1, TWO, numberedRows(300));

        assertThat(open(store, id, 1).summary().rows()).isEqualTo(300);
        assertThat(open(store, id, 1).page(299, 1).rowsJson()).containsExactly(Results.numberedJson(299));
        assertThatThrownBy(() -> old.page(0, 1)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> Results.csv(old)).isInstanceOf(NoSuchFileException.class);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void runsOfOneQueryAreSeparate() throws IOException {
        FolderResultStore store = store();
        String id = newId();
        publish(store, id, 1, TWO, numberedRows(3));
        publish(store, id, 2, TWO, numberedRows(7));

        assertThat(open(store, id, 1).summary().rows()).isEqualTo(3);
        assertThat(open(store, id, 2).summary().rows()).isEqualTo(7);
        assertThat(store.open(id, 3)).isEmpty();
        assertThat(store.open(newId(), 1)).isEmpty();
    }

    @Test
    void deleteRemovesOneRunAndIsIdempotent() throws IOException {
        FolderResultStore store = store();
        String id = newId();
        publish(store, id, 1, TWO, numberedRows(3));
        publish(store, id, 2, TWO, numberedRows(3));

        store.delete(id, 1);
        store.delete(id, 1);
        store.delete(newId(), 4);

        assertThat(store.open(id, 1)).isEmpty();
        assertThat(store.open(id, 2)).isPresent();
        store.delete(id, 2);
        assertThat(everything()).as("the empty query folder goes too").isEmpty();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void deleteAllRemovesEveryRunOfTheQueryOnly() throws IOException {
        FolderResultStore store = store();
        String id = newId();
        String other = newId();
        publish(store, id, 1, TWO, numberedRows(3));
        publish(store, id, 2, TWO, numberedRows(3));
        publish(store, other, 1, TWO, numberedRows(3));

        store.deleteAll(id);
        store.deleteAll(id);

        assertThat(store.open(id, 1)).isEmpty();
        assertThat(store.open(id, 2)).isEmpty();
        assertThat(root.resolve(id)).doesNotExist();
        assertThat(store.open(other, 1)).isPresent();
    }

    @Test
    void aReaderRacingADeleteGetsNoSuchFileException() throws IOException {
        FolderResultStore store = store();
        String id = newId();
        publish(store, id, 1, TWO, numberedRows(300));
        ResultReader reader = open(store, id, 1);
        assertThat(reader.page(0, 1).rowsJson()).hasSize(1);

        store.delete(id, 1);

        assertThatThrownBy(() -> reader.page(0, 1)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> reader.page(300, 1)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> Results.csv(reader)).isInstanceOf(NoSuchFileException.class);
        assertThat(reader.summary().rows()).as("the summary stays readable").isEqualTo(300);
    }

    @Test
    void sweepTemporaryRemovesOnlyThisInstancesLeftoversAndNotItsWritesInProgress() throws IOException {
        Path temp = Files.createDirectories(root.resolve(".tmp"));
        Path crashed = Files.createDirectories(temp.resolve("box-a@crashed-write"));
        Files.writeString(crashed.resolve("rows.jsonl"), "[1]\n");
        Files.writeString(temp.resolve("box-a@deleted.stray"), "x");
        Path otherInstance = Files.createDirectories(temp.resolve("box-b@" + newId() + ".1.writing"));
        Files.writeString(otherInstance.resolve("rows.jsonl"), "[1]\n");
        Path similarName = Files.createDirectories(temp.resolve("box-ab@" + newId() + ".1.writing"));
        FolderResultStore store = new FolderResultStore(root, "box-a", 128, true, PageBudget.DEFAULT);
        String id = newId();
        ResultWriter live = store.create(id, 1);
        live.columns(TWO);
        live.row(Results.numbered(0));

        assertThat(store.sweepTemporary()).isEqualTo(2);

        assertThat(leftovers()).hasSize(3).contains(otherInstance, similarName);
        assertThat(otherInstance.resolve("rows.jsonl")).as("another instance's write survives").exists();
        live.row(Results.numbered(1));
        live.publish();
        assertThat(open(store, id, 1).summary().rows()).isEqualTo(2);
        assertThat(store.sweepTemporary()).isZero();
        assertThat(leftovers()).containsExactlyInAnyOrder(otherInstance, similarName);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "..", ".", ".tmp", "../x", "/etc", "a/b",
            "00000000-0000-0000-0000-00000000000/",
            "../../../../../../../../../../../../../tmp",
            "0C4F0E9A-6A4B-4C0E-9F3A-1B2C3D4E5F60",       // upper case would alias on case-insensitive disks
            "0c4f0e9a-6a4b-4c0e-9f3a-1b2c3d4e5f60/../x",
            "0c4f0e9a-6a4b-4c0e-9f3a-1b2c3d4e5f6",
            " 0c4f0e9a-6a4b-4c0e-9f3a-1b2c3d4e5f60",
            "0c4f0e9a-6a4b-4c0e-9f3a-1b2c3d4e5f60\n",
            "0c4f0e9a\\6a4b-4c0e-9f3a-1b2c3d4e5f60"})
    void queryIdsThatAreNotUuidsAreRejected(String id) throws IOException {
        FolderResultStore store = store();

        assertThatThrownBy(() -> store.create(id, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.open(id, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete(id, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.deleteAll(id)).isInstanceOf(IllegalArgumentException.class);
        assertThat(everything()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void runsBelowOneAreRejected(int run) throws IOException {
        FolderResultStore store = store();
        String id = newId();

        assertThatThrownBy(() -> store.create(id, run)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.open(id, run)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete(id, run)).isInstanceOf(IllegalArgumentException.class);
        assertThat(everything()).isEmpty();
    }

    @Test
    void writerRejectsRowsThatBreakTheSinkContract() throws IOException {
        FolderResultStore store = store();
        try (ResultWriter writer = store.create(newId(), 1)) {
            assertThatThrownBy(() -> writer.row(new Object[] {1L})).isInstanceOf(IllegalStateException.class);
            writer.columns(TWO);
            assertThatThrownBy(() -> writer.columns(TWO)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> writer.row(new Object[] {1L})).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> writer.row(new Object[] {1, "int is not a sink type"}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Integer");
            assertThatThrownBy(() -> writer.row(new Object[] {new java.math.BigDecimal("1.0"), "x"}))
                    .isInstanceOf(IllegalArgumentException.class);
            writer.row(Results.numbered(0));
            assertThat(writer.rowCount()).as("rejected rows leave nothing behind").isEqualTo(1);
            assertThat(writer.publish().rows()).isEqualTo(1);
        }
    }

    @Test
    void resultWithoutColumnsOrRowsIsPublishable() throws IOException {
        FolderResultStore store = store();
        String id = newId();
        try (ResultWriter writer = store.create(id, 1)) {
            ResultSummary summary = writer.publish();
            assertThat(summary).isEqualTo(new ResultSummary(List.of(), 0, 0, null));
        }
        ResultReader reader = open(store, id, 1);
        assertThat(reader.page(0, 100).rowsJson()).isEmpty();
        assertThat(Results.csv(reader)).isEqualTo("\n");
    }

    @Test
    void indexStrideMustBePositive() {
        assertThatThrownBy(() -> new FolderResultStore(root, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void failedPublishLeavesNothingVisibleOrBehind() throws IOException {
        FolderResultStore store = store();
        String id = newId();
        ResultWriter writer = store.create(id, 1);
        writer.columns(TWO);
        writer.row(Results.numbered(0));
        // Break the temporary directory under the writer: summary.json cannot be created.
        try (Stream<Path> dirs = Files.list(root.resolve(".tmp"))) {
            for (Path dir : dirs.toList()) {
                StagingArea.deleteTree(dir);
                Files.writeString(dir, "a file where the directory was");
            }
        }

        assertThatThrownBy(writer::publish).isInstanceOf(IOException.class);

        assertThat(store.open(id, 1)).isEmpty();
        assertThatThrownBy(() -> writer.row(Results.numbered(1))).isInstanceOf(IllegalStateException.class);
        assertThat(leftovers()).isEmpty();
    }
}
