package io.sluice.result;

import io.sluice.arrow.BatchFilter;
import io.sluice.engine.ResultLimits;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

import java.io.IOException;

/**
 * An engine's Arrow batches, counted and cut at a writer's {@link ResultLimits}: the batch that
 * would pass a limit keeps only the rows that fit, and the stream ends after it. Row data is
 * measured as the batches' Arrow buffers (a batch cut short counts its share of them).
 */
final class ArrowLimits extends BatchFilter {

    /** Told once which limit cut the result. */
    @FunctionalInterface
    interface Truncation {
        void truncated(ResultTruncation.Reason reason, long limit);
    }

    private final ResultLimits limits;
    private final Truncation truncation;
    private boolean cut;
    private long rows;
    private long bytes;

    ArrowLimits(BufferAllocator allocator, ArrowReader source, ResultLimits limits, Truncation truncation) {
        super(allocator, source);
        this.limits = limits;
        this.truncation = truncation;
    }

    /** Rows passed on so far. */
    long rows() {
        return rows;
    }

    /** Bytes of row data passed on so far. */
    long bytes() {
        return bytes;
    }

    @Override
    public boolean loadNextBatch() throws IOException {
        if (cut || !source.loadNextBatch()) {
            return false;
        }
        VectorSchemaRoot root = source.getVectorSchemaRoot();
        int batchRows = root.getRowCount();
        long batchBytes = 0;
        for (FieldVector v : root.getFieldVectors()) {
            batchBytes += v.getBufferSize();
        }
        int keep = batchRows;
        ResultTruncation.Reason reason = null;
        if (rows + batchRows > limits.maxRows()) {
            keep = (int) (limits.maxRows() - rows);
            reason = ResultTruncation.Reason.MAX_RESULT_ROWS;
        }
        long keptBytes = batchRows == 0 ? 0 : (long) ((double) batchBytes * keep / batchRows);
        if (bytes + keptBytes > limits.maxBytes()) {
            keep = (int) Math.min(keep, (long) ((double) batchRows * (limits.maxBytes() - bytes) / batchBytes));
            keptBytes = (long) ((double) batchBytes * keep / batchRows);
            reason = ResultTruncation.Reason.MAX_RESULT_BYTES;
        }
        if (reason != null) {
            cut = true;
            truncation.truncated(reason, reason == ResultTruncation.Reason.MAX_RESULT_ROWS ? limits.maxRows() : limits.maxBytes());
        }
        if (keep < batchRows) {
            root.setRowCount(keep);
        }
        rows += keep;
        bytes += keptBytes;
        return keep > 0;
    }

    @Override
    public long bytesRead() {
        return bytes;
    }

}
