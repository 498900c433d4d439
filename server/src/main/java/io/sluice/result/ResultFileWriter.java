package io.sluice.result;

import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.engine.Column;
import io.sluice.engine.ResultLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * Streams one run's result into a local staging directory ({@code rows.jsonl}, {@code rows.idx},
 * then {@code summary.json}; see {@link FolderResultStore} for the format) and hands the complete
 * files to its store's {@link ResultStaging} to publish. Every store writes the same bytes through
 * this one writer. Memory use is a few fixed buffers, whatever the number of rows.
 *
 * <p>{@link #columns} and {@link #row} come from the engine's one thread. An I/O failure while
 * writing rows surfaces as {@link UncheckedIOException} (the {@link io.sluice.engine.RowSink}
 * signature has no checked exceptions) and again as the {@link IOException} of {@link #publish},
 * so a result that lost rows is never published even if the engine swallowed the first error.
 *
 * <p>The writer keeps the result within its {@link ResultLimits}: a row past {@code maxRows}, or one
 * that would take {@code rows.jsonl} past {@code maxBytes}, is refused ({@link #row} answers false)
 * and the result is marked truncated. A row is measured as written and, when it passes the byte
 * limit, cut off the file again, so the data file never ends longer than the limit.
 */
final class ResultFileWriter implements ResultWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ResultFileWriter.class);
    private static final int BUFFER_BYTES = 64 * 1024;

    private enum State { OPEN, PUBLISHED, ABORTED }

    private final ResultStaging staging;
    private final Path dir;
    private final boolean fsync;
    private final int stride;
    private final ResultLimits limits;
    private final UUID generation = UUID.randomUUID();
    private final FileOutputStream dataFile;
    private final CountingOutputStream data;
    private final JsonGenerator rows;
    private final FileOutputStream indexFile;
    private final DataOutputStream index;

    private State state = State.OPEN;
    private List<Column> columns;
    private volatile long rowCount; // read by other threads for progress
    private IOException failure;
    private ResultTruncation truncation;

    /**
     * @param dir   the empty staging directory to write into
     * @param fsync sync the files to the disk before they are published
     */
    ResultFileWriter(ResultStaging staging, Path dir, boolean fsync, int stride, ResultLimits limits)
            throws IOException {
        this.staging = staging;
        this.dir = dir;
        this.fsync = fsync;
        this.stride = stride;
        this.limits = limits;
        this.dataFile = new FileOutputStream(dir.resolve(ResultFiles.DATA_FILE).toFile());
        try {
            this.indexFile = new FileOutputStream(dir.resolve(ResultFiles.INDEX_FILE).toFile());
        } catch (IOException e) {
            closeQuietly(dataFile);
            throw e;
        }
        this.data = new CountingOutputStream(new BufferedOutputStream(dataFile, BUFFER_BYTES));
        this.rows = ResultFiles.ROW_JSON.createGenerator(data);
        // Rows are separated by the '\n' written after each, not by Jackson's root separator.
        rows.setRootValueSeparator(null);
        this.index = new DataOutputStream(new BufferedOutputStream(indexFile, 8 * 1024));
        RowIndex.writeHeader(index, stride, generation); // buffered: cannot fail here
    }

    @Override
    public void columns(List<Column> columns) {
        if (this.columns != null) {
            throw new IllegalStateException("columns were already given");
        }
        this.columns = List.copyOf(columns);
    }

    @Override
    public boolean row(Object[] values) {
        if (columns == null) {
            throw new IllegalStateException("columns must come before the first row");
        }
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("row has " + values.length + " values for " + columns.size() + " columns");
        }
        if (failure != null) {
            throw new UncheckedIOException(failure);
        }
        if (state != State.OPEN) {
            throw new IllegalStateException("writer is " + state);
        }
        for (Object v : values) { // check all before writing any, so a bad row leaves no half line
            if (v != null && !(v instanceof String || v instanceof Long || v instanceof Double || v instanceof Boolean)) {
                throw new IllegalArgumentException("unsupported value type " + v.getClass().getName());
            }
        }
        if (truncation != null) {
            return false;
        }
        if (rowCount >= limits.maxRows()) {
            return truncate(ResultTruncation.Reason.MAX_RESULT_ROWS, limits.maxRows());
        }
        try {
            long start = data.count() + rows.getOutputBuffered();
            rows.writeStartArray();
            for (Object v : values) {
                writeValue(v);
            }
            rows.writeEndArray();
            rows.writeRaw('\n');
            if (data.count() + rows.getOutputBuffered() > limits.maxBytes()) {
                cutBackTo(start);
                return truncate(ResultTruncation.Reason.MAX_RESULT_BYTES, limits.maxBytes());
            }
            if (rowCount % stride == 0) {
                index.writeLong(start);
            }
            rowCount++;
            return true;
        } catch (IOException e) {
            failure = e;
            throw new UncheckedIOException(e);
        }
    }

    private boolean truncate(ResultTruncation.Reason reason, long limit) {
        truncation = new ResultTruncation(reason, limit);
        LOG.info("result truncated after {} rows: {} is {}", rowCount, reason, limit);
        return false;
    }

    /** Removes what was written from byte {@code length} of the data file on. */
    private void cutBackTo(long length) throws IOException {
        rows.flush();
        data.flush();
        dataFile.getChannel().truncate(length); // also moves the write position back to length
        data.resetCount(length);
    }

    /** Why the result holds less than the engine produced, or null while it holds everything. */
    @Override
    public ResultTruncation truncation() {
        return truncation;
    }

    private void writeValue(Object v) throws IOException {
        StoredValues.writeJson(rows, v);
    }

    @Override
    public synchronized ResultSummary publish() throws IOException {
        if (state != State.OPEN) {
            throw new IllegalStateException("writer is " + state);
        }
        if (failure != null) {
            abort();
            throw new IOException("writing the result failed", failure);
        }
        try {
            rows.flush();
            data.flush();
            if (fsync) {
                dataFile.getChannel().force(true);
            }
            rows.close();
            index.flush();
            if (fsync) {
                indexFile.getChannel().force(true);
            }
            index.close();
            SummaryFile summary = new SummaryFile(ResultFiles.FORMAT, generation,
                    columns == null ? List.of() : columns, rowCount, data.count(), truncation);
            try (FileOutputStream out = new FileOutputStream(dir.resolve(ResultFiles.SUMMARY_FILE).toFile())) {
                out.write(ResultFiles.summaryBytes(summary));
                if (fsync) {
                    out.getChannel().force(true);
                }
            }
            staging.publish(dir, summary);
            state = State.PUBLISHED;
            return summary.summary();
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    @Override
    public synchronized void abort() {
        if (state != State.OPEN) {
            return;
        }
        state = State.ABORTED;
        closeQuietly(rows);
        closeQuietly(index);
        closeQuietly(dataFile);
        closeQuietly(indexFile);
        staging.discard(dir);
    }

    @Override
    public long rowCount() {
        return rowCount;
    }

    @Override
    public synchronized void close() {
        abort();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // the directory is deleted next; nothing to save
        }
    }

    /** Counts the bytes that reached the buffered file stream: the data file's size so far. */
    private static final class CountingOutputStream extends OutputStream {
        private final OutputStream out;
        private long count;

        CountingOutputStream(OutputStream out) {
            this.out = out;
        }

        long count() {
            return count;
        }

        void resetCount(long length) {
            count = length;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
