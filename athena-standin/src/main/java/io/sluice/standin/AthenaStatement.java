package io.sluice.standin;

/**
 * One statement as the stand-in will run it.
 *
 * @param kind Athena's classification and result files
 * @param duckDbSql the SQL to run on DuckDB, or null when {@code utility} answers it
 * @param utility the SHOW/DESCRIBE command answered from the catalog, or null
 * @param scanSql the part of the statement that reads tables, for the scan estimate, or null
 */
record AthenaStatement(StatementKind kind, String duckDbSql, UtilityCommand utility, String scanSql) {
}
