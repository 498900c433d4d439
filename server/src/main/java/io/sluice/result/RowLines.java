package io.sluice.result;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Reads {@code \n}-terminated rows of {@code rows.jsonl} from a byte position on, through one
 * fixed buffer and positional reads (the channel's own position is not used, so nothing is shared).
 */
final class RowLines {

    private final FileChannel channel;
    private final byte[] buffer;
    private final ByteBuffer wrapped;
    private long filePosition;
    private int position;
    private int limit;

    RowLines(FileChannel channel, long start, int bufferBytes) {
        this.channel = channel;
        this.buffer = new byte[bufferBytes];
        this.wrapped = ByteBuffer.wrap(buffer);
        this.filePosition = start;
    }

    /** Skips {@code count} rows. */
    void skip(long count) throws IOException {
        while (count > 0) {
            if (position == limit && !fill()) {
                throw new EOFException("result data ends before its last row");
            }
            int i = position;
            int end = limit;
            byte[] b = buffer;
            while (i < end && count > 0) {
                if (b[i++] == '\n') {
                    count--;
                }
            }
            position = i;
        }
    }

    /** The next row's text without its {@code \n}, or null at the end of the file. */
    String next() throws IOException {
        ByteArrayOutputStream longRow = null;
        while (true) {
            if (position == limit && !fill()) {
                if (longRow == null) {
                    return null;
                }
                throw new EOFException("result data ends inside a row");
            }
            int start = position;
            for (int i = start; i < limit; i++) {
                if (buffer[i] == '\n') {
                    position = i + 1;
                    if (longRow == null) {
                        return new String(buffer, start, i - start, StandardCharsets.UTF_8);
                    }
                    longRow.write(buffer, start, i - start);
                    return longRow.toString(StandardCharsets.UTF_8);
                }
            }
            // the row goes on past the buffer
            if (longRow == null) {
                longRow = new ByteArrayOutputStream(2 * (limit - start) + 16);
            }
            longRow.write(buffer, start, limit - start);
            position = limit;
        }
    }

    private boolean fill() throws IOException {
        wrapped.clear();
        int n;
        do {
            n = channel.read(wrapped, filePosition);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        filePosition += n;
        position = 0;
        limit = n;
        return true;
    }
}
