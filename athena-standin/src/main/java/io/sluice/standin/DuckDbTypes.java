package io.sluice.standin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Maps DuckDB type names as the JDBC driver reports them ({@code INTEGER[]},
 * {@code STRUCT(a INTEGER, b VARCHAR)}, {@code MAP(VARCHAR, DOUBLE)}, {@code DECIMAL(10,2)}) to the
 * Athena type a query with the same result would have.
 */
final class DuckDbTypes {
    private final String text;
    private int position;

    private DuckDbTypes(String text) {
        this.text = text;
    }

    static AthenaType toAthena(String duckDbType) {
        DuckDbTypes parser = new DuckDbTypes(duckDbType.trim());
        AthenaType type = parser.type();
        return type;
    }

    private AthenaType type() {
        AthenaType type = base();
        skipSpaces();
        while (peek() == '[') {
            int close = text.indexOf(']', position);
            position = close < 0 ? text.length() : close + 1;
            type = AthenaType.array(type);
            skipSpaces();
        }
        return type;
    }

    private AthenaType base() {
        skipSpaces();
        String name = peek() == '"' ? quoted() : word();
        String upper = name.toUpperCase(Locale.ROOT);
        if ((upper.equals("TIMESTAMP") || upper.equals("TIME")) && text.startsWith(" WITH TIME ZONE", position)) {
            position += " WITH TIME ZONE".length();
            return AthenaType.simple(upper.equals("TIME") ? "time with time zone" : "timestamp with time zone");
        }
        skipSpaces();
        if (peek() != '(') {
            return simple(upper);
        }
        position++;
        switch (upper) {
            case "DECIMAL":
            case "NUMERIC": {
                int precision = Integer.parseInt(word().trim());
                expect(',');
                int scale = Integer.parseInt(word().trim());
                expect(')');
                return AthenaType.decimal(precision, scale);
            }
            case "MAP": {
                AthenaType key = type();
                expect(',');
                AthenaType value = type();
                expect(')');
                return AthenaType.map(key, value);
            }
            case "STRUCT": {
                List<String> names = new ArrayList<>();
                List<AthenaType> types = new ArrayList<>();
                do {
                    skipSpaces();
                    names.add(peek() == '"' ? quoted() : word());
                    types.add(type());
                    skipSpaces();
                } while (consume(','));
                expect(')');
                return AthenaType.row(names, types);
            }
            default:
                skipBalanced();
                return simple(upper);
        }
    }

    private static AthenaType simple(String upper) {
        switch (upper) {
            case "BOOLEAN":
                return AthenaType.simple("boolean");
            case "TINYINT":
                return AthenaType.simple("tinyint");
            case "SMALLINT":
            case "UTINYINT":
                return AthenaType.simple("smallint");
            case "INTEGER":
            case "USMALLINT":
                return AthenaType.simple("integer");
            case "BIGINT":
            case "UINTEGER":
                return AthenaType.simple("bigint");
            case "UBIGINT":
                return AthenaType.decimal(20, 0);
            case "HUGEINT":
            case "UHUGEINT":
            case "VARINT":
            case "BIGNUM":
                return AthenaType.decimal(38, 0);
            case "FLOAT":
                return AthenaType.simple("real");
            case "DOUBLE":
                return AthenaType.simple("double");
            case "DATE":
                return AthenaType.simple("date");
            case "TIME":
                return AthenaType.simple("time");
            case "TIMESTAMP":
            case "TIMESTAMP_S":
            case "TIMESTAMP_MS":
            case "TIMESTAMP_NS":
                return AthenaType.simple("timestamp");
            case "BLOB":
                return AthenaType.simple("varbinary");
            case "INTERVAL":
                return AthenaType.simple("interval day to second");
            case "UUID":
                return AthenaType.simple("uuid");
            case "JSON":
                return AthenaType.simple("json");
            case "NULL":
                return AthenaType.simple("unknown");
            default:
                // VARCHAR, ENUM, BIT, UNION and anything newer: shown as text.
                return AthenaType.VARCHAR;
        }
    }

    private String word() {
        skipSpaces();
        int start = position;
        while (position < text.length()
                && (Character.isLetterOrDigit(text.charAt(position)) || text.charAt(position) == '_')) {
            position++;
        }
        return text.substring(start, position);
    }

    private String quoted() {
        StringBuilder name = new StringBuilder();
        position++;
        while (position < text.length()) {
            char c = text.charAt(position++);
            if (c == '"') {
                if (peek() == '"') {
                    name.append('"');
                    position++;
                    continue;
                }
                break;
            }
            name.append(c);
        }
        return name.toString();
    }

    private void skipBalanced() {
        int depth = 1;
        while (position < text.length() && depth > 0) {
            char c = text.charAt(position++);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
        }
    }

    private void skipSpaces() {
        while (position < text.length() && text.charAt(position) == ' ') {
            position++;
        }
    }

    private char peek() {
        return position < text.length() ? text.charAt(position) : '\0';
    }

    private boolean consume(char c) {
        skipSpaces();
        if (peek() == c) {
            position++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!consume(c)) {
            throw new IllegalArgumentException("Unexpected DuckDB type: " + text);
        }
    }
}
