package io.sluice.engine;

import java.util.List;

/**
 * Where an engine streams a result. Called from one thread: {@link #columns} once, then
 * {@link #row} for each row in order until the rows end or the sink says it is full.
 *
 * <p>Row values are limited to: {@code null}, {@link Boolean}, {@link Long}, {@link Double} and
 * {@link String}. Engines render every other type (decimal, date, timestamp, nested, binary) to its
 * text form, so the result store needs no engine knowledge.
 */
public interface RowSink {

    void columns(List<Column> columns);

    /**
     * One row; the array is not retained by the caller after the call returns.
     *
     * @return true when the row was taken; false when the sink is full: this row was not taken, no
     *         further row will be, and the engine stops producing (closes its statement or stream)
     *         and returns normally — a full sink is not a failure
     */
    boolean row(Object[] values);
}
