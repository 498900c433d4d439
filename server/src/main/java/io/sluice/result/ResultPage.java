package io.sluice.result;

import io.sluice.engine.Column;

import java.util.List;

/**
 * One page of a result.
 *
 * @param columns        the result's columns
 * @param rowsJson       each row as a JSON array text, ready to embed in a response without re-parsing;
 *                       long strings cut as {@code truncatedCells} says
 * @param offset         the row number of the first row of the page
 * @param totalRows      rows in the whole result
 * @param truncatedCells the values this page shows cut (empty when none)
 */
public record ResultPage(List<Column> columns, List<String> rowsJson, long offset, long totalRows,
                         List<TruncatedCell> truncatedCells) {

    public ResultPage {
        rowsJson = List.copyOf(rowsJson);
        truncatedCells = List.copyOf(truncatedCells);
    }

    /** The offset of the next page, or -1 when this page is the last. */
    public long nextOffset() {
        long next = offset + rowsJson.size();
        return next < totalRows ? next : -1;
    }
}
