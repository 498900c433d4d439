package io.sluice.result;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * One result stored as Parquet as its reading classes share it ({@link ParquetResultReader} and its
 * {@link ParquetPages}, {@link ParquetViews}, {@link ParquetFilters}, {@link ParquetAggregates} and
 * {@link ParquetDownloads}): where its rows are, its columns' stored names, types and renderings,
 * the DuckDB that reads it, and how a failed query is reported.
 */
final class ParquetResult {

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
    /**
     * Per column, the DuckDB type its values sort, compare and add up as: its stored type, except
     * for values stored as their engine's exact text whose type is a decimal, a date or a timestamp
     * (Athena's CSV), which sort as that type, not as text ("9.50" before "10.25").
     */
    private final String[] valueTypes;

    /** The result {@code file} in {@code dir}, whose files {@code local} brings there as they are read. */
    ParquetResult(String where, Path dir, SummaryFile file, PageBudget budget, ResultDuck duck,
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
        this.valueTypes = new String[types.size()];
        for (int i = 0; i < types.size(); i++) {
            renderings[i] = StoredColumns.rendering(types.get(i));
            varchar[i] = types.get(i).equalsIgnoreCase("VARCHAR");
            valueTypes[i] = varchar[i] ? StoredColumns.textValueType(file.columns().get(i).type()) : types.get(i);
        }
    }

    /** The result's location, as errors name it. */
    String where() {
        return where;
    }

    SummaryFile file() {
        return file;
    }

    ParquetLayout layout() {
        return layout;
    }

    PageBudget budget() {
        return budget;
    }

    ResultDuck duck() {
        return duck;
    }

    /** The stored name of each column ({@link StoredColumns#names}). */
    List<String> names() {
        return names;
    }

    /** The DuckDB type each column is stored as. */
    List<String> types() {
        return types;
    }

    /** A result deleted or replaced since this reader opened it is gone, even for a read that would touch no row. */
    void requireData() throws IOException {
        requireData(0);
    }

    /** As {@link #requireData()}, checking (and, from S3, copying) the part that holds {@code row}. */
    void requireData(long row) throws IOException {
        int k = row <= 0 || file.rows() == 0 ? 0 : layout.partOf(Math.min(row, file.rows() - 1));
        if (!Files.exists(layout.file(k))) {
            throw new NoSuchFileException(where);
        }
    }

    String quoted(int column) {
        return layout.column(column);
    }

    boolean isVarchar(int column) {
        return varchar[column];
    }

    /** See {@link #valueTypes}. */
    String valueType(int column) {
        return valueTypes[column];
    }

    /** Whether the column is text that sorts as another type ({@link #valueType}). */
    boolean typedText(int column) {
        return varchar[column] && !valueTypes[column].equals("VARCHAR");
    }

    /** The column as SQL of its {@link #valueType}: the stored column, or its text cast to that type. */
    String valueExpr(int column) {
        return typedText(column) ? "TRY_CAST(" + quoted(column) + " AS " + valueTypes[column] + ")" : quoted(column);
    }

    /** Column {@code index} of the current row as pages show it. */
    Object value(ResultSet rs, int index, int column) throws SQLException {
        return StoredValues.read(rs, index, renderings[column]);
    }

    /**
     * A statement for {@code sql} with {@code params}, run by {@link #execute}: without parameters a
     * plain statement, since DuckDB's JDBC driver runs one in a single step, while a prepared one
     * costs a separate prepare of about a millisecond (measured on pages: docs/BENCHMARKS.md, section
     * 10); with parameters a prepared statement with them bound ({@link #prepare}).
     */
    static Statement statement(Connection c, String sql, List<Object> params) throws SQLException {
        return params.isEmpty() ? c.createStatement() : prepare(c, sql, params);
    }

    /** Runs {@code sql} on {@code s}, a {@link #statement} for it and {@code params}. */
    static ResultSet execute(Statement s, String sql, List<Object> params) throws SQLException {
        return params.isEmpty() ? s.executeQuery(sql) : ((PreparedStatement) s).executeQuery();
    }

    /** A statement of {@code sql} with {@code params} bound in order. */
    static PreparedStatement prepare(Connection c, String sql, List<Object> params) throws SQLException {
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

    IOException failure(SQLException e) {
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
}
