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
 */
final class ParquetResultReader implements ResultReader {

    private static final int BUFFER_BYTES = 64 * 1024;

    private final String where;
    private final SummaryFile file;
    private final ParquetLayout layout;
    private final PageBudget budget;
    private final ResultDuck duck;
    private final List<String> names;
    private final List<String> types;
    /** Per column, how pages show its values and whether it is text: worked out once, not per value. */
    private final StoredColumns.Rendering[] renderings;
    private final boolean[] varchar;

    ParquetResultReader(String where, Path dir, SummaryFile file, PageBudget budget, ResultDuck duck) {
        this(where, dir, file, budget, duck, ParquetLayout.LocalFiles.PRESENT);
    }

    /** A reader of files that {@code local} brings into {@code dir} as they are read (the S3 store's cache). */
    ParquetResultReader(String where, Path dir, SummaryFile file, PageBudget budget, ResultDuck duck,
                        ParquetLayout.LocalFiles local) {
        this.where = where;
        this.file = file;
        this.layout = ParquetLayout.of(dir, file, local);
        this.budget = budget;
        this.duck = duck;
        this.names = StoredColumns.names(file.columns());
        this.types = file.storedTypes() == null ? List.of() : file.storedTypes();
        if (types.size() != names.size()) {
            throw new IllegalStateException("result " + where + " has " + types.size() + " stored types for "
                    + names.size() + " columns");
        }
        this.renderings = new StoredColumns.Rendering[types.size()];
        this.varchar = new boolean[types.size()];
        for (int i = 0; i < types.size(); i++) {
            renderings[i] = StoredColumns.rendering(types.get(i));
            varchar[i] = types.get(i).equalsIgnoreCase("VARCHAR");
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
        requireData(offset);
        checkPage(offset, limit, file.rows());
        // The hot path: no parameters (the path is Sluice's own, the bounds are numbers) and no sort
        // (DuckDB keeps a file's order through a filter), each worth about a millisecond a page.
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

    @Override
    public ResultPage page(ResultView view, long offset, int limit) throws IOException {
        if (view.plain()) {
            return page(offset, limit);
        }
        requireData();
        checkValues(view.filters());
        if (file.rows() >= ViewFiles.MIN_ROWS) {
            ViewFiles.Ready written = duck.views().readyOrStart(viewKey(view), where, target -> writeView(view, target));
            if (written != null && Files.exists(written.file())) {
                checkPage(offset, limit, written.rows());
                try {
                    return readPage(List.of("SELECT " + pageColumns(ParquetLayout::physicalName) + " FROM read_parquet("
                            + ResultDuck.literal(written.file()) + ", file_row_number = true) WHERE file_row_number >= "
                            + offset + " AND file_row_number < " + (offset + limit)), List.of(), offset, written.rows());
                } catch (NoSuchFileException evicted) {
                    // deleted since: read the result itself
                }
            }
        }
        List<Object> params = new ArrayList<>();
        String filter = filterSql(view.filters(), params);
        long total = view.filters().isEmpty() ? file.rows() : filteredCount(view, filter, params);
        checkPage(offset, limit, total);
        String sql = "SELECT " + pageColumns() + " FROM " + layout.source(true) + filter + orderBy(view) + " LIMIT ? OFFSET ?";
        params.add((long) limit);
        params.add(offset);
        return readPage(List.of(sql), params, offset, total);
    }

    /** The view's file, if it is written (and without starting it). */
    ViewFiles.Ready writtenView(ResultView view) {
        return duck.views().written(viewKey(view));
    }

    private String viewKey(ResultView view) {
        return layout.files().get(0) + "#" + view;
    }

    /** The whole view, in its order, as a Parquet file with columns {@code c0}, {@code c1}, …: its rows. */
    private long writeView(ResultView view, Path target) throws SQLException, IOException {
        List<Object> params = new ArrayList<>();
        String filter = filterSql(view.filters(), params);
        List<String> select = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            select.add(quoted(i) + " AS " + ParquetLayout.physicalName(i));
        }
        String sql = "COPY (SELECT " + (select.isEmpty() ? "1 AS c" : String.join(", ", select)) + " FROM "
                + layout.source(true) + filter + orderBy(view) + ") TO " + ResultDuck.literal(target)
                + " (FORMAT parquet, ROW_GROUP_SIZE " + ParquetLayout.ROW_GROUP_ROWS + ")";
        try (Connection c = duck.connection(); PreparedStatement s = prepare(c, sql, params)) {
            s.execute();
            return s.getUpdateCount();
        }
    }

    private String orderBy(ResultView view) {
        StringBuilder order = new StringBuilder(" ORDER BY ");
        for (ResultView.SortKey key : view.sort()) {
            order.append(quoted(key.column())).append(key.descending() ? " DESC" : " ASC").append(" NULLS LAST, ");
        }
        return order.append(layout.rowOrder()).toString();
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
                .append(" FROM ").append(layout.source(false)).append(filter);
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
        requireData(row);
        if (row < 0 || row >= file.rows() || column < 0 || column >= names.size()) {
            throw new IllegalArgumentException("no value at row " + row + ", column " + column);
        }
        int k = layout.partOf(row);
        String sql = "SELECT " + quoted(column) + " FROM " + layout.part(k) + " WHERE file_row_number = ?";
        try (Connection c = duck.readConnection(); PreparedStatement s = prepare(c, sql, List.of(row - layout.start(k)));
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
            writeParquet(target);
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
        // A part at a time; one file read in insertion order (DuckDB's default) gives its rows in stored order without a sort.
        for (int k = 0; k < layout.files().size(); k++) {
            writeRows(format, layout.part(k), out);
        }
        out.flush();
    }

    private void writeRows(DownloadFormat format, String part, OutputStream out) throws IOException {
        String sql = "SELECT " + allColumns() + " FROM " + part;
        try (Connection c = duck.streamingConnection(); PreparedStatement s = prepare(c, sql, List.of());
             ResultSet rs = s.executeQuery();
             JsonGenerator json = ResultFiles.ROW_JSON.createGenerator(ResultFiles.nonClosing(out))) {
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
    }

    /**
     * The result as one Parquet file with the result's column names and stored types. The one file
     * of a result of the previous version is that already; parts are copied by DuckDB into a
     * scratch file first (in stored order: one single-threaded read of the parts in turn), which is
     * streamed and deleted.
     */
    private void writeParquet(OutputStream target) throws IOException {
        if (layout.files().size() == 1 && file.format() == ResultFiles.FORMAT_PARQUET) {
            Files.copy(layout.file(0), target);
            return;
        }
        List<String> userNames = StoredColumns.names(file.columns());
        List<String> select = new ArrayList<>();
        for (int i = 0; i < userNames.size(); i++) {
            select.add(quoted(i) + " AS " + ResultDuck.identifier(userNames.get(i)));
        }
        Path scratch = duck.scratchFile(".parquet");
        try {
            try (Connection c = duck.readConnection(); java.sql.Statement s = c.createStatement()) {
                s.execute("COPY (SELECT " + (select.isEmpty() ? "NULL AS \"column\"" : String.join(", ", select))
                        + " FROM " + layout.source(false) + (select.isEmpty() ? " WHERE false" : "") + ") TO "
                        + ResultDuck.literal(scratch) + " (FORMAT parquet, ROW_GROUP_SIZE " + ParquetLayout.ROW_GROUP_ROWS + ")");
            } catch (SQLException e) {
                throw failure(e);
            }
            Files.copy(scratch, target);
        } finally {
            Files.deleteIfExists(scratch);
        }
    }

    /** A result deleted or replaced since this reader opened it is gone, even for a read that would touch no row. */
    private void requireData() throws IOException {
        requireData(0);
    }

    /** As {@link #requireData()}, checking (and, from S3, copying) the part that holds {@code row}. */
    private void requireData(long row) throws IOException {
        int k = row <= 0 || file.rows() == 0 ? 0 : layout.partOf(Math.min(row, file.rows() - 1));
        if (!Files.exists(layout.file(k))) {
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
        return pageColumns(this::quoted);
    }

    private String pageColumns(java.util.function.IntFunction<String> column) {
        List<String> select = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (isVarchar(i)) {
                select.add("left(" + column.apply(i) + ", " + budget.maxValueBytes() + ")");
                select.add("strlen(" + column.apply(i) + ")");
            } else {
                select.add(column.apply(i));
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

    /** A page of the rows of {@code reads} in turn (each with {@code params}), as many as the page budget takes. */
    private ResultPage readPage(List<String> reads, List<Object> params, long offset, long total) throws IOException {
        PageRows page = new PageRows(budget, names.size());
        if (offset < total && !reads.isEmpty()) {
            try (Connection c = duck.readConnection()) {
                boolean full = false;
                for (int r = 0; r < reads.size() && !full; r++) {
                    full = !readRows(c, reads.get(r), params, page);
                }
            } catch (SQLException e) {
                throw failure(e);
            }
        }
        return page.build(file.columns(), offset, total);
    }

    /** Adds the rows of {@code sql} to {@code page}: false once the page is full. */
    private boolean readRows(Connection c, String sql, List<Object> params, PageRows page) throws SQLException {
        try (PreparedStatement s = prepare(c, sql, params); ResultSet rs = s.executeQuery()) {
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
                    return false;
                }
            }
            return true;
        }
    }

    private long filteredCount(ResultView view, String filter, List<Object> params) throws IOException {
        String key = layout.files().get(0) + "#" + view.filters(); // the filters themselves: a fingerprint could collide
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
             PreparedStatement s = prepare(c, "SELECT count(*) FROM " + layout.source(false) + filter, params);
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    // ---- SQL

    private String quoted(int column) {
        return layout.column(column);
    }

    private boolean isVarchar(int column) {
        return varchar[column];
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

    /** A statement of {@code sql} with {@code params} bound in order. */
    private static PreparedStatement prepare(Connection c, String sql, List<Object> params) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof Long l) {
                s.setLong(i + 1, l);
            } else {
                s.setString(i + 1, (String) p);
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
        return StoredValues.read(rs, index, renderings[column]);
    }

    /** A group key cut to the value budget, as a page would show it. */
    private Object shown(Object v) {
        if (v instanceof String s && s.length() > budget.maxValueBytes() / 4) {
            return PageRows.cut(s, budget.maxValueBytes());
        }
        return StoredValues.nonFinite(v);
    }

}
