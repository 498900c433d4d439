package io.sluice.result;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Sorted and filtered pages ({@link ResultView}) of a Parquet result: one DuckDB query over the
 * parts per page, with the count of the rows a filter keeps computed once; a view of a large result
 * is also written whole to a file ({@link ViewFiles}) that later pages read by row number.
 */
final class ParquetViews {

    private final ParquetResult result;
    private final ParquetPages pages;
    private final ParquetFilters filters;

    ParquetViews(ParquetResult result, ParquetPages pages, ParquetFilters filters) {
        this.result = result;
        this.pages = pages;
        this.filters = filters;
    }

    /** Rows {@code [offset, offset + limit)} of a view that is not plain; see {@link ResultReader#page(ResultView, long, int)}. */
    ResultPage page(ResultView view, long offset, int limit) throws IOException {
        result.requireData();
        filters.checkValues(view.filters());
        SummaryFile file = result.file();
        if (file.rows() >= ViewFiles.MIN_ROWS) {
            ViewFiles.Writer write = target -> writeView(view, target);
            ViewFiles.Ready written = offset + limit > ViewFiles.TOP_N_ROWS
                    ? result.duck().views().awaitOrStart(viewKey(view), result.where(), write, ViewFiles.DEEP_PAGE_WAIT)
                    : result.duck().views().readyOrStart(viewKey(view), result.where(), write);
            if (written != null && Files.exists(written.file())) {
                ParquetPages.checkPage(offset, limit, written.rows());
                try {
                    return pages.readPage(List.of("SELECT " + pages.pageColumns(ParquetLayout::physicalName) + " FROM read_parquet("
                            + ResultDuck.literal(written.file()) + ", file_row_number = true) WHERE file_row_number >= "
                            + offset + " AND file_row_number < " + (offset + limit)), List.of(), offset, written.rows());
                } catch (NoSuchFileException evicted) {
                    // deleted since: read the result itself
                }
            }
        }
        List<Object> params = new ArrayList<>();
        String filter = filters.filterSql(view.filters(), params);
        long total = view.filters().isEmpty() ? file.rows() : filteredCount(view, filter, params);
        ParquetPages.checkPage(offset, limit, total);
        String sql = "SELECT " + pages.pageColumns() + " FROM " + result.layout().source(true) + filter + orderBy(view)
                + " LIMIT ? OFFSET ?";
        params.add((long) limit);
        params.add(offset);
        return pages.readPage(List.of(sql), params, offset, total);
    }

    /** The view's file, if it is written (and without starting it). */
    ViewFiles.Ready writtenView(ResultView view) {
        return result.duck().views().written(viewKey(view));
    }

    private String viewKey(ResultView view) {
        return result.layout().files().get(0) + "#" + view;
    }

    /** The whole view, in its order, as a Parquet file with columns {@code c0}, {@code c1}, …: its rows. */
    private long writeView(ResultView view, Path target) throws SQLException, IOException {
        List<Object> params = new ArrayList<>();
        String filter = filters.filterSql(view.filters(), params);
        List<String> select = new ArrayList<>();
        for (int i = 0; i < result.names().size(); i++) {
            select.add(result.quoted(i) + " AS " + ParquetLayout.physicalName(i));
        }
        String sql = "COPY (SELECT " + (select.isEmpty() ? "1 AS c" : String.join(", ", select)) + " FROM "
                + result.layout().source(true) + filter + orderBy(view) + ") TO " + ResultDuck.literal(target)
                + " (FORMAT parquet, ROW_GROUP_SIZE " + ParquetLayout.ROW_GROUP_ROWS + ")";
        try (Connection c = result.duck().connection(); PreparedStatement s = ParquetResult.prepare(c, sql, params)) {
            s.execute();
            return s.getUpdateCount();
        }
    }

    private String orderBy(ResultView view) {
        StringBuilder order = new StringBuilder(" ORDER BY ");
        for (ResultView.SortKey key : view.sort()) {
            order.append(result.valueExpr(key.column())).append(key.descending() ? " DESC" : " ASC").append(" NULLS LAST, ");
        }
        return order.append(result.layout().rowOrder()).toString();
    }

    private long filteredCount(ResultView view, String filter, List<Object> params) throws IOException {
        String key = result.layout().files().get(0) + "#" + view.filters(); // the filters themselves: a fingerprint could collide
        Long known = result.duck().filteredCount(key);
        if (known != null) {
            return known;
        }
        long count = count(filter, params);
        result.duck().rememberFilteredCount(key, count);
        return count;
    }

    private long count(String filter, List<Object> params) throws IOException {
        try (Connection c = result.duck().readConnection();
             PreparedStatement s = ParquetResult.prepare(c, "SELECT count(*) FROM " + result.layout().source(false) + filter, params);
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw result.failure(e);
        }
    }
}
