/**
 * The result grid: column names and types (each header a button that sorts by its column, when the
 * caller offers sorting), NULL badges, long values shortened with a full-value viewer, and values
 * the server cut (too large to keep on a page) marked with their full size and, where the row's
 * place in the whole result is known, a link that opens the whole value in a new browser tab.
 */

import type { ColumnInfo, ResultPageData, TruncatedCell } from './api';
import { cellText, formatBytes } from './format';
import { h, ta, tx } from './dom';
import { absoluteRow, cutCells } from './resultlimits';
import type { ResultSort } from './resultview';

const NUMERIC = /^(tinyint|smallint|int|integer|bigint|hugeint|ubigint|uinteger|usmallint|utinyint|uhugeint|real|float|double|decimal|numeric)/i;
/** Values longer than this get a button that opens the viewer (and are cut with an ellipsis). */
const LONG_VALUE = 40;

/** Whether a column of this type holds numbers (right-aligned; sums and averages in a chart). */
export function isNumericType(type: string | null | undefined): boolean {
  return NUMERIC.test(type ?? '');
}

export interface ValueViewer {
  open(column: string, value: string): void;
}

export interface GridOptions {
  viewer: ValueViewer;
  /** Where the full text of a cut value is served, by absolute row and column index; null when unknown (a sorted or filtered view). */
  fullValueUrl(row: number, column: number): string | null;
  /** Offered: a header click sorts by its column ({@link ResultView.toggleSort}). */
  onSort?: (column: number) => void;
  /** The column the page is sorted by, if any. */
  sort?: ResultSort | null;
}

export function renderGrid(page: ResultPageData, options: GridOptions): HTMLTableElement {
  const numeric = page.columns.map((c: ColumnInfo) => isNumericType(c.type));
  const thead = h('thead', {},
    h('tr', {},
      h('th', { class: 'rownum', attrs: { scope: 'col' }, text: 'grid.rowNumber' }),
      ...page.columns.map((c, i) => renderHeader(c, i, numeric[i], options)),
      filler('th'),
    ),
  );
  const tbody = h('tbody', {});
  const cut = cutCells(page);
  page.rows.forEach((row, r) => {
    const tr = h('tr', { testid: 'grid-row' }, h('th', { class: 'rownum', attrs: { scope: 'row' } }, String(absoluteRow(page, r) + 1)));
    page.columns.forEach((column, c) => {
      const cell = cut.get(`${r}:${c}`);
      tr.appendChild(cell
        ? renderCutCell(row[c], column.name, cell, options.fullValueUrl(absoluteRow(page, r), c))
        : renderCell(row[c], column.name, numeric[c] || typeof row[c] === 'number', options.viewer));
    });
    tr.appendChild(filler('td'));
    tbody.appendChild(tr);
  });
  return h('table', { class: 'grid', testid: 'result-grid', i18nAttrs: { 'aria-label': 'grid.label' } }, thead, tbody);
}

function renderHeader(c: ColumnInfo, i: number, numeric: boolean, options: GridOptions): HTMLTableCellElement {
  const sorted = options.sort?.column === i ? (options.sort.desc ? 'descending' : 'ascending') : null;
  const attrs: Record<string, string> = { scope: 'col', 'data-name': c.name, 'data-type': c.type ?? '' };
  if (sorted) attrs['aria-sort'] = sorted;
  const name = h('span', { class: 'col-name', attrs: { title: c.name } }, c.name);
  const type = h('span', { class: 'col-type', testid: 'grid-column-type' }, c.type ?? '');
  const onSort = options.onSort;
  if (!onSort) return h('th', { attrs, testid: 'grid-column', class: numeric ? 'num' : '' }, name, type);
  const mark = h('span', { class: 'sort-mark', attrs: { 'aria-hidden': 'true' } }, sorted === 'ascending' ? '▲' : sorted === 'descending' ? '▼' : '');
  const button = h('button', {
    class: 'col-sort', testid: 'grid-sort', attrs: { type: 'button' },
    on: { click: () => onSort(i) },
  }, name, mark);
  ta(button, 'title', sorted === 'ascending' ? 'grid.sortDesc' : sorted === 'descending' ? 'grid.sortOff' : 'grid.sortAsc', { column: c.name });
  return h('th', { attrs, testid: 'grid-column', class: numeric ? 'num sortable' : 'sortable' }, button, type);
}

