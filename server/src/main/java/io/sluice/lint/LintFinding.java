package io.sluice.lint;

import java.util.Map;

/**
 * One lint warning: a code and its parameters (in the order the {@code warning.<code>} text uses
 * them). Codes: {@link #NO_PARTITION_FILTER} {table, partitionKeys}, {@link #SELECT_STAR_WIDE}
 * {table, columns}, {@link #NO_LIMIT} {}, {@link #UNPARSEABLE} {}.
 */
public record LintFinding(String code, Map<String, Object> params) {

    public static final String NO_PARTITION_FILTER = "LINT_NO_PARTITION_FILTER";
    public static final String SELECT_STAR_WIDE = "LINT_SELECT_STAR_WIDE";
    public static final String NO_LIMIT = "LINT_NO_LIMIT";
    public static final String UNPARSEABLE = "LINT_UNPARSEABLE";

    public LintFinding {
        params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    }

    /** This finding as a query's warning (same code and params). */
    public io.sluice.query.Warning warning() {
        return new io.sluice.query.Warning(code, params);
    }
}
