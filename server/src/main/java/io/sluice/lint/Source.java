package io.sluice.lint;

import io.trino.sql.tree.Query;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One relation of a FROM clause as its query sees it: a known table, a subquery or CTE (analyzed
 * later with what the outer query says of its columns), or something opaque (unknown table, UNNEST,
 * VALUES). Identity matters: two references to one table are two sources.
 */
final class Source {

    /** The lower-case name that qualifies its columns: the alias, else the table's last name part. */
    final String alias;
    /** A base table whose metadata is known, else null. */
    final TableShape table;
    /** The query of a subquery or CTE, else null. */
    final Query derived;
    /** The CTEs visible to {@link #derived}. */
    final Ctes derivedCtes;
    /** The lower-case names of its columns, or null when unknown. */
    final List<String> columns;
    /** Its columns that some predicate constrains. */
    final Set<String> constrained = new HashSet<>();
    /** Whether an outer {@code *} passes every column of it to the query's output. */
    boolean wholeOutput;

    private Source(String alias, TableShape table, Query derived, Ctes derivedCtes, List<String> columns) {
        this.alias = alias;
        this.table = table;
        this.derived = derived;
        this.derivedCtes = derivedCtes;
        this.columns = columns;
    }

    static Source table(String alias, TableShape table) {
        return new Source(alias, table, null, null, table.columns());
    }

    static Source derived(String alias, Query query, Ctes ctes, List<String> columns) {
        return new Source(alias, null, query, ctes, columns);
    }

    static Source opaque(String alias) {
        return new Source(alias, null, null, null, null);
    }

    Source renamed(String newAlias) {
        return new Source(newAlias, table, derived, derivedCtes, columns);
    }

    boolean has(String column) {
        return columns != null && columns.contains(column);
    }
}
