package io.sluice.federation;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * Where PostgreSQL's {@code COPY … TO STDOUT (FORMAT csv)} goes: a file, written through a 64 KiB
 * buffer (memory stays flat whatever the table's size). On the way it measures the longest CSV
 * record (a newline inside a quoted field does not end one; PostgreSQL's CSV doubles quotes inside
 * fields, so every {@code "} toggles the quoted state), which DuckDB's {@code max_line_size} must
 * cover, and checks the cancel switch every 1 MiB, failing the write (which stops the COPY) once
 * it is set.
 */
final class CopyFileOutput extends OutputStream {

    private static final long CHECK_EVERY_BYTES = 1 << 20;

    private final OutputStream file;
    private final BooleanSupplier cancelled;
    private long bytes;
    private long nextCheck = CHECK_EVERY_BYTES;
    private boolean quoted;
    private long record;
    private long longestRecord;

    CopyFileOutput(Path path, BooleanSupplier cancelled) throws IOException {
        this.file = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
        this.cancelled = cancelled;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            record++;
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\n' && !quoted) {
                longestRecord = Math.max(longestRecord, record);
                record = 0;
            }
        }
        file.write(b, off, len);
        bytes += len;
        if (bytes >= nextCheck) {
            nextCheck = bytes + CHECK_EVERY_BYTES;
            if (cancelled.getAsBoolean()) {
                throw new InterruptedIOException("cancelled");
            }
        }
    }

    @Override
    public void flush() throws IOException {
        file.flush();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    /** Bytes written so far. */
    long bytes() {
        return bytes;
    }

    /** The longest CSV record so far, in bytes with its newline. */
    long longestRecord() {
        return Math.max(longestRecord, record);
    }
}
