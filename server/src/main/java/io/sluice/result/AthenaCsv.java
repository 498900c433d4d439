package io.sluice.result;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sluice.engine.Column;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns {@code rows.jsonl} into CSV the way Athena writes its result files: a header row, every
 * non-NULL value in double quotes with embedded quotes doubled, NULL as an empty unquoted field,
 * {@code \n} after every line (the last too), line breaks kept inside quotes, UTF-8 without BOM.
 * Numbers and booleans appear as their JSON text ({@code "42"}, {@code "1.5"}, {@code "true"}).
 *
 * <p>Rows are read token by token with Jackson's streaming parser: no tree, no row in memory.
 */
final class AthenaCsv {

    private static final char[] TRUE = "true".toCharArray();
    private static final char[] FALSE = "false".toCharArray();

    private AthenaCsv() {
    }

    /**
     * Writes the header and the rows; flushes {@code out} but does not close it.
     *
     * @return the number of rows written
     */
    static long write(List<Column> columns, InputStream rows, JsonFactory json, OutputStream out) throws IOException {
        Writer csv = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                csv.write(',');
            }
            char[] name = columns.get(i).name().toCharArray();
            quoted(csv, name, 0, name.length);
        }
        csv.write('\n');
        long count = 0;
        try (JsonParser parser = json.createParser(rows)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token != JsonToken.START_ARRAY) {
                    throw new IOException("result data is not a sequence of JSON arrays at row " + count);
                }
                boolean first = true;
                while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (!first) {
                        csv.write(',');
                    }
                    first = false;
                    field(csv, parser, token, count);
                }
                csv.write('\n');
                count++;
            }
        }
        csv.flush();
        return count;
    }

    private static void field(Writer csv, JsonParser parser, JsonToken token, long row) throws IOException {
        if (token == null) {
            throw new IOException("result data ends inside row " + row);
        }
        switch (token) {
            case VALUE_NULL -> {
                // NULL: an empty, unquoted field
            }
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT ->
                    quoted(csv, parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            case VALUE_TRUE -> quoted(csv, TRUE, 0, TRUE.length);
            case VALUE_FALSE -> quoted(csv, FALSE, 0, FALSE.length);
            default -> throw new IOException("unexpected " + token + " in row " + row);
        }
    }

    private static void quoted(Writer csv, char[] text, int offset, int length) throws IOException {
        csv.write('"');
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (text[i] == '"') {
                csv.write(text, start, i + 1 - start); // up to and including the quote ...
                start = i;                              // ... which is written once more
            }
        }
        csv.write(text, start, end - start);
        csv.write('"');
    }
}
