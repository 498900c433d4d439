package io.sluice.standin;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/** A stream read no faster than a rate: each read waits until the bytes before it were due. */
final class RateLimitedInputStream extends FilterInputStream {

    private final long bytesPerSecond;
    private final long started = System.nanoTime();
    private long delivered;

    RateLimitedInputStream(InputStream in, long bytesPerSecond) {
        super(in);
        this.bytesPerSecond = bytesPerSecond;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        pace();
        int n = super.read(b, off, Math.min(len, 64 * 1024));
        if (n > 0) {
            delivered += n;
        }
        return n;
    }

    /** Waits until the bytes delivered so far were due at the rate. */
    private void pace() throws InterruptedIOException {
        long dueNanos = delivered * 1_000_000_000L / bytesPerSecond;
        long waitNanos = dueNanos - (System.nanoTime() - started);
        if (waitNanos > 0) {
            try {
                Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while pacing an S3 read");
            }
        }
    }
}
