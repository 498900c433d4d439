package io.sluice.result;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the records of one part of Athena's CSV from a byte offset: a {@code \n} outside double
 * quotes ends a record, a doubled quote inside quotes is one quote, and an empty unquoted field is
 * NULL where {@code ""} is the empty string. A field keeps at most a given number of its bytes (cut
 * back to whole UTF-8 characters) and counts the rest, so that a page holds a bounded amount whatever
 * the size of a value.
 */
final class CsvRecords {

    private static final int BUFFER_BYTES = 32 * 1024;

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    private long position;

    /** One field as read: {@link #isNull}, or its first bytes and its full size. */
    static final class Field {
        private final int keep;
        private byte[] bytes = new byte[64];
        private int kept;
        private long size;
        private boolean isNull;

        Field(int keep) {
            this.keep = keep;
        }

        boolean isNull() {
            return isNull;
        }

        /** The full size of the value in bytes. */
        long size() {
            return size;
        }

        /** Whether bytes were dropped past what is kept. */
        boolean cut() {
            return size > kept;
        }

        /** The kept bytes as text, cut back to whole characters. */
        String text() {
            int end = kept;
            if (cut()) {
                // drop a character the cut split: continuation bytes, then their lead byte
                int back = end;
                while (back > 0 && (bytes[back - 1] & 0xC0) == 0x80) {
                    back--;
                }
                if (back > 0 && (bytes[back - 1] & 0x80) != 0) {
                    int lead = bytes[back - 1] & 0xFF;
                    int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
                    end = end - (back - 1) >= need ? end : back - 1;
                }
            }
            return new String(bytes, 0, end, StandardCharsets.UTF_8);
        }

        private void start() {
            kept = 0;
            size = 0;
            isNull = false;
        }

        private void add(byte b) {
            if (kept < keep) {
                if (kept == bytes.length) {
                    bytes = Arrays.copyOf(bytes, Math.min(keep, bytes.length * 2));
                }
                bytes[kept++] = b;
            }
            size++;
        }
    }

    CsvRecords(FileChannel channel, long position) {
        this.channel = channel;
        this.position = position;
        buffer.limit(0);
    }

    /** Skips one record: false at the end of the part. */
    boolean skip() throws IOException {
        int b = read();
        if (b < 0) {
            return false;
        }
        boolean quoted = false;
        for (; b >= 0; b = read()) {
            if (b == '"') {
                quoted = !quoted;
            } else if (b == '\n' && !quoted) {
                return true;
            }
        }
        return true;
    }

    /**
     * Reads one record into {@code fields}: false at the end of the part.
     *
     * @throws IOException when the record does not have {@code fields.length} fields
     */
    boolean read(Field[] fields) throws IOException {
        int b = read();
        if (b < 0) {
            return false;
        }
        for (int i = 0; i < fields.length; i++) {
            Field field = fields[i];
            field.start();
            if (b == '"') {
                while (true) {
                    b = read();
                    if (b < 0) {
                        throw new IOException("a CSV part ends inside a quoted value");
                    }
                    if (b == '"') {
                        b = read();
                        if (b != '"') {
                            break; // the closing quote; b is what follows it
                        }
                    }
                    field.add((byte) b);
                }
            } else if (b == ',' || b == '\n' || b < 0) {
                field.isNull = true;
            } else {
                while (b >= 0 && b != ',' && b != '\n') {
                    field.add((byte) b);
                    b = read();
                }
            }
            boolean last = i == fields.length - 1;
            if (last ? b != '\n' : b != ',') {
                throw new IOException("a CSV record does not have " + fields.length + " fields");
            }
            if (!last) {
                b = read();
            }
        }
        return true;
    }

    private int read() throws IOException {
        if (!buffer.hasRemaining()) {
            buffer.clear();
            int n = channel.read(buffer, position);
            buffer.flip();
            if (n <= 0) {
                return -1;
            }
            position += n;
        }
        return buffer.get() & 0xFF;
    }
}
