/**
 * One editor tab's query life: submit (POST /api/query), poll the status every 0.5–1 s until a
 * terminal state, page through the result, cancel (guarded against double clicks), retry and
 * rerun (POST /refresh), and closing the tab with or without cancelling. No DOM here: the view
 * subscribes and renders.
 *
 * What the tab shows (status, grid, paging) belongs to the last run the server accepted: a new
 * submit or refresh replaces it only once the server has answered, so a request that never
 * arrives loses nothing.
 */

import {
  ApiError, isTerminal, type ApiClient, type QueryState, type QueryStatus, type QueryWarning, type Submitted,
} from './api';
import { errorNotice, isConnectionTrouble, terminalNotice, type Notice } from './notices';
import { runSeconds } from './querytimes';
import { ResultBrowser } from './resultbrowser';

export type Phase = 'idle' | 'submitting' | 'running' | 'finished';

export interface SubmitRequest {
  query: string;
  engine?: string;
  catalog?: string;
  database?: string;
  /** A scan cap for this run (engines that price queries). */
  maxScanGb?: number;
  /** false: not answered from the local result cache. */
  cache?: boolean;
}

/** A cache hit: the response says so, or its statistics name the run it was answered from. */
export function isCached(status: QueryStatus | null | undefined): boolean {
  return !!status && (status.cached === true || !!status.statistics?.cachedFrom);
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

/** Whether `request` would run the query `status` describes again: the same text on the same target. */
export function sameQuery(status: QueryStatus | null, request: SubmitRequest): boolean {
  if (!status || status.query !== request.query) return false;
  const same = (known: string | null | undefined, asked: string | undefined) =>
    known === null || known === undefined || asked === undefined || known === asked;
  return same(status.engine, request.engine) && same(status.catalog, request.catalog)
    && same(status.database, request.database);
}

export class QueryRunner {
  phase: Phase = 'idle';
  queryId: string | null = null;
  status: QueryStatus | null = null;
  notice: Notice | null = null;
  cancelling = false;
  connectionLost = false;
  /** The finished run's result: page, pager, download link. */
  readonly results: ResultBrowser;

  private startedAt: number | null = null;
  /** When the server last answered a poll: while the connection is lost, the running time stops there. */
  private lastContactAt: number | null = null;
  private gen = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;
  private readonly pollInterval: (elapsedMs: number) => number;
  private disposed = false;
  /** The last thing that went wrong was a submit that never got an id: Retry submits again. */
  private submitFailed = false;
  private forgetIfMissing = false;
  /** The tab closed with "cancel the query" while a submit or refresh was unanswered: cancel what it started. */
  private cancelWhenAnswered = false;

  constructor(private readonly api: RunnerApi, private readonly options: RunnerOptions = {}) {
    this.now = options.now ?? (() => Date.now());
    this.pollInterval = options.pollInterval ?? defaultPollInterval;
    this.results = new ResultBrowser(api, options.pageSize ?? 100, {
      queryId: () => this.queryId,
      changed: () => this.emit(),
      failed: (e) => this.showNotice(errorNotice(e, false)),
      notFinished: () => {
        if (this.queryId) this.track(this.queryId);
      },
    });
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

  /** The id of the query this tab follows while it is queued or running on the server. */
  get runningQueryId(): string | null {
    return this.phase === 'running' ? this.queryId : null;
  }

  /**
   * Wall time of the run: live while it runs (standing still while the connection is lost: nobody
   * knows whether it still runs), the server's queue + execution time after it ended.
   */
  elapsedMs(): number | null {
    if (this.phase === 'running' || this.phase === 'submitting') {
      if (this.startedAt === null) return null;
      const until = this.connectionLost && this.lastContactAt !== null ? this.lastContactAt : this.now();
      return Math.max(0, until - this.startedAt);
    }
    const seconds = runSeconds(this.status);
    return seconds === null ? null : seconds * 1000;
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
    this.results.reset();
    this.cancelling = false;
    this.connectionLost = false;
    this.failures = 0;
  }

  /**
   * Submits new SQL. Ignored while a query of this tab is being submitted or runs. The previous
   * run stays on show until the server accepted the new one; a submit that fails becomes a notice.
   */
  async run(request: SubmitRequest): Promise<void> {
    if (this.busy || this.disposed) return;
    const before = this.phase;
    this.phase = 'submitting';
    this.startedAt = this.now();
    this.emit();
    const gen = this.gen;
    try {
      const { data } = await this.api.submit(request);
      if (this.abandoned(gen, data.id)) return;
      this.clearRun();
      this.begin(data.id, data.state, data.engine, request.query, data);
    } catch (e) {
      if (gen !== this.gen) return;
      this.phase = before;
      this.submitFailed = true;
      this.notice = errorNotice(e, true);
      this.emit();
    }
  }

  /** An answer that came after the run was left behind; a tab closed with "cancel" still cancels what it started. */
  private abandoned(gen: number, id: string): boolean {
    if (gen === this.gen) return false;
    if (this.disposed && this.cancelWhenAnswered) void this.api.cancel(id).catch(() => undefined);
    return true;
  }

  /**
   * Follows an existing query (after a reload, or opened from history). With `forgetIfMissing`
   * (a reload), a query the server no longer knows is forgotten quietly instead of reported.
   */
  track(id: string, options: { forgetIfMissing?: boolean } = {}): void {
    if (this.disposed) return;
    this.clearRun();
    this.forgetIfMissing = !!options.forgetIfMissing;
    this.submitFailed = false;
    this.setQueryId(id);
    this.status = null;
    this.phase = 'running';
    this.startedAt = null;
    this.emit();
    void this.poll(this.gen);
  }

  /**
   * Reruns the tracked query through POST /api/query/{id}/refresh (Retry and Rerun); like
   * {@link run}, the previous run stays on show until the server accepted the new one.
   */
  async rerun(): Promise<void> {
    const id = this.queryId;
    if (!id || this.busy || this.disposed) return;
    const before = this.phase;
    const query = this.status?.query ?? '';
    const engine = this.status?.engine ?? '';
    this.phase = 'submitting';
    this.startedAt = this.now();
    this.emit();
    const gen = this.gen;
    try {
      const { data } = await this.api.refresh(id);
      if (this.abandoned(gen, data.id ?? id)) return;
      this.clearRun();
      this.begin(data.id ?? id, data.state ?? 'QUEUED', data.engine ?? engine, query, data);
    } catch (e) {
      if (gen !== this.gen) return;
      if (e instanceof ApiError && e.code === 'QUERY_NOT_FINISHED') {
        // It is already running again (another tab or window): follow it.
        this.track(id);
        return;
      }
      this.phase = before;
      this.notice = errorNotice(e, true);
      this.emit();
    }
  }

  /**
   * Retry after a failure, cancellation, time-out or a failed submit, with the tab's SQL as it is
   * now (`current`): the same query id runs again only when its text and target are unchanged;
   * edited SQL, or a submit that never reached the server, is submitted as a new query.
   */
  retry(current: SubmitRequest): Promise<void> {
    if (!this.submitFailed && this.queryId && sameQuery(this.status, current)) return this.rerun();
    return this.run(current);
  }

  /** The warnings of the run on show (a budget nearly spent, lint findings): the status's, else the submit's. */
  get warnings(): QueryWarning[] {
    return this.status?.warnings ?? [];
  }

  private begin(id: string, state: QueryState, engine: string, query: string, submitted?: Partial<Submitted>): void {
    this.submitFailed = false;
    this.setQueryId(id);
    const now = new Date(this.now()).toISOString();
    this.status = {
      id, state, engine, query,
      submittedAt: now,
      statistics: { queueSeconds: 0, executionSeconds: null },
      warnings: submitted?.warnings?.length ? submitted.warnings : undefined,
      cached: submitted?.cached === true ? true : undefined,
    };
    this.phase = 'running';
    this.lastContactAt = this.now();
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
      if (!isConnectionTrouble(e)) {
        // The query is gone (404) or we may not see it (401/403): stop following it.
        if (this.forgetIfMissing && (e as ApiError).code === 'QUERY_NOT_FOUND' && !this.status) {
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
    const reconnected = this.connectionLost;
    this.failures = 0;
    this.connectionLost = false;
    this.lastContactAt = this.now();
    this.forgetIfMissing = false;
    // The submit's warnings stay on show when the status leaves them out.
    if (!status.warnings?.length && this.status?.id === status.id && this.status.warnings?.length) {
      status = { ...status, warnings: this.status.warnings };
    }
    this.status = status;
    if (!isTerminal(status.state) && (this.startedAt === null || reconnected)) {
      // After a reload or an outage only the server knows how long the query has been under way.
      this.startedAt = this.now() - (runSeconds(status) ?? 0) * 1000;
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
    if (status.state === 'SUCCEEDED') void this.results.first();
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

  /** Follows this query id without reading it yet (Rerun from history calls {@link rerun} next). */
  adopt(id: string): void {
    if (this.busy) return;
    this.clearRun();
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
    this.setQueryId(null);
    this.emit();
  }

  /**
   * The tab closes: stop following the query for good. With `cancelQuery` the server stops it
   * too; a submit or refresh still unanswered is cancelled as soon as its answer names the query.
   */
  close(cancelQuery: boolean): void {
    if (this.disposed) return;
    const running = this.runningQueryId;
    this.cancelWhenAnswered = cancelQuery && this.phase === 'submitting';
    this.dispose();
    if (cancelQuery && running) void this.api.cancel(running).catch(() => undefined);
  }

  dispose(): void {
    this.disposed = true;
    this.stopTimer();
    this.gen++;
    this.results.reset();
    this.listeners.clear();
  }
}
