package io.sluice.standin;

import java.util.Locale;

/**
 * Translates a column type written in Athena DDL, in Hive spelling ({@code string},
 * {@code array<int>}, {@code struct<a:int>}) or Trino spelling ({@code varchar}, {@code array(integer)},
 * {@code row(a integer)}), to the DuckDB type with the same values.
 */
final class DdlTypes {
    private final String text;
    private int position;

    private DdlTypes(String text) {
        this.text = text;
    }

    static String toDuckDb(String ddlType) {
        DdlTypes parser = new DdlTypes(ddlType.trim());
        String type = parser.type();
        parser.skipSpaces();
        if (parser.position < parser.text.length()) {
            throw new IllegalArgumentException("Unknown type: " + ddlType);
        }
        return type;
    }

    private String type() {
        String name = word().toLowerCase(Locale.ROOT);
        skipSpaces();
        char open = peek();
        if (open != '<' && open != '(') {
            return primitive(name);
        }
        char close = open == '<' ? '>' : ')';
        position++;
        switch (name) {
            case "array": {
                String element = type();
                expect(close);
                return element + "[]";
            }
            case "map": {
                String key = type();
                expect(',');
                String value = type();
                expect(close);
                return "MAP(" + key + ", " + value + ")";
            }
            case "struct":
            case "row": {
                StringBuilder fields = new StringBuilder();
                do {
                    skipSpaces();
                    String field = peek() == '"' || peek() == '`' ? quoted() : word();
                    skipSpaces();
                    if (peek() == ':') {
                        position++;
                    }
                    if (fields.length() > 0) {
                        fields.append(", ");
                    }
                    fields.append('"').append(field.replace("\"", "\"\"")).append("\" ").append(type());
                    skipSpaces();
                } while (consume(','));
                expect(close);
                return "STRUCT(" + fields + ")";
            }
            case "decimal":
            case "numeric": {
                String precision = word();
                String scale = consume(',') ? word() : "0";
                expect(close);
                return "DECIMAL(" + precision + "," + scale + ")";
            }
            case "varchar":
            case "char":
            case "timestamp":
            case "time": {
                // Lengths and precisions do not change DuckDB's type.
                word();
                expect(close);
                return primitive(name);
            }
            default:
                throw new IllegalArgumentException("Unknown type: " + text);
        }
    }

    private static String primitive(String name) {
        switch (name) {
            case "string":
            case "varchar":
            case "char":
                return "VARCHAR";
            case "int":
            case "integer":
                return "INTEGER";
            case "tinyint":
            case "smallint":
            case "bigint":
            case "double":
            case "boolean":
            case "date":
            case "timestamp":
            case "time":
            case "json":
            case "uuid":
                return name.toUpperCase(Locale.ROOT);
            case "float":
            case "real":
                return "REAL";
            case "binary":
            case "varbinary":
                return "BLOB";
            case "decimal":
                return "DECIMAL(10,0)";
            default:
                throw new IllegalArgumentException("Unknown type: " + name);
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
        char quote = text.charAt(position);
        int end = text.indexOf(quote, position + 1);
        String name = text.substring(position + 1, end < 0 ? text.length() : end);
        position = end < 0 ? text.length() : end + 1;
        return name;
    }

    private void skipSpaces() {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
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
            throw new IllegalArgumentException("Unknown type: " + text);
        }
    }
}
