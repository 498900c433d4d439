package io.sluice.result;

import io.sluice.engine.Column;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns {@code rows.jsonl} into CSV the way Athena writes its result files: a header row, every
 * non-NULL value in double quotes with embedded quotes doubled, NULL as an empty unquoted field,
 * {@code \n} after every line (the last too), line breaks kept inside quotes, UTF-8 without BOM.
 * Numbers and booleans appear as their JSON text ({@code "42"}, {@code "1.5"}, {@code "true"}).
 *
 * <p>Rows are read value by value with a {@link RowScanner}, strings streamed through in pieces:
 * no row and no value is ever held whole in memory.
 */
final class AthenaCsv {

    private static final int BUFFER_BYTES = 64 * 1024;

    private AthenaCsv() {
    }

    /**
     * Writes the header and the rows; flushes {@code target} but does not close it.
     *
     * @return the number of rows written
     */
    static long write(List<Column> columns, RowScanner rows, OutputStream target) throws IOException {
        BufferedOutputStream out = new BufferedOutputStream(target, BUFFER_BYTES);
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            quoted(out, columns.get(i).name().getBytes(StandardCharsets.UTF_8));
        }
        out.write('\n');
        RowScanner.StringRead read = new RowScanner.StringRead();
        long count = 0;
        while (rows.nextRow()) {
            int column = 0;
            for (RowScanner.Token token = rows.next(); token != RowScanner.Token.END_OF_ROW;
                 token = rows.next(), column++) {
                if (column > 0) {
                    out.write(',');
                }
                switch (token) {
                    case NULL -> rows.literal(null); // NULL: an empty, unquoted field
                    case STRING -> {
                        out.write('"');
                        rows.string(RowScanner.Encoding.CSV, out, Long.MAX_VALUE, Long.MAX_VALUE, read);
                        out.write('"');
                    }
                    default -> {
                        out.write('"');
                        rows.literal(out);
                        out.write('"');
                    }
                }
            }
            out.write('\n');
            count++;
        }
        out.flush();
        return count;
    }

    private static void quoted(OutputStream out, byte[] text) throws IOException {
        out.write('"');
        for (byte b : text) {
            out.write(b);
            if (b == '"') {
                out.write('"');
            }
        }
        out.write('"');
    }
}
