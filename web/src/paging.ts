/**
 * Cursor paging state for one query's result (GET /api/query/{id}/results). A page may hold fewer
 * rows than asked for (the server bounds a page's bytes too), so the next page is only ever the
 * server's `nextCursor`, never "offset + page size"; previous goes back to the start of the page
 * numbered one less when it was seen (by its remembered cursor where there is one), and a jump to an
 * unseen page n asks for row (n - 1) × page size by `offset`. Pure: the caller fetches what {@link ResultPager.next} and
 * friends ask for and hands the answer to {@link ResultPager.accept}.
 */

export interface PageRequest {
  cursor?: string;
  offset?: number;
}

export interface PageInfo {
  offset: number;
  totalRows: number;
  rowCount: number;
  nextCursor: string | null;
}

export class ResultPager {
  /** Cursor that leads to the page starting at a row offset. */
  private readonly cursors = new Map<number, string>();
  /** Number shown for each page start seen, so short pages still count up one by one. */
  private readonly numbers = new Map<number, number>();
  private page: PageInfo | null = null;
  private number = 0;

  constructor(readonly pageSize = 100) {
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new Error('pageSize must be a positive integer');
  }

  get current(): PageInfo | null {
    return this.page;
  }

  reset(): void {
    this.cursors.clear();
    this.numbers.clear();
    this.page = null;
    this.number = 0;
  }

  first(): PageRequest {
    return { offset: 0 };
  }

  accept(page: PageInfo): void {
    const before = this.page;
    const followsBefore = !!before && page.offset === before.offset + before.rowCount && page.offset > before.offset;
    this.number = this.numbers.get(page.offset)
      ?? (followsBefore ? this.number + 1 : Math.floor(page.offset / this.pageSize) + 1);
    this.numbers.set(page.offset, this.number);
    this.page = page;
    if (page.nextCursor) this.cursors.set(page.offset + page.rowCount, page.nextCursor);
  }

  /** Forget cursors, e.g. after the server answered INVALID_CURSOR; offsets still work. */
  dropCursors(): void {
    this.cursors.clear();
  }

  get hasNext(): boolean {
    return !!this.page?.nextCursor;
  }

  get hasPrev(): boolean {
    return !!this.page && this.page.offset > 0;
  }

  next(): PageRequest | null {
    const cursor = this.page?.nextCursor;
    return cursor ? { cursor } : null;
  }

  prev(): PageRequest | null {
    const p = this.page;
    if (!p || p.offset <= 0) return null;
    let start: number | null = null;
    for (const [offset, number] of this.numbers) {
      if (number === this.number - 1 && offset < p.offset && (start === null || offset > start)) start = offset;
    }
    return this.at(start ?? Math.max(0, p.offset - this.pageSize));
  }

  /** 1-based page number → request; clamped to the pages that exist. */
  jump(pageNumber: number): PageRequest {
    const count = this.pageCount;
    let n = Math.floor(Number.isFinite(pageNumber) ? pageNumber : 1);
    if (count > 0) n = Math.min(n, count);
    n = Math.max(1, n);
    for (const [offset, number] of this.numbers) if (number === n) return this.at(offset);
    const offset = (n - 1) * this.pageSize;
    const total = this.page?.totalRows;
    return this.at(total !== undefined && total > 0 ? Math.min(offset, total - 1) : offset);
  }

  private at(offset: number): PageRequest {
    if (offset === 0) return { offset: 0 };
    const cursor = this.cursors.get(offset);
    return cursor ? { cursor } : { offset };
  }

  /** 1-based number of the current page. */
  get pageNumber(): number {
    return this.page ? this.number : 0;
  }

  /**
   * Pages so far plus those the rows after this page need, taking this page's size as the size of
   * the rest (pages may be shorter than asked for); exact once the last page has been seen.
   */
  get pageCount(): number {
    const p = this.page;
    if (!p) return 0;
    if (!p.nextCursor) return Math.max(1, this.number);
    const rest = Math.max(1, p.totalRows - p.offset - p.rowCount);
    return this.number + Math.ceil(rest / Math.max(1, p.rowCount));
  }

  /** 1-based first and last row of the current page, for "rows 101–200 of 2,345". */
  get range(): { from: number; to: number; total: number } | null {
    const p = this.page;
    if (!p) return null;
    return { from: p.rowCount === 0 ? 0 : p.offset + 1, to: p.offset + p.rowCount, total: p.totalRows };
  }
}
