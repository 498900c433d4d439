/**
 * One editor tab's query life: submit (POST /api/query), poll the status every 0.5–1 s until a
 * terminal state, page through the result, cancel (guarded against double clicks), retry and
 * rerun (POST /refresh). No DOM here: the view subscribes and renders.
 */

import {
  ApiError, isTerminal,
  type ApiClient, type DownloadLink, type QueryState, type QueryStatus, type ResultPageData,
} from './api';
import { ResultPager, type PageRequest } from './paging';
import { toNumber } from './format';

export type Phase = 'idle' | 'submitting' | 'running' | 'finished';
export type NoticeKind = 'cancelled' | 'failed' | 'timed-out' | 'error';

export interface Notice {
  kind: NoticeKind;
  /** A UI text instead of a server code (e.g. the formatter's error). */
  text?: [string, Record<string, string | number>];
  /** messageCode to render through the UI catalog. */
  code: string;
  /** The server's text, used only when the code is unknown to the UI catalog. */
  serverMessage?: string | null;
  /** The details of an error Sluice wrote itself: the parameters of its text (see queryerror.ts). */
  params?: Record<string, unknown> | null;
  /** The engine's own message (not translated), e.g. a syntax error's position. Never Sluice's text. */
  detail?: string | null;
  /** Whether Retry is offered. */
  retry: boolean;
}

export interface SubmitRequest {
  query: string;
  engine?: string;
  catalog?: string;
  database?: string;
}

export type RunnerApi = Pick<ApiClient, 'submit' | 'status' | 'results' | 'cancel' | 'refresh' | 'download'>;

export interface RunnerOptions {
  /** Poll interval for a query running for `elapsedMs`; default 500 ms for 5 s, then 1 s. */
  pollInterval?: (elapsedMs: number) => number;
  now?: () => number;
  pageSize?: number;
  /** Told whenever the tracked query id changes (the tab stores it). */
  onQueryId?: (id: string | null) => void;
}

export function defaultPollInterval(elapsedMs: number): number {
  return elapsedMs < 5_000 ? 500 : 1_000;
}

export class QueryRunner {
  phase: Phase = 'idle';
  queryId: string | null = null;
  status: QueryStatus | null = null;
  notice: Notice | null = null;
  cancelling = false;
  connectionLost = false;
  page: ResultPageData | null = null;
  pageLoading = false;
  download: DownloadLink | null = null;
  downloadLoading = false;
  readonly pager: ResultPager;

  private startedAt: number | null = null;
  private gen = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private lastSubmit: SubmitRequest | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;
  private readonly pollInterval: (elapsedMs: number) => number;
  private disposed = false;
  /** The last thing that went wrong was a submit that never got an id: Retry submits again. */
  private submitFailed = false;
  private forgetIfMissing = false;

  constructor(private readonly api: RunnerApi, private readonly options: RunnerOptions = {}) {
    this.now = options.now ?? (() => Date.now());
    this.pollInterval = options.pollInterval ?? defaultPollInterval;
    this.pager = new ResultPager(options.pageSize ?? 100);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }

  get busy(): boolean {
    return this.phase === 'submitting' || this.phase === 'running';
  }

  get state(): QueryState | null {
    return this.status?.state ?? null;
  }

  /** Wall time of the run: live while it runs, the server's queue + execution time after. */
  elapsedMs(): number | null {
    if (this.phase === 'running' || this.phase === 'submitting') {
      return this.startedAt === null ? null : Math.max(0, this.now() - this.startedAt);
    }
    const s = this.status?.statistics;
    if (!s) return null;
    const q = toNumber(s.queueSeconds) ?? 0;
    const e = toNumber(s.executionSeconds) ?? 0;
    return (q + e) * 1000;
  }

