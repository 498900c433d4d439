import { describe, expect, it } from 'vitest';
import { PostgreSQL, StandardSQL } from '@codemirror/lang-sql';
import type { AppConfig } from '../src/api';
import { BASIC_CAPABILITIES, capabilitiesOf, downloadOffered, shownStatistics } from '../src/capabilities';
import { dialectFor } from '../src/editor';
import { formatSql } from '../src/formatter';

const local = { cancel: true, partialDownload: false, catalog: true, cost: false, dialect: 'duckdb',
  scannedBytes: false, resultReuse: false, engineDownloadLink: false };
const metered = { cancel: true, partialDownload: true, catalog: true, cost: true, dialect: 'trino',
  scannedBytes: true, resultReuse: true, engineDownloadLink: true };

// The names are deliberately misleading: the UI must follow capabilities, never names.
const config: AppConfig = {
  defaultEngine: 'athena',
  engines: [
    { name: 'athena', type: 'duckdb', capabilities: local },
    { name: 'sales_lake', type: 'athena', capabilities: metered },
    { name: 'legacy' },
  ],
};

describe('engine capabilities', () => {
  it('are looked up by engine name in the configuration', () => {
    expect(capabilitiesOf(config, 'athena')).toEqual(local);
    expect(capabilitiesOf(config, 'sales_lake')).toEqual(metered);
  });

  it('fall back to the basics for an engine the configuration does not describe', () => {
    expect(capabilitiesOf(config, 'legacy')).toEqual(BASIC_CAPABILITIES);
    expect(capabilitiesOf(config, 'nowhere')).toEqual(BASIC_CAPABILITIES);
    expect(capabilitiesOf(null, 'duckdb')).toEqual(BASIC_CAPABILITIES);
    expect(capabilitiesOf(config, null)).toEqual(BASIC_CAPABILITIES);
    // Nothing that shows numbers an unknown engine may not have.
    expect(shownStatistics(BASIC_CAPABILITIES)).toEqual({ scanned: false, cost: false, reused: false });
  });

  it('decide which statistics show: scanned data and cost only for engines that report them', () => {
    expect(shownStatistics(capabilitiesOf(config, 'athena'))).toEqual({ scanned: false, cost: false, reused: false });
    expect(shownStatistics(capabilitiesOf(config, 'sales_lake'))).toEqual({ scanned: true, cost: true, reused: true });
    expect(shownStatistics({ ...local, cost: true })).toEqual({ scanned: false, cost: true, reused: false });
  });

  it('decide whether a failed or cancelled query offers its partial download', () => {
    const caps = capabilitiesOf(config, 'sales_lake');
    expect(downloadOffered({ state: 'SUCCEEDED' }, local)).toBe(true);
    expect(downloadOffered({ state: 'CANCELLED' }, caps)).toBe(true);
    expect(downloadOffered({ state: 'FAILED' }, caps)).toBe(true);
    expect(downloadOffered({ state: 'CANCELLED' }, local)).toBe(false);
    expect(downloadOffered({ state: 'FAILED' }, local)).toBe(false);
    expect(downloadOffered({ state: 'TIMED_OUT' }, caps)).toBe(false);
    expect(downloadOffered({ state: 'RUNNING' }, caps)).toBe(false);
    expect(downloadOffered(null, caps)).toBe(false);
  });

  it('pick the editor dialect and the formatter from the declared dialect', async () => {
    expect(dialectFor(capabilitiesOf(config, 'athena').dialect)).toBe(PostgreSQL);
    expect(dialectFor(capabilitiesOf(config, 'sales_lake').dialect)).toBe(StandardSQL);
    expect(dialectFor(BASIC_CAPABILITIES.dialect)).toBe(StandardSQL);
    // DuckDB's formatter knows its `::` casts and `e'…'` strings; Trino's splits them.
    const sql = "select x::int as n, e'x' as y from t";
    expect(await formatSql(sql, capabilitiesOf(config, 'athena').dialect)).toContain("x::int AS n,\n  e'x' AS y");
    expect(await formatSql(sql, capabilitiesOf(config, 'sales_lake').dialect)).toContain("x:: int AS n,\n  e 'x' AS y");
  });
});
