/**
 * One finished run's stored result as a tab shows it: the current page (GET /results), the pager,
 * and the link to the whole file (GET /download). Answers that come after {@link ResultBrowser.reset}
 * (a new run, another query) are dropped.
 */

import { ApiError, type ApiClient, type DownloadLink, type ResultPageData } from './api';
import { ResultPager, type PageRequest } from './paging';

/** The run the result belongs to. */
export interface ResultHost {
  /** The query whose result is read. */
  queryId(): string | null;
  /** Something shown changed. */
  changed(): void;
  /** A request failed in a way the user must hear about. */
  failed(e: unknown): void;
  /** The query runs again (another window refreshed it): follow it instead. */
  notFinished(): void;
}

export class ResultBrowser {
  page: ResultPageData | null = null;
  loading = false;
  download: DownloadLink | null = null;
  downloadLoading = false;
  readonly pager: ResultPager;
  private gen = 0;

  constructor(private readonly api: Pick<ApiClient, 'results' | 'download'>, pageSize: number,
              private readonly host: ResultHost) {
    this.pager = new ResultPager(pageSize);
  }

  /** Forgets what was shown (a new run, or another query). */
  reset(): void {
    this.gen++;
    this.page = null;
    this.loading = false;
    this.pager.reset();
    this.download = null;
    this.downloadLoading = false;
  }

  first(): Promise<void> {
    return this.load(this.pager.first());
  }

  next(): Promise<void> {
    return this.load(this.pager.next());
  }

  prev(): Promise<void> {
    return this.load(this.pager.prev());
  }

  jump(pageNumber: number): Promise<void> {
    return this.load(this.pager.jump(pageNumber));
  }

  private async load(request: PageRequest | null): Promise<void> {
    const id = this.host.queryId();
    if (!id || !request) return;
    const gen = this.gen;
    this.loading = true;
    this.host.changed();
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
      this.loading = false;
      this.host.changed();
    } catch (e) {
      if (gen !== this.gen) return;
      this.loading = false;
      if (e instanceof ApiError && e.code === 'INVALID_CURSOR' && request.cursor) {
        // The cursor belongs to an earlier run: start again from the top by offset.
        this.pager.dropCursors();
        this.host.changed();
        return this.load({ offset: 0 });
      }
      if (e instanceof ApiError && e.code === 'QUERY_NOT_FINISHED') {
        this.host.notFinished();
        return;
      }
      this.host.failed(e);
    }
  }

  /** Asks for a fresh link to the full result file; null when there is none. */
  async prepareDownload(): Promise<DownloadLink | null> {
    const id = this.host.queryId();
    if (!id || this.downloadLoading) return null;
    const gen = this.gen;
    this.downloadLoading = true;
    this.host.changed();
    try {
      const { data } = await this.api.download(id);
      if (gen !== this.gen) return null;
      this.download = data;
      return data;
    } catch (e) {
      if (gen !== this.gen) return null;
      this.download = null;
      this.downloadLoading = false;
      this.host.failed(e);
      return null;
    } finally {
      if (gen === this.gen && this.downloadLoading) {
        this.downloadLoading = false;
        this.host.changed();
      }
    }
  }
}
