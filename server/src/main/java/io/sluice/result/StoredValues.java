package io.sluice.result;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Stored values as every reader shows them: null, Long, Double, Boolean or String on pages; NaN and
 * the infinities as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"} (JSON has no
 * such numbers); the same JSON text in the row format's files and in pages of either format.
 */
final class StoredValues {

    private StoredValues() {
    }

    /** A column of the current row read as its rendering says. */
    static Object read(ResultSet rs, int index, StoredColumns.Rendering rendering) throws SQLException {
        switch (rendering) {
            case BOOLEAN -> {
                boolean v = rs.getBoolean(index);
                return rs.wasNull() ? null : v;
            }
            case INTEGER -> {
                long v = rs.getLong(index);
                return rs.wasNull() ? null : v;
            }
            case FLOATING -> {
                double v = rs.getDouble(index);
                return rs.wasNull() ? null : v;
            }
            default -> {
                return rs.getString(index);
            }
        }
    }

    /** An aggregate's value: integers as Long, exact sums as BigInteger/BigDecimal, doubles, else text. */
    static Object measure(ResultSet rs, int index) throws SQLException {
        Object v = rs.getObject(index);
        if (v == null || v instanceof Long || v instanceof BigInteger || v instanceof BigDecimal || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Double || v instanceof Float) {
            return nonFinite(((Number) v).doubleValue());
        }
        return rs.getString(index);
    }

    /** NaN and the infinities as strings; every other value as it is. */
    static Object nonFinite(Object v) {
        if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return jsonNumber(d);
        }
        return v;
    }

    /** A double's text: Java's shortest round-trip form, or NaN / Infinity / -Infinity. */
    static String jsonNumber(double d) {
        return Double.isNaN(d) ? "NaN" : d == Double.POSITIVE_INFINITY ? "Infinity"
                : d == Double.NEGATIVE_INFINITY ? "-Infinity" : Double.toString(d);
    }

    /** Writes a value (null, String, Long, Double or Boolean) as JSON. */
    static void writeJson(JsonGenerator json, Object v) throws IOException {
        if (v == null) {
            json.writeNull();
        } else if (v instanceof String s) {
            json.writeString(s);
        } else if (v instanceof Long l) {
            json.writeNumber(l);
        } else if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                json.writeString(jsonNumber(d));
            } else {
                json.writeNumber(d);
            }
        } else {
            json.writeBoolean((Boolean) v);
        }
    }

    /**
     * Writes one whole value as {@link ResultReader#writeValue} does: its kind, then its text (a
     * double's as {@link #jsonNumber}) where {@code output} asks for it.
     *
     * @param v null, String, Long, Double or Boolean
     */
    static ValueKind writeValue(Object v, ResultReader.ValueOutput output) throws IOException {
        Object value = nonFinite(v); // NaN and the infinities are strings, as the row format stores them
        ValueKind kind = value == null ? ValueKind.NULL : value instanceof String ? ValueKind.STRING
                : value instanceof Boolean ? ValueKind.BOOLEAN : ValueKind.NUMBER;
        OutputStream out = output.open(kind);
        if (out != null && value != null) {
            out.write((value instanceof Double d ? jsonNumber(d) : value.toString()).getBytes(StandardCharsets.UTF_8));
        }
        return kind;
    }

    /** A CSV field in double quotes, quotes doubled (Athena's form). */
    static void csvQuoted(OutputStream out, String text) throws IOException {
        out.write('"');
        out.write(text.replace("\"", "\"\"").getBytes(StandardCharsets.UTF_8));
        out.write('"');
    }
}
