/**
 * "Run as task" without the DOM: the dialog's fields, what is wrong with them (checked here before
 * the server checks again), and the body of POST /api/async_query they make.
 */

import type { AsyncQueryBody, AttachDatabase } from './api';

/** A workspace table name or an attach alias: an identifier DuckDB takes unquoted (the server's rule too). */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** One "attach this datasource as alias" row of the dialog. */
export interface AttachRow {
  alias: string;
  /** The chosen datasource's id; empty when none is chosen yet. */
  connectionId: string;
}

export interface TaskForm {
  sql: string;
  /** Optional: the server names the result table when this is empty. */
  tableName: string;
  attach: AttachRow[];
}

/** A problem of the form: where (`tableName`, `sql`, or an attach row's field) and a UI catalog key. */
export interface TaskFormError {
  field: 'sql' | 'tableName' | 'alias' | 'connectionId';
  /** The attach row, for alias and connectionId. */
  row?: number;
  key: string;
}

export function validateTaskForm(form: TaskForm): TaskFormError[] {
  const errors: TaskFormError[] = [];
  if (!form.sql.trim()) errors.push({ field: 'sql', key: 'task.error.sqlEmpty' });
  const table = form.tableName.trim();
  if (table && !IDENTIFIER.test(table)) errors.push({ field: 'tableName', key: 'task.error.identifier' });
  const seen = new Set<string>();
  form.attach.forEach((row, i) => {
    const alias = row.alias.trim();
    if (!alias) {
      errors.push({ field: 'alias', row: i, key: 'task.error.aliasRequired' });
    } else if (!IDENTIFIER.test(alias)) {
      errors.push({ field: 'alias', row: i, key: 'task.error.identifier' });
    } else if (seen.has(alias.toLowerCase())) {
      // DuckDB's names are case-insensitive: "Lite" and "lite" are one alias.
      errors.push({ field: 'alias', row: i, key: 'task.error.aliasDuplicate' });
    } else {
      seen.add(alias.toLowerCase());
    }
    if (!row.connectionId) errors.push({ field: 'connectionId', row: i, key: 'task.error.datasourceRequired' });
  });
  return errors;
}

/** The rows as the API takes them, in their order: `{alias, connection_id}`. */
export function attachDatabases(rows: readonly AttachRow[]): AttachDatabase[] {
  return rows.map((row) => ({ alias: row.alias.trim(), connection_id: row.connectionId }));
}

/** The body of POST /api/async_query; optional fields only when given. Call after {@link validateTaskForm}. */
export function asyncQueryBody(form: TaskForm): AsyncQueryBody {
  const body: AsyncQueryBody = { sql: form.sql, task_type: 'query' };
  const table = form.tableName.trim();
  if (table) body.custom_table_name = table;
  if (form.attach.length) body.attach_databases = attachDatabases(form.attach);
  return body;
}

/** An alias to offer for a datasource id (ids may hold '-', aliases may not): "pg-sales" → "pg_sales". */
export function suggestAlias(connectionId: string): string {
  let alias = connectionId.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z_]/.test(alias)) alias = `_${alias}`;
  return alias.slice(0, 63);
}
