package io.sluice.workspace;

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

    /** A DuckDB identifier, double-quoted with inner quotes doubled. */
    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** The workspace's table {@code name}, fully qualified and quoted. */
    public static String table(String name) {
        return quote(CATALOG) + ".main." + quote(name);
    }
}