  private stopTimer(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private setQueryId(id: string | null): void {
    if (this.queryId !== id) {
      this.queryId = id;
      this.options.onQueryId?.(id);
    }
  }

  private clearRun(): void {
    this.stopTimer();
    this.gen++;
    this.notice = null;
    this.page = null;
    this.pageLoading = false;
    this.pager.reset();
    this.download = null;
    this.downloadLoading = false;
    this.cancelling = false;
    this.connectionLost = false;
    this.failures = 0;
  }

  /** Submits new SQL. Ignored while a query of this tab is being submitted or runs. */
  async run(request: SubmitRequest): Promise<void> {
    if (this.busy || this.disposed) return;
    this.clearRun();
    this.lastSubmit = request;
    this.status = null;
    this.phase = 'submitting';
    this.startedAt = this.now();
    this.emit();
    const gen = this.gen;
    try {
      const { data } = await this.api.submit(request);
      if (gen !== this.gen) return;
      this.begin(data.id, data.state, data.engine, request.query);
    } catch (e) {
      if (gen !== this.gen) return;
      this.phase = 'idle';
      this.submitFailed = true;
      this.notice = errorNotice(e, true);
      this.emit();
    }
  }

  /**
   * Follows an existing query (after a reload, or opened from history). With `forgetIfMissing`
   * (a reload), a query the server no longer knows is forgotten quietly instead of reported.
   */
  track(id: string, options: { forgetIfMissing?: boolean } = {}): void {
    if (this.disposed) return;
    this.clearRun();
    this.forgetIfMissing = !!options.forgetIfMissing;
    this.lastSubmit = null;
    this.submitFailed = false;
    this.setQueryId(id);
    this.status = null;
    this.phase = 'running';
    this.startedAt = null;
    this.emit();
    void this.poll(this.gen);
  }

  /** Reruns the tracked query through POST /api/query/{id}/refresh (Retry and Rerun). */
  async rerun(): Promise<void> {
    const id = this.queryId;
    if (!id || this.busy || this.disposed) return;
    const query = this.status?.query ?? '';
    this.clearRun();
    this.phase = 'submitting';
    this.startedAt = this.now();
    this.emit();
    const gen = this.gen;
    try {
      const { data } = await this.api.refresh(id);
      if (gen !== this.gen) return;
      this.begin(data.id ?? id, data.state ?? 'QUEUED', data.engine ?? this.status?.engine ?? '', query);
    } catch (e) {
      if (gen !== this.gen) return;
      if (e instanceof ApiError && e.code === 'QUERY_NOT_FINISHED') {
        // It is already running again (another tab or window): follow it.
        this.track(id);
        return;
      }
      this.phase = this.status ? 'finished' : 'idle';
      this.notice = errorNotice(e, true);
      this.emit();
    }
  }

  /** Retry after a failure, cancellation, time-out or a failed submit. */
  retry(): Promise<void> {
    if (this.submitFailed && this.lastSubmit) return this.run(this.lastSubmit);
    if (this.queryId) return this.rerun();
    if (this.lastSubmit) return this.run(this.lastSubmit);
    return Promise.resolve();
  }

  private begin(id: string, state: QueryState, engine: string, query: string): void {
    this.submitFailed = false;
    this.setQueryId(id);
    const now = new Date(this.now()).toISOString();
    this.status = {
      id, state, engine, query,
      submittedAt: now,
      statistics: { queueSeconds: 0, executionSeconds: null },
    };
    this.phase = 'running';
    this.emit();
    this.schedule(this.gen, 0);
  }

  private schedule(gen: number, delay?: number): void {
    this.stopTimer();
    const wait = delay ?? this.pollInterval(this.elapsedMs() ?? 0);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.poll(gen);
    }, wait);
  }

  private async poll(gen: number): Promise<void> {
    const id = this.queryId;
    if (!id || gen !== this.gen || this.disposed) return;
    let status: QueryStatus;
    try {
      status = (await this.api.status(id)).data;
    } catch (e) {
      if (gen !== this.gen) return;
      if (e instanceof ApiError && e.status >= 400 && e.status < 500) {
        // The query is gone (404) or we may not see it (401/403): stop following it.
        if (this.forgetIfMissing && e.code === 'QUERY_NOT_FOUND' && !this.status) {
          this.forgetIfMissing = false;
          this.reset();
          return;
        }
        this.phase = this.status ? 'finished' : 'idle';
        this.notice = errorNotice(e, false);
        this.emit();
        return;
      }
      this.failures++;
      this.connectionLost = true;
      this.emit();
      this.schedule(gen, Math.min(5_000, 500 * 2 ** Math.min(this.failures, 4)));
      return;
    }
    if (gen !== this.gen) return;
    this.failures = 0;
    this.connectionLost = false;
    this.forgetIfMissing = false;
    this.status = status;
    if (this.startedAt === null && !isTerminal(status.state)) {
      const s = status.statistics;
      const seconds = (toNumber(s?.queueSeconds) ?? 0) + (toNumber(s?.executionSeconds) ?? 0);
      this.startedAt = this.now() - seconds * 1000;
    }
    if (isTerminal(status.state)) {
      this.finish(status);
    } else {
      this.phase = 'running';
      this.emit();
      this.schedule(gen);
    }
  }

  private finish(status: QueryStatus): void {
    this.stopTimer();
    this.phase = 'finished';
    this.cancelling = false;
    this.notice = terminalNotice(status);
    this.emit();
    if (status.state === 'SUCCEEDED') void this.loadPage(this.pager.first());
  }

  /** Cancels the running query; a second call while the first is unanswered does nothing. */
  async cancel(): Promise<void> {
    const id = this.queryId;
    if (!id || this.phase !== 'running' || this.cancelling) return;
    this.cancelling = true;
    this.stopTimer();
    this.gen++;
    const gen = this.gen;
    this.emit();
    try {
      await this.api.cancel(id);
    } catch (e) {
      if (gen !== this.gen) return;
      if (!(e instanceof ApiError && e.code === 'QUERY_ALREADY_FINISHED')) {
        // Not cancelled (network, 404…): say so and keep following the query.
        this.notice = errorNotice(e, false);
      }
    }
    if (gen !== this.gen) return;
    this.cancelling = false;
    // The answer is in: one status read settles the final state and statistics.
    await this.poll(gen);
  }

  async loadPage(request: PageRequest | null): Promise<void> {
    const id = this.queryId;
    if (!id || !request || this.disposed) return;
    const gen = this.gen;
    this.pageLoading = true;
    this.emit();
    try {
      const { data } = await this.api.results(id, { ...request, limit: this.pager.pageSize });
      if (gen !== this.gen) return;
      this.pager.accept({
        offset: data.offset ?? request.offset ?? 0,
        totalRows: data.totalRows ?? data.rows.length,
        rowCount: data.rows.length,
        nextCursor: data.nextCursor ?? null,
      });
      this.page = data;
      this.pageLoading = false;
      this.emit();
    } catch (e) {
      if (gen !== this.gen) return;
      this.pageLoading = false;
      if (e instanceof ApiError && e.code === 'INVALID_CURSOR' && request.cursor) {
        // The cursor belongs to an earlier run: start again from the top by offset.
        this.pager.dropCursors();
        this.emit();
        return this.loadPage({ offset: 0 });
      }
      if (e instanceof ApiError && e.code === 'QUERY_NOT_FINISHED') {
        this.track(id);
        return;
      }
      this.notice = errorNotice(e, false);
      this.emit();
    }
  }

  /** Asks for a fresh link to the full result file (GET /download); null when there is none. */
  async prepareDownload(): Promise<DownloadLink | null> {
    const id = this.queryId;
    if (!id || this.downloadLoading) return null;
    const gen = this.gen;
    this.downloadLoading = true;
    this.emit();
    try {
      const { data } = await this.api.download(id);
      if (gen !== this.gen) return null;
      this.download = data;
      return data;
    } catch (e) {
      if (gen !== this.gen) return null;
      this.download = null;
      this.notice = errorNotice(e, false);
      return null;
    } finally {
      if (gen === this.gen) {
        this.downloadLoading = false;
        this.emit();
      }
    }
  }

  nextPage(): Promise<void> {
    return this.loadPage(this.pager.next());
  }

  prevPage(): Promise<void> {
    return this.loadPage(this.pager.prev());
  }

  jumpToPage(pageNumber: number): Promise<void> {
    return this.loadPage(this.pager.jump(pageNumber));
  }

  /** Follows this query id without reading it yet (Rerun from history calls {@link rerun} next). */
  adopt(id: string): void {
    if (this.busy) return;
    this.clearRun();
    this.lastSubmit = null;
    this.submitFailed = false;
    this.status = null;
    this.phase = 'idle';
    this.setQueryId(id);
    this.emit();
  }

  showNotice(notice: Notice | null): void {
    this.notice = notice;
    this.emit();
  }

  dismissNotice(): void {
    this.notice = null;
    this.emit();
  }

  /** Forget everything (a new empty tab, or the tab's SQL was replaced). */
  reset(): void {
    this.clearRun();
    this.status = null;
    this.phase = 'idle';
    this.lastSubmit = null;
    this.setQueryId(null);
    this.emit();
  }

  dispose(): void {
    this.disposed = true;
    this.stopTimer();
    this.gen++;
    this.listeners.clear();
  }
}

