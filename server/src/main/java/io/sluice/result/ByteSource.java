package io.sluice.result;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Positional reads of one stored file: the row data or the row index of a published result, in
 * whatever store holds it. {@link java.nio.channels.FileChannel#read(ByteBuffer, long)} is one.
 */
@FunctionalInterface
interface ByteSource {

    /**
     * Reads bytes from {@code position} on into {@code dst}.
     *
     * @return how many were read, or -1 when {@code position} is at or past the end
     */
    int read(ByteBuffer dst, long position) throws IOException;

    /** The bytes of an object already in memory. */
    static ByteSource of(byte[] bytes) {
        return (dst, position) -> {
            if (position >= bytes.length) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), bytes.length - position);
            dst.put(bytes, (int) position, n);
            return n;
        };
    }
}
