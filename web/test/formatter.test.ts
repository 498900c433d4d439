import { describe, expect, it } from 'vitest';
import { formatSql } from '../src/formatter';

describe('formatSql', () => {
  it('upper-cases keywords and puts clauses on their own lines', async () => {
    expect(await formatSql('select a, count(*) as n from events where b = 1 group by a', 'duckdb')).toBe(
      'SELECT\n  a,\n  count(*) AS n\nFROM\n  events\nWHERE\n  b = 1\nGROUP BY\n  a');
  });

  it('keeps a string literal with a semicolon as it is, and separates statements', async () => {
    const out = await formatSql("select 'a;b' as x; select 2", 'duckdb');
    expect(out).toBe("SELECT\n  'a;b' AS x;\n\nSELECT\n  2");
    expect(out).toContain("'a;b'");
  });

  it('formats for Athena (Trino) too, leaving identifiers and literals alone', async () => {
    expect(await formatSql('select "Event Type" from analytics.events limit 10', 'trino')).toBe(
      'SELECT\n  "Event Type"\nFROM\n  analytics.events\nLIMIT\n  10');
  });
});
