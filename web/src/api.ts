/** The Sluice HTTP API (docs/API.md): the envelope, typed answers, and an error carrying the messageCode. */

import type { EngineCapabilities } from './capabilities';
import { getLocale } from './i18n';

export type QueryState = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';
export const QUERY_STATES: readonly QueryState[] = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT'];
export const TERMINAL_STATES: ReadonlySet<QueryState> = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT']);

export function isTerminal(state: string | null | undefined): boolean {
  return !!state && TERMINAL_STATES.has(state as QueryState);
}

export interface ErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown> | null;
  /** A query's error: the engine's own text ("engine") or one Sluice wrote ("sluice"). */
  source?: 'engine' | 'sluice' | null;
}

export interface Envelope<T> {
  success: boolean;
  data?: T;
  error?: ErrorBody;
  messageCode: string;
  message: string;
  timestamp: string;
}

export interface Statistics {
  queueSeconds: number | null;
  executionSeconds: number | null;
  rows?: number | null;
  resultBytes?: number | null;
  dataScannedBytes?: number | null;
  dataScannedGb?: number | string | null;
  costUsd?: number | string | null;
  resultReused?: boolean;
  /** A cache hit: the query and run whose stored result answered this one (at no cost). */
  cachedFrom?: CachedFrom | null;
  /** What a cache hit saved: the source run's cost. */
  savedUsd?: number | string | null;
}

export interface CachedFrom {
  queryId: string;
  run?: number | null;
}

/** A non-fatal remark on a submit or status (budget nearly spent, a lint finding): its code renders through the catalog. */
export interface QueryWarning {
  code: string;
  message?: string | null;
  params?: Record<string, unknown> | null;
}

export interface Submitted {
  id: string;
  state: QueryState;
  engine: string;
  run?: number;
  warnings?: QueryWarning[] | null;
  /** Answered from the local result cache. */
  cached?: boolean;
}

/** Why a stored result holds fewer rows than the query produced, and the server's limit that cut it. */
export interface Truncation {
  reason: 'MAX_RESULT_ROWS' | 'MAX_RESULT_BYTES' | string;
  /** Rows for MAX_RESULT_ROWS, bytes for MAX_RESULT_BYTES. */
  limit: number;
}

/** A value the server cut on a result page: `row` counts from the page's first row, `bytes` is its full size. */
export interface TruncatedCell {
  row: number;
  column: number;
  bytes: number;
}

export interface QueryStatus {
  id: string;
  state: QueryState;
  engine: string;
  query: string;
  catalog?: string | null;
  database?: string | null;
  run?: number;
  /** What a QUEUED or RUNNING run is doing; null once it ended. */
  phase?: RunPhase | null;
  createdAt?: string | null;
  submittedAt?: string | null;
  startedAt?: string | null;
  completedAt?: string | null;
  statistics?: Statistics | null;
  error?: ErrorBody | null;
  truncated?: boolean;
  truncation?: Truncation | null;
  warnings?: QueryWarning[] | null;
  cached?: boolean;
  /** While an Athena result is stored (phase STORING_RESULT): rows readable now, and whether its first part is. */
  resultProgress?: { rowsStored: number; firstPartReady: boolean } | null;
}

export interface HistoryItem extends QueryStatus {
  queryTruncated?: boolean;
  /** How many runs the query has had (a refresh starts a new one). */
  runs?: number;
}

/** The server's phases of a run that has not ended. */
export type RunPhase = 'WAITING' | 'STARTING' | 'ENGINE_QUEUED' | 'EXECUTING' | 'STORING_RESULT';

export interface HistoryPage {
  items: HistoryItem[];
  nextCursor: string | null;
}

export interface ColumnInfo {
  name: string;
  type: string;
}

export interface ResultPageData {
  id: string;
  completedAt?: string | null;
  columns: ColumnInfo[];
  rows: unknown[][];
  offset: number;
  totalRows: number;
  /** The only way to the next page: a page may hold fewer rows than asked for (a byte bound). */
  nextCursor: string | null;
  truncated?: boolean;
  truncation?: Truncation | null;
  truncatedCells?: TruncatedCell[] | null;
  /** The page comes from the first part of a result still being stored: more rows follow. */
  partial?: boolean;
}

