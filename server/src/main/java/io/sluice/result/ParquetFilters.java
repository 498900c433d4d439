package io.sluice.result;

import io.sluice.engine.Column;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The filter grammar ({@link ResultView.Filter}) as SQL over a Parquet result: each filter one
 * clause of a {@code WHERE}, its value bound as a parameter (never SQL text), and the checks that
 * refuse a value or a column type before a query runs.
 */
final class ParquetFilters {

    private final ParquetResult result;

    ParquetFilters(ParquetResult result) {
        this.result = result;
    }

    /** The {@code WHERE} clause of {@code filters} ("" for none); their values are added to {@code params}. */
    String filterSql(List<ResultView.Filter> filters, List<Object> params) {
        if (filters.isEmpty()) {
            return "";
        }
        List<String> clauses = new ArrayList<>();
        for (ResultView.Filter f : filters) {
            String column = result.valueExpr(f.column());
            String type = result.valueType(f.column());
            switch (f.op()) {
                case NULL -> clauses.add(column + " IS NULL");
                case NOTNULL -> clauses.add(column + " IS NOT NULL");
                // The text a page shows: the stored column, not its value type.
                case CONTAINS -> clauses.add("contains(CAST(" + result.quoted(f.column()) + " AS VARCHAR), ?)");
                case STARTSWITH -> clauses.add("starts_with(CAST(" + result.quoted(f.column()) + " AS VARCHAR), ?)");
                default -> {
                    if (!comparable(type)) {
                        throw new ResultView.InvalidView("filter", result.file().columns().get(f.column()).name() + " is "
                                + result.file().columns().get(f.column()).type() + ": compare it with contains or startswith");
                    }
                    clauses.add(column + " " + f.op().sql + (type.equals("VARCHAR") ? " ?" : " CAST(? AS " + type + ")"));
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
    void checkValues(List<ResultView.Filter> filters) throws IOException {
        for (ResultView.Filter f : filters) {
            String type = result.valueType(f.column());
            if (f.op().takesValue() && f.op().sql != null && comparable(type) && !type.equals("VARCHAR")) {
                try (Connection c = result.duck().readConnection();
                     PreparedStatement s = c.prepareStatement("SELECT TRY_CAST(? AS " + type + ") IS NOT NULL")) {
                    s.setString(1, f.value());
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        if (!rs.getBoolean(1)) {
                            Column column = result.file().columns().get(f.column());
                            throw new ResultView.InvalidView("filter", "\"" + ResultView.shorten(f.value()) + "\" is not a "
                                    + column.type() + " (column " + column.name() + ")");
                        }
                    }
                } catch (SQLException e) {
                    throw result.failure(e);
                }
            }
        }
    }

    /** Scalar types DuckDB printed itself; nested types (whose names may hold user text) are compared as text only. */
    private static boolean comparable(String type) {
        String t = type.toUpperCase(Locale.ROOT);
        return t.matches("[A-Z_ ]+(\\(\\d+,\\d+\\))?") && !t.contains("STRUCT") && !t.contains("MAP") && !t.contains("UNION");
    }

    /** Whether a stored type is a number (a sum or an average needs one). */
    static boolean numeric(String type) {
        String t = type.toUpperCase(Locale.ROOT);
        return t.matches("(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|DECIMAL\\(\\d+,\\d+\\))");
    }
}
