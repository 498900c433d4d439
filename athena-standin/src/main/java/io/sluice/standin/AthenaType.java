package io.sluice.standin;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * An Athena (Trino) type, e.g. {@code integer}, {@code decimal(10,2)}, {@code array(varchar)},
 * {@code row(a integer, b varchar)}, with the column facts Athena reports for it.
 *
 * @param name the base name: integer, varchar, decimal, array, map, row, timestamp, ...
 * @param children element type (array), key and value types (map), field types (row)
 * @param fieldNames field names of a row, else empty
 * @param precision decimal precision, else 0
 * @param scale decimal scale, else 0
 */
record AthenaType(String name, List<AthenaType> children, List<String> fieldNames, int precision, int scale) {
    static final AthenaType VARCHAR = simple("varchar");
    static final AthenaType BIGINT = simple("bigint");
    /** Hive's type of the columns of SHOW and DESCRIBE results. */
    static final AthenaType HIVE_STRING = simple("string");

    private static final Set<String> FULL_FACTS = Set.of("tinyint", "smallint", "integer", "bigint", "real",
            "double", "decimal", "varchar", "char", "varbinary", "timestamp", "time", "timestamp with time zone",
            "time with time zone");
    private static final Set<String> CASE_ONLY = Set.of("boolean", "interval day to second",
            "interval year to month");

    static AthenaType simple(String name) {
        return new AthenaType(name, List.of(), List.of(), 0, 0);
    }

    static AthenaType decimal(int precision, int scale) {
        return new AthenaType("decimal", List.of(), List.of(), precision, scale);
    }

    static AthenaType array(AthenaType element) {
        return new AthenaType("array", List.of(element), List.of(), 0, 0);
    }

    static AthenaType map(AthenaType key, AthenaType value) {
        return new AthenaType("map", List.of(key, value), List.of(), 0, 0);
    }

    static AthenaType row(List<String> names, List<AthenaType> types) {
        return new AthenaType("row", List.copyOf(types), List.copyOf(names), 0, 0);
    }

    /** The full type, e.g. {@code map(varchar, array(integer))}. */
    String signature() {
        switch (name) {
            case "decimal":
                return "decimal(" + precision + "," + scale + ")";
            case "array":
                return "array(" + children.get(0).signature() + ")";
            case "map":
                return "map(" + children.get(0).signature() + ", " + children.get(1).signature() + ")";
            case "row":
                return "row(" + IntStream.range(0, children.size())
                        .mapToObj(i -> fieldNames.get(i) + " " + children.get(i).signature())
                        .collect(Collectors.joining(", ")) + ")";
            default:
                return name;
        }
    }

    /** The Hive spelling Athena's DESCRIBE and the Glue catalog use, e.g. {@code array<string>}. */
    String hiveName() {
        switch (name) {
            case "integer":
                return "int";
            case "varchar":
                return "string";
            case "real":
                return "float";
            case "varbinary":
                return "binary";
            case "timestamp with time zone":
                return "timestamp";
            case "decimal":
                return "decimal(" + precision + "," + scale + ")";
            case "array":
                return "array<" + children.get(0).hiveName() + ">";
            case "map":
                return "map<" + children.get(0).hiveName() + "," + children.get(1).hiveName() + ">";
            case "row":
                return "struct<" + IntStream.range(0, children.size())
                        .mapToObj(i -> fieldNames.get(i) + ":" + children.get(i).hiveName())
                        .collect(Collectors.joining(",")) + ">";
            default:
                return name;
        }
    }

    /** {@code ColumnInfo.Precision}: digits for numbers, maximum length for strings. */
    int columnPrecision() {
        switch (name) {
            case "tinyint":
                return 3;
            case "smallint":
                return 5;
            case "integer":
                return 10;
            case "bigint":
                return 19;
            case "real":
            case "double":
                return 17;
            case "decimal":
                return precision;
            case "varchar":
            case "char":
                return Integer.MAX_VALUE;
            case "varbinary":
                return 1_073_741_824;
            case "timestamp":
            case "time":
            case "timestamp with time zone":
            case "time with time zone":
                return 3;
            default:
                return 0;
        }
    }

    int columnScale() {
        return "decimal".equals(name) ? scale : 0;
    }

    boolean caseSensitive() {
        return "varchar".equals(name) || "char".equals(name);
    }

    /** Whether {@code .metadata} carries precision for this type (Athena writes it by type, even when 0). */
    boolean metadataHasPrecision() {
        return FULL_FACTS.contains(name);
    }

    boolean metadataHasScale() {
        return FULL_FACTS.contains(name) || "date".equals(name);
    }

    boolean metadataHasCaseSensitive() {
        return FULL_FACTS.contains(name) || "date".equals(name) || CASE_ONLY.contains(name);
    }
}
