package io.sluice.result;

import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * The {@code rows.idx} format (see {@link FolderResultStore}), the same in every store: a 32-byte header, then the byte
 * offset of every K-th row as big-endian longs.
 */
final class RowIndex {

    static final int HEADER_BYTES = 32;
    private static final byte[] MAGIC = "SLUICEIX".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    /** What the header says. */
    record Header(int stride, UUID generation) {
    }

    private RowIndex() {
    }

    static void writeHeader(DataOutputStream out, int stride, UUID generation) throws IOException {
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(stride);
        out.writeLong(generation.getMostSignificantBits());
        out.writeLong(generation.getLeastSignificantBits());
    }

    static Header readHeader(ByteSource index) throws IOException {
        ByteBuffer buffer = read(index, 0, HEADER_BYTES);
        byte[] magic = new byte[MAGIC.length];
        buffer.get(magic);
        int version = buffer.getInt();
        int stride = buffer.getInt();
        if (!Arrays.equals(magic, MAGIC) || version != VERSION || stride < 1) {
            throw new IOException("not a row index of format " + VERSION);
        }
        return new Header(stride, new UUID(buffer.getLong(), buffer.getLong()));
    }

    /** The byte offset of row {@code entry * stride}. */
    static long offset(ByteSource index, long entry) throws IOException {
        return read(index, HEADER_BYTES + entry * Long.BYTES, Long.BYTES).getLong();
    }

    /** The size of the index of {@code rows} rows. */
    static long size(long rows, int stride) {
        return HEADER_BYTES + Long.BYTES * ((rows + stride - 1) / stride);
    }

    private static ByteBuffer read(ByteSource source, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (source.read(buffer, position + buffer.position()) < 0) {
                throw new EOFException("row index is truncated");
            }
        }
        return buffer.flip();
    }
}
