/**
 * Cursor paging state for one query's result (GET /api/query/{id}/results). Next and previous
 * use cursors where one is known (the server's `nextCursor`, remembered per row offset), a jump
 * uses `offset`. Pure: the caller fetches what {@link ResultPager.next} and friends ask for and
 * hands the answer to {@link ResultPager.accept}.
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
  private readonly cursors = new Map<number, string>();
  private page: PageInfo | null = null;

  constructor(readonly pageSize = 100) {
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new Error('pageSize must be a positive integer');
  }

  get current(): PageInfo | null {
    return this.page;
  }

  reset(): void {
    this.cursors.clear();
    this.page = null;
  }

  first(): PageRequest {
    return { offset: 0 };
  }

  accept(page: PageInfo): void {
    this.page = page;
    if (page.nextCursor) this.cursors.set(page.offset + page.rowCount, page.nextCursor);
  }

  /** Forget cursors, e.g. after the server answered INVALID_CURSOR; offsets still work. */
  dropCursors(): void {
    this.cursors.clear();
  }

  get hasNext(): boolean {
    const p = this.page;
    if (!p) return false;
    return p.nextCursor !== null || p.offset + p.rowCount < p.totalRows;
  }

  get hasPrev(): boolean {
    return !!this.page && this.page.offset > 0;
  }

  next(): PageRequest | null {
    const p = this.page;
    if (!p || !this.hasNext) return null;
    if (p.nextCursor) return { cursor: p.nextCursor };
    return { offset: p.offset + p.rowCount };
  }

  prev(): PageRequest | null {
    const p = this.page;
    if (!p || p.offset <= 0) return null;
    const target = Math.max(0, p.offset - this.pageSize);
    return this.at(target);
  }

  /** 1-based page number → request; clamped to the pages that exist. */
  jump(pageNumber: number): PageRequest {
    const count = this.pageCount;
    let n = Math.floor(Number.isFinite(pageNumber) ? pageNumber : 1);
    if (count > 0) n = Math.min(n, count);
    n = Math.max(1, n);
    return this.at((n - 1) * this.pageSize);
  }

  private at(offset: number): PageRequest {
    if (offset === 0) return { offset: 0 };
    const cursor = this.cursors.get(offset);
    return cursor ? { cursor } : { offset };
  }

  /** 1-based number of the current page (pages aligned to pageSize). */
  get pageNumber(): number {
    return this.page ? Math.floor(this.page.offset / this.pageSize) + 1 : 0;
  }

  get pageCount(): number {
    return this.page ? Math.max(1, Math.ceil(this.page.totalRows / this.pageSize)) : 0;
  }

  /** 1-based first and last row of the current page, for "rows 101–200 of 2,345". */
  get range(): { from: number; to: number; total: number } | null {
    const p = this.page;
    if (!p) return null;
    return { from: p.rowCount === 0 ? 0 : p.offset + 1, to: p.offset + p.rowCount, total: p.totalRows };
  }
}
