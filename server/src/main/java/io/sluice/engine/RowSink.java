package io.sluice.engine;

import java.util.List;

/**
 * Where an engine streams a result. Called from one thread: {@link #columns} once, then
 * {@link #row} for each row in order.
 *
 * <p>Row values are limited to: {@code null}, {@link Boolean}, {@link Long}, {@link Double} and
 * {@link String}. Engines render every other type (decimal, date, timestamp, nested, binary) to its
 * text form, so the result store needs no engine knowledge.
 */
public interface RowSink {

    void columns(List<Column> columns);

    /** One row; the array is not retained by the caller after the call returns. */
    void row(Object[] values);
}
