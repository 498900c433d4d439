/**
 * The bar above the result grid that filters the stored result: a column, an operator and a value
 * make a filter; the filters in force show as chips, each removable, and the sort in force as one
 * more. Every change asks the caller for the new {@link ResultView}; the server computes it.
 */

import type { ColumnInfo } from './api';
import { h, ta, tx } from './dom';
import { t } from './i18n';
import { FILTER_OPS, MAX_FILTERS, opTakesValue, type FilterOp, type ResultView } from './resultview';

export interface FilterBar {
  element: HTMLElement;
  /** Shows the columns of the page and the view in force. */
  render(columns: readonly ColumnInfo[], view: ResultView, busy: boolean): void;
}

/** `apply` shows the changed view; it answers whether the server took it. */
export function createFilterBar(apply: (change: (view: ResultView) => ResultView) => Promise<boolean>): FilterBar {
  const column = h('select', { class: 'select', testid: 'filter-column', attrs: { id: 'filter-column' }, i18nAttrs: { 'aria-label': 'filter.column' } });
  const op = h('select', { class: 'select', testid: 'filter-op', i18nAttrs: { 'aria-label': 'filter.operator' } },
    ...FILTER_OPS.map((o) => h('option', { attrs: { value: o }, text: `filter.op.${o}` })));
  const value = h('input', { class: 'input filter-value', testid: 'filter-value', attrs: { type: 'text' }, i18nAttrs: { 'aria-label': 'filter.value', placeholder: 'filter.value' } });
  const add = h('button', { class: 'btn btn-small', testid: 'filter-add', attrs: { type: 'submit' }, text: 'filter.add' });
  const chips = h('ul', { class: 'filter-chips', testid: 'filter-chips' });
  const form = h('form', { class: 'filter-form' },
    h('label', { attrs: { for: 'filter-column' }, text: 'filter.label' }), column, op, value, add);
  op.addEventListener('change', () => {
    value.disabled = !opTakesValue(op.value as FilterOp);
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const index = Number(column.value);
    if (!Number.isInteger(index) || index < 0) return;
    const o = op.value as FilterOp;
    if (opTakesValue(o) && value.value === '' && o !== 'eq' && o !== 'ne') {
      value.focus();
      return;
    }
    const typed = value.value;
    void apply((view) => view.withFilter({ op: o, column: index, value: typed })).then((shown) => {
      // A refused value stays in the field to be corrected.
      if (shown && value.value === typed) value.value = '';
    });
  });
  const element = h('div', { class: 'filter-bar', testid: 'filter-bar', attrs: { role: 'group' }, i18nAttrs: { 'aria-label': 'filter.barLabel' } },
    form, chips);

  let shownColumns = '';
  return {
    element,
    render(columns, view, busy) {
      const names = JSON.stringify(columns.map((c) => c.name));
      if (names !== shownColumns) {
        shownColumns = names;
        const selected = column.value;
        column.replaceChildren(...columns.map((c, i) => h('option', { attrs: { value: String(i) } }, c.name)));
        if (selected !== '' && Number(selected) < columns.length) column.value = selected;
      }
      add.disabled = busy || view.filters.length >= MAX_FILTERS || columns.length === 0;
      chips.replaceChildren();
      const name = (i: number) => columns[i]?.name ?? `#${i}`;
      if (view.sort) {
        const s = view.sort;
        chips.appendChild(chip(['filter.sortChip', { column: name(s.column), direction: s.desc ? '▼' : '▲' }], 'sort-chip',
          () => void apply((v) => v.withoutSort()), busy));
      }
      view.filters.forEach((f, i) => {
        const text: [string, Record<string, string>] = opTakesValue(f.op)
          ? ['filter.chip', { column: name(f.column), op: t(`filter.op.${f.op}`), value: f.value }]
          : ['filter.chipNoValue', { column: name(f.column), op: t(`filter.op.${f.op}`) }];
        chips.appendChild(chip(text, 'filter-chip', () => void apply((v) => v.withoutFilter(i)), busy));
      });
      chips.hidden = chips.childElementCount === 0;
    },
  };
}

function chip(text: [string, Record<string, string>], testid: string, remove: () => void, busy: boolean): HTMLLIElement {
  const label = h('span', { class: 'chip-text' });
  tx(label, text[0], text[1]);
  const button = h('button', { class: 'chip-remove', testid: `${testid}-remove`, attrs: { type: 'button' }, on: { click: remove } }, '×');
  button.disabled = busy;
  ta(button, 'aria-label', 'filter.remove', { what: label.textContent ?? '' });
  return h('li', { class: 'chip', testid }, label, button);
}