/** Groups of a stored result: the group key, then each measure, per row; `truncated` when more groups exist. */
export interface AggregateData {
  columns: ColumnInfo[];
  rows: unknown[][];
  truncated: boolean;
}

/** The file formats of a whole-result download. */
export type DownloadFormat = 'csv' | 'parquet' | 'jsonl';

export interface DownloadLink {
  url: string;
  expiresAt?: string | null;
  fileName?: string | null;
  partial?: boolean;
}

export interface EngineConfig {
  name: string;
  /** The engine's type, e.g. "duckdb" or "athena": shown, never used to decide what the UI offers. */
  type?: string;
  /** What the engine can do: the UI follows these (see capabilities.ts). */
  capabilities?: Partial<EngineCapabilities>;
  region?: string;
  workgroup?: string;
  outputLocation?: string;
  defaultCatalog?: string;
  defaultDatabase?: string;
  maxRuntimeSeconds?: number;
  maxScannedBytes?: number | null;
  resultReuseMinutes?: number | null;
  pollIntervalMillis?: number;
  [key: string]: unknown;
}

export interface AppConfig {
  defaultEngine: string;
  engines: EngineConfig[];
  results?: { defaultPageSize?: number; maxPageSize?: number };
  auth?: { enabled?: boolean; identityHeader?: string };
  user?: string;
  locales?: string[];
  defaultLocale?: string;
  /** The registry of external databases (/api/datasources); missing means off. */
  datasources?: { enabled?: boolean; types?: string[]; connectTimeoutSeconds?: number };
  /** Async tasks and the workspace (/api/async_query, /api/async_tasks, /api/workspace); missing means off. */
  tasks?: { enabled?: boolean };
  /** Whether the caller is in auth.admins, when the server says so (else the dashboard infers it from usage). */
  admin?: boolean;
}

export type UsageGroupBy = 'day' | 'month' | 'user' | 'engine' | 'workgroup';

/** Runs, scan and cost of one outcome (succeeded, failed or cancelled). */
export interface UsageOutcome {
  runs: number;
  scannedBytes: number;
  costUsd: number;
}

/** The usage of a period or group (GET /api/usage). */
export interface UsageBucket {
  runs: number;
  succeeded?: UsageOutcome;
  failed?: UsageOutcome;
  cancelled?: UsageOutcome;
  scannedBytes: number;
  costUsd: number;
  cachedRuns?: number;
  reusedRuns?: number;
  savedUsd?: number;
}

export interface UsageItem extends UsageBucket {
  /** "2026-11-20" (day), "2026-11" (month), a user, an engine or a workgroup. */
  key: string;
}

export interface Usage {
  from: string;
  to: string;
  groupBy: UsageGroupBy;
  totals: UsageBucket;
  items: UsageItem[];
}

export interface TopQuery {
  queryId: string;
  run?: number;
  user?: string;
  engine: string;
  /** The first 500 characters. */
  query: string;
  scannedBytes?: number | null;
  costUsd?: number | null;
  state?: string;
  submittedAt?: string | null;
}

export interface UsageTop {
  from: string;
  to: string;
  items: TopQuery[];
}

export interface Budget {
  scope: 'user' | 'total' | 'workgroup' | string;
  name?: string | null;
  limitUsd: number;
  spentUsd: number;
  fraction: number;
}

export interface BudgetStatus {
  month: string;
  resetsAt: string;
  budgets: Budget[];
}

export interface LintResult {
  warnings: QueryWarning[];
}

/** What Run sends (POST /api/query). */
export interface SubmitBody {
  query: string;
  engine?: string;
  catalog?: string;
  database?: string;
  /** A scan cap for this query (priced engines). */
  maxScanGb?: number;
  /** false: bypass the local result cache. */
  cache?: boolean;
}

export type DatasourceType = 'mysql' | 'postgresql' | 'sqlite';

/** A datasource's connection settings as the API shows them: never a password. */
export interface DatasourceParams {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  sslMode?: string | null;
  path?: string;
}

export interface Datasource {
  id: string;
  type: DatasourceType | string;
  owner: string;
  shared: boolean;
  params: DatasourceParams;
  /** Whether a password is stored; the password itself never leaves the server. */
  hasPassword: boolean;
  createdAt?: string | null;
  updatedAt?: string | null;
}

