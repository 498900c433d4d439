package io.sluice.result;

/**
 * A value a page shows cut: its place in the page and its full size. The whole value is read
 * through {@link ResultReader#writeValue} (or the CSV download).
 *
 * @param row    the row's index within the page (0 = the page's first row)
 * @param column the column's index
 * @param bytes  the full value's size in UTF-8 bytes
 */
public record TruncatedCell(int row, int column, long bytes) {
}
