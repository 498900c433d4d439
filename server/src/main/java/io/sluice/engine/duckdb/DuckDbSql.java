package io.sluice.engine.duckdb;

import java.nio.file.Path;

/**
 * Names and strings written into DuckDB SQL text: the quote character is doubled, so no value can
 * end the quoted part. The one place Sluice quotes for DuckDB.
 */
public final class DuckDbSql {

    private DuckDbSql() {
    }

    /** {@code "name"} with {@code "} doubled. */
    public static String identifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** {@code 'text'} with {@code '} doubled. */
    public static String string(String text) {
        return '\'' + text.replace("'", "''") + '\'';
    }

    /** A file's absolute, normalized path as a string literal. */
    public static String path(Path path) {
        return string(path.toAbsolutePath().normalize().toString());
    }
}
