package io.sluice.result;

import com.fasterxml.jackson.core.JsonFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one published result of a {@link FolderResultStore}. Holds only the summary it was opened
 * with; every call opens the files it needs and closes them before returning.
 *
 * <p>Every call opens {@code rows.jsonl} first and {@code rows.idx} second, and checks that the
 * index carries the generation of the summary. A result moves away only as a whole directory and
 * a generation never comes back, so if the index (opened last) still belongs to our generation,
 * the data file opened before it does too. A replaced or deleted result therefore ends in
 * {@link NoSuchFileException}, never in rows of another result.
 */
final class FolderResultReader implements ResultReader {

    /** What one read of row data fetches: a page reads at most this beyond its rows and the stride before them. */
    static final int PAGE_BUFFER_BYTES = 32 * 1024;

    private final Path dir;
    private final SummaryFile file;
    private final ResultSummary summary;
    private final JsonFactory json;
    private final FolderResultStore.ReadChannels channels;

    FolderResultReader(Path dir, SummaryFile file, JsonFactory json, FolderResultStore.ReadChannels channels) {
        this.dir = dir;
        this.file = file;
        this.summary = file.summary();
        this.json = json;
        this.channels = channels;
    }

    @Override
    public ResultSummary summary() {
        return summary;
    }

    @Override
    public ResultPage page(long offset, int limit) throws IOException {
        if (offset < 0 || offset > summary.rows()) {
            throw new IllegalArgumentException("offset must be in [0, " + summary.rows() + "], was " + offset);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        try (FileChannel data = channels.open(dir.resolve(FolderResultStore.DATA_FILE));
             FileChannel index = channels.open(dir.resolve(FolderResultStore.INDEX_FILE))) {
            int stride = checkGeneration(index).stride();
            int count = (int) Math.min(limit, summary.rows() - offset);
            List<String> rows = new ArrayList<>(count);
            if (count > 0) {
                long entry = offset / stride;
                RowLines lines = new RowLines(data, RowIndex.offset(index, entry), PAGE_BUFFER_BYTES);
                lines.skip(offset - entry * stride);
                for (int i = 0; i < count; i++) {
                    String row = lines.next();
                    if (row == null) {
                        throw new IOException("result " + dir + " has fewer rows than its summary says");
                    }
                    rows.add(row);
                }
            }
            return new ResultPage(summary.columns(), rows, offset, summary.rows());
        }
    }

    @Override
    public void writeCsv(OutputStream out) throws IOException {
        try (FileChannel data = channels.open(dir.resolve(FolderResultStore.DATA_FILE))) {
            try (FileChannel index = channels.open(dir.resolve(FolderResultStore.INDEX_FILE))) {
                checkGeneration(index);
            }
            InputStream in = Channels.newInputStream(data);
            long rows = AthenaCsv.write(summary.columns(), in, json, out);
            if (rows != summary.rows()) {
                throw new IOException("result " + dir + " has " + rows + " rows, its summary says " + summary.rows());
            }
        }
    }

    private RowIndex.Header checkGeneration(FileChannel index) throws IOException {
        RowIndex.Header header = RowIndex.readHeader(index);
        if (!header.generation().equals(file.generation())) {
            throw new NoSuchFileException(dir.toString(), null, "the result was replaced after it was opened");
        }
        return header;
    }
}
