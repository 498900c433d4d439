import { describe, expect, it } from 'vitest';
import { columnCompletions } from '../src/editor';
import { completionSchema } from '../src/catalog';
import type { CatalogTable } from '../src/api';

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
