package io.sluice.engine.athena;

import java.util.Locale;

/**
 * Athena's text values as Sluice's row values (see {@link io.sluice.engine.RowSink}): integers up to
 * bigint as Long, floating types as Double, booleans as Boolean, everything else as the exact text
 * Athena wrote. Unparseable text is kept as text rather than lost.
 */
final class AthenaValues {

    private AthenaValues() {
    }

    /** How to turn a column's text into a value. */
    interface Converter {
        Object convert(String text);
    }

    private static final Converter TEXT = text -> text;
    private static final Converter INTEGER = text -> {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return text;
        }
    };
    private static final Converter FLOATING = text -> {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return text; // "NaN", "Infinity" parse; anything else stays text
        }
    };
    private static final Converter BOOLEAN = text -> switch (text) {
        case "true" -> Boolean.TRUE;
        case "false" -> Boolean.FALSE;
        default -> text;
    };

    static Converter converter(String athenaType) {
        String type = athenaType.toLowerCase(Locale.ROOT).trim();
        return switch (type) {
            case "tinyint", "smallint", "integer", "int", "bigint" -> INTEGER;
            case "real", "float", "double" -> FLOATING;
            case "boolean" -> BOOLEAN;
            default -> TEXT;
        };
    }
}