/** A create (with id) or replace (PUT, without id) body; `params.password` absent keeps the stored one on update. */
export interface DatasourceBody {
  id?: string;
  type: string;
  params: Record<string, string | number>;
  shared?: boolean;
}

export interface ConnectionTestResult {
  id: string;
  ok: boolean;
  type?: string;
  elapsedMillis?: number;
}

export type TaskState = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

/** A database a task attaches under an alias: `connection_id` is a datasource's id. */
export interface AttachDatabase {
  alias: string;
  connection_id: string;
}

export interface TaskResultInfo {
  status?: string;
  table_name: string;
  row_count?: number | null;
  columns?: ColumnInfo[];
  attached_databases?: string[];
  is_federated?: boolean;
  execution_time_ms?: number | null;
}

export interface AsyncTask {
  task_id: string;
  state: TaskState;
  task_type: string;
  owner?: string;
  metadata?: {
    sql?: string;
    task_type?: string;
    custom_table_name?: string | null;
    attach_databases?: AttachDatabase[] | null;
    datasource?: unknown;
  } | null;
  result_info?: TaskResultInfo | null;
  error?: ErrorBody | null;
  created_at?: string | null;
  started_at?: string | null;
  finished_at?: string | null;
  retry_of?: string | null;
  cancel_requested?: boolean;
}

export interface AsyncQueryBody {
  sql: string;
  task_type: 'query';
  custom_table_name?: string;
  attach_databases?: AttachDatabase[];
}

export interface TaskPage {
  items: AsyncTask[];
  nextCursor: string | null;
}

export interface WorkspaceTable {
  name: string;
  rows?: number | null;
  columns?: ColumnInfo[];
  source?: { kind: 'task' | 'query' | string; id: string } | null;
}

export interface CatalogColumn {
  name: string;
  type: string;
  partitionKey?: boolean;
  comment?: string | null;
}

export interface CatalogTable {
  name: string;
  type?: string;
  columns?: CatalogColumn[];
}

