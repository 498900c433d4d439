/**
 * How the result grid is viewed: sorted by one column and kept to the rows that pass some filters,
 * computed by the server over the stored result (GET /results?sort=&filter=), never by running the
 * query again. Columns are named by index (`#2`), so any column name works, even one with `:` or
 * `,`. Pure state: {@link ResultBrowser} sends {@link ResultView.params} with every page.
 */

/** The filter operators the server knows; `null` and `notnull` take no value. */
export const FILTER_OPS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'contains', 'startswith', 'null', 'notnull'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export function opTakesValue(op: FilterOp): boolean {
  return op !== 'null' && op !== 'notnull';
}

export interface ResultFilter {
  op: FilterOp;
  /** The column's index in the result. */
  column: number;
  /** The value compared with (empty for `null`/`notnull`). */
  value: string;
}

export interface ResultSort {
  column: number;
  desc: boolean;
}

/** At most this many filters (the server's bound). */
export const MAX_FILTERS = 16;

export class ResultView {
  constructor(readonly sort: ResultSort | null = null, readonly filters: readonly ResultFilter[] = []) {}

  get plain(): boolean {
    return !this.sort && this.filters.length === 0;
  }

  /** Clicking a column's header: ascending, then descending, then the result's own order. */
  toggleSort(column: number): ResultView {
    const s = this.sort;
    const next = s?.column !== column ? { column, desc: false } : !s.desc ? { column, desc: true } : null;
    return new ResultView(next, this.filters);
  }

  withoutSort(): ResultView {
    return new ResultView(null, this.filters);
  }

  withFilter(filter: ResultFilter): ResultView {
    if (this.filters.length >= MAX_FILTERS) return this;
    const value = opTakesValue(filter.op) ? filter.value : '';
    if (this.filters.some((f) => f.op === filter.op && f.column === filter.column && f.value === value)) return this;
    return new ResultView(this.sort, [...this.filters, { ...filter, value }]);
  }

  withoutFilter(index: number): ResultView {
    return new ResultView(this.sort, this.filters.filter((_, i) => i !== index));
  }

  /** The query parameters of a page of this view (none for the plain result). */
  params(): { sort?: string; filter?: string[] } {
    const params: { sort?: string; filter?: string[] } = {};
    if (this.sort) params.sort = `#${this.sort.column}:${this.sort.desc ? 'desc' : 'asc'}`;
    if (this.filters.length) {
      params.filter = this.filters.map((f) => (opTakesValue(f.op) ? `${f.op}:#${f.column}:${f.value}` : `${f.op}:#${f.column}`));
    }
    return params;
  }
}
