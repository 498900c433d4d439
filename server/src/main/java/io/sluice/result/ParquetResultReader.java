package io.sluice.result;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Reads one result stored as Parquet (parts or one file, see {@link ParquetLayout}; written by
 * {@link ParquetResultWriter}) with the result store's DuckDB.
 *
 * <h2>Pages at any offset</h2>
 * A page finds the part holding its first row from the parts' row counts and asks that part (and
 * the next, if the page runs over) for {@code file_row_number} in its range. DuckDB keeps each row
 * group's row range and skips every group outside it, so a page decodes one or two row groups of
 * {@value ParquetLayout#ROW_GROUP_ROWS} rows of one part whatever its offset; each part's footer is
 * cached after the first read. Measured on a 5,000,000-row result (docs/BENCHMARKS.md): the same
 * time for the first, middle and last page.
 *
 * <h2>Values</h2>
 * Pages show values exactly as the row format did: integers of up to 32 bits unsigned or 64 bits
 * signed as JSON numbers, floating types as numbers (NaN and the infinities as the strings
 * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}), booleans, and every other type as the
 * text DuckDB's JDBC driver renders (decimals at full precision, dates, timestamps, nested values).
 * A string longer than the page budget's value size is cut in DuckDB ({@code left}), so a page never
 * reads a long value whole.
 *
 * <h2>Views, aggregates, downloads</h2>
 * Sorted and filtered pages ({@link ResultView}) and aggregates ({@link Aggregation}) are one DuckDB
 * query each over the parts; filter values are bound as parameters and never become SQL text, and
 * columns are named by the stored files' own names. Downloads stream: CSV and JSON lines are rendered
 * row by row as DuckDB reads the parts in order; Parquet is the parts copied into one file with the
 * result's column names (the one file of a result of the previous version is sent as it is).
 *
 * <p>The work is shared out: {@link ParquetPages} (plain pages), {@link ParquetViews} (sorted and
 * filtered pages), {@link ParquetFilters} (filters as SQL), {@link ParquetAggregates} and
 * {@link ParquetDownloads}, all over one {@link ParquetResult}; this class is the
 * {@link ResultReader} the stores open, and reads single values itself.
 */
final class ParquetResultReader implements ResultReader {

    private final ParquetResult result;
    private final ParquetPages pages;
    private final ParquetViews views;
    private final ParquetAggregates aggregates;
    private final ParquetDownloads downloads;

    ParquetResultReader(String where, Path dir, SummaryFile file, PageBudget budget, ResultDuck duck) {
        this(where, dir, file, budget, duck, ParquetLayout.LocalFiles.PRESENT);
    }

    /** A reader of files that {@code local} brings into {@code dir} as they are read (the S3 store's cache). */
    ParquetResultReader(String where, Path dir, SummaryFile file, PageBudget budget, ResultDuck duck,
                        ParquetLayout.LocalFiles local) {
        this.result = new ParquetResult(where, dir, file, budget, duck, local);
        ParquetFilters filters = new ParquetFilters(result);
        this.pages = new ParquetPages(result);
        this.views = new ParquetViews(result, pages, filters);
        this.aggregates = new ParquetAggregates(result, filters);
        this.downloads = new ParquetDownloads(result);
    }

    @Override
    public ResultSummary summary() {
        return result.file().summary();
    }

    @Override
    public boolean columnar() {
        return true;
    }

    @Override
    public ResultPage page(long offset, int limit) throws IOException {
        return pages.page(offset, limit);
    }

    @Override
    public ResultPage page(ResultView view, long offset, int limit) throws IOException {
        if (view.plain()) {
            return page(offset, limit);
        }
        return views.page(view, offset, limit);
    }

    /** The view's file, if it is written (and without starting it). */
    ViewFiles.Ready writtenView(ResultView view) {
        return views.writtenView(view);
    }

    @Override
    public Aggregation.Result aggregate(Aggregation a) throws IOException {
        return aggregates.aggregate(a);
    }

    @Override
    public ValueKind writeValue(long row, int column, ValueOutput output) throws IOException {
        result.requireData(row);
        ParquetLayout layout = result.layout();
        if (row < 0 || row >= result.file().rows() || column < 0 || column >= result.names().size()) {
            throw new IllegalArgumentException("no value at row " + row + ", column " + column);
        }
        int k = layout.partOf(row);
        // the row number is a number of Sluice's own: in the SQL text, which runs without a prepare step
        String sql = "SELECT " + result.quoted(column) + " FROM " + layout.part(k) + " WHERE file_row_number = "
                + (row - layout.start(k));
        try (Connection c = result.duck().readConnection();
             Statement s = ParquetResult.statement(c, sql, List.of());
             ResultSet rs = ParquetResult.execute(s, sql, List.of())) {
            if (!rs.next()) {
                throw new NoSuchFileException(result.where(), null, "row " + row + " is missing");
            }
            return StoredValues.writeValue(result.value(rs, 1, column), output);
        } catch (SQLException e) {
            throw result.failure(e);
        }
    }

    @Override
    public void writeCsv(OutputStream target) throws IOException {
        write(DownloadFormat.CSV, target);
    }

    @Override
    public void write(DownloadFormat format, OutputStream target) throws IOException {
        downloads.write(format, target);
    }
}
