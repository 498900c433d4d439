package io.sluice.federation;

import java.util.List;

/**
 * A simple condition of the SQL's WHERE on one column of one imported table, which the import may
 * send to the source so that fewer rows are copied: {@code column op constant}, {@code column IN
 * (constants)}, {@code column IS [NOT] NULL}. Values are {@link java.math.BigDecimal} or
 * {@link String}, and are only ever bound as JDBC parameters. Whether it is really sent depends on
 * the source column's type ({@link ImportColumn#accepts}).
 */
record PushedPredicate(String column, Op op, List<Object> values) {

    PushedPredicate {
        values = List.copyOf(values);
    }

    /** The operators that may be pushed, with their SQL. */
    enum Op {
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">="), IN("IN"), IS_NULL("IS NULL"),
        IS_NOT_NULL("IS NOT NULL");

        final String sql;

        Op(String sql) {
            this.sql = sql;
        }

        /** The operator with its operands swapped: {@code 5 < x} is {@code x > 5}. */
        Op flipped() {
            return switch (this) {
                case LT -> GT;
                case LE -> GE;
                case GT -> LT;
                case GE -> LE;
                default -> this;
            };
        }

        /** Whether it is an (in)equality only, which string columns may take. */
        boolean equality() {
            return this == EQ || this == IN;
        }
    }

    /** {@code column op ?...} in the source's dialect, one {@code ?} per value. */
    String sql(String quotedColumn) {
        return switch (op) {
            case IS_NULL, IS_NOT_NULL -> quotedColumn + " " + op.sql;
            case IN -> quotedColumn + " IN (" + String.join(", ", java.util.Collections.nCopies(values.size(), "?")) + ")";
            default -> quotedColumn + " " + op.sql + " ?";
        };
    }
}
