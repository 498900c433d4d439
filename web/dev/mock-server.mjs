#!/usr/bin/env node
// A small stand-in for the Sluice API (docs/API.md) for developing the web UI without the Java
// server. Not shipped. No dependencies: `node dev/mock-server.mjs [--port 8091] [--static dir]`.
//
// SQL that steers it:
//   sleep(N) / pg_sleep(N)   runs N seconds (cancel it); range(N) with N > 10 million runs a minute
//   range(N)                 N rows of mixed values (NULLs, empty strings, long text)
//   a syntax error           "SELEC", "FROMM" or the word "syntax" → FAILED / SYNTAX_ERROR
//   timeout                  → TIMED_OUT after a second
//   scanlimit                → CANCELLED by SCAN_LIMIT_EXCEEDED (athena)
//   truncated                a result the server kept only part of, with cut values (mock-limits.mjs)
//   anything else            a small table of sample events
// The athena engine reports scanned bytes and cost and gives a download link on a second port
// (another origin, like S3); duckdb gives a same-origin /api/files/{token} link. Data sources,
// async tasks and workspace tables: mock-tasks.mjs. Usage, budgets, lint and the result cache
// (athena): mock-usage.mjs.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { truncatedPlan } from './mock-limits.mjs';
import { handleTasks } from './mock-tasks.mjs';
import { cacheSource, handleUsage, submitCheck } from './mock-usage.mjs';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const PORT = Number(arg('port', process.env.SLUICE_MOCK_PORT ?? 8091));
const S3_PORT = PORT + 1;
const STATIC = arg('static', null);

const MESSAGES = {
  zh: { QUERY_SUBMITTED: '查询已提交', QUERY_STATUS: '查询状态', QUERY_RESULTS: '查询结果', QUERY_NOT_FOUND: '查询不存在',
    QUERY_NOT_FINISHED: '查询尚未完成', QUERY_CANCELLED: '查询已取消', QUERY_FAILED: '查询失败', QUERY_TIMED_OUT: '查询运行超时，已被停止' },
  en: { QUERY_SUBMITTED: 'Query submitted', QUERY_STATUS: 'Query status', QUERY_RESULTS: 'Query results', QUERY_NOT_FOUND: 'Query not found',
    QUERY_NOT_FINISHED: 'The query has not finished yet', QUERY_CANCELLED: 'Query cancelled', QUERY_FAILED: 'The query failed',
    QUERY_TIMED_OUT: 'The query ran longer than allowed and was stopped' },
};

function message(req, code) {
  const lang = /^en/i.test(req.headers['accept-language'] ?? '') ? 'en' : 'zh';
  return `[mock] ${MESSAGES[lang][code] ?? code}`;
}

