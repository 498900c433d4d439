package io.sluice.standin;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/** A stream that delivers its first bytes and then waits until its {@link Faults} resume reads. */
final class PausedInputStream extends FilterInputStream {

    private final Faults faults;
    private final long pauseAfter;
    private final long generation;
    private long delivered;
    private boolean resumed;

    PausedInputStream(InputStream in, Faults faults, long pauseAfter, long generation) {
        super(in);
        this.faults = faults;
        this.pauseAfter = pauseAfter;
        this.generation = generation;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!resumed && delivered >= pauseAfter) {
            try {
                faults.awaitS3Resume(generation);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while an S3 read was paused");
            }
            resumed = true;
        }
        int n = super.read(b, off, resumed ? len : (int) Math.min(len, pauseAfter - delivered));
        if (n > 0) {
            delivered += n;
        }
        return n;
    }
}
