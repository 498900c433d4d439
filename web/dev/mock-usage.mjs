// The mock's usage, budgets, lint and local result cache (issue 12; docs/API.md has the real
// routes): GET /api/usage, /api/usage/top, /api/usage/budget, POST /api/query/lint, and what a
// submit on the athena engine gets: a BUDGET_NEARLY_SPENT warning (the mock's user has spent 84 % of
// the budget), 429 BUDGET_EXCEEDED for SQL with the word "overbudget", 400 INVALID_MAX_SCAN for a
// maxScanGb above the engine's 10 GB, and an answer from the cache for the same SQL again.
// Usage is made up (the same every day) plus the mock's own athena runs.

const GIB = 1024 ** 3;
const USER_LIMIT = 50;
const USER_SPENT = 42;
const ENGINE_MAX_GB = 10;
const USERS = ['anonymous', 'alice@example.com', 'bob@example.com', 'carol@example.com'];

const pad = (n) => String(n).padStart(2, '0');
const isoDay = (d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

function resetsAt(now = new Date()) {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().replace('.000Z', 'Z');
}

function outcome(runs, scannedBytes, costUsd) {
  return { runs, scannedBytes, costUsd };
}

/** A made-up bucket for a seed number: a few runs, some failed, some cached. */
function bucket(seed, scale = 1) {
  const runs = Math.round((3 + (seed % 7)) * scale);
  const scanned = Math.round(((seed * 37) % 90 + 10) * 4.4 * GIB * scale);
  const cost = Number(((scanned / 1024 ** 4) * 5).toFixed(4));
  const failed = Math.min(runs, seed % 3);
  return {
    runs,
    succeeded: outcome(runs - failed, Math.round(scanned * 0.9), Number((cost * 0.9).toFixed(4))),
    failed: outcome(failed, Math.round(scanned * 0.1), Number((cost * 0.1).toFixed(4))),
    cancelled: outcome(0, 0, 0),
    scannedBytes: scanned, costUsd: cost, cachedRuns: seed % 4, reusedRuns: seed % 2, savedUsd: Number((cost * 0.2).toFixed(4)),
  };
}

function add(a, b) {
  const o = (x, y) => outcome(x.runs + y.runs, x.scannedBytes + y.scannedBytes, Number((x.costUsd + y.costUsd).toFixed(6)));
  return {
    runs: a.runs + b.runs, succeeded: o(a.succeeded, b.succeeded), failed: o(a.failed, b.failed), cancelled: o(a.cancelled, b.cancelled),
    scannedBytes: a.scannedBytes + b.scannedBytes, costUsd: Number((a.costUsd + b.costUsd).toFixed(6)),
    cachedRuns: a.cachedRuns + b.cachedRuns, reusedRuns: a.reusedRuns + b.reusedRuns, savedUsd: Number((a.savedUsd + b.savedUsd).toFixed(6)),
  };
}

const EMPTY = () => ({ runs: 0, succeeded: outcome(0, 0, 0), failed: outcome(0, 0, 0), cancelled: outcome(0, 0, 0),
  scannedBytes: 0, costUsd: 0, cachedRuns: 0, reusedRuns: 0, savedUsd: 0 });

/** The mock's own athena runs as buckets (cost from their statistics). */
function ownRuns(queries, view) {
  const out = [];
  for (const q of queries.values()) {
    if (q.engine !== 'athena') continue;
    const v = view(q);
    const cost = Number(v.statistics.costUsd ?? 0);
    const scanned = Number(v.statistics.dataScannedBytes ?? 0);
    const b = EMPTY();
    b.runs = 1;
    b.scannedBytes = scanned;
    b.costUsd = cost;
    const which = v.state === 'SUCCEEDED' ? 'succeeded' : v.state === 'CANCELLED' ? 'cancelled' : 'failed';
    b[which] = outcome(1, scanned, cost);
    if (q.cachedFrom) {
      b.cachedRuns = 1;
      b.savedUsd = q.savedUsd ?? 0;
    }
    out.push({ day: isoDay(new Date(q.submittedAt)), user: 'anonymous', engine: 'athena', bucket: b, q, v });
  }
  return out;
}

function usage(url, queries, view) {
  const now = new Date();
  const groupBy = url.searchParams.get('groupBy') ?? 'day';
  const from = url.searchParams.get('from') ?? isoDay(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)));
  const to = url.searchParams.get('to') ?? isoDay(now);
  const items = new Map();
  const put = (key, b) => items.set(key, items.has(key) ? add(items.get(key), b) : b);
  const start = new Date(`${from}T00:00:00Z`);
  const end = new Date(`${to}T00:00:00Z`);
  for (let d = new Date(start); d <= end && d <= now; d = new Date(d.getTime() + 86400_000)) {
    const day = isoDay(d);
    const seed = d.getUTCDate() * 3 + d.getUTCMonth() * 5;
    if (groupBy === 'user') USERS.forEach((u, i) => put(u, bucket(seed + i * 11, i === 0 ? 0.5 : 0.3)));
    else if (groupBy === 'engine') put('athena', bucket(seed));
    else if (groupBy === 'workgroup') put('primary', bucket(seed));
    else put(groupBy === 'month' ? day.slice(0, 7) : day, bucket(seed));
  }
  for (const r of ownRuns(queries, view)) {
    if (r.day < from || r.day > to) continue;
    const key = groupBy === 'user' ? r.user : groupBy === 'engine' ? r.engine : groupBy === 'workgroup' ? 'primary'
      : groupBy === 'month' ? r.day.slice(0, 7) : r.day;
    put(key, r.bucket);
  }
  let totals = EMPTY();
  for (const b of items.values()) totals = add(totals, b);
  return { from, to, groupBy, totals, items: [...items.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, b]) => ({ key, ...b })) };
}

