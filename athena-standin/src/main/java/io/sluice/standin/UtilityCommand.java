package io.sluice.standin;

/**
 * A SHOW or DESCRIBE statement. Athena answers these from its Hive metastore in Hive's text
 * format rather than from the query engine, so the stand-in answers them from DuckDB's catalog.
 *
 * @param type what to show
 * @param database the database named in the statement, or null for the query's database
 * @param table the table named in the statement, or null
 * @param pattern a Hive name pattern ({@code *} any run of characters, {@code |} alternatives), or null
 */
record UtilityCommand(Type type, String database, String table, String pattern) {
    enum Type { SHOW_TABLES, SHOW_VIEWS, SHOW_DATABASES, SHOW_COLUMNS, SHOW_CREATE_TABLE, SHOW_CREATE_VIEW,
        DESCRIBE, NOT_PARTITIONED, NO_OP }
}