function send(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

const now = () => new Date().toISOString();
function ok(req, res, status, code, data) {
  send(res, status, { success: true, data, messageCode: code, message: message(req, code), timestamp: now() });
}
function fail(req, res, status, code, details = {}, data) {
  const msg = message(req, code);
  const body = { success: false, error: { code, message: msg, details }, messageCode: code, message: msg, timestamp: now() };
  if (data !== undefined) body.data = data;
  send(res, status, body);
}

// ------------------------------------------------------------------ data

const CATALOG = {
  duckdb: {
    sluice: {
      main: {
        events: [['event_id', 'bigint'], ['user_email', 'varchar'], ['event_type', 'varchar'], ['payload', 'json'], ['created_at', 'timestamp']],
        users: [['email', 'varchar'], ['name', 'varchar'], ['Signup Date', 'date']],
        'Order': [['id', 'integer'], ['amount', 'decimal(12,2)']],
      },
      staging: { raw_lines: [['line', 'varchar']] },
    },
  },
  athena: {
    AwsDataCatalog: {
      default: {
        cloudfront_logs: [['date', 'date'], ['time', 'varchar'], ['uri', 'varchar'], ['status', 'integer'], ['dt', 'varchar', true]],
      },
      analytics: {
        sessions: [['session_id', 'varchar'], ['duration_ms', 'bigint'], ['region', 'varchar', true], ['dt', 'varchar', true]],
      },
    },
  },
};

const CONFIG = {
  defaultEngine: 'duckdb',
  engines: [
    { name: 'duckdb', type: 'duckdb', defaultCatalog: 'sluice', defaultDatabase: 'main', maxRuntimeSeconds: 3600,
      capabilities: { cancel: true, partialDownload: false, catalog: true, cost: false, dialect: 'duckdb',
        scannedBytes: false, resultReuse: false, engineDownloadLink: false } },
    { name: 'athena', type: 'athena',
      capabilities: { cancel: true, partialDownload: true, catalog: true, cost: true, dialect: 'trino',
        scannedBytes: true, resultReuse: true, engineDownloadLink: true },
      region: 'us-east-1', workgroup: 'primary', outputLocation: 's3://sluice-results/athena/',
      defaultCatalog: 'AwsDataCatalog', defaultDatabase: 'default', maxRuntimeSeconds: 86400,
      maxScannedBytes: 10737418240, resultReuseMinutes: 60, pollIntervalMillis: 1000 },
  ],
  results: { defaultPageSize: 100, maxPageSize: 1000 },
  auth: { enabled: false, identityHeader: 'X-Email' },
  user: 'anonymous',
  locales: ['zh-CN', 'en'],
  defaultLocale: 'zh-CN',
  datasources: { enabled: true, types: ['mysql', 'postgresql', 'sqlite'], connectTimeoutSeconds: 5 },
  tasks: { enabled: true },
};

/** @type {Map<string, any>} */
const queries = new Map();
const order = [];
const tokens = new Map();

function plan(sql) {
  const lower = sql.toLowerCase();
  const sleep = /(?:pg_)?sleep\s*\(\s*([\d.]+)\s*\)/.exec(lower);
  const range = /range\s*\(\s*(\d+)\s*\)/.exec(lower);
  if (/\bselec\b|\bfromm\b|\bsyntax\b/.test(lower)) {
    return { ms: 150, outcome: 'FAILED', error: { code: 'SYNTAX_ERROR',
      message: 'Parser Error: syntax error at or near "SELEC"\n\nLINE 1: SELEC 1\n        ^', details: { line: 1, column: 1 } } };
  }
  if (lower.includes('timeout')) {
    return { ms: 1000, outcome: 'TIMED_OUT', error: { code: 'QUERY_TIMED_OUT', message: 'the query ran longer than 1 s', details: { limitSeconds: 1 } } };
  }
  if (lower.includes('scanlimit')) {
    return { ms: 800, outcome: 'CANCELLED', error: { code: 'SCAN_LIMIT_EXCEEDED', message: 'scanned 12.0 GB, the limit is 10.0 GB', details: {} } };
  }
  if (/select\s+42\s+as\s+answer/.test(lower)) {
    return { ms: 120, outcome: 'SUCCEEDED', columns: [{ name: 'answer', type: 'integer' }], rows: () => [[42]], count: 1 };
  }
  let ms = sleep ? Number(sleep[1]) * 1000 : 300;
  if (lower.includes('truncated')) return truncatedPlan(ms);
  if (range && Number(range[1]) > 10_000_000) {
    // Like the server's own slow test query: runs for a minute unless cancelled.
    return { ms: sleep ? ms : 60_000, outcome: 'SUCCEEDED', columns: [{ name: 'sum', type: 'hugeint' }], rows: () => [['123456789']], count: 1 };
  }
  if (range) {
    const n = Number(range[1]);
    const longText = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. '.repeat(3);
    return {
      ms, outcome: 'SUCCEEDED', count: n,
      columns: [{ name: 'id', type: 'bigint' }, { name: 'name', type: 'varchar' }, { name: 'note', type: 'varchar' },
        { name: 'amount', type: 'decimal(12,2)' }, { name: 'ok', type: 'boolean' }, { name: 'created_at', type: 'timestamp' }],
      rows: (offset, limit) => Array.from({ length: Math.max(0, Math.min(limit, n - offset)) }, (_, i) => {
        const k = offset + i;
        return [k, k % 5 === 0 ? '' : `name-${k}`, k % 7 === 0 ? null : (k % 3 === 0 ? longText : `short ${k}`),
          (k * 1.25).toFixed(2), k % 2 === 0, new Date(Date.UTC(2026, 0, 1) + k * 3600_000).toISOString().replace('T', ' ').slice(0, 19)];
      }),
    };
  }
  const types = ['login', 'logout', 'query', 'download'];
  return {
    ms, outcome: 'SUCCEEDED', count: 250,
    columns: [{ name: 'event_id', type: 'bigint' }, { name: 'event_type', type: 'varchar' }, { name: 'user_email', type: 'varchar' }, { name: 'payload', type: 'json' }],
    rows: (offset, limit) => Array.from({ length: Math.max(0, Math.min(limit, 250 - offset)) }, (_, i) => {
      const k = offset + i;
      return [k + 1, types[k % 4], k % 9 === 0 ? null : `user${k % 13}@example.com`, JSON.stringify({ ip: `10.0.0.${k % 255}`, agent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36' })];
    }),
  };
}

function startRun(q) {
  q.run = (q.run ?? 0) + 1;
  q.state = 'QUEUED';
  q.submittedAt = Date.now();
  q.startedAt = null;
  q.completedAt = null;
  q.error = null;
  q.cachedFrom = null;
  q.savedUsd = null;
  q.plan = plan(q.query);
  q.timers?.forEach(clearTimeout);
  const run = q.run;
  q.timers = [
    setTimeout(() => { if (q.run === run && q.state === 'QUEUED') { q.state = 'RUNNING'; q.startedAt = Date.now(); } }, 200),
    setTimeout(() => {
      if (q.run !== run || (q.state !== 'RUNNING' && q.state !== 'QUEUED')) return;
      q.startedAt ??= Date.now();
      q.state = q.plan.outcome;
      q.error = q.plan.error ?? null;
      q.completedAt = Date.now();
    }, 200 + q.plan.ms),
  ];
}

/** A cache hit: SUCCEEDED at once with the source's result, nothing scanned, the source's cost saved. */
function answerFromCache(q, source) {
  const saved = Number(view(source).statistics.costUsd ?? 0);
  q.run = 1;
  q.plan = { ...source.plan, ms: 0 };
  q.submittedAt = Date.now();
  q.startedAt = q.submittedAt;
  q.completedAt = q.submittedAt;
  q.state = 'SUCCEEDED';
  q.error = null;
  q.cachedFrom = { queryId: source.id, run: source.run };
  q.savedUsd = saved;
}

function seconds(ms) {
  return ms === null ? null : Math.round(Math.max(0, ms)) / 1000;
}

function view(q, full = true) {
  const end = q.completedAt ?? Date.now();
  const queueMs = (q.startedAt ?? (q.state === 'QUEUED' ? Date.now() : end)) - q.submittedAt;
  const execMs = q.startedAt ? end - q.startedAt : null;
  const athena = q.engine === 'athena';
  const scanned = athena && execMs !== null ? (q.cachedFrom ? 0 : Math.round(execMs * 1_234_567)) : null;
  const succeeded = q.state === 'SUCCEEDED';
  return {
    id: q.id, state: q.state, engine: q.engine, query: full ? q.query : q.query.slice(0, 2000),
    ...(full ? {} : { queryTruncated: q.query.length > 2000 }),
    catalog: q.catalog, database: q.database, run: q.run, requestId: null,
    createdAt: new Date(q.createdAt).toISOString(), submittedAt: new Date(q.submittedAt).toISOString(),
    startedAt: q.startedAt ? new Date(q.startedAt).toISOString() : null,
    completedAt: q.completedAt ? new Date(q.completedAt).toISOString() : null,
    statistics: {
      queueSeconds: Number(seconds(queueMs).toFixed(2)), executionSeconds: execMs === null ? null : Number(seconds(execMs).toFixed(2)),
      rows: succeeded ? q.plan.count : null, resultBytes: succeeded ? q.plan.count * 40 : null,
      dataScannedBytes: scanned, dataScannedGb: scanned === null ? null : Number((scanned / 1024 ** 3).toFixed(2)),
      costUsd: scanned === null ? null : Number(((scanned / 1024 ** 4) * 5).toFixed(6)), resultReused: false,
      ...(q.cachedFrom ? { cachedFrom: q.cachedFrom, savedUsd: q.savedUsd } : {}),
    },
    error: q.error,
    ...(q.warnings?.length ? { warnings: q.warnings } : {}),
    ...(q.cachedFrom ? { cached: true } : {}),
    ...(succeeded && q.plan.truncation ? { truncated: true, truncation: q.plan.truncation } : {}),
  };
}

const encodeCursor = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const decodeCursor = (s) => { try { return JSON.parse(Buffer.from(s, 'base64url').toString()); } catch { return null; } };

function csv(q) {
  const cell = (v) => (v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  const lines = [q.plan.columns.map((c) => c.name).join(',')];
  const rows = q.plan.rows(0, q.plan.count);
  for (const row of rows) lines.push(row.map(cell).join(','));
  return lines.join('\n') + '\n';
}

// ------------------------------------------------------------------ routes

async function body(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  return JSON.parse(text);
}

const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.png': 'image/png' };

function serveStatic(req, res, pathname) {
  if (!STATIC) return false;
  const root = path.resolve(STATIC);
  let file = path.resolve(root, '.' + decodeURIComponent(pathname));
  if (!file.startsWith(root)) return false;
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html');
  res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
  return true;
}

async function handle(req, res) {
  const url = new URL(req.url, `http://${req.headers.host}`);
  const p = url.pathname.replace(/^\/(?=query(\/|$))/, '/api/');
  const m = (re) => re.exec(p);
  const method = req.method;
  let g;

  if (p === '/health') return ok(req, res, 200, 'HEALTHY', { status: 'UP' });
  if (!p.startsWith('/api/')) {
    if (serveStatic(req, res, url.pathname)) return;
    return fail(req, res, 404, 'ROUTE_NOT_FOUND');
  }
  if (p === '/api/config' && method === 'GET') return ok(req, res, 200, 'CONFIG', CONFIG);
  if (await handleUsage(p, method, url, () => body(req),
    (status, code, data) => ok(req, res, status, code, data), (status, code, details) => fail(req, res, status, code, details),
    queries, view)) return;
  if (await handleTasks(p, method, url, () => body(req),
    (status, code, data) => ok(req, res, status, code, data), (status, code, details) => fail(req, res, status, code, details))) return;

  if (p === '/api/query' && method === 'POST') {
    let b;
    try { b = await body(req); } catch { return fail(req, res, 400, 'INVALID_JSON'); }
    const extra = Object.keys(b).filter((k) => !['query', 'engine', 'catalog', 'database', 'maxScanGb', 'cache', 'budgetOverride'].includes(k));
    if (extra.length) return fail(req, res, 400, 'INVALID_FIELD', { field: extra[0] });
    if (typeof b.query !== 'string' || !b.query.trim()) return fail(req, res, 400, 'QUERY_EMPTY');
    const engine = b.engine ?? CONFIG.defaultEngine;
    const ec = CONFIG.engines.find((e) => e.name === engine);
    if (!ec) return fail(req, res, 400, 'UNKNOWN_ENGINE', { engine });
    const check = submitCheck(b, engine);
    if (check.refuse) return fail(req, res, check.refuse.status, check.refuse.code, check.refuse.details);
    const q = { id: crypto.randomUUID(), engine, query: b.query, catalog: b.catalog ?? ec.defaultCatalog, database: b.database ?? ec.defaultDatabase, createdAt: Date.now(), warnings: check.warnings };
    const source = b.cache === false ? null : cacheSource(queries, q);
    queries.set(q.id, q);
    order.unshift(q.id);
    if (source) {
      answerFromCache(q, source);
      return ok(req, res, 202, 'QUERY_SUBMITTED', { id: q.id, state: q.state, engine, run: q.run, cached: true, ...(q.warnings.length ? { warnings: q.warnings } : {}) });
    }
    startRun(q);
    return ok(req, res, 202, 'QUERY_SUBMITTED', { id: q.id, state: q.state, engine, run: q.run, ...(q.warnings.length ? { warnings: q.warnings } : {}) });
  }

  if ((g = m(/^\/api\/query\/([^/]+)\/(status|results|refresh|cancel|download|value)$/))) {
    const q = queries.get(g[1]);
    if (!q) return fail(req, res, 404, 'QUERY_NOT_FOUND');
    const action = g[2];
    if (action === 'status' && method === 'GET') return ok(req, res, 200, 'QUERY_STATUS', view(q));
    if (action === 'results' && method === 'GET') {
      if (q.state === 'QUEUED' || q.state === 'RUNNING') return fail(req, res, 409, 'QUERY_NOT_FINISHED');
      if (q.state === 'CANCELLED') return fail(req, res, 410, 'QUERY_CANCELLED');
      if (q.state === 'TIMED_OUT') return fail(req, res, 410, 'QUERY_TIMED_OUT');
      if (q.state === 'FAILED') return fail(req, res, 422, 'QUERY_FAILED');
      const limitText = url.searchParams.get('limit') ?? '100';
      const limit = Number(limitText);
      if (!/^\d+$/.test(limitText) || limit < 1 || limit > 1000) return fail(req, res, 400, 'INVALID_LIMIT', { max: 1000 });
      const cursorText = url.searchParams.get('cursor');
      const offsetText = url.searchParams.get('offset');
      if (cursorText && offsetText) return fail(req, res, 400, 'INVALID_PARAMETER', { reason: 'cursor and offset' });
      let offset = 0;
      if (cursorText) {
        const c = decodeCursor(cursorText);
        if (!c || c.run !== q.run || c.id !== q.id) return fail(req, res, 400, 'INVALID_CURSOR');
        offset = c.offset;
      } else if (offsetText) {
        if (!/^\d+$/.test(offsetText)) return fail(req, res, 400, 'INVALID_PARAMETER', { field: 'offset' });
        offset = Number(offsetText);
      }
      const rows = q.plan.rows(offset, Math.min(limit, q.plan.maxPageRows ?? limit));
      const next = offset + rows.length < q.plan.count ? encodeCursor({ id: q.id, run: q.run, offset: offset + rows.length }) : null;
      const cut = q.plan.truncation ? { truncated: true, truncation: q.plan.truncation, truncatedCells: q.plan.cutCells(offset, rows.length) } : {};
      return ok(req, res, 200, 'QUERY_RESULTS', {
        id: q.id, completedAt: new Date(q.completedAt).toISOString(), columns: q.plan.columns, rows,
        offset, totalRows: q.plan.count, nextCursor: next, ...cut });
    }
    if (action === 'value' && method === 'GET') {
      const value = q.state === 'SUCCEEDED' ? q.plan.fullValue?.(Number(url.searchParams.get('row')), Number(url.searchParams.get('column'))) : null;
      return value == null ? fail(req, res, 404, 'RESULT_NOT_AVAILABLE') : res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end(value);
    }
    if (action === 'refresh' && method === 'POST') {
      if (q.state === 'QUEUED' || q.state === 'RUNNING') return fail(req, res, 409, 'QUERY_NOT_FINISHED');
      startRun(q);
      order.splice(order.indexOf(q.id), 1);
      order.unshift(q.id);
      return ok(req, res, 202, 'QUERY_REFRESHED', { id: q.id, state: q.state, engine: q.engine, run: q.run });
    }
    if (action === 'cancel' && method === 'POST') {
      if (q.state === 'CANCELLED') return ok(req, res, 200, 'QUERY_ALREADY_CANCELLED', { id: q.id, state: q.state });
      if (q.state !== 'QUEUED' && q.state !== 'RUNNING') return fail(req, res, 409, 'QUERY_ALREADY_FINISHED', { state: q.state });
      await new Promise((r) => setTimeout(r, 150));
      q.timers?.forEach(clearTimeout);
      q.state = 'CANCELLED';
      q.completedAt = Date.now();
      return ok(req, res, 200, 'QUERY_CANCELLED', { id: q.id, state: q.state });
    }
    if (action === 'download' && method === 'GET') {
      if (q.state === 'QUEUED' || q.state === 'RUNNING') return fail(req, res, 409, 'QUERY_NOT_FINISHED');
      const partial = q.state !== 'SUCCEEDED';
      if (partial && q.engine !== 'athena') return fail(req, res, 404, 'RESULT_NOT_AVAILABLE');
      if (partial && q.state === 'FAILED' && q.plan.error?.code === 'SYNTAX_ERROR') return fail(req, res, 404, 'RESULT_NOT_AVAILABLE');
      const token = crypto.randomBytes(12).toString('hex');
      tokens.set(token, q.id);
      const url2 = q.engine === 'athena'
        ? `http://127.0.0.1:${S3_PORT}/sluice-results/athena/${q.id}.csv?X-Amz-Signature=${token}`
        : `/api/files/${token}`;
      return ok(req, res, 200, 'DOWNLOAD_READY', {
        url: url2, expiresAt: new Date(Date.now() + 24 * 3600_000).toISOString(), fileName: `sluice-${q.id}.csv`, partial,
      });
    }
    return fail(req, res, 405, 'METHOD_NOT_ALLOWED');
  }

  if ((g = m(/^\/api\/files\/([^/]+)$/)) && method === 'GET') {
    const q = queries.get(tokens.get(g[1]));
    if (!q) return fail(req, res, 403, 'LINK_INVALID');
    res.writeHead(200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="sluice-${q.id}.csv"` });
    return res.end(csv(q));
  }

  if (p === '/api/queries' && method === 'GET') {
    const q = (url.searchParams.get('q') ?? '').toLowerCase();
    const states = (url.searchParams.get('state') ?? '').split(',').filter(Boolean);
    const bad = states.find((s) => !['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT'].includes(s));
    if (bad) return fail(req, res, 400, 'INVALID_STATE', { state: bad });
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const start = Number(url.searchParams.get('cursor') ? decodeCursor(url.searchParams.get('cursor'))?.i ?? 0 : 0);
    const all = order.map((id) => queries.get(id))
      .filter((x) => (!q || x.query.toLowerCase().includes(q)) && (!states.length || states.includes(x.state)));
    const items = all.slice(start, start + limit).map((x) => view(x, false));
    const nextCursor = start + limit < all.length ? encodeCursor({ i: start + limit }) : null;
    return ok(req, res, 200, 'QUERY_HISTORY', { items, nextCursor });
  }

  if ((g = m(/^\/api\/catalog\/([^/]+)\/catalogs(?:\/([^/]+)\/databases(?:\/([^/]+)\/tables(?:\/([^/]+))?)?)?$/)) && method === 'GET') {
    const [, engine, catalog, database, table] = g.map((x) => (x === undefined ? x : decodeURIComponent(x)));
    await new Promise((r) => setTimeout(r, 80));
    const e = CATALOG[engine];
    if (!e) return fail(req, res, 404, 'UNKNOWN_ENGINE');
    if (catalog === undefined) return ok(req, res, 200, 'CATALOG_LISTED', { items: Object.keys(e) });
    const c = e[catalog];
    if (!c) return fail(req, res, 404, 'CATALOG_NOT_FOUND');
    if (database === undefined) return ok(req, res, 200, 'CATALOG_LISTED', { items: Object.keys(c) });
    const d = c[database];
    if (!d) return fail(req, res, 404, 'DATABASE_NOT_FOUND');
    const describe = (name) => ({
      name, type: engine === 'athena' ? 'EXTERNAL_TABLE' : 'BASE TABLE',
      columns: d[name].map(([n, t, pk]) => ({ name: n, type: t, partitionKey: !!pk, comment: null })),
    });
    if (table === undefined) return ok(req, res, 200, 'CATALOG_LISTED', { items: Object.keys(d).map(describe) });
    if (!d[table]) return fail(req, res, 404, 'TABLE_NOT_FOUND');
    return ok(req, res, 200, 'CATALOG_LISTED', describe(table));
  }

  return fail(req, res, 404, 'ROUTE_NOT_FOUND');
}

http.createServer((req, res) => {
  handle(req, res).catch((e) => {
    console.error(e);
    if (!res.headersSent) fail(req, res, 500, 'INTERNAL_ERROR');
  });
}).listen(PORT, '127.0.0.1', () => console.log(`mock Sluice API on http://127.0.0.1:${PORT}${STATIC ? ` serving ${STATIC}` : ''}`));

// "S3": another origin holding Athena-style result files.
http.createServer((req, res) => {
  const g = /\/([0-9a-f-]{36})\.csv/.exec(req.url ?? '');
  const q = g && queries.get(g[1]);
  if (!q) {
    res.writeHead(403, { 'Content-Type': 'application/xml' });
    return res.end('<Error><Code>AccessDenied</Code></Error>');
  }
  res.writeHead(200, { 'Content-Type': 'text/csv', 'Content-Disposition': `attachment; filename="${q.id}.csv"` });
  res.end(csv(q));
}).listen(S3_PORT, '127.0.0.1');
