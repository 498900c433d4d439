import { beforeEach, describe, expect, it } from 'vitest';
import { columnCompletions, mentionedTables, mergeColumns } from '../src/editor';
import { completionSchema } from '../src/catalog';
import { setLocale } from '../src/i18n';
import type { CatalogTable } from '../src/api';

beforeEach(() => setLocale('en'));

const tables: CatalogTable[] = [
  { name: 'events', columns: [{ name: 'event_id', type: 'bigint' }, { name: 'dt', type: 'varchar', partitionKey: true }] },
  { name: 'users', columns: [{ name: 'email', type: 'varchar' }, { name: 'Signup Date', type: 'date' }] },
  { name: 'bare' },
];

describe('autocomplete from the catalog', () => {
  it('builds the lang-sql schema: database → table → typed columns', () => {
    const schema = completionSchema('main', tables) as Record<string, Record<string, { label: string; detail: string }[]>>;
    expect(Object.keys(schema)).toEqual(['main']);
    expect(Object.keys(schema.main)).toEqual(['events', 'users', 'bare']);
    expect(schema.main.events.map((c) => c.label)).toEqual(['event_id', 'dt']);
    expect(schema.main.events[1].detail).toBe('varchar · partition');
    expect(schema.main.bare).toEqual([]);
  });

  it('says "partition" in the UI language', () => {
    setLocale('zh-CN');
    const schema = completionSchema('main', tables) as unknown as Record<string, Record<string, { detail: string }[]>>;
    expect(schema.main.events[1].detail).toBe('varchar · 分区');
    expect(columnCompletions('SELECT  FROM events', tables)[1].detail).toBe('events · varchar · 分区');
    setLocale('en');
    expect(columnCompletions('SELECT  FROM events', tables)[1].detail).toBe('events · varchar · partition');
    expect(columnCompletions('SELECT  FROM events', tables)[0].detail).toBe('events · bigint');
  });

  it('offers the columns of the tables the statement names, quoted when needed', () => {
    const onlyUsers = columnCompletions('SELECT  FROM users', tables);
    expect(onlyUsers.map((c) => c.label)).toEqual(['email', 'Signup Date']);
    expect(onlyUsers[1].apply).toBe('"Signup Date"');
    expect(columnCompletions('SELECT * FROM "events" e JOIN users u', tables).map((c) => c.label))
      .toEqual(['event_id', 'dt', 'email', 'Signup Date']);
  });

  it('offers every column when no table is named', () => {
    expect(columnCompletions('SELECT ', tables)).toHaveLength(4);
    expect(columnCompletions('SELECT * FROM eventsx', tables)).toHaveLength(4);
  });
});

describe('columns of tables listed without them', () => {
  it('knows which tables a statement names', () => {
    expect(mentionedTables('SELECT * FROM bare b JOIN "users" u', tables).map((x) => x.name)).toEqual(['users', 'bare']);
    expect(mentionedTables('SELECT barely FROM x', tables)).toEqual([]);
  });

  it('merges loaded columns, whatever the number of bare tables, and marks unanswered ones', () => {
    const many: CatalogTable[] = Array.from({ length: 120 }, (_, i) => ({ name: `t${i}` }));
    const merged = mergeColumns(many, [{ name: 't99', columns: [{ name: 'late_column', type: 'int' }] }], ['t99', 't100']);
    expect(merged).toHaveLength(120);
    expect(merged[99].columns?.map((c) => c.name)).toEqual(['late_column']);
    expect(merged[100].columns).toEqual([]);
    expect(merged[0].columns).toBeUndefined();
    expect(columnCompletions('SELECT  FROM t99', merged).map((c) => c.label)).toEqual(['late_column']);
  });
});
