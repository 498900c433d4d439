package io.sluice.result;

import io.sluice.engine.ResultLimits;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies a CSV in Athena's format to a file byte for byte, counting its records as it goes, and
 * stops at a record boundary where a {@link ResultLimits} limit would be passed. Athena quotes every
 * non-NULL value, so a {@code \n} ends a record exactly when an even number of quotes came before it
 * (a doubled quote inside a value counts twice); no value is parsed.
 */
final class CsvCopy {

    private static final int BUFFER_BYTES = 1 << 16;

    /**
     * What was copied.
     *
     * @param rows          data records kept (the header not counted)
     * @param fileLength    the length the last part must be cut to: whole records only (the refused
     *                      record and anything after it may have been written already); with one
     *                      part, the length of the copy
     * @param dataBytes     bytes of the data records kept (without the header)
     * @param longestRecord the longest record kept in bytes, its line end included
     * @param truncation    the limit that stopped the copy, or null when the whole file was copied
     */
    record Copied(long rows, long fileLength, long dataBytes, long longestRecord, ResultTruncation truncation) {
    }

    /**
     * Where a copy in parts goes. Part 0 starts with the header record; every part holds whole
     * records. Called on the copying thread.
     */
    interface Parts {
        /** The output of part {@code k}, asked for when its first byte comes; closed by the copy. */
        OutputStream open(int k) throws IOException;

        /**
         * Part {@code k} is complete: {@code rows} data records, whose bytes are the first
         * {@code length} bytes written to it (the part must be cut there), the longest
         * {@code longestRecord} bytes. Not called for the last part: see {@link Copied#fileLength()}.
         */
        void complete(int k, long rows, long length, long longestRecord) throws IOException;

        /** Every how many data records {@link #recordStart} is told; 0 (the default) for never. */
        default int indexStride() {
            return 0;
        }

        /**
         * Data record {@code record} (0 = the first after the header), a multiple of
         * {@link #indexStride()}, starts {@code offsetInPart} bytes into its part. Told before the
         * record is read, so it may turn out to be past the copy's end (cut by a limit, or never
         * there): only the entries of records kept count.
         */
        default void recordStart(long record, long offsetInPart) throws IOException {
        }
    }

    private CsvCopy() {
    }

    /** Copies {@code in} to {@code out} in one part; the caller cuts the copy to {@link Copied#fileLength()}. */
    static Copied copy(InputStream in, OutputStream out, ResultLimits limits) throws IOException {
        return copy(in, new Parts() {
            @Override
            public OutputStream open(int k) {
                return ResultFiles.nonClosing(out);
            }

            @Override
            public void complete(int k, long rows, long length, long longestRecord) {
                throw new IllegalStateException("one part only");
            }
        }, limits, Long.MAX_VALUE);
    }

    /**
     * Copies {@code in} within {@code limits} (bytes counted without the header row) into parts of
     * {@code partRows} data records each (the last may hold fewer); {@link Parts#complete} is told of
     * each part but the last as soon as its last record is written, so that it can be read while
     * the copy goes on.
     *
     * @throws io.sluice.engine.CsvSink.MalformedCsv when the file ends inside a quoted value or without a line end
     */
    static Copied copy(InputStream in, Parts parts, ResultLimits limits, long partRows) throws IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        boolean quoted = false;
        long records = 0;       // records ended so far, the header included
        long position = 0;      // bytes seen before this buffer
        long recordStart = 0;   // where the current record starts
        long headerBytes = 0;
        long longest = 0;
        int part = 0;
        long partStart = 0;     // where the current part starts
        long partRecords = 0;
        long partLongest = 0;
        OutputStream out = null;
        ResultTruncation truncation = null;
        int stride = parts.indexStride();
        int n;
        try {
            reading:
            while ((n = in.read(buffer)) > 0) {
                int written = 0;
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (b == '"') {
                        quoted = !quoted;
                    } else if (b == '\n' && !quoted) {
                        long end = position + i + 1;
                        long length = end - recordStart;
                        if (records == 0) {
                            headerBytes = length;
                        } else if (records > limits.maxRows()) {
                            truncation = new ResultTruncation(ResultTruncation.Reason.MAX_RESULT_ROWS, limits.maxRows());
                        } else if (end - headerBytes > limits.maxBytes()) {
                            truncation = new ResultTruncation(ResultTruncation.Reason.MAX_RESULT_BYTES, limits.maxBytes());
                        }
                        if (truncation != null) {
                            // the records before this one, in this buffer: the part is cut at recordStart
                            out = out == null ? parts.open(part) : out;
                            out.write(buffer, written, i + 1 - written);
                            break reading;
                        }
                        if (records > 0) {
                            partRecords++;
                            partLongest = Math.max(partLongest, length);
                        }
                        records++;
                        longest = Math.max(longest, length);
                        recordStart = end;
                        if (partRecords == partRows) {
                            out = out == null ? parts.open(part) : out;
                            out.write(buffer, written, i + 1 - written);
                            written = i + 1;
                            out.close();
                            out = null;
                            parts.complete(part, partRecords, end - partStart, partLongest);
                            part++;
                            partStart = end;
                            partRecords = 0;
                            partLongest = 0;
                        }
                        if (stride > 0 && (records - 1) % stride == 0) {
                            parts.recordStart(records - 1, end - partStart);
                        }
                    }
                }
                if (written < n) {
                    out = out == null ? parts.open(part) : out;
                    out.write(buffer, written, n - written);
                }
                position += n;
            }
        } finally {
            if (out != null) {
                out.close();
            }
        }
        if (truncation == null && (quoted || position != recordStart)) {
            throw new io.sluice.engine.CsvSink.MalformedCsv(quoted ? "the file ends inside a quoted value"
                    : "the file does not end with a line end", null);
        }
        long rows = Math.max(0, records - 1);
        return new Copied(rows, recordStart - partStart, Math.max(0, recordStart - headerBytes), longest, truncation);
    }
}
