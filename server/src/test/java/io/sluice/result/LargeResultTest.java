package io.sluice.result;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.sluice.result.Results.columns;
import static io.sluice.result.Results.newId;
import static io.sluice.result.Results.numbered;
import static io.sluice.result.Results.numberedJson;
import static io.sluice.result.Results.open;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two million rows go straight to disk in the row format: the file sizes are exactly what the rows need (nothing
 * buffered and lost, nothing duplicated), and the first and last rows page and stream correctly.
 * Heap use is measured by {@code io.sluice.bench.ResultPagingBenchmark}, not here.
 */
class LargeResultTest {

    private static final long ROWS = 2_000_000;

    @TempDir
    Path root;

    @Test
    void twoMillionRowsStreamToDiskWithExactSizes() throws IOException {
        FolderResultStore store = new FolderResultStore(root, FolderResultStore.DEFAULT_INDEX_STRIDE);
        String id = newId();
        long expectedBytes = 0;
        ResultSummary summary;
        try (ResultWriter writer = store.create(id, 1)) {
            writer.columns(columns("n", "bigint", "s", "varchar"));
            for (long i = 0; i < ROWS; i++) {
                writer.row(numbered(i));
                expectedBytes += numberedJson(i).length() + 1;
            }
            summary = writer.publish();
        }

        Path dir = root.resolve(id).resolve("1");
        assertThat(summary.rows()).isEqualTo(ROWS);
        assertThat(summary.bytes()).isEqualTo(expectedBytes);
        assertThat(Files.size(dir.resolve("rows.jsonl"))).isEqualTo(expectedBytes);
        assertThat(Files.size(dir.resolve("rows.idx")))
                .isEqualTo(32 + 8 * ((ROWS + store.indexStride() - 1) / store.indexStride()));

        ResultReader reader = open(store, id, 1);
        assertThat(reader.page(0, 2).rowsJson()).containsExactly(numberedJson(0), numberedJson(1));
        assertThat(reader.page(ROWS - 2, 1000).rowsJson()).containsExactly(numberedJson(ROWS - 2), numberedJson(ROWS - 1));
        assertThat(reader.page(ROWS / 2 + 77, 1).rowsJson()).containsExactly(numberedJson(ROWS / 2 + 77));

        CountingLines csv = new CountingLines();
        reader.writeCsv(csv);
        assertThat(csv.lines).isEqualTo(ROWS + 1);
        // "i","row-i"\n is exactly as long as [i,"row-i"]\n
        assertThat(csv.bytes).isEqualTo("\"n\",\"s\"\n".length() + expectedBytes);
    }

    /** Counts what a CSV download would send, without keeping it. */
    private static final class CountingLines extends OutputStream {
        long lines;
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
            if (b == '\n') {
                lines++;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    lines++;
                }
            }
        }
    }
}