const TERMINAL_NOTICES: Partial<Record<QueryState, [NoticeKind, string]>> = {
  CANCELLED: ['cancelled', 'QUERY_CANCELLED'],
  FAILED: ['failed', 'QUERY_FAILED'],
  TIMED_OUT: ['timed-out', 'QUERY_TIMED_OUT'],
};

/**
 * The notice of a query that ended without a result. An engine's error brings the engine's own
 * text as detail; an error Sluice wrote (source "sluice") is rendered from its code and details,
 * so it reads in the UI's language (seed 002 §4.5).
 */
export function terminalNotice(status: QueryStatus): Notice | null {
  const which = TERMINAL_NOTICES[status.state];
  if (!which) return null;
  const err = status.error ?? null;
  const own = err?.source === 'sluice';
  return {
    kind: which[0],
    code: err?.code ?? which[1],
    params: own ? err?.details ?? {} : null,
    detail: err && !own ? err.message || null : null,
    retry: true,
  };
}

/** The notice of a failed API call: its code's text; its details are for programs, not shown. */
export function errorNotice(e: unknown, retry: boolean): Notice {
  if (e instanceof ApiError) {
    return { kind: 'error', code: e.code, serverMessage: e.serverMessage, retry };
  }
  return { kind: 'error', code: 'INTERNAL_ERROR', serverMessage: String((e as Error)?.message ?? e), retry };
}
