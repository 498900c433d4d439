package io.sluice.result.firstpart;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;

/**
 * The beginning of an Athena result CSV, read into memory up to a number of data rows or bytes,
 * whichever comes first: the first part of a result. Records end with {@code \n} outside double
 * quotes (a quote inside a value is doubled, which toggles twice), the first record being the
 * header. Memory is bounded by the byte limit: at most twice it, plus one read.
 */
final class CsvPrefix {

    private static final int CHUNK = 64 * 1024;

    private byte[] buffer;
    private int length;
    /** Where the last complete record read ends (0: none yet). */
    private int cut;
    /** Data rows (after the header) in {@code [0, cut)}. */
    private long rows;
    private boolean ended;

    private CsvPrefix(int initial) {
        buffer = new byte[initial];
    }

    /**
     * Reads {@code csv} until {@code maxRows} data rows are complete, {@code maxBytes} bytes are
     * read, or the file ends.
     */
    static CsvPrefix read(InputStream csv, long maxRows, int maxBytes) throws IOException {
        CsvPrefix prefix = new CsvPrefix(Math.min(maxBytes, CHUNK) + CHUNK);
        boolean quoted = false;
        long records = 0;
        int scanned = 0;
        while (records <= maxRows && prefix.length < maxBytes) {
            prefix.room(CHUNK);
            int n = csv.read(prefix.buffer, prefix.length, CHUNK);
            if (n < 0) {
                prefix.ended = true;
                break;
            }
            prefix.length += n;
            for (; scanned < prefix.length && records <= maxRows; scanned++) {
                byte b = prefix.buffer[scanned];
                if (b == '"') {
                    quoted = !quoted;
                } else if (b == '\n' && !quoted) {
                    records++;
                    if (scanned + 1 <= maxBytes) {
                        prefix.cut = scanned + 1;
                        prefix.rows = records - 1;
                    }
                }
            }
        }
        return prefix;
    }

    /** Whether the whole file was read: the result is small, and needs no first part. */
    boolean ended() {
        return ended;
    }

    /** Data rows in {@link #part()}. */
    long rows() {
        return Math.max(0, rows);
    }

    /** The complete records read: the header and {@link #rows()} data rows. */
    InputStream part() {
        return new ByteArrayInputStream(buffer, 0, cut);
    }

    /** The whole file again: what was read, then the rest of {@code csv}. */
    InputStream whole(InputStream csv) {
        return new SequenceInputStream(new ByteArrayInputStream(buffer, 0, length), csv);
    }

    private void room(int more) {
        if (buffer.length - length < more) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
