package io.sluice.standin;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Streams rows into a file in Athena's CSV dialect: every non-NULL value double-quoted (header
 * too), {@code "} doubled, NULL an empty unquoted field, empty string {@code ""}, {@code \n} after
 * every line including the last, newlines kept inside quotes, UTF-8 without BOM.
 */
final class CsvResultWriter implements Closeable {
    private final BufferedWriter out;
    private long rows;

    CsvResultWriter(Path file) throws IOException {
        this.out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8),
                1 << 16);
    }

    /** Writes one line; a null value is SQL NULL. */
    void writeRow(List<String> values) throws IOException {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            String value = values.get(i);
            if (value != null) {
                out.write('"');
                out.write(value.indexOf('"') < 0 ? value : value.replace("\"", "\"\""));
                out.write('"');
            }
        }
        out.write('\n');
        rows++;
    }

    /** Lines written so far, the header included. */
    long rows() {
        return rows;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
