package io.sluice.federation;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pushed conditions written as SQL text for PostgreSQL's {@code COPY (SELECT …)}, which cannot take
 * bound parameters. The rules, so that no value can leave its literal and the comparison is the one
 * the JDBC path makes with bound parameters:
 * <ul>
 *   <li>a number is a {@link BigDecimal} (the parser only pushes integers and plain decimals) and is
 *       written from {@link BigDecimal#toPlainString()}, checked to be only digits, one optional
 *       leading {@code -} and at most one {@code .}, as {@code CAST(… AS int8)} when it is a long
 *       (what {@code setLong} binds) else {@code CAST(… AS numeric)} (what {@code setBigDecimal} binds);</li>
 *   <li>a string is written as an escape string {@code E'…'} with every {@code \} and {@code '} doubled
 *       (its meaning does not depend on {@code standard_conforming_strings}), as
 *       {@code CAST(E'…' AS varchar)} (the driver binds strings as varchar); a string holding a NUL
 *       character cannot be written and keeps the table on the JDBC path.</li>
 * </ul>
 */
final class PostgresLiterals {

    private PostgresLiterals() {
    }

    /** {@code p} on {@code quotedColumn} with its values as literals; empty when a value cannot be written. */
    static Optional<String> condition(PushedPredicate p, String quotedColumn) {
        List<String> literals = new ArrayList<>();
        for (Object v : p.values()) {
            Optional<String> literal = literal(v);
            if (literal.isEmpty()) {
                return Optional.empty();
            }
            literals.add(literal.get());
        }
        return Optional.of(switch (p.op()) {
            case IS_NULL, IS_NOT_NULL -> quotedColumn + " " + p.op().sql;
            case IN -> quotedColumn + " IN (" + String.join(", ", literals) + ")";
            default -> quotedColumn + " " + p.op().sql + " " + literals.get(0);
        });
    }

    /** One value as a typed PostgreSQL literal; empty when it cannot be written safely. */
    static Optional<String> literal(Object value) {
        if (value instanceof BigDecimal d) {
            String plain = d.toPlainString();
            if (!plain.matches("-?[0-9]+(\\.[0-9]+)?")) {
                return Optional.empty();
            }
            return Optional.of("CAST(" + plain + " AS " + (ImportColumn.isLong(d) ? "int8" : "numeric") + ")");
        }
        if (value instanceof String s) {
            if (s.indexOf('\0') >= 0) {
                return Optional.empty();
            }
            return Optional.of("CAST(E'" + s.replace("\\", "\\\\").replace("'", "''") + "' AS varchar)");
        }
        return Optional.empty();
    }
}
