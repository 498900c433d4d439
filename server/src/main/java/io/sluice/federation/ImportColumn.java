package io.sluice.federation;

import org.duckdb.DuckDBAppender;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;

/**
 * One column of a source table as the import copies it: its name in the source, the DuckDB type it
 * gets ({@link Kind}, with precision and scale for DECIMAL), which conditions on it may be pushed
 * to the source ({@link #accepts}), and the source's own type name in lower case ({@code sourceType},
 * e.g. PostgreSQL's {@code int4}, {@code timestamptz}; empty when unknown), which decides whether the
 * PostgreSQL COPY path can carry it ({@link PostgresCsvColumns}).
 */
record ImportColumn(String name, Kind kind, int precision, int scale, boolean numericPushable,
                    boolean textPushable, boolean integerValuesOnly, String sourceType) {

    ImportColumn {
        sourceType = sourceType == null ? "" : sourceType;
    }

    /** A column whose source type name is unknown (never carried by the COPY path). */
    ImportColumn(String name, Kind kind, int precision, int scale, boolean numericPushable,
                 boolean textPushable, boolean integerValuesOnly) {
        this(name, kind, precision, scale, numericPushable, textPushable, integerValuesOnly, "");
    }

    /** The DuckDB types a source column becomes, each read and appended exactly. */
    enum Kind {
        BOOLEAN, SMALLINT, INTEGER, BIGINT, HUGEINT, DECIMAL, REAL, DOUBLE, VARCHAR, DATE, TIME, TIMESTAMP,
        TIMESTAMPTZ, BLOB
    }

    /** The column's DuckDB type, as written in CREATE TABLE. */
    String duckType() {
        return kind == Kind.DECIMAL ? "DECIMAL(" + precision + "," + scale + ")" : kind.name();
    }

    /**
     * Whether {@code p} may be sent to the source: IS [NOT] NULL on any column; numbers on exact
     * numeric columns (integers only, for SQLite's dynamically typed ones); strings only with {@code =}
     * and {@code IN}, on the source's text columns (an ordering or {@code <>} could differ with the
     * source's collation, and a case-insensitive {@code =} only keeps more rows).
     */
    boolean accepts(PushedPredicate p) {
        if (p.op() == PushedPredicate.Op.IS_NULL || p.op() == PushedPredicate.Op.IS_NOT_NULL) {
            return true;
        }
        if (p.values().isEmpty()) {
            return false;
        }
        if (p.values().stream().allMatch(v -> v instanceof BigDecimal)) {
            return numericPushable && (!integerValuesOnly
                    || p.values().stream().allMatch(v -> isLong((BigDecimal) v)));
        }
        return textPushable && p.op().equality() && p.values().stream().allMatch(v -> v instanceof String);
    }

    static boolean isLong(BigDecimal v) {
        try {
            v.longValueExact();
            return true;
        } catch (ArithmeticException e) {
            return false;
        }
    }

    /** Appends the value of column {@code index} of {@code rs} (NULL as NULL). */
    void copy(ResultSet rs, int index, DuckDBAppender appender) throws SQLException {
        switch (kind) {
            case BOOLEAN -> {
                boolean v = rs.getBoolean(index);
                if (rs.wasNull()) {
                    appender.appendNull();
                } else {
                    appender.append(v);
                }
            }
            case SMALLINT -> {
                short v = rs.getShort(index);
                if (rs.wasNull()) {
                    appender.appendNull();
                } else {
                    appender.append(v);
                }
            }
            case INTEGER -> {
                int v = rs.getInt(index);
                if (rs.wasNull()) {
                    appender.appendNull();
                } else {
                    appender.append(v);
                }
            }
            case BIGINT -> {
                long v = rs.getLong(index);
                if (rs.wasNull()) {
                    appender.appendNull();
                } else {
                    appender.append(v);
                }
            }
            case REAL -> {
                float v = rs.getFloat(index);
                if (rs.wasNull()) {
                    appender.appendNull();
                } else {
                    appender.append(v);
                }
            }
            case DOUBLE -> {
                double v = rs.getDouble(index);
                if (rs.wasNull()) {
                    appender.appendNull();
                } else {
                    appender.append(v);
                }
            }
            case HUGEINT -> {
                BigDecimal v = rs.getBigDecimal(index);
                appendOrNull(appender, v == null ? null : v.toBigIntegerExact());
            }
            case DECIMAL -> {
                BigDecimal v = rs.getBigDecimal(index);
                appendOrNull(appender, v == null ? null : v.setScale(scale, RoundingMode.UNNECESSARY));
            }
            case VARCHAR -> appendOrNull(appender, rs.getString(index));
            case DATE -> appendOrNull(appender, rs.getObject(index, LocalDate.class));
            case TIME -> appendOrNull(appender, rs.getObject(index, LocalTime.class));
            case TIMESTAMP -> appendOrNull(appender, rs.getObject(index, LocalDateTime.class));
            case TIMESTAMPTZ -> appendOrNull(appender, rs.getObject(index, OffsetDateTime.class));
            case BLOB -> appendOrNull(appender, rs.getBytes(index));
        }
    }

    private static void appendOrNull(DuckDBAppender appender, Object v) throws SQLException {
        if (v == null) {
            appender.appendNull();
        } else if (v instanceof String s) {
            appender.append(s);
        } else if (v instanceof BigDecimal d) {
            appender.append(d);
        } else if (v instanceof java.math.BigInteger i) {
            appender.append(i);
        } else if (v instanceof LocalDate d) {
            appender.append(d);
        } else if (v instanceof LocalTime t) {
            appender.append(t);
        } else if (v instanceof LocalDateTime t) {
            appender.append(t);
        } else if (v instanceof OffsetDateTime t) {
            appender.append(t);
        } else if (v instanceof byte[] b) {
            appender.append(b);
        } else {
            throw new IllegalStateException("no appender for " + v.getClass());
        }
    }
}
