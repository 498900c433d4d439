package io.sluice.result;

import io.sluice.arrow.BatchFilter;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

import java.io.IOException;

/**
 * An Arrow stream cut into parts of at least {@code partRows} rows (see {@link ParquetLayout}): the
 * stream ends after the batch that fills a part, and {@link #nextPart()} starts the next one with
 * the source's next batch. Batches are passed on whole, in order, never copied.
 */
final class ArrowParts extends BatchFilter {

    private final long partRows;
    private long rowsInPart;
    /** The source's current batch was loaded by {@link #nextPart()} and not yet passed on. */
    private boolean pending;
    private boolean ended;

    ArrowParts(BufferAllocator allocator, ArrowReader source, long partRows) {
        super(allocator, source);
        this.partRows = partRows;
    }

    /** Starts a part after the first: whether the source has rows left for it. */
    boolean nextPart() throws IOException {
        rowsInPart = 0;
        if (!pending && !ended) {
            pending = source.loadNextBatch();
            ended = !pending;
        }
        return pending;
    }

    /** The rows passed on in the current part. */
    long rowsInPart() {
        return rowsInPart;
    }

    @Override
    public boolean loadNextBatch() throws IOException {
        if (rowsInPart >= partRows || ended) {
            return false;
        }
        if (pending) {
            pending = false;
        } else if (!source.loadNextBatch()) {
            ended = true;
            return false;
        }
        rowsInPart += source.getVectorSchemaRoot().getRowCount();
        return true;
    }

    @Override
    public long bytesRead() {
        return source.bytesRead();
    }
}
