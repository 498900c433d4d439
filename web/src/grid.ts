/** The result grid: column names and types, NULL badges, truncated long values with a full-value viewer. */

import type { ColumnInfo, ResultPageData } from './api';
import { cellText } from './format';
import { h, ta, tx } from './dom';

const NUMERIC = /^(tinyint|smallint|int|integer|bigint|hugeint|ubigint|uinteger|usmallint|utinyint|uhugeint|real|float|double|decimal|numeric)/i;
/** Values longer than this get a button that opens the viewer (and are cut with an ellipsis). */
const LONG_VALUE = 40;

export interface ValueViewer {
  open(column: string, value: string): void;
}

export function renderGrid(page: ResultPageData, viewer: ValueViewer): HTMLTableElement {
  const numeric = page.columns.map((c: ColumnInfo) => NUMERIC.test(c.type ?? ''));
  const thead = h('thead', {},
    h('tr', {},
      h('th', { class: 'rownum', attrs: { scope: 'col' }, text: 'grid.rowNumber' }),
      ...page.columns.map((c, i) =>
        h('th', { attrs: { scope: 'col', 'data-name': c.name, 'data-type': c.type }, testid: 'grid-column', class: numeric[i] ? 'num' : '' },
          h('span', { class: 'col-name', attrs: { title: c.name } }, c.name),
          h('span', { class: 'col-type', testid: 'grid-column-type' }, c.type ?? ''),
        ),
      ),
      filler('th'),
    ),
  );
  const tbody = h('tbody', {});
  const offset = page.offset ?? 0;
  page.rows.forEach((row, r) => {
    const tr = h('tr', { testid: 'grid-row' }, h('th', { class: 'rownum', attrs: { scope: 'row' } }, String(offset + r + 1)));
    page.columns.forEach((column, c) => {
      tr.appendChild(renderCell(row[c], column.name, numeric[c] || typeof row[c] === 'number', viewer));
    });
    tr.appendChild(filler('td'));
    tbody.appendChild(tr);
  });
  return h('table', { class: 'grid', testid: 'result-grid', i18nAttrs: { 'aria-label': 'grid.label' } }, thead, tbody);
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
