// The mock's data sources, async tasks and workspace tables (see mock-server.mjs), for UI work
// before or without the Java server. A task's SQL steers it:
//   "orders"              FAILED: the table does not exist (Retry fails the same way)
//   range(N), N > 10 million   RUNNING for a minute (cancel it)
//   anything else         SUCCEEDED after a second and a half, its table (3 rows) in the workspace

import crypto from 'node:crypto';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const now = () => new Date().toISOString();

const datasources = [
  { id: 'shop-lite', type: 'sqlite', owner: 'anonymous', shared: false, params: { path: '/data/sqlite/shop.db' }, hasPassword: false },
  { id: 'pg-analytics', type: 'postgresql', owner: 'admin@example.com', shared: true, hasPassword: true,
    params: { host: 'db.internal', port: 5432, database: 'analytics', user: 'analyst', sslMode: 'require' } },
].map((d) => ({ ...d, createdAt: now(), updatedAt: now() }));

/** @type {any[]} newest first */
const tasks = [];
/** @type {Map<string, any>} */
const tables = new Map();

function plan(task) {
  const sql = task.metadata.sql;
  const big = /range\((\d+)\)/i.exec(sql);
  if (/orders/i.test(sql)) return { ms: 900, fail: 'Catalog Error: Table with name orders does not exist!' };
  if (big && Number(big[1]) > 10_000_000) return { ms: 60_000 };
  return { ms: 1500 };
}

function start(task) {
  const p = plan(task);
  task.timers = [
    setTimeout(() => { task.state = 'RUNNING'; task.started_at = now(); }, 300),
    setTimeout(() => {
      if (task.state !== 'RUNNING') return;
      task.finished_at = now();
      if (p.fail) {
        task.state = 'FAILED';
        task.error = { code: 'QUERY_FAILED', message: p.fail, details: {} };
        return;
      }
      task.state = 'SUCCEEDED';
      const name = task.metadata.custom_table_name ?? `task_${task.task_id.slice(0, 8)}`;
      const columns = [{ name: 'id', type: 'BIGINT' }, { name: 'name', type: 'VARCHAR' }, { name: 'price', type: 'DOUBLE' }];
      tables.set(name, { name, rows: 3, columns, source: { kind: 'task', id: task.task_id } });
      task.result_info = {
        status: 'SUCCEEDED', table_name: name, row_count: 3, columns,
        attached_databases: (task.metadata.attach_databases ?? []).map((a) => a.alias),
        is_federated: (task.metadata.attach_databases ?? []).length > 0, execution_time_ms: p.ms - 300,
      };
    }, p.ms),
  ];
}

function newTask(metadata, retryOf = null) {
  const task = {
    task_id: crypto.randomUUID(), state: 'PENDING', task_type: 'query', owner: 'anonymous', metadata,
    result_info: null, error: null, created_at: now(), started_at: null, finished_at: null, retry_of: retryOf, cancel_requested: false,
  };
  tasks.unshift(task);
  start(task);
  return task;
}

const view = ({ timers, ...task }) => task;

/**
 * Answers the routes of datasources, tasks and the workspace; false when `p` is none of them.
 * `reply(status, code, data)` and `refuse(status, code, details)` answer in the mock's envelope.
 */
export async function handleTasks(p, method, url, readBody, reply, refuse) {
  let g;
  if (p === '/api/datasources' && method === 'GET') return reply(200, 'DATASOURCES_LISTED', { items: datasources }), true;
  if ((g = /^\/api\/datasources\/([^/]+)\/test$/.exec(p)) && method === 'POST') {
    const d = datasources.find((x) => x.id === g[1]);
    if (!d) return refuse(404, 'CONNECTION_NOT_FOUND', {}), true;
    if (d.type !== 'sqlite') return refuse(422, 'CONNECTION_TIMEOUT', { type: d.type, reason: 'connect timed out', id: d.id, elapsedMillis: 5000 }), true;
    return reply(200, 'CONNECTION_TEST_SUCCEEDED', { id: d.id, ok: true, type: d.type, elapsedMillis: 12 }), true;
  }
  if (p === '/api/async_query' && method === 'POST') {
    const b = await readBody();
    if (typeof b.sql !== 'string' || !b.sql.trim()) return refuse(400, 'VALIDATION_ERROR', { field: 'sql', reason: 'is required' }), true;
    if (b.custom_table_name !== undefined && !IDENT.test(b.custom_table_name)) {
      return refuse(400, 'VALIDATION_ERROR', { field: 'custom_table_name', reason: 'must be an identifier' }), true;
    }
    if (b.custom_table_name && tables.has(b.custom_table_name)) {
      return refuse(400, 'VALIDATION_ERROR', { field: 'custom_table_name', reason: 'a workspace table has this name' }), true;
    }
    for (const a of b.attach_databases ?? []) {
      if (!datasources.some((d) => d.id === a.connection_id)) return refuse(404, 'CONNECTION_NOT_FOUND', { connection_id: a.connection_id }), true;
    }
    const task = newTask({ sql: b.sql, task_type: 'query', custom_table_name: b.custom_table_name ?? null, attach_databases: b.attach_databases ?? null, datasource: null });
    return reply(202, 'TASK_SUBMITTED', view(task)), true;
  }
  if (p === '/api/async_tasks' && method === 'GET') {
    const state = url.searchParams.get('state');
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const items = tasks.filter((x) => !state || x.state === state).slice(0, limit).map(view);
    return reply(200, 'TASKS_LISTED', { items, nextCursor: null }), true;
  }
  if ((g = /^\/api\/async_tasks\/([^/]+)(?:\/(cancel|retry))?$/.exec(p))) {
    const task = tasks.find((x) => x.task_id === g[1]);
    if (!task) return refuse(404, 'TASK_NOT_FOUND', {}), true;
    if (!g[2] && method === 'GET') return reply(200, 'TASK_DETAILS', view(task)), true;
    if (g[2] === 'cancel' && method === 'POST') {
      if (!['PENDING', 'RUNNING'].includes(task.state)) return refuse(409, 'TASK_ALREADY_FINISHED', {}), true;
      task.cancel_requested = true;
      setTimeout(() => {
        task.timers.forEach(clearTimeout);
        task.state = 'CANCELLED';
        task.finished_at = now();
        task.error = { code: 'TASK_CANCELLED', message: 'cancelled by the user', details: {} };
      }, 400);
      return reply(200, 'TASK_CANCELLED', view(task)), true;
    }
    if (g[2] === 'retry' && method === 'POST') {
      if (!['FAILED', 'CANCELLED'].includes(task.state)) return refuse(409, 'TASK_NOT_RETRYABLE', {}), true;
      const b = await readBody();
      const retried = newTask({ ...task.metadata, attach_databases: b.attach_databases ?? task.metadata.attach_databases }, task.task_id);
      return reply(202, 'TASK_SUBMITTED', view(retried)), true;
    }
  }
  if (p === '/api/workspace/tables' && method === 'GET') return reply(200, 'WORKSPACE_TABLES', { items: [...tables.values()] }), true;
  if ((g = /^\/api\/workspace\/tables\/([^/]+)$/.exec(p)) && method === 'DELETE') {
    const name = decodeURIComponent(g[1]);
    if (!tables.delete(name)) return refuse(404, 'TABLE_NOT_FOUND', {}), true;
    return reply(200, 'WORKSPACE_TABLE_DROPPED', { name, dropped: true }), true;
  }
  return false;
}
