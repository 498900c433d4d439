package io.sluice.federation;

import io.sluice.datasource.DatasourceType;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;

/**
 * Which DuckDB type each source column becomes. PostgreSQL and MySQL/MariaDB by the driver's JDBC
 * type: integers (unsigned ones one size up, unsigned BIGINT as HUGEINT), DECIMAL/NUMERIC with their
 * precision and scale (up to 38 digits; wider or unconstrained ones as VARCHAR, which keeps every
 * digit), REAL, DOUBLE, BOOLEAN, text, DATE, TIME, TIMESTAMP, TIMESTAMPTZ (PostgreSQL's
 * {@code timestamptz}), bytes; anything else (uuid, json, arrays, money, MySQL's TIME, which may pass
 * 24 h) as VARCHAR through the driver's text. SQLite by the declared type's affinity: INT -> BIGINT,
 * text -> VARCHAR, REAL/FLOA/DOUB -> DOUBLE, BLOB -> BLOB, BOOL -> BOOLEAN, other numeric -> DOUBLE,
 * dates and an empty declared type -> VARCHAR.
 */
final class SourceTypes {

    private SourceTypes() {
    }

    static ImportColumn column(DatasourceType type, ResultSetMetaData md, int i) throws SQLException {
        String name = md.getColumnName(i);
        String typeName = md.getColumnTypeName(i) == null ? "" : md.getColumnTypeName(i).toLowerCase(Locale.ROOT);
        if (type == DatasourceType.SQLITE) {
            return sqlite(name, typeName);
        }
        boolean signed = md.isSigned(i);
        int precision = md.getPrecision(i);
        int scale = md.getScale(i);
        boolean text = isText(md.getColumnType(i)) && (type != DatasourceType.POSTGRESQL
                || typeName.equals("text") || typeName.equals("varchar") || typeName.equals("bpchar"));
        ImportColumn.Kind kind = switch (md.getColumnType(i)) {
            case Types.BOOLEAN -> ImportColumn.Kind.BOOLEAN;
            case Types.BIT -> precision <= 1 ? ImportColumn.Kind.BOOLEAN : ImportColumn.Kind.VARCHAR;
            case Types.TINYINT -> ImportColumn.Kind.SMALLINT;
            case Types.SMALLINT -> signed ? ImportColumn.Kind.SMALLINT : ImportColumn.Kind.INTEGER;
            case Types.INTEGER -> signed ? ImportColumn.Kind.INTEGER : ImportColumn.Kind.BIGINT;
            case Types.BIGINT -> signed ? ImportColumn.Kind.BIGINT : ImportColumn.Kind.HUGEINT;
            case Types.DECIMAL, Types.NUMERIC -> precision >= 1 && precision <= 38 && scale >= 0 && scale <= precision
                    ? ImportColumn.Kind.DECIMAL : ImportColumn.Kind.VARCHAR;
            case Types.REAL -> ImportColumn.Kind.REAL;
            case Types.FLOAT, Types.DOUBLE -> ImportColumn.Kind.DOUBLE;
            case Types.DATE -> ImportColumn.Kind.DATE;
            case Types.TIME -> type == DatasourceType.MYSQL ? ImportColumn.Kind.VARCHAR : ImportColumn.Kind.TIME;
            case Types.TIMESTAMP -> typeName.equals("timestamptz") ? ImportColumn.Kind.TIMESTAMPTZ : ImportColumn.Kind.TIMESTAMP;
            case Types.TIMESTAMP_WITH_TIMEZONE -> ImportColumn.Kind.TIMESTAMPTZ;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> ImportColumn.Kind.BLOB;
            default -> ImportColumn.Kind.VARCHAR;
        };
        if (typeName.equals("money") || type == DatasourceType.MYSQL && typeName.equals("year")) {
            kind = ImportColumn.Kind.VARCHAR;
        }
        boolean exact = switch (kind) {
            case SMALLINT, INTEGER, BIGINT, HUGEINT, DECIMAL -> true;
            default -> false;
        };
        return new ImportColumn(name, kind, precision, scale, exact, kind == ImportColumn.Kind.VARCHAR && text, false,
                typeName);
    }

    private static ImportColumn sqlite(String name, String declared) {
        ImportColumn.Kind kind;
        boolean text = false;
        boolean integer = false;
        if (declared.contains("int")) {
            kind = ImportColumn.Kind.BIGINT;
            integer = true;
        } else if (declared.contains("char") || declared.contains("clob") || declared.contains("text")) {
            kind = ImportColumn.Kind.VARCHAR;
            text = true;
        } else if (declared.contains("blob")) {
            kind = ImportColumn.Kind.BLOB;
        } else if (declared.contains("real") || declared.contains("floa") || declared.contains("doub")) {
            kind = ImportColumn.Kind.DOUBLE;
        } else if (declared.contains("bool")) {
            kind = ImportColumn.Kind.BOOLEAN;
        } else if (declared.isEmpty() || declared.contains("date") || declared.contains("time")) {
            kind = ImportColumn.Kind.VARCHAR;
        } else {
            kind = ImportColumn.Kind.DOUBLE;
        }
        return new ImportColumn(name, kind, 0, 0, integer, text, true);
    }

    private static boolean isText(int jdbcType) {
        return switch (jdbcType) {
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR -> true;
            default -> false;
        };
    }
}
