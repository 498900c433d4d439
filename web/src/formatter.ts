/** SQL formatting with sql-formatter, loaded on first use (a separate chunk). */

export async function formatSql(sql: string, engine: string): Promise<string> {
  const { formatDialect, duckdb, trino } = await import('sql-formatter');
  return formatDialect(sql, {
    dialect: engine === 'duckdb' ? duckdb : trino,
    keywordCase: 'upper',
    tabWidth: 2,
    linesBetweenQueries: 1,
  });
}
