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
     * @param fileLength    the length the copy must be cut to: whole records only (the refused record
     *                      and anything after it may have been written already)
     * @param dataBytes     bytes of the data records kept (without the header)
     * @param longestRecord the longest record kept in bytes, its line end included
     * @param truncation    the limit that stopped the copy, or null when the whole file was copied
     */
    record Copied(long rows, long fileLength, long dataBytes, long longestRecord, ResultTruncation truncation) {
    }

    private CsvCopy() {
    }

    /**
     * Copies {@code in} to {@code out} within {@code limits} (bytes counted without the header row);
     * the caller cuts the copy to {@link Copied#fileLength()}.
     *
     * @throws io.sluice.engine.CsvSink.MalformedCsv when the file ends inside a quoted value or without a line end
     */
    static Copied copy(InputStream in, OutputStream out, ResultLimits limits) throws IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        boolean quoted = false;
        long records = 0;       // records ended so far, the header included
        long position = 0;      // bytes seen before this buffer
        long recordStart = 0;   // where the current record starts
        long headerBytes = 0;
        long longest = 0;
        ResultTruncation truncation = null;
        int n;
        reading:
        while ((n = in.read(buffer)) > 0) {
            out.write(buffer, 0, n);
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
                        break reading;
                    } else if (end - headerBytes > limits.maxBytes()) {
                        truncation = new ResultTruncation(ResultTruncation.Reason.MAX_RESULT_BYTES, limits.maxBytes());
                        break reading;
                    }
                    records++;
                    longest = Math.max(longest, length);
                    recordStart = end;
                }
            }
            position += n;
        }
        if (truncation == null && (quoted || position != recordStart)) {
            throw new io.sluice.engine.CsvSink.MalformedCsv(quoted ? "the file ends inside a quoted value"
                    : "the file does not end with a line end", null);
        }
        long rows = Math.max(0, records - 1);
        return new Copied(rows, recordStart, Math.max(0, recordStart - headerBytes), longest, truncation);
    }
}
