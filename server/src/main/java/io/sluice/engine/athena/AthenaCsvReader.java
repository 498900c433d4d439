package io.sluice.engine.athena;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams the records of an Athena result CSV: every non-NULL value quoted ({@code ""} doubles a
 * quote), NULL as an empty unquoted field, the empty string as {@code ""}, line breaks kept inside
 * quotes, {@code \n} after every record. One record is in memory at a time.
 */
final class AthenaCsvReader {

    private final Reader in;
    private final char[] buffer = new char[64 * 1024];
    private int position;
    private int limit;
    private final StringBuilder field = new StringBuilder();

    AthenaCsvReader(Reader in) {
        this.in = in;
    }

    /**
     * The next record's fields ({@code null} for NULL), or null at the end of the input.
     *
     * @throws IOException on malformed input (an unterminated quote, text after a closing quote)
     */
    List<String> next() throws IOException {
        int c = read();
        if (c < 0) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        while (true) {
            if (c == '"') {
                field.setLength(0);
                while (true) {
                    int q = read();
                    if (q < 0) {
                        throw new IOException("unterminated quoted field in result CSV");
                    }
                    if (q == '"') {
                        int after = read();
                        if (after == '"') {
                            field.append('"');
                            continue;
                        }
                        fields.add(field.toString());
                        c = after;
                        break;
                    }
                    field.append((char) q);
                }
            } else if (c == ',' || c == '\n' || c == '\r' || c < 0) {
                fields.add(null); // an empty unquoted field is NULL
            } else {
                // Unquoted text (not written by Athena, but tolerated): read to the next separator.
                field.setLength(0);
                while (c >= 0 && c != ',' && c != '\n' && c != '\r') {
                    field.append((char) c);
                    c = read();
                }
                fields.add(field.toString());
            }
            if (c == ',') {
                c = read();
                continue;
            }
            if (c == '\r') {
                c = read();
                if (c != '\n' && c >= 0) {
                    throw new IOException("bare carriage return in result CSV");
                }
            }
            if (c == '\n' || c < 0) {
                return fields;
            }
            throw new IOException("unexpected character after a quoted field in result CSV");
        }
    }

    private int read() throws IOException {
        if (position == limit) {
            limit = in.read(buffer, 0, buffer.length);
            position = 0;
            if (limit <= 0) {
                limit = 0;
                return -1;
            }
        }
        return buffer[position++];
    }
}
