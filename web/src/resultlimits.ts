/**
 * The server's bounds on a stored result, as the UI words them: a result cut to its first rows
 * (`truncated`, with the limit that cut it) and single values cut on a page (`truncatedCells`),
 * whose full text is served one at a time by GET /api/query/{id}/value.
 */

import type { ResultPageData, TruncatedCell, Truncation } from './api';
import { formatBytes, formatCount } from './format';
import type { Params } from './i18n';

interface MaybeTruncated {
  truncated?: boolean;
  truncation?: Truncation | null;
}

/**
 * The catalog text saying how much of the result was kept, or null when nothing was cut.
 * `rowsKept` is the stored result's row count (what a page calls totalRows).
 */
export function truncationText(result: MaybeTruncated | null | undefined, rowsKept: number | null,
                               locale: string): [string, Params] | null {
  if (!result?.truncated) return null;
  const truncation = result.truncation ?? null;
  const limit = typeof truncation?.limit === 'number' ? truncation.limit : null;
  if (truncation?.reason === 'MAX_RESULT_ROWS' && limit !== null) {
    return ['results.truncatedRows', { rows: formatCount(rowsKept ?? limit, locale), limit: formatCount(limit, locale) }];
  }
  if (rowsKept === null) return ['results.truncatedSome', {}];
  if (truncation?.reason === 'MAX_RESULT_BYTES' && limit !== null) {
    return ['results.truncatedBytes', { rows: formatCount(rowsKept, locale), size: formatBytes(limit) }];
  }
  return ['results.truncated', { rows: formatCount(rowsKept, locale) }];
}

/** The cut values of a page by "row:column" (row counted from the page's first row). */
export function cutCells(page: Pick<ResultPageData, 'truncatedCells'>): Map<string, TruncatedCell> {
  const cells = new Map<string, TruncatedCell>();
  for (const cell of page.truncatedCells ?? []) {
    if (Number.isInteger(cell?.row) && Number.isInteger(cell?.column)) cells.set(`${cell.row}:${cell.column}`, cell);
  }
  return cells;
}

/** The row number the value route expects: the page's offset plus the row's place on the page. */
export function absoluteRow(page: Pick<ResultPageData, 'offset'>, rowOnPage: number): number {
  return (page.offset ?? 0) + rowOnPage;
}
