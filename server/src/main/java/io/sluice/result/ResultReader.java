package io.sluice.result;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Reads one published result. Cheap to open; holds no file handles between calls, so it may be
 * cached or dropped freely. Thread-safe.
 */
public interface ResultReader {

    ResultSummary summary();

    /**
     * Rows {@code [offset, offset + limit)}; fewer at the end. Costs the same for any offset: a
     * row index locates the first row without reading the rows before it.
     *
     * @throws IllegalArgumentException if {@code offset < 0}, {@code offset > rows} or {@code limit < 1}
     */
    ResultPage page(long offset, int limit) throws IOException;

    /**
     * Streams the whole result as CSV (RFC 4180 quoting, header row, UTF-8, NULL as an empty unquoted
     * field and the empty string as {@code ""}, {@code \n} line ends, as Athena writes it) without
     * holding it in memory. Does not close {@code out}.
     */
    void writeCsv(OutputStream out) throws IOException;
}