/** The last, empty column takes the width the data columns do not need (they keep their own). */
function filler(tag: 'th' | 'td'): HTMLTableCellElement {
  return h(tag, { class: 'fill', attrs: { 'aria-hidden': 'true' } });
}

function renderCell(value: unknown, column: string, numeric: boolean, viewer: ValueViewer): HTMLTableCellElement {
  const td = h('td', { testid: 'grid-cell', class: numeric ? 'num' : '' });
  if (value === null || value === undefined) {
    td.dataset.null = 'true';
    td.appendChild(h('span', { class: 'null-badge', testid: 'null-value', text: 'grid.null' }));
    return td;
  }
  const text = cellText(value);
  if (text === '') {
    td.dataset.empty = 'true';
    const span = h('span', { class: 'empty-string', testid: 'empty-value' });
    ta(span, 'title', 'grid.emptyString');
    ta(span, 'aria-label', 'grid.emptyString');
    td.appendChild(span);
    return td;
  }
  td.title = text.length > 4000 ? `${text.slice(0, 4000)}…` : text;
  if (text.length > LONG_VALUE || text.includes('\n')) {
    const button = h('button', {
      class: 'cell-button',
      testid: 'cell-expand',
      attrs: { type: 'button' },
      on: { click: () => viewer.open(column, text) },
    }, text.length > 300 ? `${text.slice(0, 300)}…` : text);
    ta(button, 'aria-label', 'grid.showValueOf', { column });
    td.appendChild(button);
  } else {
    td.textContent = text;
  }
  return td;
}

/** A value the server cut: its prefix, "… 286 MB", and a link to the whole value (a new browser tab) when there is one. */
function renderCutCell(value: unknown, column: string, cell: TruncatedCell, url: string | null): HTMLTableCellElement {
  const td = h('td', { testid: 'grid-cell', class: 'cut', attrs: { 'data-truncated': 'true' } });
  const prefix = cellText(value);
  const size = formatBytes(cell.bytes);
  const marker = h('span', { class: 'cut-marker', testid: 'cell-cut-marker', text: ['grid.cutMarker', { size }] });
  ta(marker, 'title', url ? 'grid.cutHint' : 'grid.cutHintInView', { size });
  const cut = h('span', { class: 'cut-cell' },
    h('span', { class: 'cut-prefix', testid: 'cell-prefix', attrs: { title: prefix.slice(0, 4000) } }, prefix.slice(0, 300)),
    marker);
  if (url) {
    const link = h('a', {
      class: 'cut-link', testid: 'cell-full-value', text: 'grid.openFullValue',
      attrs: { href: url, target: '_blank', rel: 'noopener' },
    });
    ta(link, 'aria-label', 'grid.openFullValueOf', { column, size });
    cut.appendChild(link);
  }
  td.appendChild(cut);
  return td;
}

/** A <dialog> that shows one full value, with Copy. */
export function createValueViewer(): { element: HTMLDialogElement; viewer: ValueViewer } {
  const title = h('h2', { class: 'dialog-title', testid: 'value-dialog-title' });
  const pre = h('pre', { class: 'value-text', testid: 'value-dialog-text', attrs: { tabindex: 0 } });
  const copy = h('button', { attrs: { type: 'button' }, testid: 'value-dialog-copy', text: 'action.copy' });
  const close = h('button', { attrs: { type: 'button' }, testid: 'value-dialog-close', text: 'action.close' });
  const dialog = h('dialog', { class: 'value-dialog', testid: 'value-dialog', attrs: { 'aria-labelledby': 'value-dialog-title' } },
    title, pre, h('div', { class: 'dialog-actions' }, copy, close));
  title.id = 'value-dialog-title';
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('click', (e) => {
    if (e.target === dialog) dialog.close();
  });
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(pre.textContent ?? '');
      tx(copy, 'action.copied');
      setTimeout(() => tx(copy, 'action.copy'), 1500);
    } catch {
      const range = document.createRange();
      range.selectNodeContents(pre);
      const sel = window.getSelection();
      sel?.removeAllRanges();
      sel?.addRange(range);
    }
  });
  return {
    element: dialog,
    viewer: {
      open(column, value) {
        tx(title, 'value.title', { column });
        pre.textContent = value;
        if (typeof dialog.showModal === 'function') dialog.showModal();
        else dialog.setAttribute('open', '');
        close.focus();
      },
    },
  };
}
