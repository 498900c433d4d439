package io.sluice.standin;

import java.util.List;

/**
 * One statement as the stand-in will run it.
 *
 * @param kind Athena's classification and result files
 * @param duckDbSql the SQL to run on DuckDB, or null when {@code utility} answers it
 * @param utility the SHOW/DESCRIBE command answered from the catalog, or null
 * @param scanSql the part of the statement that reads tables, for the scan estimate, or null
 * @param created the table a {@code CREATE TABLE} makes, with its partition keys, or null
 */
record AthenaStatement(StatementKind kind, String duckDbSql, UtilityCommand utility, String scanSql,
        CreatedTable created) {

    AthenaStatement(StatementKind kind, String duckDbSql, UtilityCommand utility, String scanSql) {
        this(kind, duckDbSql, utility, scanSql, null);
    }

    /**
     * A table made by {@code CREATE TABLE}: DuckDB keeps the {@code PARTITIONED BY} columns as
     * ordinary ones, so the catalog remembers which of them Athena lists as partition keys.
     *
     * @param database the database named in the statement, or null for the query's
     */
    record CreatedTable(String database, String table, List<String> partitionKeys) {
    }
}
