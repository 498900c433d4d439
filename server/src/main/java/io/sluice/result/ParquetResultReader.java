package io.sluice.result;

import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.engine.Column;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads one result stored as Parquet ({@code rows-<generation>.parquet}, written by
 * {@link ParquetResultWriter}) with the result store's DuckDB.
 *
 * <h2>Pages at any offset</h2>
 * A page asks for {@code file_row_number} in {@code [offset, offset + limit)}. DuckDB keeps each
 * row group's row range and skips every group outside it, so a page decodes one or two row groups
 * of {@value ParquetResultWriter#ROW_GROUP_ROWS} rows whatever its offset; the file's footer is
 * cached after the first read. Measured on a 5,000,000-row result (docs/BENCHMARKS.md): the same
 * time for the first, middle and last page. Smaller row groups make the footer's row-group list
 * longer (2,048 rows per group took 80 ms a page), larger ones make each page decode more.
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
 * query each over the file; filter values are bound as parameters and never become SQL text, and
 * column names are quoted from the stored file's own names. Downloads stream: Parquet is the stored
 * file itself; CSV and JSON lines are rendered row by row as DuckDB reads them.
 */
final class ParquetResultReader implements ResultReader {

    private static final int BUFFER_BYTES = 64 * 1024;

    private final String where;
    private final SummaryFile file;
    private final Path data;
    private final PageBudget budget;
    private final ResultDuck duck;
    private final List<String> names;
    private final List<String> types;

    ParquetResultReader(String where, Path dir, SummaryFile file, PageBudget budget, ResultDuck duck) {
        this.where = where;
        this.file = file;
        this.data = dir.resolve(ParquetResultWriter.dataFile(file.generation()));
        this.budget = budget;
        this.duck = duck;
        this.names = StoredColumns.names(file.columns());
        this.types = file.storedTypes() == null ? List.of() : file.storedTypes();
        if (types.size() != names.size()) {
            throw new IllegalStateException("result " + where + " has " + types.size() + " stored types for "
                    + names.size() + " columns");
        }
    }

    @Override
    public ResultSummary summary() {
        return file.summary();
    }

    @Override
    public boolean columnar() {
        return true;
    }

    @Override
    public ResultPage page(long offset, int limit) throws IOException {
        requireData();
        checkPage(offset, limit, file.rows());
        // The hot path: no parameters (the path is Sluice's own, the bounds are numbers) and no sort
        // (DuckDB keeps a file's order through a filter), each worth about a millisecond a page.
        String sql = "SELECT " + pageColumns() + " FROM read_parquet(" + ResultDuck.literal(data)
                + ", file_row_number = true) WHERE file_row_number >= " + offset + " AND file_row_number < " + (offset + limit);
        return readPage(sql, null, offset, file.rows());
    }

    @Override
    public ResultPage page(ResultView view, long offset, int limit) throws IOException {
        if (view.plain()) {
            return page(offset, limit);
        }
        requireData();
        checkValues(view.filters());
        List<Object> params = new ArrayList<>();
        String filter = filterSql(view.filters(), params);
        long total = view.filters().isEmpty() ? file.rows() : filteredCount(view, filter, params);
        checkPage(offset, limit, total);
        StringBuilder order = new StringBuilder(" ORDER BY ");
        for (ResultView.SortKey key : view.sort()) {
            order.append(quoted(key.column())).append(key.descending() ? " DESC" : " ASC").append(" NULLS LAST, ");
        }
        order.append("file_row_number");
        String sql = "SELECT " + pageColumns() + " FROM " + source(true) + filter + order + " LIMIT ? OFFSET ?";
        params.add((long) limit);
        params.add(offset);
        return readPage(sql, params, offset, total);
    }

    @Override
    public Aggregation.Result aggregate(Aggregation a) throws IOException {
        requireData();
        checkValues(a.filters());
        List<Object> params = new ArrayList<>();
        String filter = filterSql(a.filters(), params);
        List<String> select = new ArrayList<>();
        List<Column> columns = new ArrayList<>();
        for (int g : a.groupBy()) {
            select.add(quoted(g));
            columns.add(file.columns().get(g));
        }
        for (Aggregation.Measure m : a.measures()) {
            if (m.column() != null && (m.fn() == Aggregation.Fn.SUM || m.fn() == Aggregation.Fn.AVG)
                    && !numeric(types.get(m.column()))) {
                throw new ResultView.InvalidView("measures", m.fn().name().toLowerCase(Locale.ROOT)
                        + " needs a numeric column; " + file.columns().get(m.column()).name() + " is "
                        + file.columns().get(m.column()).type());
            }
            String arg = m.column() == null ? "*" : quoted(m.column());
            select.add(m.fn().name().toLowerCase(Locale.ROOT) + "(" + arg + ")");
            columns.add(new Column(m.label(file.columns()), m.fn() == Aggregation.Fn.COUNT ? "bigint"
                    : m.fn() == Aggregation.Fn.AVG ? "double" : file.columns().get(m.column()).type()));
        }
        StringBuilder sql = new StringBuilder("SELECT ").append(String.join(", ", select))
                .append(" FROM ").append(source(false)).append(filter);
        if (!a.groupBy().isEmpty()) {
            sql.append(" GROUP BY ALL ORDER BY ");
            for (int i = 1; i <= a.groupBy().size(); i++) {
                sql.append(i > 1 ? ", " : "").append(i).append(" ASC NULLS LAST");
            }
        }
        sql.append(" LIMIT ").append(a.maxGroups() + 1);
        List<List<Object>> rows = new ArrayList<>();
        try (Connection c = duck.readConnection(); PreparedStatement s = prepare(c, sql.toString(), params);
             ResultSet rs = s.executeQuery()) {
            while (rows.size() < a.maxGroups() && rs.next()) {
                List<Object> row = new ArrayList<>(columns.size());
                for (int i = 0; i < columns.size(); i++) {
                    Object v = i < a.groupBy().size() ? shown(value(rs, i + 1, a.groupBy().get(i))) : StoredValues.measure(rs, i + 1);
                    row.add(v);
                }
                rows.add(row);
            }
            boolean truncated = rows.size() == a.maxGroups() && rs.next();
            return new Aggregation.Result(columns, rows, truncated);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public ValueKind writeValue(long row, int column, ValueOutput output) throws IOException {
        requireData();
        if (row < 0 || row >= file.rows() || column < 0 || column >= names.size()) {
            throw new IllegalArgumentException("no value at row " + row + ", column " + column);
        }
        String sql = "SELECT " + quoted(column) + " FROM " + source(true) + " WHERE file_row_number = ?";
        try (Connection c = duck.readConnection(); PreparedStatement s = prepare(c, sql, List.of(row));
             ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                throw new NoSuchFileException(where, null, "row " + row + " is missing");
            }
            Object v = StoredValues.nonFinite(value(rs, 1, column)); // NaN and the infinities are strings, as the row format stores them
            ValueKind kind = v == null ? ValueKind.NULL : v instanceof String ? ValueKind.STRING
                    : v instanceof Boolean ? ValueKind.BOOLEAN : ValueKind.NUMBER;
            OutputStream out = output.open(kind);
            if (out != null && v != null) {
                out.write((v instanceof Double d ? StoredValues.jsonNumber(d) : v.toString()).getBytes(StandardCharsets.UTF_8));
            }
            return kind;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public void writeCsv(OutputStream target) throws IOException {
        write(DownloadFormat.CSV, target);
    }

    @Override
    public void write(DownloadFormat format, OutputStream target) throws IOException {
        requireData();
        if (format == DownloadFormat.PARQUET) {
            Files.copy(data, target);
            return;
        }
        BufferedOutputStream out = new BufferedOutputStream(target, BUFFER_BYTES);
        if (format == DownloadFormat.CSV) {
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                StoredValues.csvQuoted(out, file.columns().get(i).name());
            }
            out.write('\n');
        }
        // One file read in insertion order (DuckDB's default) gives the rows in stored order without a sort.
        String sql = "SELECT " + allColumns() + " FROM " + source(false);
        try (Connection c = duck.streamingConnection(); PreparedStatement s = prepare(c, sql, List.of());
             ResultSet rs = s.executeQuery();
             JsonGenerator json = ResultFiles.ROW_JSON.createGenerator(nonClosing(out))) {
            json.setRootValueSeparator(null);
            while (rs.next()) {
                if (format == DownloadFormat.CSV) {
                    for (int i = 0; i < names.size(); i++) {
                        if (i > 0) {
                            out.write(',');
                        }
                        Object v = value(rs, i + 1, i);
                        if (v != null) {
                            StoredValues.csvQuoted(out, v instanceof Double d ? StoredValues.jsonNumber(d) : v.toString());
                        }
                    }
                    out.write('\n');
                } else {
                    json.writeStartObject();
                    for (int i = 0; i < names.size(); i++) {
                        json.writeFieldName(names.get(i));
                        StoredValues.writeJson(json, value(rs, i + 1, i));
                    }
                    json.writeEndObject();
                    json.flush();
                    out.write('\n');
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        out.flush();
    }

    /** A result deleted or replaced since this reader opened it is gone, even for a read that would touch no row. */
    private void requireData() throws NoSuchFileException {
        if (!Files.exists(data)) {
            throw new NoSuchFileException(where);
        }
    }

    // ---- pages

    private static void checkPage(long offset, int limit, long total) {
        if (offset < 0 || offset > total || limit < 1) {
            throw new IllegalArgumentException("offset must be 0.." + total + " and limit >= 1, were " + offset
                    + " and " + limit);
        }
    }

    /** The page's select list: each column, a text column as its shown prefix and its full size in bytes. */
    private String pageColumns() {
        List<String> select = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (isVarchar(i)) {
                select.add("left(" + quoted(i) + ", " + budget.maxValueBytes() + ")");
                select.add("strlen(" + quoted(i) + ")");
            } else {
                select.add(quoted(i));
            }
        }
        return select.isEmpty() ? "1" : String.join(", ", select);
    }

    private String allColumns() {
        List<String> select = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            select.add(quoted(i));
        }
        return select.isEmpty() ? "1" : String.join(", ", select);
    }

    private ResultPage readPage(String sql, List<Object> params, long offset, long total) throws IOException {
        PageRows page = new PageRows(budget, names.size());
        if (offset < total) {
            try (Connection c = duck.readConnection(); PreparedStatement s = prepare(c, sql, params);
                 ResultSet rs = s.executeQuery()) {
                Object[] values = new Object[names.size()];
                long[] fullBytes = new long[names.size()];
                while (rs.next()) {
                    int at = 1;
                    for (int i = 0; i < names.size(); i++) {
                        values[i] = value(rs, at++, i);
                        fullBytes[i] = -1;
                        if (isVarchar(i)) {
                            long bytes = rs.getLong(at++);
                            fullBytes[i] = rs.wasNull() ? -1 : bytes;
                        }
                    }
                    if (!page.add(values, fullBytes)) {
                        break;
                    }
                }
            } catch (SQLException e) {
                throw failure(e);
            }
        }
        return page.build(file.columns(), offset, total);
    }

    private long filteredCount(ResultView view, String filter, List<Object> params) throws IOException {
        String key = data + "#" + view.filters(); // the filters themselves: a fingerprint could collide
        Long known = duck.filteredCount(key);
        if (known != null) {
            return known;
        }
        long count = count(filter, params);
        duck.rememberFilteredCount(key, count);
        return count;
    }

    private long count(String filter, List<Object> params) throws IOException {
        try (Connection c = duck.readConnection();
             PreparedStatement s = prepare(c, "SELECT count(*) FROM " + source(false) + filter, params);
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    // ---- SQL

    /** The file as a table; {@code ?} is its path, always the first parameter. */
    private static String source(boolean rowNumbers) {
        return rowNumbers ? "read_parquet(?, file_row_number = true)" : "read_parquet(?)";
    }

    private String quoted(int column) {
        return ResultDuck.identifier(names.get(column));
    }

    private boolean isVarchar(int column) {
        return types.get(column).equalsIgnoreCase("VARCHAR");
    }

    private String filterSql(List<ResultView.Filter> filters, List<Object> params) {
        if (filters.isEmpty()) {
            return "";
        }
        List<String> clauses = new ArrayList<>();
        for (ResultView.Filter f : filters) {
            String column = quoted(f.column());
            String type = types.get(f.column());
            switch (f.op()) {
                case NULL -> clauses.add(column + " IS NULL");
                case NOTNULL -> clauses.add(column + " IS NOT NULL");
                case CONTAINS -> clauses.add("contains(CAST(" + column + " AS VARCHAR), ?)");
                case STARTSWITH -> clauses.add("starts_with(CAST(" + column + " AS VARCHAR), ?)");
                default -> {
                    if (!comparable(type)) {
                        throw new ResultView.InvalidView("filter", file.columns().get(f.column()).name() + " is "
                                + file.columns().get(f.column()).type() + ": compare it with contains or startswith");
                    }
                    clauses.add(column + " " + f.op().sql + (isVarchar(f.column()) ? " ?" : " CAST(? AS " + type + ")"));
                }
            }
            if (f.op().takesValue()) {
                params.add(f.value());
            }
        }
        return " WHERE " + String.join(" AND ", clauses);
    }

    /**
     * Refuses a filter value that does not convert to its column's type, before the query runs (a
     * failure inside a streamed query reaches JDBC without its message).
     */
    private void checkValues(List<ResultView.Filter> filters) throws IOException {
        for (ResultView.Filter f : filters) {
            String type = types.get(f.column());
            if (f.op().takesValue() && f.op().sql != null && comparable(type) && !isVarchar(f.column())) {
                try (Connection c = duck.readConnection();
                     PreparedStatement s = c.prepareStatement("SELECT TRY_CAST(? AS " + type + ") IS NOT NULL")) {
                    s.setString(1, f.value());
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        if (!rs.getBoolean(1)) {
                            Column column = file.columns().get(f.column());
                            throw new ResultView.InvalidView("filter", "\"" + shorten(f.value()) + "\" is not a "
                                    + column.type() + " (column " + column.name() + ")");
                        }
                    }
                } catch (SQLException e) {
                    throw failure(e);
                }
            }
        }
    }

    private static String shorten(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }

    /** Scalar types DuckDB printed itself; nested types (whose names may hold user text) are compared as text only. */
    private static boolean comparable(String type) {
        String t = type.toUpperCase(Locale.ROOT);
        return t.matches("[A-Z_ ]+(\\(\\d+,\\d+\\))?") && !t.contains("STRUCT") && !t.contains("MAP") && !t.contains("UNION");
    }

    private static boolean numeric(String type) {
        String t = type.toUpperCase(Locale.ROOT);
        return t.matches("(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|DECIMAL\\(\\d+,\\d+\\))");
    }

    /** A statement of {@code sql} with the file's path as its first parameter and {@code params} after it (null: no parameters at all). */
    private PreparedStatement prepare(Connection c, String sql, List<Object> params) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        if (params == null) {
            return s;
        }
        s.setString(1, data.toString());
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof Long l) {
                s.setLong(i + 2, l);
            } else {
                s.setString(i + 2, (String) p);
            }
        }
        return s;
    }

    private IOException failure(SQLException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("No files found") || message.contains("No such file") || message.contains("Cannot open file")) {
            NoSuchFileException gone = new NoSuchFileException(where);
            gone.initCause(e);
            return gone;
        }
        if (message.contains("Conversion Error") || message.contains("Could not convert")) {
            throw new ResultView.InvalidView("filter", "a value does not convert to its column's type: "
                    + firstLine(message));
        }
        return new IOException("reading result " + where + " failed: " + firstLine(message), e);
    }

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    // ---- values

    /** Column {@code index} of the current row as pages show it. */
    private Object value(ResultSet rs, int index, int column) throws SQLException {
        return StoredValues.read(rs, index, StoredColumns.rendering(types.get(column)));
    }

    /** A group key cut to the value budget, as a page would show it. */
    private Object shown(Object v) {
        if (v instanceof String s && s.length() > budget.maxValueBytes() / 4) {
            return PageRows.cut(s, budget.maxValueBytes());
        }
        return StoredValues.nonFinite(v);
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