/** An API failure: `code` is the messageCode to render; `serverMessage` only the fallback. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly serverMessage: string | null,
    readonly details: Record<string, unknown> = {},
    readonly data: unknown = undefined,
  ) {
    super(`${status} ${code}${serverMessage ? `: ${serverMessage}` : ''}`);
    this.name = 'ApiError';
  }
}

export interface ApiResult<T> {
  status: number;
  envelope: Envelope<T>;
  data: T;
}

export type Fetch = typeof fetch;

export class ApiClient {
  constructor(private readonly fetchFn: Fetch = (...args) => fetch(...args), private readonly base = '') {}

  /**
   * One API call. `keepalive` lets the request outlive the page (a cancel sent while the page is
   * being left); its answer may never be read.
   */
  async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal,
                   keepalive = false): Promise<ApiResult<T>> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Accept-Language': `${getLocale()},${getLocale() === 'en' ? 'zh-CN;q=0.5' : 'en;q=0.5'}`,
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetchFn(this.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        credentials: 'same-origin',
        cache: 'no-store',
        keepalive,
      });
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') throw e;
      throw new ApiError(0, 'NETWORK_ERROR', String((e as Error)?.message ?? e));
    }
    let envelope: Envelope<T>;
    try {
      envelope = (await response.json()) as Envelope<T>;
    } catch {
      throw new ApiError(response.status, 'BAD_RESPONSE', `HTTP ${response.status}`);
    }
    if (!envelope || typeof envelope !== 'object' || typeof envelope.success !== 'boolean') {
      throw new ApiError(response.status, 'BAD_RESPONSE', `HTTP ${response.status}`);
    }
    if (!envelope.success || !response.ok) {
      const code = envelope.error?.code ?? envelope.messageCode ?? 'INTERNAL_ERROR';
      throw new ApiError(
        response.status,
        envelope.messageCode || code,
        envelope.message ?? envelope.error?.message ?? null,
        (envelope.error?.details as Record<string, unknown>) ?? {},
        envelope.data,
      );
    }
    return { status: response.status, envelope, data: envelope.data as T };
  }

  private static seg(value: string): string {
    return encodeURIComponent(value);
  }

  config() {
    return this.request<AppConfig>('GET', '/api/config');
  }

  submit(body: SubmitBody) {
    const clean: Record<string, string | number | boolean> = { query: body.query };
    if (body.engine) clean.engine = body.engine;
    if (body.catalog) clean.catalog = body.catalog;
    if (body.database) clean.database = body.database;
    if (body.maxScanGb !== undefined) clean.maxScanGb = body.maxScanGb;
    if (body.cache === false) clean.cache = false;
    return this.request<Submitted>('POST', '/api/query', clean);
  }

  /** Lint findings of SQL before it runs (POST /api/query/lint). */
  lint(body: { query: string; engine?: string; catalog?: string; database?: string }) {
    const clean: Record<string, string> = { query: body.query };
    if (body.engine) clean.engine = body.engine;
    if (body.catalog) clean.catalog = body.catalog;
    if (body.database) clean.database = body.database;
    return this.request<LintResult>('POST', '/api/query/lint', clean);
  }

  usage(params: { from?: string; to?: string; groupBy?: UsageGroupBy; user?: string }, signal?: AbortSignal) {
    const q = new URLSearchParams();
    if (params.from) q.set('from', params.from);
    if (params.to) q.set('to', params.to);
    if (params.groupBy) q.set('groupBy', params.groupBy);
    if (params.user) q.set('user', params.user);
    return this.request<Usage>('GET', `/api/usage?${q}`, undefined, signal);
  }

  usageTop(params: { from?: string; to?: string; limit?: number; user?: string }, signal?: AbortSignal) {
    const q = new URLSearchParams();
    if (params.from) q.set('from', params.from);
    if (params.to) q.set('to', params.to);
    q.set('limit', String(params.limit ?? 10));
    if (params.user) q.set('user', params.user);
    return this.request<UsageTop>('GET', `/api/usage/top?${q}`, undefined, signal);
  }

  budget(signal?: AbortSignal) {
    return this.request<BudgetStatus>('GET', '/api/usage/budget', undefined, signal);
  }

  status(id: string, signal?: AbortSignal) {
    return this.request<QueryStatus>('GET', `/api/query/${ApiClient.seg(id)}/status`, undefined, signal);
  }

  /** A page of the stored result; with `sort`/`filter`, of that view of it (computed by the server, never by re-running the query). */
  results(id: string, page: { cursor?: string; offset?: number; limit?: number; sort?: string; filter?: string[] },
          signal?: AbortSignal) {
    const params = new URLSearchParams();
    params.set('limit', String(page.limit ?? 100));
    if (page.cursor) params.set('cursor', page.cursor);
    else if (page.offset !== undefined) params.set('offset', String(page.offset));
    if (page.sort) params.set('sort', page.sort);
    for (const f of page.filter ?? []) params.append('filter', f);
    return this.request<ResultPageData>('GET', `/api/query/${ApiClient.seg(id)}/results?${params}`, undefined, signal);
  }

  /** The stored result grouped and measured (GET /aggregate), for a chart; never re-runs the query. */
  aggregate(id: string, params: { groupBy: string; measures: string; filter?: string[]; limit?: number }, signal?: AbortSignal) {
    const q = new URLSearchParams();
    q.set('groupBy', params.groupBy);
    q.set('measures', params.measures);
    for (const f of params.filter ?? []) q.append('filter', f);
    if (params.limit !== undefined) q.set('limit', String(params.limit));
    return this.request<AggregateData>('GET', `/api/query/${ApiClient.seg(id)}/aggregate?${q}`, undefined, signal);
  }

  cancel(id: string, options: { keepalive?: boolean } = {}) {
    return this.request<unknown>('POST', `/api/query/${ApiClient.seg(id)}/cancel`, undefined, undefined,
      options.keepalive);
  }

  /** Where the full text of a value cut on a result page is served (a link, opened in a new browser tab). */
  valueUrl(id: string, row: number, column: number): string {
    return `${this.base}/api/query/${ApiClient.seg(id)}/value?row=${row}&column=${column}`;
  }

  refresh(id: string) {
    return this.request<Submitted>('POST', `/api/query/${ApiClient.seg(id)}/refresh`);
  }

  download(id: string, format: DownloadFormat = 'csv') {
    return this.request<DownloadLink>('GET', `/api/query/${ApiClient.seg(id)}/download?format=${format}`);
  }

  history(filter: { q?: string; state?: string; engine?: string; cursor?: string | null; limit?: number }, signal?: AbortSignal) {
    const params = new URLSearchParams();
    if (filter.q) params.set('q', filter.q);
    if (filter.state) params.set('state', filter.state);
    if (filter.engine) params.set('engine', filter.engine);
    if (filter.cursor) params.set('cursor', filter.cursor);
    params.set('limit', String(filter.limit ?? 50));
    return this.request<HistoryPage>('GET', `/api/queries?${params}`, undefined, signal);
  }

  datasources() {
    return this.request<{ items: Datasource[] }>('GET', '/api/datasources');
  }

  createDatasource(body: DatasourceBody) {
    return this.request<Datasource>('POST', '/api/datasources', body);
  }

  updateDatasource(id: string, body: DatasourceBody) {
    return this.request<Datasource>('PUT', `/api/datasources/${ApiClient.seg(id)}`, body);
  }

  deleteDatasource(id: string) {
    return this.request<{ id: string; deleted: boolean }>('DELETE', `/api/datasources/${ApiClient.seg(id)}`);
  }

  testDatasource(id: string) {
    return this.request<ConnectionTestResult>('POST', `/api/datasources/${ApiClient.seg(id)}/test`);
  }

  submitTask(body: AsyncQueryBody) {
    return this.request<AsyncTask>('POST', '/api/async_query', body);
  }

  tasks(filter: { state?: string; cursor?: string | null; limit?: number } = {}, signal?: AbortSignal) {
    const params = new URLSearchParams();
    if (filter.state) params.set('state', filter.state);
    if (filter.cursor) params.set('cursor', filter.cursor);
    params.set('limit', String(filter.limit ?? 50));
    return this.request<TaskPage>('GET', `/api/async_tasks?${params}`, undefined, signal);
  }

  task(id: string) {
    return this.request<AsyncTask>('GET', `/api/async_tasks/${ApiClient.seg(id)}`);
  }

  cancelTask(id: string) {
    return this.request<AsyncTask>('POST', `/api/async_tasks/${ApiClient.seg(id)}/cancel`);
  }

  /** A new task of a FAILED or CANCELLED one (its `retry_of` is `id`); `attach` replaces its databases. */
  retryTask(id: string, attach?: AttachDatabase[]) {
    return this.request<AsyncTask>('POST', `/api/async_tasks/${ApiClient.seg(id)}/retry`,
      attach ? { attach_databases: attach } : undefined);
  }

  workspaceTables() {
    return this.request<{ items: WorkspaceTable[] }>('GET', '/api/workspace/tables');
  }

  dropWorkspaceTable(name: string) {
    return this.request<{ name: string; dropped: boolean }>('DELETE', `/api/workspace/tables/${ApiClient.seg(name)}`);
  }

  catalogs(engine: string) {
    return this.request<{ items: string[] }>('GET', `/api/catalog/${ApiClient.seg(engine)}/catalogs`);
  }

  databases(engine: string, catalog: string) {
    return this.request<{ items: string[] }>('GET',
      `/api/catalog/${ApiClient.seg(engine)}/catalogs/${ApiClient.seg(catalog)}/databases`);
  }

  tables(engine: string, catalog: string, database: string) {
    return this.request<{ items: (CatalogTable | string)[] }>('GET',
      `/api/catalog/${ApiClient.seg(engine)}/catalogs/${ApiClient.seg(catalog)}/databases/${ApiClient.seg(database)}/tables`);
  }

  table(engine: string, catalog: string, database: string, table: string) {
    return this.request<CatalogTable>('GET',
      `/api/catalog/${ApiClient.seg(engine)}/catalogs/${ApiClient.seg(catalog)}/databases/${ApiClient.seg(database)}/tables/${ApiClient.seg(table)}`);
  }
}

/** Tables may come as names or as objects; always objects here. */
export function normalizeTables(items: (CatalogTable | string)[]): CatalogTable[] {
  return items.map((item) => (typeof item === 'string' ? { name: item } : item));
}
