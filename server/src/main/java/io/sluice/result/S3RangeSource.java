package io.sluice.result;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;

/**
 * Positional reads of one S3 object through ranged GETs, streamed: a read continues the open
 * response while it reads on where the last one stopped, and only a jump (or the end of the
 * range) starts another GET. Ranges start at {@link #FIRST_RANGE_BYTES} and double up to
 * {@link #MAX_RANGE_BYTES}, so a page costs one or two small GETs wherever it is, and a download
 * streams the whole object in a few dozen. Nothing is held but the response being read.
 */
final class S3RangeSource implements ByteSource, Closeable {

    /** The first GET's range: a 100-row page of 1 KB rows and the stride before it fit in one. */
    static final int FIRST_RANGE_BYTES = 256 * 1024;
    static final int MAX_RANGE_BYTES = 8 * 1024 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final long size;
    private ResponseInputStream<GetObjectResponse> body;
    private long bodyPosition;
    private long bodyEnd;
    private long nextRange = FIRST_RANGE_BYTES;

    /** @param size the object's size (the summary's {@code bytes}): nothing is asked past it */
    S3RangeSource(S3Client s3, String bucket, String key, long size) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.size = size;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        if (position >= size) {
            return -1;
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (body == null || position != bodyPosition || bodyPosition >= bodyEnd) {
            open(position);
        }
        int want = (int) Math.min(dst.remaining(), bodyEnd - bodyPosition);
        byte[] bytes = dst.hasArray() ? dst.array() : new byte[want];
        int offset = dst.hasArray() ? dst.arrayOffset() + dst.position() : 0;
        int n;
        try {
            n = body.read(bytes, offset, want);
        } catch (SdkException e) {
            throw new IOException("reading s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
        }
        if (n < 0) {
            throw new EOFException("s3://" + bucket + "/" + key + " ended at byte " + bodyPosition
                    + ", before the " + size + " bytes of its summary");
        }
        if (dst.hasArray()) {
            dst.position(dst.position() + n);
        } else {
            dst.put(bytes, 0, n);
        }
        bodyPosition += n;
        return n;
    }

    private void open(long position) throws IOException {
        close();
        long end = Math.min(size, position + nextRange);
        try {
            body = s3.getObject(b -> b.bucket(bucket).key(key).range("bytes=" + position + "-" + (end - 1)));
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException("s3://" + bucket + "/" + key, null, "the result was replaced or deleted");
        } catch (SdkException e) {
            throw new IOException("reading s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
        }
        bodyPosition = position;
        bodyEnd = end;
        nextRange = Math.min(MAX_RANGE_BYTES, nextRange * 2);
    }

    /** Drops the open response without reading the rest of its range. */
    @Override
    public void close() {
        if (body != null) {
            body.abort();
            try {
                body.close();
            } catch (IOException | SdkException e) {
                // the connection is dropped either way
            }
            body = null;
        }
    }
}
