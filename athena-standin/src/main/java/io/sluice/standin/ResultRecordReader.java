package io.sluice.standin;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the records of a stored result body, as GetQueryResults does, keeping the byte position
 * after each record so that a page token can resume there without re-reading what came before.
 *
 * <p>CSV records follow {@link CsvResultWriter}'s dialect; a NULL comes back as {@code null}.
 * Text ({@code .txt}) records are lines: one value each, split at {@code \n}, the last one without
 * a terminator, so {@code "a\nb"} has two records and an empty file none. Parsing is byte-wise,
 * which is safe for UTF-8 because its multi-byte sequences never contain {@code "}, {@code ,} or
 * {@code \n}.
 */
final class ResultRecordReader implements Closeable {
    private final InputStream in;
    private final boolean csv;
    private long position;
    private boolean finished;

    private ResultRecordReader(InputStream in, long startPosition, boolean csv) {
        this.in = new BufferedInputStream(in, 1 << 16);
        this.position = startPosition;
        this.csv = csv;
    }

    static ResultRecordReader csv(InputStream in, long startPosition) {
        return new ResultRecordReader(in, startPosition, true);
    }

    static ResultRecordReader text(InputStream in, long startPosition) {
        return new ResultRecordReader(in, startPosition, false);
    }

    /**
     * The byte position after the last record read. For text, a position one past the end means
     * everything has been read (text files do not end with a line terminator).
     */
    long position() {
        return position;
    }

    /** The next record's values, or null at the end. */
    List<String> next() throws IOException {
        if (finished) {
            return null;
        }
        return csv ? nextCsv() : nextLine();
    }

    private List<String> nextLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b = in.read();
        if (b < 0) {
            finished = true;
            if (position == 0) {
                return null;
            }
            // The file ended right after a terminator: that is one more, empty, line.
            position++;
            return List.of("");
        }
        while (b >= 0 && b != '\n') {
            line.write(b);
            position++;
            b = in.read();
        }
        if (b == '\n') {
            position++;
        } else {
            finished = true;
            position++; // past the end: nothing follows the last line
        }
        return List.of(line.toString(StandardCharsets.UTF_8));
    }

    private List<String> nextCsv() throws IOException {
        in.mark(1);
        if (in.read() < 0) {
            finished = true;
            return null;
        }
        in.reset();
        List<String> values = new ArrayList<>();
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        while (true) {
            field.reset();
            int b = read();
            String value;
            if (b == '"') {
                while (true) {
                    int c = read();
                    if (c < 0) {
                        throw new IOException("Unterminated quoted field before byte " + position);
                    }
                    if (c == '"') {
                        in.mark(1);
                        if (in.read() == '"') {
                            position++;
                            field.write('"');
                            continue;
                        }
                        in.reset();
                        break;
                    }
                    field.write(c);
                }
                value = field.toString(StandardCharsets.UTF_8);
                b = read();
            } else {
                while (b >= 0 && b != ',' && b != '\n') {
                    field.write(b);
                    b = read();
                }
                // An unquoted empty field is NULL; Athena quotes every other value.
                value = field.size() == 0 ? null : field.toString(StandardCharsets.UTF_8);
            }
            values.add(value);
            if (b != ',') {
                return values;
            }
        }
    }

    private int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            position++;
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
