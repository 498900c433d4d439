package io.sluice.standin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The partial {@code <id>.csv} a query leaves when it is cancelled after its SQL has run (held or
 * delayed by a fault): the header and the first half of the rows, rounded down, as a
 * deterministic stand-in for "the rows written so far".
 */
final class PartialResult {
    private PartialResult() {
    }

    /** Writes the header and the first half of the data rows of {@code csv} to a new file. */
    static Path firstHalf(Path csv) throws IOException {
        long dataRows = 0;
        try (ResultRecordReader reader = ResultRecordReader.csv(Files.newInputStream(csv), 0)) {
            if (reader.next() != null) {
                while (reader.next() != null) {
                    dataRows++;
                }
            }
        }
        long keep = dataRows / 2;
        long bytes;
        try (ResultRecordReader reader = ResultRecordReader.csv(Files.newInputStream(csv), 0)) {
            for (long i = 0; i <= keep && reader.next() != null; i++) {
                // Read the header and the kept rows to find where they end.
            }
            bytes = reader.position();
        }
        Path partial = Files.createTempFile(csv.getParent(), "partial-", ".csv");
        try (InputStream in = Files.newInputStream(csv); OutputStream out = Files.newOutputStream(partial)) {
            in.transferTo(new BoundedOutput(out, bytes));
        }
        return partial;
    }

    /** Passes on the first {@code limit} bytes and drops the rest. */
    private static final class BoundedOutput extends OutputStream {
        private final OutputStream out;
        private long remaining;

        BoundedOutput(OutputStream out, long limit) {
            this.out = out;
            this.remaining = limit;
        }

        @Override
        public void write(int b) throws IOException {
            if (remaining > 0) {
                out.write(b);
                remaining--;
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            int n = (int) Math.min(length, remaining);
            if (n > 0) {
                out.write(bytes, offset, n);
                remaining -= n;
            }
        }
    }
}
