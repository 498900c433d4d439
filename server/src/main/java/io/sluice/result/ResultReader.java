package io.sluice.result;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Reads one published result. Cheap to open; holds no file handles between calls, so it may be
 * cached or dropped freely. Thread-safe. Whatever the size of the stored values, every call holds
 * only a bounded amount in memory: a page is bounded by its store's {@link PageBudget}, values and
 * downloads are streamed.
 */
public interface ResultReader {

    ResultSummary summary();

    /**
     * Whether the result is stored in the Parquet format, which can be sorted, filtered, aggregated
     * and downloaded as Parquet or JSON lines; results of the earlier row format can only be paged
     * and downloaded as CSV.
     */
    default boolean columnar() {
        return false;
    }

    /**
     * Returns once the result can do what a {@link #columnar()} result can (a result published as
     * Athena's CSV: once converted, waiting for its conversion), before any byte of an answer that
     * needs it is sent.
     *
     * @throws ResultOperationUnsupported when it cannot: stored in the row format, or not convertible
     */
    default void awaitColumnar() throws IOException {
        if (!columnar()) {
            throw new ResultOperationUnsupported("this operation");
        }
    }

    /**
     * The format to copy this result in for another DuckDB to load: Parquet, with every column's
     * type, when the result can give it ({@link #awaitColumnar}), else CSV.
     */
    default DownloadFormat copyFormat() throws IOException {
        try {
            awaitColumnar();
            return DownloadFormat.PARQUET;
        } catch (ResultOperationUnsupported e) {
            return DownloadFormat.CSV;
        }
    }

    /**
     * Rows {@code [offset, offset + limit)}, or fewer: at the end of the result, or where the next
     * row would take the page past its {@link PageBudget} (always at least one row). Strings past
     * the budget's value size are cut and listed in {@link ResultPage#truncatedCells()}. Costs the
     * same for any offset: a row index locates the first row without reading the rows before it.
     *
     * @throws IllegalArgumentException if {@code offset < 0}, {@code offset > rows} or {@code limit < 1}
     */
    ResultPage page(long offset, int limit) throws IOException;

    /**
     * Streams one whole value: once its kind is known, {@code output} is asked where to write it,
     * then the value is written there (a string's text in UTF-8, a number's or boolean's JSON
     * text; nothing for NULL). Does not close the stream.
     *
     * @param row    the row's number in the result (0 = first)
     * @param column the column's index
     * @return the value's kind
     * @throws IllegalArgumentException if the row or column is out of range
     */
    ValueKind writeValue(long row, int column, ValueOutput output) throws IOException;

    /**
     * Streams the whole result as CSV (RFC 4180 quoting, header row, UTF-8, NULL as an empty unquoted
     * field and the empty string as {@code ""}, {@code \n} line ends, as Athena writes it) without
     * holding it in memory. Does not close {@code out}.
     */
    void writeCsv(OutputStream out) throws IOException;

    /**
     * Rows {@code [offset, offset + limit)} of the result as {@code view} shows it (filtered, sorted),
     * under the same page budget as {@link #page(long, int)}; the page's {@code totalRows} counts the
     * rows the view keeps.
     *
     * @throws ResultView.InvalidView       when a filter's value does not convert to its column's type
     * @throws ResultOperationUnsupported for a result in the old row format (any non-plain view)
     */
    default ResultPage page(ResultView view, long offset, int limit) throws IOException {
        if (view.plain()) {
            return page(offset, limit);
        }
        throw new ResultOperationUnsupported("sorting or filtering");
    }

    /**
     * A chart's numbers computed over the stored result.
     *
     * @throws ResultView.InvalidView       for a sum or average of a non-numeric column, or a filter value of the wrong type
     * @throws ResultOperationUnsupported for a result in the old row format
     */
    default Aggregation.Result aggregate(Aggregation aggregation) throws IOException {
        throw new ResultOperationUnsupported("aggregating");
    }

    /**
     * Streams the whole result in {@code format} without holding it in memory ({@link #writeCsv} for CSV).
     * Does not close {@code out}.
     *
     * @throws ResultOperationUnsupported for Parquet or JSON lines of a result in the old row format
     */
    default void write(DownloadFormat format, OutputStream out) throws IOException {
        if (format != DownloadFormat.CSV) {
            throw new ResultOperationUnsupported("downloading as " + format.extension());
        }
        writeCsv(out);
    }

    /** Where {@link #writeValue} writes a value, chosen once its kind is known. */
    @FunctionalInterface
    interface ValueOutput {
        /** The stream to write the value to; null to write nothing (used for NULL). */
        OutputStream open(ValueKind kind) throws IOException;
    }
}
