/**
 * One finished run's stored result as a tab shows it: the current page (GET /results) of the
 * current {@link ResultView} (sorted, filtered or plain), the pager, and the link to the whole file
 * (GET /download) in the chosen format. Answers that come after {@link ResultBrowser.reset} (a new
 * run, another query) are dropped.
 */

import { ApiError, type ApiClient, type DownloadFormat, type DownloadLink, type ResultPageData } from './api';
import { untilConverted } from './converting';
import { ResultPager, type PageRequest } from './paging';
import { ResultView } from './resultview';

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
  /** The format the next download link is asked in. */
  downloadFormat: DownloadFormat = 'csv';
  /** The view the shown page belongs to. */
  view = new ResultView();
  /** Rows of the whole stored result, once a page of it without filters was seen. */
  storedRows: number | null = null;
  readonly pager: ResultPager;
  /** Bumped by reset: answers for an earlier run are dropped. */
  private gen = 0;
  /** Bumped by every page or view asked for: only the latest one's answer is shown. */
  private pageTicket = 0;

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
    this.view = new ResultView();
    this.storedRows = null;
  }

  /**
   * Shows another view of the result from its first page; true once shown. If the server refuses
   * it (a result stored by an earlier version cannot be sorted; a filter value not of its column's
   * type), the host hears why and the view and page shown before stay.
   */
  async setView(view: ResultView): Promise<boolean> {
    const id = this.host.queryId();
    if (!id) return false;
    const gen = this.gen;
    const ticket = ++this.pageTicket;
    this.loading = true;
    this.host.changed();
    try {
      // a large result still being prepared for views is asked again (see untilConverted)
      const { data } = await untilConverted(
        () => this.api.results(id, { offset: 0, limit: this.pager.pageSize, ...view.params() }),
        () => gen === this.gen && ticket === this.pageTicket);
      if (gen !== this.gen || ticket !== this.pageTicket) return false;
      this.view = view;
      this.pager.reset();
      this.show(data, 0);
      return true;
    } catch (e) {
      if (gen !== this.gen || ticket !== this.pageTicket) return false;
      this.loading = false;
      this.host.changed();
      if (e instanceof ApiError && e.code === 'QUERY_NOT_FINISHED') {
        this.host.notFinished();
        return false;
      }
      this.host.failed(e);
      return false;
    }
  }

  setDownloadFormat(format: DownloadFormat): void {
    if (format === this.downloadFormat) return;
    this.downloadFormat = format;
    this.download = null;
    this.host.changed();
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
    const ticket = ++this.pageTicket;
    this.loading = true;
    this.host.changed();
    try {
      const { data } = await this.api.results(id, { ...request, limit: this.pager.pageSize, ...this.view.params() });
      if (gen !== this.gen || ticket !== this.pageTicket) return;
      this.show(data, request.offset ?? 0);
    } catch (e) {
      if (gen !== this.gen || ticket !== this.pageTicket) return;
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

  private show(data: ResultPageData, offset: number): void {
    this.pager.accept({
      offset: data.offset ?? offset,
      totalRows: data.totalRows ?? data.rows.length,
      rowCount: data.rows.length,
      nextCursor: data.nextCursor ?? null,
    });
    if (this.view.filters.length === 0) this.storedRows = data.totalRows ?? data.rows.length;
    this.page = data;
    this.loading = false;
    this.host.changed();
  }

  /** Asks for a fresh link to the full result file, in {@link downloadFormat}; null when there is none. */
  async prepareDownload(): Promise<DownloadLink | null> {
    const id = this.host.queryId();
    if (!id || this.downloadLoading) return null;
    const gen = this.gen;
    this.downloadLoading = true;
    this.host.changed();
    try {
      const { data } = await this.api.download(id, this.downloadFormat);
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
