package io.sluice.result;

import io.sluice.engine.Column;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Set;

/**
 * How a result's columns are named and typed in its Parquet file. A result may have two columns of
 * the same name (DuckDB names are case-insensitive, so {@code a} and {@code A} clash too): the file
 * names the second {@code a_2}, and so on. The names a user sees stay the result's own.
 */
final class StoredColumns {

    private StoredColumns() {
    }

    /** The Parquet column name of each column, unique ignoring case. */
    static List<String> names(List<Column> columns) {
        Set<String> taken = new HashSet<>();
        List<String> names = new ArrayList<>(columns.size());
        for (Column c : columns) {
            String base = c.name().isEmpty() ? "column" : c.name();
            String name = base;
            for (int n = 2; !taken.add(name.toLowerCase(Locale.ROOT)); n++) {
                name = base + "_" + n;
            }
            names.add(name);
        }
        return names;
    }

    /**
     * The DuckDB type a column is stored as when it arrives row by row (Athena, or a DuckDB result
     * that cannot travel as Arrow): integers as BIGINT, floating types as DOUBLE, booleans as
     * BOOLEAN, and everything else as the exact text the engine rendered.
     */
    static String rowStorageType(Column column) {
        String t = column.type().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "tinyint", "smallint", "integer", "int", "bigint", "utinyint", "usmallint", "uinteger" -> "BIGINT";
            case "real", "float", "double" -> "DOUBLE";
            case "boolean" -> "BOOLEAN";
            default -> "VARCHAR";
        };
    }

    private static final Pattern TEXT_DECIMAL = Pattern.compile("decimal\\(\\s*(\\d{1,2})\\s*,\\s*(\\d{1,2})\\s*\\)");

    /**
     * The type a value stored as text by {@link #rowStorageType} sorts, compares and adds up as:
     * an engine's decimal (precision up to 38), date or timestamp as that DuckDB type, anything
     * else as text (VARCHAR).
     */
    static String textValueType(String type) {
        String t = type == null ? "" : type.trim().toLowerCase(Locale.ROOT);
        Matcher decimal = TEXT_DECIMAL.matcher(t);
        if (decimal.matches() && Integer.parseInt(decimal.group(1)) <= 38
                && Integer.parseInt(decimal.group(2)) <= Integer.parseInt(decimal.group(1))) {
            return "DECIMAL(" + decimal.group(1) + "," + decimal.group(2) + ")";
        }
        return switch (t) {
            case "date" -> "DATE";
            case "timestamp" -> "TIMESTAMP";
            default -> "VARCHAR";
        };
    }

    /** How a stored DuckDB type is shown in pages: as a JSON number, a boolean, or text. */
    enum Rendering { INTEGER, FLOATING, BOOLEAN, TEXT }

    static Rendering rendering(String storedDuckType) {
        return switch (storedDuckType.toUpperCase(Locale.ROOT)) {
            case "BOOLEAN" -> Rendering.BOOLEAN;
            case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER" -> Rendering.INTEGER;
            case "FLOAT", "DOUBLE" -> Rendering.FLOATING;
            default -> Rendering.TEXT; // decimals, hugeint, ubigint, dates, times, nested, blobs: exact text
        };
    }
}
