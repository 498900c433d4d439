package io.sluice.federation;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A table of an attached alias that the SQL names, and what it needs of it: {@code schema} is null
 * when the SQL wrote {@code alias.table} (the source's default schema, {@code main} in DuckDB);
 * {@code allColumns}, else the lower-case names that may be columns of it (a superset: names the
 * source table does not have are ignored); the conditions that may be pushed to the source.
 */
record NeededTable(String alias, String schema, String table, boolean allColumns, Set<String> columns,
                   List<PushedPredicate> predicates) {

    NeededTable {
        columns = Set.copyOf(columns);
        predicates = List.copyOf(predicates);
    }

    /** The DuckDB schema the copy goes to in the alias's catalog. */
    String duckSchema() {
        return schema == null ? "main" : schema;
    }

    /** Same table as DuckDB resolves names: case-insensitively. */
    static String key(String alias, String schema, String table) {
        return (alias + "\u0000" + (schema == null ? "" : schema) + "\u0000" + table).toLowerCase(Locale.ROOT);
    }
}
