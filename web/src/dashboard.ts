/**
 * The dashboard page (#dashboard): this month's spend against the budgets that apply
 * (GET /api/usage/budget), the monthly cost over 12 months and the data scanned per day over 30
 * days as charts (GET /api/usage?groupBy=month|day), the most expensive queries of the month
 * (GET /api/usage/top) with "Open in editor", and for an admin the usage per user
 * (GET /api/usage?groupBy=user). Dates are UTC days, as the server counts them.
 */

import type { ApiClient, BudgetStatus, TopQuery, Usage, UsageTop } from './api';
import type { ChartFactory, ChartHandle, ChartSpec } from './charts';
import { clear, h, ta, tx } from './dom';
import { renderApiError } from './errorview';
import { formatBytes, formatCost, formatCount, formatTimestamp, NONE, toNumber } from './format';
import { getLocale, t } from './i18n';
import {
  budgetFraction, budgetLevel, budgetName, dailyScanGb, daysRange, isoMonth, monthlyCost, monthsRange, seesOthers,
  thisMonth, usersByCost, GIB,
} from './usage';

export type DashboardApi = Pick<ApiClient, 'usage' | 'usageTop' | 'budget'>;

export const MONTHS = 12;
export const DAYS = 30;
export const TOP_LIMIT = 10;

export interface DashboardOptions {
  /** "Open in editor" of a top query. */
  openQuery(item: TopQuery): void;
  /** The caller (GET /api/config's user), to tell an admin's usage per user from one's own. */
  me?(): string | null | undefined;
  /** GET /api/config's admin flag, when the server gives one. */
  admin?(): boolean | undefined;
  now?(): Date;
  /** The chart maker: ECharts, loaded on first use (a fake in unit tests). */
  charts?(): Promise<ChartFactory>;
}

type Loaded<T> = { ok: true; data: T } | { ok: false; error: unknown } | null;

export interface DashboardData {
  budget: Loaded<BudgetStatus>;
  monthly: Loaded<Usage>;
  daily: Loaded<Usage>;
  top: Loaded<UsageTop>;
  byUser: Loaded<Usage>;
}

/** The data size of a GB value: "0.25 GB", "12.3 GB"; below 0.01 GB in a smaller unit ("4.8 MB"). */
export function formatGbValue(gb: number): string {
  if (gb !== 0 && Math.abs(gb) < 0.01) return formatBytes(gb * 1024 ** 3);
  return `${gb.toFixed(gb !== 0 && Math.abs(gb) < 10 ? 2 : 1)} GB`;
}

const CHART_USD = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumSignificantDigits: 3 });

/**
 * A dashboard amount (budgets, charts, tables): cents from $0.01 up ("$12.50"), below that three significant digits
 * ("$0.0000477"), so a cheap month's amounts still tell apart.
 */
export function formatUsd(value: number | string | null | undefined): string {
  const usd = toNumber(value);
  if (usd === null) return NONE;
  if (usd === 0) return '$0';
  return Math.abs(usd) >= 0.01 ? formatCost(usd) : CHART_USD.format(usd);
}

function settle<T>(p: Promise<{ data: T }>): Promise<Loaded<T>> {
  return p.then((r) => ({ ok: true as const, data: r.data }), (error: unknown) => ({ ok: false as const, error }));
}

function routeMissing(loaded: Loaded<unknown>): boolean {
  if (!loaded || loaded.ok) return false;
  const e = loaded.error as { status?: number; code?: string };
  return e?.status === 404 || e?.code === 'ROUTE_NOT_FOUND';
}

export class DashboardView {
  readonly element: HTMLElement;
  data: DashboardData = { budget: null, monthly: null, daily: null, top: null, byUser: null };
  loading = false;

