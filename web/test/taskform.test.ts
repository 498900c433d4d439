import { describe, expect, it } from 'vitest';
import { asyncQueryBody, attachDatabases, suggestAlias, validateTaskForm, type TaskForm } from '../src/taskform';

const form = (extra: Partial<TaskForm> = {}): TaskForm => ({ sql: 'SELECT * FROM lite.items', tableName: '', attach: [], ...extra });

describe('run as task: validation', () => {
  it('accepts SQL alone, and a valid table name', () => {
    expect(validateTaskForm(form())).toEqual([]);
    expect(validateTaskForm(form({ tableName: '_Items_2026' }))).toEqual([]);
    expect(validateTaskForm(form({ tableName: `a${'b'.repeat(62)}` }))).toEqual([]);
  });

  it('refuses a table name that is not an identifier', () => {
    for (const name of ['1items', 'my-table', 'a b', 'x.y', `a${'b'.repeat(63)}`, 'naïve']) {
      expect(validateTaskForm(form({ tableName: name })), name).toEqual([{ field: 'tableName', key: 'task.error.identifier' }]);
    }
  });

  it('refuses empty SQL', () => {
    expect(validateTaskForm(form({ sql: '  ' }))).toEqual([{ field: 'sql', key: 'task.error.sqlEmpty' }]);
  });

  it('refuses a row with an empty alias instead of dropping it', () => {
    const errors = validateTaskForm(form({ attach: [{ alias: 'lite', connectionId: 'lite-db' }, { alias: ' ', connectionId: 'pg' }] }));
    expect(errors).toEqual([{ field: 'alias', row: 1, key: 'task.error.aliasRequired' }]);
  });

  it('refuses an alias used twice, whatever its case', () => {
    const errors = validateTaskForm(form({ attach: [
      { alias: 'lite', connectionId: 'a' }, { alias: 'pg', connectionId: 'b' }, { alias: 'LITE', connectionId: 'c' },
    ] }));
    expect(errors).toEqual([{ field: 'alias', row: 2, key: 'task.error.aliasDuplicate' }]);
  });

  it('refuses an alias that is not an identifier and a row without a data source', () => {
    const errors = validateTaskForm(form({ attach: [{ alias: 'my-db', connectionId: '' }] }));
    expect(errors).toEqual([
      { field: 'alias', row: 0, key: 'task.error.identifier' },
      { field: 'connectionId', row: 0, key: 'task.error.datasourceRequired' },
    ]);
  });
});

describe('run as task: the request body', () => {
  it('maps the rows to attach_databases exactly, in order', () => {
    const rows = [{ alias: ' lite ', connectionId: 'lite-db' }, { alias: 'pg', connectionId: 'pg-sales' }];
    expect(attachDatabases(rows)).toEqual([
      { alias: 'lite', connection_id: 'lite-db' }, { alias: 'pg', connection_id: 'pg-sales' },
    ]);
    expect(asyncQueryBody(form({ tableName: ' items_copy ', attach: rows }))).toEqual({
      sql: 'SELECT * FROM lite.items', task_type: 'query', custom_table_name: 'items_copy',
      attach_databases: [{ alias: 'lite', connection_id: 'lite-db' }, { alias: 'pg', connection_id: 'pg-sales' }],
    });
  });

  it('leaves out what was not given', () => {
    expect(asyncQueryBody(form())).toEqual({ sql: 'SELECT * FROM lite.items', task_type: 'query' });
  });

  it('suggests an alias from a data source id', () => {
    expect(suggestAlias('pg-sales')).toBe('pg_sales');
    expect(suggestAlias('2024-db')).toBe('_2024_db');
    expect(suggestAlias('lite')).toBe('lite');
  });
});
