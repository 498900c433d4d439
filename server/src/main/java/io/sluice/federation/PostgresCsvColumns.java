package io.sluice.federation;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one rule of the PostgreSQL COPY path: which columns PostgreSQL's CSV output carries exactly,
 * and how DuckDB reads each back. A table goes through COPY only when every column it copies is
 * carried; otherwise the whole table goes through JDBC ({@link TableImport}), value by value.
 *
 * <p>Carried (by the source's type name, so domains and unknown types never are):
 * <ul>
 *   <li>{@code bool} (CSV {@code t}/{@code f}), {@code int2}, {@code int4}, {@code int8} (and their
 *       {@code serial} names), {@code numeric} read as DECIMAL(p,s), {@code float4}/{@code float8}
 *       (shortest exact digits with {@code extra_float_digits = 3}; {@code NaN}, {@code ±Infinity});</li>
 *   <li>{@code date}, {@code timestamp}, {@code timestamptz}: ISO text ({@code DateStyle = 'ISO, YMD'},
 *       timestamptz in UTC); a BC value ({@code 0044-03-15 10:00:00 BC}) is rewritten to DuckDB's
 *       {@code 0044-03-15 (BC) 10:00:00} before the cast;</li>
 *   <li>{@code bytea}: hex text ({@code bytea_output = 'hex'}), {@code \x…} decoded by {@code unhex};</li>
 *   <li>types read as VARCHAR whose text does not depend on the session's time zone: {@code text},
 *       {@code varchar}, {@code bpchar}, {@code name}, {@code numeric} (wider than 38 digits or
 *       unconstrained), {@code uuid}, {@code json}, {@code jsonb}, {@code interval}, {@code money},
 *       {@code inet}, {@code cidr}, {@code macaddr}: the same text JDBC's {@code getString} gives.</li>
 * </ul>
 * Not carried (JDBC path): {@code time} (PostgreSQL's {@code 24:00:00}), {@code timetz}, {@code bit},
 * arrays, ranges, enums, domains, and every other type.
 *
 * <p>Each carried column is read from the CSV file as {@link #csvType} under a synthetic name
 * ({@code c1}, {@code c2}, …, so no source name reaches read_csv's options) and inserted as
 * {@link #duckExpression}.
 */
final class PostgresCsvColumns {

    private static final Map<ImportColumn.Kind, Set<String>> CARRIED = Map.ofEntries(
            Map.entry(ImportColumn.Kind.BOOLEAN, Set.of("bool")),
            Map.entry(ImportColumn.Kind.SMALLINT, Set.of("int2", "smallserial")),
            Map.entry(ImportColumn.Kind.INTEGER, Set.of("int4", "serial")),
            Map.entry(ImportColumn.Kind.BIGINT, Set.of("int8", "bigserial")),
            Map.entry(ImportColumn.Kind.DECIMAL, Set.of("numeric")),
            Map.entry(ImportColumn.Kind.REAL, Set.of("float4")),
            Map.entry(ImportColumn.Kind.DOUBLE, Set.of("float8")),
            Map.entry(ImportColumn.Kind.DATE, Set.of("date")),
            Map.entry(ImportColumn.Kind.TIMESTAMP, Set.of("timestamp")),
            Map.entry(ImportColumn.Kind.TIMESTAMPTZ, Set.of("timestamptz")),
            Map.entry(ImportColumn.Kind.BLOB, Set.of("bytea")),
            Map.entry(ImportColumn.Kind.VARCHAR, Set.of("text", "varchar", "bpchar", "name", "numeric", "uuid",
                    "json", "jsonb", "interval", "money", "inet", "cidr", "macaddr")));

    private PostgresCsvColumns() {
    }

    /** Whether every one of {@code columns} is carried exactly by PostgreSQL's CSV output. */
    static boolean carried(List<ImportColumn> columns) {
        return columns.stream().allMatch(PostgresCsvColumns::carried);
    }

    static boolean carried(ImportColumn column) {
        return CARRIED.getOrDefault(column.kind(), Set.of()).contains(column.sourceType());
    }

    /** The DuckDB type read_csv parses the field as. */
    static String csvType(ImportColumn column) {
        return switch (column.kind()) {
            case DATE, TIMESTAMP, TIMESTAMPTZ, BLOB -> "VARCHAR";
            default -> column.duckType();
        };
    }

    /** The DuckDB expression that turns the field {@code field} (read as {@link #csvType}) into the column's value. */
    static String duckExpression(ImportColumn column, String field) {
        return switch (column.kind()) {
            case DATE, TIMESTAMP, TIMESTAMPTZ -> "CAST(CASE WHEN ends_with(" + field + ", ' BC') THEN regexp_replace("
                    + field + ", '^([0-9]+-[0-9]+-[0-9]+)(.*) BC$', '\\1 (BC)\\2') ELSE " + field + " END AS "
                    + column.duckType() + ")";
            case BLOB -> "unhex(substr(" + field + ", 3))";
            default -> field;
        };
    }
}
