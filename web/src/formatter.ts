/** SQL formatting with sql-formatter, loaded on first use (a separate chunk). */

/** Formats `sql` in the engine's dialect (its capabilities' `dialect`): DuckDB's, else Trino's (closest to standard SQL). */
export async function formatSql(sql: string, dialect: string): Promise<string> {
  const { formatDialect, duckdb, trino } = await import('sql-formatter');
  return formatDialect(sql, {
    dialect: dialect === 'duckdb' ? duckdb : trino,
    keywordCase: 'upper',
    tabWidth: 2,
    linesBetweenQueries: 1,
  });
}
