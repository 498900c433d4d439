import { describe, expect, it } from 'vitest';
import type { Datasource } from '../src/api';
import {
  datasourceBody, datasourceSummary, emptyForm, formFromDatasource, validateDatasourceForm, type DatasourceForm,
} from '../src/datasourceform';

const pg = (extra: Partial<DatasourceForm> = {}): DatasourceForm => ({
  ...emptyForm('postgresql'), id: 'pg-sales', host: 'db.internal', port: '5432', database: 'sales', user: 'analyst', ...extra,
});

const stored: Datasource = {
  id: 'pg-sales', type: 'postgresql', owner: 'alice@example.com', shared: false,
  params: { host: 'db.internal', port: 5432, database: 'sales', user: 'analyst', sslMode: 'require' }, hasPassword: true,
};

describe('data source form validation', () => {
  it('accepts a complete PostgreSQL form and a SQLite file', () => {
    expect(validateDatasourceForm(pg(), 'create')).toEqual([]);
    expect(validateDatasourceForm({ ...emptyForm('sqlite'), id: 'lite', path: '/data/sqlite/a.db' }, 'create')).toEqual([]);
  });

  it('names each missing or malformed field, with the server\'s rules', () => {
    const errors = validateDatasourceForm({ ...emptyForm('mysql'), id: 'Bad Id', port: '70000', database: 'a b' }, 'create');
    expect(errors.map((e) => [e.field, e.key])).toEqual([
      ['id', 'ds.error.id'], ['host', 'ds.error.required'], ['port', 'ds.error.port'],
      ['database', 'ds.error.database'], ['user', 'ds.error.required'],
    ]);
    expect(validateDatasourceForm(pg({ id: '' }), 'create')).toEqual([{ field: 'id', key: 'ds.error.required' }]);
    expect(validateDatasourceForm(pg({ id: '-x' }), 'create')[0].key).toBe('ds.error.id');
    expect(validateDatasourceForm(pg({ port: '1.5' }), 'create')[0].field).toBe('port');
    expect(validateDatasourceForm(pg({ type: 'oracle' }), 'create')).toEqual([{ field: 'type', key: 'ds.error.type' }]);
    expect(validateDatasourceForm({ ...emptyForm('sqlite'), id: 'x', path: 'relative.db' }, 'create'))
      .toEqual([{ field: 'path', key: 'ds.error.absolutePath' }]);
  });

  it('does not ask for the id when editing (it cannot change)', () => {
    expect(validateDatasourceForm(pg({ id: '' }), 'edit')).toEqual([]);
  });

  it('needs no password: it is optional on create and kept when empty on edit', () => {
    expect(validateDatasourceForm(pg({ password: '' }), 'create')).toEqual([]);
  });
});

describe('data source request bodies', () => {
  it('sends only the fields of the type, the port as a number, an empty port left to the default', () => {
    expect(datasourceBody(pg({ password: 's3cret', sslMode: 'require' }), 'create')).toEqual({
      id: 'pg-sales', type: 'postgresql',
      params: { host: 'db.internal', port: 5432, database: 'sales', user: 'analyst', password: 's3cret', sslMode: 'require' },
    });
    expect(datasourceBody(pg({ port: '' }), 'create').params).not.toHaveProperty('port');
    expect(datasourceBody({ ...pg(), type: 'sqlite', path: ' /data/a.db ' }, 'create'))
      .toEqual({ id: 'pg-sales', type: 'sqlite', params: { path: '/data/a.db' } });
  });

  it('leaves an empty password out of an edit (the stored one is kept) and has no id in its body', () => {
    const body = datasourceBody(formFromDatasource(stored), 'edit');
    expect(body).toEqual({
      type: 'postgresql', params: { host: 'db.internal', port: 5432, database: 'sales', user: 'analyst', sslMode: 'require' },
    });
    expect(datasourceBody({ ...formFromDatasource(stored), password: 'new' }, 'edit').params.password).toBe('new');
  });

  it('starts an edit with an empty password field whatever is stored', () => {
    expect(formFromDatasource(stored).password).toBe('');
    expect(formFromDatasource(stored).port).toBe('5432');
  });

  it('summarises where a data source points', () => {
    expect(datasourceSummary(stored)).toBe('analyst@db.internal:5432/sales');
    expect(datasourceSummary({ ...stored, type: 'mysql', params: { host: 'h', database: 'd' } })).toBe('h:3306/d');
    expect(datasourceSummary({ ...stored, type: 'sqlite', params: { path: '/x/y.db' } })).toBe('/x/y.db');
  });
});
