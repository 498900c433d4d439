package io.sluice.federation;

import io.sluice.datasource.DatasourceType;
import io.sluice.engine.duckdb.DuckDbSql;

/**
 * Quoting of names and strings put into SQL text. Every identifier that reaches SQL (an alias, a
 * schema, a table, a column) goes through {@link #duckIdentifier} or {@link #sourceIdentifier}, and
 * every string through {@link #duckString}: the quote character is doubled, so no value can end
 * the quoted part. Values of filters never reach SQL text: they are bound as JDBC parameters.
 */
final class SqlQuoting {

    private SqlQuoting() {
    }

    /** {@code "name"} with {@code "} doubled, for DuckDB. */
    static String duckIdentifier(String name) {
        requireNoNul(name);
        return DuckDbSql.identifier(name);
    }

    /** {@code 'text'} with {@code '} doubled, for DuckDB. */
    static String duckString(String text) {
        requireNoNul(text);
        return DuckDbSql.string(text);
    }

    /** An identifier for the source's dialect: backticks for MySQL/MariaDB, double quotes otherwise. */
    static String sourceIdentifier(DatasourceType type, String name) {
        requireNoNul(name);
        return type == DatasourceType.MYSQL ? '`' + name.replace("`", "``") + '`' : '"' + name.replace("\"", "\"\"") + '"';
    }

    private static void requireNoNul(String text) {
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a name or string holds a NUL character");
        }
    }
}
