/**
 * The data source form's logic, without the DOM: what the fields hold, what is wrong with them
 * (checked in the browser before the server checks again), and the request body they make. The
 * password is write-only: an edit starts with it empty, and empty means "keep the stored one".
 */

import type { Datasource, DatasourceBody } from './api';

export const DATASOURCE_TYPES = ['mysql', 'postgresql', 'sqlite'] as const;
export const SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export const DEFAULT_PORTS: Readonly<Record<string, number>> = { mysql: 3306, postgresql: 5432 };

/** The server's rule for a datasource id (DatasourceRequests.ID). */
export const DATASOURCE_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const DATABASE_NAME = /^[A-Za-z0-9_$][A-Za-z0-9_$.-]{0,127}$/;

export interface DatasourceForm {
  id: string;
  type: string;
  host: string;
  port: string;
  database: string;
  user: string;
  /** Empty: none on create, the stored one kept on edit. */
  password: string;
  /** Empty: the driver's default. */
  sslMode: string;
  path: string;
}

export type FormMode = 'create' | 'edit';

/** A field's problem: the field name and a UI catalog key. */
export interface FieldError {
  field: keyof DatasourceForm;
  key: string;
}

export function emptyForm(type = 'postgresql'): DatasourceForm {
  return { id: '', type, host: '', port: '', database: '', user: '', password: '', sslMode: '', path: '' };
}

export function isNetworked(type: string): boolean {
  return type !== 'sqlite';
}

/** The form for editing `ds`: its settings, and never a password (the API has none to give). */
export function formFromDatasource(ds: Datasource): DatasourceForm {
  const p = ds.params ?? {};
  return {
    id: ds.id,
    type: ds.type,
    host: p.host ?? '',
    port: p.port === undefined || p.port === null ? '' : String(p.port),
    database: p.database ?? '',
    user: p.user ?? '',
    password: '',
    sslMode: p.sslMode ?? '',
    path: p.path ?? '',
  };
}

/** What is wrong with the form, in field order; empty when it may be sent. */
export function validateDatasourceForm(form: DatasourceForm, mode: FormMode): FieldError[] {
  const errors: FieldError[] = [];
  if (mode === 'create') {
    if (!form.id.trim()) errors.push({ field: 'id', key: 'ds.error.required' });
    else if (!DATASOURCE_ID.test(form.id.trim())) errors.push({ field: 'id', key: 'ds.error.id' });
  }
  if (!(DATASOURCE_TYPES as readonly string[]).includes(form.type)) {
    errors.push({ field: 'type', key: 'ds.error.type' });
    return errors;
  }
  if (!isNetworked(form.type)) {
    const path = form.path.trim();
    if (!path) errors.push({ field: 'path', key: 'ds.error.required' });
    else if (!path.startsWith('/')) errors.push({ field: 'path', key: 'ds.error.absolutePath' });
    return errors;
  }
  if (!form.host.trim()) errors.push({ field: 'host', key: 'ds.error.required' });
  const port = form.port.trim();
  if (port && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
    errors.push({ field: 'port', key: 'ds.error.port' });
  }
  const database = form.database.trim();
  if (!database) errors.push({ field: 'database', key: 'ds.error.required' });
  else if (!DATABASE_NAME.test(database)) errors.push({ field: 'database', key: 'ds.error.database' });
  if (!form.user.trim()) errors.push({ field: 'user', key: 'ds.error.required' });
  if (form.sslMode && !(SSL_MODES as readonly string[]).includes(form.sslMode)) {
    errors.push({ field: 'sslMode', key: 'ds.error.sslMode' });
  }
  return errors;
}

/**
 * The body of POST /api/datasources (create, with id) or PUT /api/datasources/{id} (edit). Only
 * the fields of the type are sent; an empty password is left out (on edit: keep the stored one).
 */
export function datasourceBody(form: DatasourceForm, mode: FormMode): DatasourceBody {
  const params: Record<string, string | number> = {};
  if (isNetworked(form.type)) {
    params.host = form.host.trim();
    if (form.port.trim()) params.port = Number(form.port.trim());
    params.database = form.database.trim();
    params.user = form.user.trim();
    if (form.password !== '') params.password = form.password;
    if (form.sslMode) params.sslMode = form.sslMode;
  } else {
    params.path = form.path.trim();
  }
  const body: DatasourceBody = { type: form.type, params };
  return mode === 'create' ? { id: form.id.trim(), ...body } : body;
}

/** Where a datasource points, for its list item: host:port/database, or the SQLite file. */
export function datasourceSummary(ds: Datasource): string {
  const p = ds.params ?? {};
  if (!isNetworked(ds.type)) return p.path ?? '';
  const port = p.port ?? DEFAULT_PORTS[ds.type];
  return `${p.user ? `${p.user}@` : ''}${p.host ?? ''}${port ? `:${port}` : ''}/${p.database ?? ''}`;
}
