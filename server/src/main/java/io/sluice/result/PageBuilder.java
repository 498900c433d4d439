package io.sluice.result;

import io.sluice.engine.Column;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Builds one page from a {@link RowScanner} within a {@link PageBudget}: every string longer than
 * {@code maxValueBytes} is cut (and listed), and rows are added while the page's rows, as a JSON
 * array, stay within {@code maxPageBytes}. The first row is always added: if it alone would pass
 * the budget, its strings are cut further, the shortest kept whole and the room left shared evenly
 * among the longer ones.
 *
 * <p>Memory: the page's rows, plus at most one value's shown prefix past the budget.
 */
final class PageBuilder {

    private final RowScanner scanner;
    private final PageBudget budget;
    private final int columnCount;
    private final RowBytes row = new RowBytes();
    private final RowScanner.StringRead read = new RowScanner.StringRead();
    private final List<String> rows = new ArrayList<>();
    private final List<TruncatedCell> truncated = new ArrayList<>();
    /** The page's rows as a JSON array so far: "[" and "]", the rows and the commas between them. */
    private long pageBytes = 2;

    PageBuilder(RowScanner scanner, PageBudget budget, int columnCount) {
        this.scanner = scanner;
        this.budget = budget;
        this.columnCount = columnCount;
    }

    /**
     * Adds the scanner's next row if it fits in what is left of the budget.
     *
     * @return false when it does not fit: the page is complete without it
     */
    boolean add() throws IOException {
        int index = rows.size();
        long room = budget.maxPageBytes() - pageBytes - (index == 0 ? 0 : 1);
        long rowStart = scanner.position();
        if (!copyRow(index, null, room)) {
            if (index > 0) {
                return false;
            }
            // The first row alone passes the budget: cut its strings further so that it fits.
            scanner.seek(rowStart);
            long[] allowances = allowances(room);
            scanner.seek(rowStart);
            copyRow(index, allowances, Long.MAX_VALUE);
        }
        rows.add(row.text());
        pageBytes += row.size() + (index == 0 ? 0 : 1);
        return true;
    }

    ResultPage build(List<Column> columns, long offset, long totalRows) {
        return new ResultPage(columns, rows, offset, totalRows, truncated);
    }

    /**
     * Copies the next row into {@link #row}, strings cut to {@code maxValueBytes} and, when
     * {@code allowances} is given, each string's JSON text to its allowance.
     *
     * @return false, with nothing added, as soon as the row passes {@code room}
     */
    private boolean copyRow(int index, long[] allowances, long room) throws IOException {
        row.reset();
        int truncatedBefore = truncated.size();
        if (!scanner.nextRow()) {
            throw new EOFException("result data has fewer rows than its summary says");
        }
        row.write('[');
        int column = 0;
        for (RowScanner.Token token = scanner.next(); token != RowScanner.Token.END_OF_ROW;
             token = scanner.next(), column++) {
            if (column > 0) {
                row.write(',');
            }
            if (token == RowScanner.Token.STRING) {
                row.write('"');
                long allowance = allowances == null ? Long.MAX_VALUE : allowances[column];
                scanner.string(RowScanner.Encoding.JSON, row, budget.maxValueBytes(), allowance, read);
                row.write('"');
                if (read.cut) {
                    truncated.add(new TruncatedCell(index, column, read.valueBytes));
                }
            } else {
                scanner.literal(row);
            }
            if (row.size() + 1 > room) { // + 1 for the closing bracket
                truncated.subList(truncatedBefore, truncated.size()).clear();
                return false;
            }
        }
        checkColumns(column);
        row.write(']');
        return true;
    }

    /**
     * How many bytes of JSON text each string of the next row may show so that the row fits in
     * {@code room}: a string that fits its even share keeps its whole (value-limited) text, and
     * what it leaves is shared among the longer ones. Non-strings are never cut.
     */
    private long[] allowances(long room) throws IOException {
        long[] lengths = new long[columnCount];
        long fixed = 2 + Math.max(0, columnCount - 1); // brackets and commas
        List<Integer> strings = new ArrayList<>();
        OutputStream measure = OutputStream.nullOutputStream();
        if (!scanner.nextRow()) {
            throw new EOFException("result data has fewer rows than its summary says");
        }
        int column = 0;
        for (RowScanner.Token token = scanner.next(); token != RowScanner.Token.END_OF_ROW;
             token = scanner.next(), column++) {
            if (token == RowScanner.Token.STRING) {
                scanner.string(RowScanner.Encoding.JSON, measure, budget.maxValueBytes(), Long.MAX_VALUE, read);
                lengths[column] = read.written;
                fixed += 2;
                strings.add(column);
            } else {
                fixed += scanner.literal(null);
            }
        }
        checkColumns(column);
        return share(lengths, strings, Math.max(0, room - fixed));
    }

    /**
     * Shares {@code left} bytes among the {@code strings} columns of a row whose JSON texts take
     * {@code lengths}: the shortest first, each its whole text if it fits its even share of what is
     * left. Other columns get {@code Long.MAX_VALUE} (numbers, booleans and nulls are never cut).
     */
    static long[] share(long[] lengths, List<Integer> strings, long left) {
        long[] allowances = new long[lengths.length];
        Arrays.fill(allowances, Long.MAX_VALUE);
        List<Integer> shortestFirst = strings.stream().sorted(Comparator.comparingLong(c -> lengths[c])).toList();
        int remaining = shortestFirst.size();
        for (int c : shortestFirst) {
            long share = left / remaining;
            allowances[c] = Math.min(lengths[c], share);
            left -= allowances[c];
            remaining--;
        }
        return allowances;
    }

    private void checkColumns(int values) throws IOException {
        if (values != columnCount) {
            throw new IOException("a stored row has " + values + " values for " + columnCount + " columns");
        }
    }

    /** The row being copied, reusable and read without a copy of its bytes. */
    private static final class RowBytes extends ByteArrayOutputStream {
        RowBytes() {
            super(1024);
        }

        String text() {
            return new String(buf, 0, count, StandardCharsets.UTF_8);
        }
    }
}
