package io.sluice.standin;

import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a DuckDB error into the failure Athena would report for the same mistake:
 * {@code TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.default.nope' does not exist},
 * {@code COLUMN_NOT_FOUND: ...}, with Athena's error category and type.
 */
final class ErrorTranslator {
    private static final Pattern KIND = Pattern.compile("^([A-Za-z ]+) Error: (.*)$");
    private static final Pattern LINE = Pattern.compile("^LINE (\\d+): (.*)$");
    private static final Pattern MISSING_TABLE = Pattern.compile("Table with name ([^ ]+) does not exist!?");
    private static final Pattern MISSING_COLUMN = Pattern.compile("Referenced column \"?([^\" ]+)\"? not found.*");

    private ErrorTranslator() {
    }

    static QueryFailure translate(SQLException error, String database) {
        String message = error.getMessage() == null ? error.toString() : error.getMessage();
        String[] lines = message.split("\n");
        String first = lines[0].strip();
        String kind = "";
        String detail = first;
        Matcher matcher = KIND.matcher(first);
        if (matcher.matches()) {
            kind = matcher.group(1);
            detail = matcher.group(2);
        }
        String where = position(lines);
        switch (kind) {
            case "Catalog": {
                Matcher table = MISSING_TABLE.matcher(detail);
                if (table.find()) {
                    return QueryFailure.notFound("TABLE_NOT_FOUND: " + where + "Table '" + DuckDbEngine.CATALOG + "."
                            + database + "." + table.group(1) + "' does not exist");
                }
                return QueryFailure.notFound("SCHEMA_NOT_FOUND: " + where + detail);
            }
            case "Binder": {
                Matcher column = MISSING_COLUMN.matcher(detail);
                if (column.matches()) {
                    return QueryFailure.notFound("COLUMN_NOT_FOUND: " + where + "Column '" + column.group(1)
                            + "' cannot be resolved");
                }
                String name = detail.contains("function") ? "FUNCTION_NOT_FOUND" : "TYPE_MISMATCH";
                return QueryFailure.user(name + ": " + where + detail);
            }
            case "Conversion":
                return new QueryFailure(QueryFailure.USER, 1106, "INVALID_CAST_ARGUMENT: " + where + detail);
            case "Invalid Input":
                return new QueryFailure(QueryFailure.USER, 1106, "INVALID_FUNCTION_ARGUMENT: " + where + detail);
            case "Out of Range":
                return new QueryFailure(QueryFailure.USER, 1106, "NUMERIC_VALUE_OUT_OF_RANGE: " + where + detail);
            case "Not implemented":
                return new QueryFailure(QueryFailure.USER, 1200, "NOT_SUPPORTED: " + where + detail);
            case "Out of Memory":
                return new QueryFailure(QueryFailure.SYSTEM, 0, "Query exhausted resources at this scale factor");
            case "IO":
            case "HTTP":
                return QueryFailure.user("HIVE_CANNOT_OPEN_SPLIT: " + detail);
            case "Constraint":
            case "Dependency":
                return QueryFailure.user("CONSTRAINT_VIOLATION: " + where + detail);
            default:
                return QueryFailure.user("GENERIC_USER_ERROR: " + where + detail);
        }
    }

    /**
     * {@code line L:C: } from DuckDB's {@code LINE n: <text>} and caret lines, or empty when DuckDB
     * gave no position.
     */
    private static String position(String[] lines) {
        for (int i = 0; i < lines.length - 1; i++) {
            Matcher line = LINE.matcher(lines[i]);
            if (line.matches()) {
                int prefix = lines[i].length() - line.group(2).length();
                int caret = lines[i + 1].indexOf('^');
                if (caret >= prefix) {
                    return "line " + line.group(1) + ":" + (caret - prefix + 1) + ": ";
                }
            }
        }
        return "";
    }
}
