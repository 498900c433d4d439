package io.sluice.standin;

import java.math.BigDecimal;
import java.sql.Blob;
import java.sql.SQLException;
import java.sql.Struct;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Renders JDBC values from DuckDB as Athena writes them into result CSVs: timestamps to the
 * millisecond ({@code 2017-01-01 00:00:00.000}), varbinary as spaced hex ({@code 31 32 33}), arrays
 * {@code [1, 2]}, maps {@code {k=1}}, rows {@code {a=1, b=2}}, doubles as Java prints them
 * ({@code 1.0E20}). Inside arrays, maps and rows a NULL is written {@code null}.
 */
final class ValueRenderer {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    private ValueRenderer() {
    }

    /** The text of a top-level value, or null for SQL NULL. */
    static String render(Object value, AthenaType type) throws SQLException {
        return value == null ? null : text(value, type);
    }

    private static String nested(Object value, AthenaType type) throws SQLException {
        return value == null ? "null" : text(value, type);
    }

    private static String text(Object value, AthenaType type) throws SQLException {
        if (value instanceof String || value instanceof Boolean || value instanceof Number
                && !(value instanceof BigDecimal)) {
            return value.toString();
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof Timestamp timestamp) {
            return TIMESTAMP.format(timestamp.toLocalDateTime());
        }
        if (value instanceof LocalDateTime dateTime) {
            return TIMESTAMP.format(dateTime);
        }
        if (value instanceof OffsetDateTime dateTime) {
            return TIMESTAMP.format(dateTime.withOffsetSameInstant(ZoneOffset.UTC)) + " UTC";
        }
        if (value instanceof LocalDate date) {
            return date.toString();
        }
        if (value instanceof LocalTime time) {
            return TIME.format(time);
        }
        if (value instanceof OffsetTime time) {
            return TIME.format(time) + time.getOffset().getId().replace("Z", "+00:00");
        }
        if (value instanceof Blob blob) {
            return HEX.formatHex(blob.getBytes(1, (int) blob.length()));
        }
        if (value instanceof byte[] bytes) {
            return HEX.formatHex(bytes);
        }
        if (value instanceof java.sql.Array array) {
            return array((Object[]) array.getArray(), element(type));
        }
        if (value instanceof Struct struct) {
            return row(struct.getAttributes(), type);
        }
        if (value instanceof Map<?, ?> map) {
            return map(map, type);
        }
        return value.toString();
    }

    private static String array(Object[] elements, AthenaType elementType) throws SQLException {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < elements.length; i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(nested(elements[i], elementType));
        }
        return out.append(']').toString();
    }

    private static String row(Object[] values, AthenaType type) throws SQLException {
        List<String> names = type.fieldNames();
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append(", ");
            }
            String name = i < names.size() ? names.get(i) : "field" + i;
            AthenaType fieldType = i < type.children().size() ? type.children().get(i) : AthenaType.VARCHAR;
            out.append(name).append('=').append(nested(values[i], fieldType));
        }
        return out.append('}').toString();
    }

    private static String map(Map<?, ?> map, AthenaType type) throws SQLException {
        AthenaType keyType = type.children().size() == 2 ? type.children().get(0) : AthenaType.VARCHAR;
        AthenaType valueType = type.children().size() == 2 ? type.children().get(1) : AthenaType.VARCHAR;
        StringBuilder out = new StringBuilder("{");
        Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<?, ?> entry = entries.next();
            out.append(nested(entry.getKey(), keyType)).append('=').append(nested(entry.getValue(), valueType));
            if (entries.hasNext()) {
                out.append(", ");
            }
        }
        return out.append('}').toString();
    }

    private static AthenaType element(AthenaType type) {
        return "array".equals(type.name()) && !type.children().isEmpty() ? type.children().get(0) : AthenaType.VARCHAR;
    }
}