const SAMPLE_TOP = [
  ['SELECT * FROM cloudfront_logs', 412.5],
  ['SELECT uri, count(*) FROM cloudfront_logs GROUP BY uri ORDER BY 2 DESC', 188.25],
  ['SELECT region, avg(duration_ms) FROM analytics.sessions GROUP BY region', 96.0],
  ['SELECT * FROM analytics.sessions WHERE duration_ms > 60000', 41.75],
];

function top(url, queries, view) {
  const limit = Number(url.searchParams.get('limit') ?? 10);
  const now = Date.now();
  const items = SAMPLE_TOP.map(([query, gb], i) => {
    const scannedBytes = Math.round(gb * GIB);
    return { queryId: `00000000-0000-4000-8000-00000000000${i}`, run: 1, user: USERS[i % USERS.length], engine: 'athena', query,
      scannedBytes, costUsd: Number(((scannedBytes / 1024 ** 4) * 5).toFixed(4)), state: 'SUCCEEDED',
      submittedAt: new Date(now - (i + 1) * 86400_000).toISOString() };
  });
  for (const r of ownRuns(queries, view)) {
    items.push({ queryId: r.q.id, run: r.q.run, user: r.user, engine: 'athena', query: r.q.query.slice(0, 500),
      scannedBytes: r.bucket.scannedBytes, costUsd: r.bucket.costUsd, state: r.v.state, submittedAt: r.v.submittedAt });
  }
  items.sort((a, b) => b.costUsd - a.costUsd);
  return { from: url.searchParams.get('from'), to: url.searchParams.get('to'), items: items.slice(0, limit) };
}

function budget() {
  const now = new Date();
  return {
    month: `${now.getUTCFullYear()}-${pad(now.getUTCMonth() + 1)}`,
    resetsAt: resetsAt(now),
    budgets: [
      { scope: 'user', name: 'anonymous', limitUsd: USER_LIMIT, spentUsd: USER_SPENT, fraction: USER_SPENT / USER_LIMIT },
      { scope: 'total', name: null, limitUsd: 1000, spentUsd: 388.4, fraction: 0.3884 },
      { scope: 'workgroup', name: 'primary', limitUsd: 200, spentUsd: 204.1, fraction: 1.0205 },
    ],
  };
}

const PARTITIONED = { cloudfront_logs: { keys: ['dt'], columns: 5 }, sessions: { keys: ['region', 'dt'], columns: 24 } };

