package io.sluice.workspace;

import io.sluice.engine.duckdb.DuckDbSql;

import java.util.regex.Pattern;

/**
 * Names in workspaces: table names are plain identifiers (a letter or underscore, then letters,
 * digits, underscores; at most 63), always written quoted, so no name can break out of SQL.
 */
public final class WorkspaceNames {

    /** The catalog a workspace's own tables are in, as SQL names it ({@code workspace.my_table}). */
    public static final String CATALOG = "workspace";

    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private WorkspaceNames() {
    }

    public static boolean isTableName(String name) {
        return name != null && TABLE.matcher(name).matches();
    }

    /** The workspace's table {@code name}, fully qualified and quoted. */
    public static String table(String name) {
        return DuckDbSql.identifier(CATALOG) + ".main." + DuckDbSql.identifier(name);
    }
}
