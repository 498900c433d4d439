package io.sluice.engine;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * A {@link RowSink} that can also take a whole result as the engine's own CSV file in Athena's
 * format (a header row, every non-NULL value in double quotes with quotes doubled, NULL as an empty
 * unquoted field, {@code \n} after every record) and store it with a CSV reader of its own, without
 * a Java object per value. Values are stored as {@link RowSink} describes them for the column types:
 * integers up to bigint and floating types as numbers, booleans, everything else as the exact text.
 */
public interface CsvSink extends RowSink {

    /**
     * Stores the result read from {@code csv}, within the sink's limits: when the sink is full it
     * stops reading and returns normally.
     *
     * @throws IOException when reading {@code csv} failed (passed through as thrown by the stream),
     *                     when the file is not such a CSV ({@link MalformedCsv}), or when storing failed
     */
    void athenaCsv(List<Column> columns, InputStream csv) throws IOException;

    /** The file is not a CSV of the given columns: the engine's result is broken, not the store. */
    final class MalformedCsv extends IOException {
        public MalformedCsv(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
