/**
 * A chart of the stored result, under the grid: its rows grouped by one column and measured (a
 * count, or the sum, average, minimum or maximum of a numeric column), with the filters in force,
 * computed by the server over the stored result (GET /aggregate) — the query is not run again —
 * and drawn as bars by ECharts, which is loaded on first use only.
 */

import type { AggregateData, ApiClient, ColumnInfo } from './api';
import type { ChartFactory, ChartHandle, ChartSpec } from './charts';
import { untilConverted } from './converting';
import { h, tx } from './dom';
import { formatCount } from './format';
import { isNumericType } from './grid';
import type { ResultView } from './resultview';

/** Groups drawn at most (the server says when there are more). */
export const MAX_GROUPS = 500;

export interface ChartHost {
  queryId(): string | null;
  /** The filters of the grid's view, applied to the chart too. */
  view(): ResultView;
  failed(e: unknown): void;
  locale(): string;
}

export class ResultChart {
  readonly element: HTMLDetailsElement;
  private readonly groupBy = h('select', { class: 'select', testid: 'chart-group-by', attrs: { id: 'chart-group-by' }, i18nAttrs: { 'aria-label': 'chart.groupBy' } });
  private readonly measure = h('select', { class: 'select', testid: 'chart-measure', i18nAttrs: { 'aria-label': 'chart.measure' } });
  private readonly draw = h('button', { class: 'btn btn-small', testid: 'chart-draw', attrs: { type: 'submit' }, text: 'chart.draw' });
  private readonly canvas = h('div', { class: 'chart-canvas', testid: 'chart-canvas', attrs: { role: 'img' } });
  private readonly note = h('p', { class: 'muted small', testid: 'chart-note' });
  private chart: ChartHandle | null = null;
  private factory: Promise<ChartFactory> | null = null;
  private columns: readonly ColumnInfo[] = [];
  private shown = '';
  private ticket = 0;
  /** The filters the chart drawn was computed with (null: no chart drawn). */
  private drawnFilters: string | null = null;

  constructor(private readonly api: Pick<ApiClient, 'aggregate'>, private readonly loadCharts: () => Promise<ChartFactory>,
              private readonly host: ChartHost) {
    const form = h('form', { class: 'chart-form' },
      h('label', { attrs: { for: 'chart-group-by' }, text: 'chart.groupBy' }), this.groupBy,
      h('span', { class: 'muted', text: 'chart.measure' }), this.measure, this.draw);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.drawChart();
    });
    this.canvas.hidden = true;
    this.note.hidden = true;
    this.element = h('details', { class: 'result-chart', testid: 'result-chart' },
      h('summary', { testid: 'chart-toggle', text: 'chart.title' }), form, this.note, this.canvas);
  }

  /**
   * The result shown: another query (or other columns) forgets the chart; other filters in the
   * grid's view draw it again with them.
   */
  render(queryId: string | null, columns: readonly ColumnInfo[]): void {
    const shown = JSON.stringify([queryId, columns.map((c) => [c.name, c.type])]);
    if (shown === this.shown) {
      if (this.drawnFilters !== null && this.drawnFilters !== this.filters()) void this.drawChart();
      return;
    }
    this.shown = shown;
    this.columns = columns;
    this.groupBy.replaceChildren(...columns.map((c, i) => h('option', { attrs: { value: String(i) } }, c.name)));
    const measures = [h('option', { attrs: { value: 'count' }, text: 'chart.count' })];
    columns.forEach((c, i) => {
      if (!isNumericType(c.type)) return;
      for (const fn of ['sum', 'avg', 'min', 'max'] as const) {
        measures.push(h('option', { attrs: { value: `${fn}:#${i}` }, text: [`chart.${fn}`, { column: c.name }] }));
      }
    });
    this.measure.replaceChildren(...measures);
    this.clear();
  }

  /** The chart follows its host's size (a window resize). */
  resize(): void {
    this.chart?.resize();
  }

  /** Forgets the chart drawn (a new run). */
  clear(): void {
    this.ticket++;
    this.drawnFilters = null;
    this.draw.disabled = false;
    this.chart?.dispose();
    this.chart = null;
    this.canvas.replaceChildren();
    this.canvas.hidden = true;
    this.note.hidden = true;
  }

  private filters(): string {
    return JSON.stringify(this.host.view().params().filter ?? []);
  }

  private async drawChart(): Promise<void> {
    const id = this.host.queryId();
    const group = Number(this.groupBy.value);
    if (!id || !Number.isInteger(group) || group < 0 || group >= this.columns.length) return;
    const ticket = ++this.ticket;
    const measure = this.measure.value || 'count';
    const filters = this.filters();
    this.drawnFilters = filters;
    this.draw.disabled = true;
    try {
      const filter = this.host.view().params().filter;
      const { data } = await untilConverted(() => this.api.aggregate(id, {
        groupBy: `#${group}`, measures: measure, filter, limit: MAX_GROUPS,
      }), () => ticket === this.ticket);
      if (ticket !== this.ticket) return;
      const spec = chartSpec(data, this.measure.selectedOptions[0]?.textContent ?? measure, this.host.locale());
      this.factory ??= this.loadCharts();
      const factory = await this.factory;
      if (ticket !== this.ticket) return;
      this.canvas.hidden = false;
      this.canvas.setAttribute('aria-label', `${spec.name}: ${spec.categories.map((c, i) => `${c} ${spec.format(spec.values[i])}`).join(', ')}`);
      if (this.chart) this.chart.update(spec);
      else this.chart = factory(this.canvas, spec);
      this.note.hidden = !data.truncated && spec.categories.length > 0;
      if (spec.categories.length === 0) tx(this.note, 'chart.noRows');
      else if (data.truncated) tx(this.note, 'chart.truncated', { groups: formatCount(MAX_GROUPS, this.host.locale()) });
    } catch (e) {
      if (ticket === this.ticket) {
        this.drawnFilters = null;
        this.host.failed(e);
      }
    } finally {
      if (ticket === this.ticket) this.draw.disabled = false;
    }
  }
}

/** Bars of the aggregate's rows: the group key (NULL as "NULL") and its one measure. */
export function chartSpec(data: AggregateData, name: string, locale: string): ChartSpec {
  const categories = data.rows.map((r) => (r[0] === null || r[0] === undefined ? 'NULL' : String(r[0])));
  const values = data.rows.map((r) => Number(r[1] ?? 0));
  const format = (v: number) => (Number.isInteger(v) ? formatCount(v, locale)
    : v.toLocaleString(locale, { maximumFractionDigits: 2 }));
  return { kind: 'bar', name, categories, values, format };
}
