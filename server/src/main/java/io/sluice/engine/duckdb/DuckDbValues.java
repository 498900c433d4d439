package io.sluice.engine.duckdb;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/**
 * DuckDB's types as Sluice shows them: Athena-style lower-case type names, and values limited to
 * null, Boolean, Long, Double and String (see {@link io.sluice.engine.RowSink}).
 */
final class DuckDbValues {

    private DuckDbValues() {
    }

    /** Reads one column of the current row. */
    interface Reader {
        Object read(ResultSet rows, int column) throws SQLException;
    }

    private static final Reader BOOLEAN = (rs, i) -> {
        boolean v = rs.getBoolean(i);
        return rs.wasNull() ? null : v;
    };
    private static final Reader INTEGER = (rs, i) -> {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    };
    private static final Reader FLOATING = (rs, i) -> {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    };
    private static final Reader TEXT = ResultSet::getString;

    static Reader reader(String duckType) {
        return switch (duckType.toUpperCase(Locale.ROOT)) {
            case "BOOLEAN" -> BOOLEAN;
            case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER" -> INTEGER;
            case "FLOAT", "DOUBLE" -> FLOATING;
            default -> TEXT; // decimals, hugeint, ubigint, dates, times, nested, blobs: exact text
        };
    }

    static String athenaTypeName(String duckType) {
        String t = duckType.trim();
        String upper = t.toUpperCase(Locale.ROOT);
        if (upper.endsWith("[]")) {
            return "array(" + athenaTypeName(t.substring(0, t.length() - 2)) + ")";
        }
        if (upper.startsWith("STRUCT(")) {
            return "row" + t.substring("STRUCT".length()).toLowerCase(Locale.ROOT);
        }
        return switch (upper) {
            case "FLOAT" -> "real";
            case "BLOB" -> "varbinary";
            case "TIMESTAMP WITH TIME ZONE" -> "timestamp with time zone";
            default -> t.toLowerCase(Locale.ROOT);
        };
    }
}