/** The mock's lint: word matching, good enough to show the dialog (the server parses the SQL). */
export function lint(sql) {
  const lower = sql.toLowerCase();
  const warnings = [];
  for (const [table, info] of Object.entries(PARTITIONED)) {
    if (!new RegExp(`\\b${table}\\b`).test(lower)) continue;
    const where = lower.split(/\bwhere\b/)[1] ?? '';
    if (!info.keys.some((k) => new RegExp(`\\b${k}\\b`).test(where))) {
      warnings.push({ code: 'LINT_NO_PARTITION_FILTER', message: 'no partition filter', params: { table, partitionKeys: info.keys } });
    }
    if (/select\s+\*/.test(lower) && info.columns >= 5) {
      warnings.push({ code: 'LINT_SELECT_STAR_WIDE', message: 'SELECT * on a wide table', params: { table, columns: info.columns } });
    }
  }
  if (/\bfrom\b/.test(lower) && !/\blimit\b/.test(lower) && !/\bgroup\s+by\b/.test(lower)) {
    warnings.push({ code: 'LINT_NO_LIMIT', message: 'no LIMIT', params: {} });
  }
  return warnings;
}

/**
 * The checks of a submit: a refusal ({status, code, details}) or what the run gets (warnings).
 * Only athena (it prices queries) is budgeted.
 */
export function submitCheck(b, engine) {
  if (b.maxScanGb !== undefined) {
    const gb = Number(b.maxScanGb);
    if (typeof b.maxScanGb !== 'number' || !(gb > 0) || (engine === 'athena' && gb > ENGINE_MAX_GB)) {
      return { refuse: { status: 400, code: 'INVALID_MAX_SCAN', details: { maxScanGb: b.maxScanGb, engineMaxGb: ENGINE_MAX_GB } } };
    }
  }
  if (engine !== 'athena') return { warnings: [] };
  if (/\boverbudget\b/i.test(b.query) && !b.budgetOverride) {
    return { refuse: { status: 429, code: 'BUDGET_EXCEEDED',
      details: { budget: 'user', limitUsd: USER_LIMIT, spentUsd: 50.31, resetsAt: resetsAt() } } };
  }
  return { warnings: [{ code: 'BUDGET_NEARLY_SPENT', message: 'budget nearly spent',
    params: { budget: 'user', spentUsd: USER_SPENT, limitUsd: USER_LIMIT, resetsAt: resetsAt() } }] };
}

const normalize = (sql) => sql.replace(/\s+/g, ' ').trim().replace(/;$/, '').toLowerCase();

/** An earlier succeeded athena query with the same SQL and target, not itself from the cache. */
export function cacheSource(queries, q) {
  if (q.engine !== 'athena') return null;
  const key = normalize(q.query);
  for (const other of queries.values()) {
    if (other.id !== q.id && other.engine === 'athena' && other.state === 'SUCCEEDED' && !other.cachedFrom
      && other.catalog === q.catalog && other.database === q.database && normalize(other.query) === key) return other;
  }
  return null;
}

/** Handles the usage and lint routes; false for any other path. */
export async function handleUsage(p, method, url, readBody, ok, fail, queries, view) {
  if (p === '/api/usage' && method === 'GET') {
    const user = url.searchParams.get('user');
    if (user && !USERS.includes(user)) {
      fail(403, 'ACCESS_DENIED', {});
      return true;
    }
    ok(200, 'USAGE', usage(url, queries, view));
    return true;
  }
  if (p === '/api/usage/top' && method === 'GET') {
    ok(200, 'USAGE_TOP', top(url, queries, view));
    return true;
  }
  if (p === '/api/usage/budget' && method === 'GET') {
    ok(200, 'USAGE_BUDGET', budget());
    return true;
  }
  if (p === '/api/query/lint' && method === 'POST') {
    let b;
    try { b = await readBody(); } catch { fail(400, 'INVALID_JSON', {}); return true; }
    if (typeof b.query !== 'string' || !b.query.trim()) { fail(400, 'QUERY_EMPTY', {}); return true; }
    ok(200, 'LINT_DONE', { warnings: (b.engine ?? 'duckdb') === 'athena' ? lint(b.query) : [] });
    return true;
  }
  return false;
}