  private readonly status = h('p', { class: 'muted', testid: 'dash-status' });
  private readonly budgetBox = h('div', { class: 'dash-budgets', testid: 'dash-budgets' });
  private readonly monthlyHost = h('div', { class: 'chart', testid: 'chart-monthly-canvas' });
  private readonly dailyHost = h('div', { class: 'chart', testid: 'chart-daily-canvas' });
  private readonly monthlyTotal = h('span', { class: 'muted', testid: 'chart-monthly-total' });
  private readonly dailyTotal = h('span', { class: 'muted', testid: 'chart-daily-total' });
  private readonly monthlyError = h('div', { class: 'notice notice-error', testid: 'chart-monthly-error' });
  private readonly dailyError = h('div', { class: 'notice notice-error', testid: 'chart-daily-error' });
  private readonly topBox = h('div', { class: 'dash-table-wrap', testid: 'top-queries' });
  private readonly usersSection: HTMLElement;
  private readonly usersBox = h('div', { class: 'dash-table-wrap', testid: 'usage-users' });
  private readonly charts = new Map<'monthly' | 'daily', ChartHandle>();
  private chartFactory: Promise<ChartFactory> | null = null;
  private token = 0;

  constructor(private readonly api: DashboardApi, private readonly options: DashboardOptions) {
    const refresh = h('button', {
      class: 'btn btn-small', testid: 'dash-refresh', attrs: { type: 'button' }, text: 'dash.refresh',
      on: { click: () => void this.load() },
    });
    this.usersSection = h('section', { class: 'dash-card dash-wide', testid: 'dash-users' },
      h('h3', { text: 'dash.users' }), this.usersBox);
    this.element = h('main', { class: 'dashboard', testid: 'dashboard', attrs: { id: 'dashboard' }, i18nAttrs: { 'aria-label': 'dash.title' } },
      h('div', { class: 'dash-head' }, h('h2', { text: 'dash.title' }), refresh, this.status),
      h('section', { class: 'dash-card dash-wide', testid: 'dash-budget' }, h('h3', { text: 'dash.budget' }), this.budgetBox),
      h('div', { class: 'dash-charts' },
        h('section', { class: 'dash-card', testid: 'chart-monthly' },
          h('div', { class: 'dash-card-head' }, h('h3', { text: 'dash.monthly' }), this.monthlyTotal), this.monthlyError, this.monthlyHost),
        h('section', { class: 'dash-card', testid: 'chart-daily' },
          h('div', { class: 'dash-card-head' }, h('h3', { text: 'dash.daily' }), this.dailyTotal), this.dailyError, this.dailyHost)),
      h('section', { class: 'dash-card dash-wide', testid: 'dash-top' }, h('h3', { text: 'dash.top' }), this.topBox),
      this.usersSection);
    this.monthlyError.hidden = true;
    this.dailyError.hidden = true;
    this.usersSection.hidden = true;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Reads everything again (in parallel) and renders it. */
  async load(): Promise<void> {
    const token = ++this.token;
    this.loading = true;
    this.element.setAttribute('aria-busy', 'true');
    delete this.element.dataset.loaded;
    tx(this.status, 'dash.loading');
    const now = this.now();
    const months = monthsRange(now, MONTHS);
    const days = daysRange(now, DAYS);
    const month = thisMonth(now);
    const [budget, monthly, daily, top, byUser] = await Promise.all([
      settle(this.api.budget()),
      settle(this.api.usage({ ...months, groupBy: 'month' })),
      settle(this.api.usage({ ...days, groupBy: 'day' })),
      settle(this.api.usageTop({ ...month, limit: TOP_LIMIT })),
      settle(this.api.usage({ ...month, groupBy: 'user' })),
    ]);
    if (token !== this.token) return;
    this.data = { budget, monthly, daily, top, byUser };
    this.loading = false;
    this.element.removeAttribute('aria-busy');
    this.render();
    await this.renderCharts();
    if (token !== this.token) return;
    this.resize();
    this.element.dataset.loaded = 'true';
  }

  /** Whether the server has no usage routes (an older Sluice). */
  get unavailable(): boolean {
    return routeMissing(this.data.monthly) && routeMissing(this.data.budget);
  }

  /** Whether the per-user table is shown: the caller is an admin. */
  get showsUsers(): boolean {
    const byUser = this.data.byUser;
    return !!byUser?.ok && seesOthers(byUser.data, this.options.me?.(), this.options.admin?.());
  }

  /** Renders the loaded data in the UI's language (again after a language switch). */
  render(): void {
    if (this.loading) return;
    if (this.unavailable) tx(this.status, 'dash.unavailable');
    else {
      const range = monthsRange(this.now(), 1);
      tx(this.status, 'dash.period', { month: range.from.slice(0, 7) });
    }
    this.renderBudgets();
    this.renderTop();
    this.renderUsers();
    this.renderChartTotals();
    if (this.charts.size) void this.renderCharts();
  }

  /** Charts follow their hosts' size (a window resize, the page shown again). */
  resize(): void {
    for (const chart of this.charts.values()) chart.resize();
  }

  dispose(): void {
    for (const chart of this.charts.values()) chart.dispose();
    this.charts.clear();
  }

  private monthSpend(): number | null {
    const monthly = this.data.monthly;
    if (!monthly?.ok) return null;
    const key = isoMonth(this.now());
    const item = monthly.data.items.find((i) => i.key === key);
    return item ? Number(item.costUsd ?? 0) : 0;
  }

  private renderBudgets(): void {
    const box = this.budgetBox;
    clear(box);
    const loaded = this.data.budget;
    const spend = this.monthSpend();
    box.appendChild(h('p', { class: 'dash-spend', testid: 'dash-month-spend',
      text: ['dash.monthSpend', { cost: spend === null ? NONE : formatUsd(spend) }] }));
    if (!loaded) return;
    if (!loaded.ok) {
      if (routeMissing(loaded)) return;
      const err = h('div', { class: 'notice notice-error', testid: 'dash-budget-error' });
      renderApiError(err, loaded.error, 'dash-budget-error-reason');
      box.appendChild(err);
      return;
    }
    const { budgets, resetsAt } = loaded.data;
    if (!budgets.length) {
      box.appendChild(h('p', { class: 'muted', testid: 'dash-no-budget', text: 'dash.noBudget' }));
      return;
    }
    const resets = formatTimestamp(resetsAt, getLocale());
    for (const budget of budgets) {
      const level = budgetLevel(budget);
      const fraction = budgetFraction(budget);
      const [nameKey, nameParams] = budgetName(budget.scope, budget.name);
      const bar = h('div', {
        class: 'budget-bar', testid: 'budget-bar',
        attrs: { role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': Math.round(fraction * 100) },
      }, h('span', { class: 'budget-fill' }));
      ta(bar, 'aria-label', nameKey, nameParams);
      (bar.firstChild as HTMLElement).style.width = `${Math.min(100, fraction * 100).toFixed(1)}%`;
      const card = h('div', {
        class: `budget-card budget-${level}`, testid: 'budget-card',
        attrs: { 'data-scope': budget.scope, 'data-name': budget.name ?? '', 'data-level': level },
      },
      h('div', { class: 'budget-head' },
        h('strong', { text: [nameKey, nameParams] }),
        h('span', { class: 'budget-amount', testid: 'budget-amount',
          text: ['dash.spentOf', { spent: formatUsd(budget.spentUsd), limit: formatUsd(budget.limitUsd),
            percent: Math.round(fraction * 100) }] })),
      bar);
      if (level !== 'ok') {
        card.appendChild(h('p', {
          class: `budget-note budget-note-${level}`, testid: 'budget-warning', attrs: { role: 'status' },
          text: [level === 'exceeded' ? 'dash.budgetExceeded' : 'dash.budgetWarn', { resets }],
        }));
      }
      box.appendChild(card);
    }
    box.appendChild(h('p', { class: 'muted small', testid: 'dash-resets', text: ['dash.resets', { time: resets }] }));
  }

  private renderTop(): void {
    const box = this.topBox;
    clear(box);
    const loaded = this.data.top;
    if (!loaded) return;
    if (!loaded.ok) {
      if (!routeMissing(loaded)) {
        const err = h('div', { class: 'notice notice-error', testid: 'top-queries-error' });
        renderApiError(err, loaded.error, 'top-queries-error-reason');
        box.appendChild(err);
      }
      return;
    }
    if (!loaded.data.items.length) {
      box.appendChild(h('p', { class: 'muted', testid: 'top-queries-empty', text: 'dash.topEmpty' }));
      return;
    }
    const locale = getLocale();
    const users = this.showsUsers;
    const head = h('tr', {},
      h('th', { text: 'dash.col.cost' }), h('th', { text: 'dash.col.scanned' }),
      users ? h('th', { text: 'dash.col.user' }) : null,
      h('th', { text: 'dash.col.engine' }), h('th', { text: 'dash.col.submitted' }),
      h('th', { text: 'dash.col.query' }), h('th', { text: 'dash.col.actions' }));
    const body = h('tbody');
    for (const item of loaded.data.items) {
      body.appendChild(h('tr', { testid: 'top-query', attrs: { 'data-query-id': item.queryId } },
        h('td', { class: 'num', testid: 'top-query-cost' }, formatUsd(item.costUsd)),
        h('td', { class: 'num' }, formatGbValue(Number(item.scannedBytes ?? 0) / GIB)),
        users ? h('td', {}, item.user ?? '') : null,
        h('td', {}, item.engine),
        h('td', { class: 'nowrap' }, item.submittedAt ? formatTimestamp(item.submittedAt, locale) : NONE),
        h('td', { class: 'dash-sql' }, h('code', { attrs: { title: item.query } }, item.query)),
        h('td', {}, h('button', {
          class: 'btn btn-small', testid: 'top-query-open', attrs: { type: 'button' }, text: 'dash.open',
          i18nAttrs: { title: 'dash.openHint' },
          on: { click: () => this.options.openQuery(item) },
        }))));
    }
    box.appendChild(h('table', { class: 'dash-table' }, h('thead', {}, head), body));
  }

  private renderUsers(): void {
    const box = this.usersBox;
    clear(box);
    const loaded = this.data.byUser;
    this.usersSection.hidden = !this.showsUsers;
    if (!loaded?.ok || this.usersSection.hidden) return;
    const locale = getLocale();
    const head = h('tr', {},
      h('th', { text: 'dash.col.user' }), h('th', { text: 'dash.col.runs' }), h('th', { text: 'dash.col.failed' }),
      h('th', { text: 'dash.col.scanned' }), h('th', { text: 'dash.col.cost' }), h('th', { text: 'dash.col.cached' }),
      h('th', { text: 'dash.col.saved' }));
    const body = h('tbody');
    for (const item of usersByCost(loaded.data)) {
      body.appendChild(h('tr', { testid: 'usage-user', attrs: { 'data-user': item.key } },
        h('td', {}, item.key),
        h('td', { class: 'num' }, formatCount(item.runs, locale)),
        h('td', { class: 'num' }, formatCount((item.failed?.runs ?? 0) + (item.cancelled?.runs ?? 0), locale)),
        h('td', { class: 'num' }, formatGbValue(Number(item.scannedBytes ?? 0) / GIB)),
        h('td', { class: 'num', testid: 'usage-user-cost' }, formatUsd(item.costUsd)),
        h('td', { class: 'num' }, formatCount((item.cachedRuns ?? 0) + (item.reusedRuns ?? 0), locale)),
        h('td', { class: 'num' }, formatUsd(item.savedUsd ?? 0))));
    }
    const totals = loaded.data.totals;
    const foot = h('tr', { class: 'dash-total', testid: 'usage-users-total' },
      h('th', { text: 'dash.total' }),
      h('td', { class: 'num' }, formatCount(totals.runs, locale)),
      h('td', { class: 'num' }, formatCount((totals.failed?.runs ?? 0) + (totals.cancelled?.runs ?? 0), locale)),
      h('td', { class: 'num' }, formatGbValue(Number(totals.scannedBytes ?? 0) / GIB)),
      h('td', { class: 'num' }, formatUsd(totals.costUsd)),
      h('td', { class: 'num' }, formatCount((totals.cachedRuns ?? 0) + (totals.reusedRuns ?? 0), locale)),
      h('td', { class: 'num' }, formatUsd(totals.savedUsd ?? 0)));
    box.appendChild(h('table', { class: 'dash-table' }, h('thead', {}, head), body, h('tfoot', {}, foot)));
  }

  private renderChartTotals(): void {
    const { monthly, daily } = this.data;
    this.monthlyError.hidden = !(monthly && !monthly.ok && !routeMissing(monthly));
    if (monthly && !monthly.ok && !this.monthlyError.hidden) renderApiError(this.monthlyError, monthly.error, 'chart-monthly-error-reason');
    this.dailyError.hidden = !(daily && !daily.ok && !routeMissing(daily));
    if (daily && !daily.ok && !this.dailyError.hidden) renderApiError(this.dailyError, daily.error, 'chart-daily-error-reason');
    if (monthly?.ok) tx(this.monthlyTotal, 'dash.totalCost', { cost: formatUsd(monthly.data.totals.costUsd) });
    else this.monthlyTotal.textContent = '';
    if (daily?.ok) tx(this.dailyTotal, 'dash.totalScanned', { size: formatGbValue(Number(daily.data.totals.scannedBytes ?? 0) / GIB) });
    else this.dailyTotal.textContent = '';
  }

  /** The two charts' specs from the loaded data (null where that usage could not be read). */
  chartSpecs(): { monthly: ChartSpec | null; daily: ChartSpec | null } {
    const now = this.now();
    const { monthly, daily } = this.data;
    const locale = getLocale();
    const monthName = new Intl.DateTimeFormat(locale, { month: 'short', year: '2-digit', timeZone: 'UTC' });
    const months = monthsRange(now, MONTHS);
    const days = daysRange(now, DAYS);
    const m = monthly?.ok ? monthlyCost(monthly.data, months.from, MONTHS) : null;
    const d = daily?.ok ? dailyScanGb(daily.data, days.from, DAYS) : null;
    return {
      monthly: m && {
        kind: 'bar', name: t('dash.monthlySeries'), categories: m.keys, values: m.values,
        format: (v) => formatUsd(v),
        label: (key) => monthName.format(new Date(`${key}-01T00:00:00Z`)),
        color: '#2563eb',
      },
      daily: d && {
        kind: 'bar', name: t('dash.dailySeries'), categories: d.keys, values: d.values,
        format: (v) => formatGbValue(v), label: (key) => key.slice(5), color: '#0d9488',
      },
    };
  }

  private async renderCharts(): Promise<void> {
    const specs = this.chartSpecs();
    const hosts = { monthly: this.monthlyHost, daily: this.dailyHost } as const;
    const wanted = (['monthly', 'daily'] as const).filter((k) => specs[k]);
    for (const key of ['monthly', 'daily'] as const) {
      hosts[key].hidden = !specs[key];
      if (!specs[key]) {
        this.charts.get(key)?.dispose();
        this.charts.delete(key);
      }
    }
    if (!wanted.length) return;
    this.chartFactory ??= this.options.charts?.() ?? import('./charts').then((m) => m.echartsFactory);
    let factory: ChartFactory;
    try {
      factory = await this.chartFactory;
    } catch {
      this.chartFactory = null;
      return;
    }
    for (const key of wanted) {
      const spec = specs[key]!;
      hosts[key].dataset.points = String(spec.values.length);
      hosts[key].dataset.sum = String(spec.values.reduce((a, b) => a + b, 0));
      const chart = this.charts.get(key);
      if (chart) chart.update(spec);
      else this.charts.set(key, factory(hosts[key], spec));
    }
  }
}
