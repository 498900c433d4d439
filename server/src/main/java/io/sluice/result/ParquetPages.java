package io.sluice.result;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Pages of a Parquet result: plain pages read by row number from the part that holds them, and the
 * reading of any page's rows (the select list that cuts long strings in DuckDB, the rows added
 * within the {@link PageBudget}) that sorted and filtered pages ({@link ParquetViews}) share.
 */
final class ParquetPages {

    private final ParquetResult result;

    ParquetPages(ParquetResult result) {
        this.result = result;
    }

    /** Rows {@code [offset, offset + limit)} in stored order; see {@link ResultReader#page(long, int)}. */
    ResultPage page(long offset, int limit) throws IOException {
        result.requireData(offset);
        SummaryFile file = result.file();
        ParquetLayout layout = result.layout();
        checkPage(offset, limit, file.rows());
        // The hot path: no parameters (the path is Sluice's own, the bounds are numbers), so a plain
        // statement without a prepare step, and no sort (DuckDB keeps a file's order through a
        // filter): each worth about a millisecond a page.
        List<String> reads = new ArrayList<>(2);
        long end = Math.min(file.rows(), offset + limit);
        for (long at = offset; at < end; ) {
            int k = layout.partOf(at);
            long from = at - layout.start(k);
            long to = Math.min(layout.rows(k), end - layout.start(k));
            reads.add("SELECT " + pageColumns() + " FROM " + layout.part(k) + " WHERE file_row_number >= " + from
                    + " AND file_row_number < " + to);
            at = layout.start(k) + to;
        }
        return readPage(reads, List.of(), offset, file.rows());
    }

    static void checkPage(long offset, int limit, long total) {
        if (offset < 0 || offset > total || limit < 1) {
            throw new IllegalArgumentException("offset must be 0.." + total + " and limit >= 1, were " + offset
                    + " and " + limit);
        }
    }

    /** The page's select list: each column, a text column as its shown prefix and its full size in bytes. */
    String pageColumns() {
        return pageColumns(result::quoted);
    }

    /** As {@link #pageColumns()}, with each column named as {@code column} says. */
    String pageColumns(IntFunction<String> column) {
        List<String> select = new ArrayList<>();
        for (int i = 0; i < result.names().size(); i++) {
            if (result.isVarchar(i)) {
                select.add("left(" + column.apply(i) + ", " + result.budget().maxValueBytes() + ")");
                select.add("strlen(" + column.apply(i) + ")");
            } else {
                select.add(column.apply(i));
            }
        }
        return select.isEmpty() ? "1" : String.join(", ", select);
    }

    /** A page of the rows of {@code reads} in turn (each with {@code params}), as many as the page budget takes. */
    ResultPage readPage(List<String> reads, List<Object> params, long offset, long total) throws IOException {
        PageRows page = new PageRows(result.budget(), result.names().size());
        if (offset < total && !reads.isEmpty()) {
            try (Connection c = result.duck().readConnection()) {
                boolean full = false;
                for (int r = 0; r < reads.size() && !full; r++) {
                    full = !readRows(c, reads.get(r), params, page);
                }
            } catch (SQLException e) {
                throw result.failure(e);
            }
        }
        return page.build(result.file().columns(), offset, total);
    }

    /** Adds the rows of {@code sql} to {@code page}: false once the page is full. */
    private boolean readRows(Connection c, String sql, List<Object> params, PageRows page) throws SQLException {
        int columns = result.names().size();
        try (Statement s = ParquetResult.statement(c, sql, params); ResultSet rs = ParquetResult.execute(s, sql, params)) {
            Object[] values = new Object[columns];
            long[] fullBytes = new long[columns];
            while (rs.next()) {
                int at = 1;
                for (int i = 0; i < columns; i++) {
                    values[i] = result.value(rs, at++, i);
                    fullBytes[i] = -1;
                    if (result.isVarchar(i)) {
                        long bytes = rs.getLong(at++);
                        fullBytes[i] = rs.wasNull() ? -1 : bytes;
                    }
                }
                if (!page.add(values, fullBytes)) {
                    return false;
                }
            }
            return true;
        }
    }
}
