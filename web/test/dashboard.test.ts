// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type BudgetStatus, type TopQuery, type Usage, type UsageGroupBy } from '../src/api';
import type { ChartFactory, ChartSpec } from '../src/charts';
import { DashboardView, type DashboardApi } from '../src/dashboard';
import { setLocale } from '../src/i18n';
import { GIB } from '../src/usage';
import { ok } from './fakes';

const NOW = new Date('2026-11-20T10:00:00Z');

function usage(groupBy: UsageGroupBy, items: [string, number, number][]): Usage {
  const costUsd = items.reduce((a, [, c]) => a + c, 0);
  const scannedBytes = items.reduce((a, [, , s]) => a + s, 0);
  return {
    from: '', to: '', groupBy, totals: { runs: items.length, scannedBytes, costUsd, failed: { runs: 1, scannedBytes: 0, costUsd: 0 } },
    items: items.map(([key, c, s]) => ({ key, runs: 2, costUsd: c, scannedBytes: s, cachedRuns: 1, savedUsd: 0.5 })),
  };
}

const BUDGET: BudgetStatus = {
  month: '2026-11', resetsAt: '2026-12-01T00:00:00Z',
  budgets: [
    { scope: 'user', name: 'ann@example.com', limitUsd: 50, spentUsd: 42, fraction: 0.84 },
    { scope: 'total', name: null, limitUsd: 1000, spentUsd: 100, fraction: 0.1 },
    { scope: 'workgroup', name: 'primary', limitUsd: 200, spentUsd: 210, fraction: 1.05 },
  ],
};

const TOP: TopQuery[] = [
  { queryId: 'q-big', run: 1, user: 'bob@example.com', engine: 'athena', query: 'SELECT * FROM events', scannedBytes: 400 * GIB,
    costUsd: 1.95, state: 'SUCCEEDED', submittedAt: '2026-11-19T08:00:00Z' },
  { queryId: 'q-small', run: 2, user: 'ann@example.com', engine: 'athena', query: 'SELECT 1', scannedBytes: GIB, costUsd: 0.01,
    state: 'FAILED', submittedAt: '2026-11-18T08:00:00Z' },
];

function fakeApi(users: [string, number, number][]) {
  const api = {
    budget: vi.fn(async () => ok(BUDGET)),
    usage: vi.fn(async (p: { groupBy?: UsageGroupBy; from?: string; to?: string }) => {
      if (p.groupBy === 'month') return ok(usage('month', [['2026-11', 12.5, 0], ['2026-02', 3, 0]]));
      if (p.groupBy === 'day') return ok(usage('day', [['2026-11-20', 0, 2 * GIB], ['2026-11-01', 0, GIB]]));
      return ok(usage('user', users));
    }),
    usageTop: vi.fn(async () => ok({ from: '2026-11-01', to: '2026-11-20', items: TOP })),
  };
  return api;
}

function fakeCharts() {
  const made: { host: HTMLElement; spec: ChartSpec }[] = [];
  const updates: ChartSpec[] = [];
  const factory: ChartFactory = (host, spec) => {
    made.push({ host, spec });
    return { update: (s) => updates.push(s), resize: () => undefined, dispose: () => undefined };
  };
  return { made, updates, charts: async () => factory };
}

const q = (root: HTMLElement, testid: string) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`)];

describe('DashboardView', () => {
  beforeEach(() => setLocale('en'));

  it('asks for 12 months by month, 30 days by day, this month by user and its top 10, and the budgets', async () => {
    const api = fakeApi([['ann@example.com', 1, 0]]);
    const view = new DashboardView(api as unknown as DashboardApi, { openQuery: () => undefined, now: () => NOW, charts: fakeCharts().charts });
    await view.load();
    expect(api.usage).toHaveBeenCalledWith({ from: '2025-12-01', to: '2026-11-30', groupBy: 'month' });
    expect(api.usage).toHaveBeenCalledWith({ from: '2026-10-22', to: '2026-11-20', groupBy: 'day' });
    expect(api.usage).toHaveBeenCalledWith({ from: '2026-11-01', to: '2026-11-20', groupBy: 'user' });
    expect(api.usageTop).toHaveBeenCalledWith({ from: '2026-11-01', to: '2026-11-20', limit: 10 });
    expect(api.budget).toHaveBeenCalledTimes(1);
    expect(view.element.dataset.loaded).toBe('true');
  });

  it('shows each budget with how far it is spent, and warns of the nearly spent and the spent ones', async () => {
    const view = new DashboardView(fakeApi([]) as unknown as DashboardApi, { openQuery: () => undefined, now: () => NOW, charts: fakeCharts().charts });
    await view.load();
    const cards = q(view.element, 'budget-card');
    expect(cards.map((c) => [c.dataset.scope, c.dataset.level])).toEqual([['user', 'warn'], ['total', 'ok'], ['workgroup', 'exceeded']]);
    expect(cards[0].textContent).toContain('Your monthly budget');
    expect(cards[0].textContent).toContain('$42.00 of $50.00 (84%)');
    expect(cards[2].textContent).toContain('Monthly budget of workgroup primary');
    expect(q(cards[0], 'budget-bar')[0].getAttribute('aria-valuenow')).toBe('84');
    const warnings = q(view.element, 'budget-warning');
    expect(warnings).toHaveLength(2);
    expect(warnings[0].textContent).toContain('nearly spent');
    expect(warnings[1].textContent).toContain('refused');
    expect(q(view.element, 'dash-month-spend')[0].textContent).toBe('Spent this month: $12.50');
  });

  it('draws the monthly cost and the daily scan with a point for every period', async () => {
    const fake = fakeCharts();
    const view = new DashboardView(fakeApi([]) as unknown as DashboardApi, { openQuery: () => undefined, now: () => NOW, charts: fake.charts });
    await view.load();
    expect(fake.made).toHaveLength(2);
    const [monthly, daily] = fake.made;
    expect(monthly.host.dataset.testid).toBe('chart-monthly-canvas');
    expect(monthly.spec.values).toHaveLength(12);
    expect(monthly.spec.values[11]).toBe(12.5);
    expect(monthly.spec.values[2]).toBe(3);
    expect(monthly.spec.format(12.5)).toBe('$12.50');
    expect(monthly.spec.format(0.0000476837)).toBe('$0.0000477');
    expect(monthly.spec.label!('2026-11')).toBe('Nov 26');
    expect(daily.host.dataset.testid).toBe('chart-daily-canvas');
    expect(daily.spec.values).toHaveLength(30);
    expect(daily.spec.values[29]).toBe(2);
    expect(daily.spec.format(2)).toBe('2.00 GB');
    expect(daily.spec.format(0.0047)).toBe('4.8 MB');
    expect(daily.host.dataset.points).toBe('30');
    // A language switch redraws the same charts (no new ones).
    setLocale('zh-CN');
    view.render();
    await vi.waitFor(() => expect(fake.updates).toHaveLength(2));
    expect(fake.made).toHaveLength(2);
    expect(fake.updates[0].name).toBe('费用');
  });

  it('lists the most expensive queries with Open in editor', async () => {
    const opened: TopQuery[] = [];
    const view = new DashboardView(fakeApi([]) as unknown as DashboardApi, { openQuery: (i) => opened.push(i), now: () => NOW, charts: fakeCharts().charts });
    await view.load();
    const rows = q(view.element, 'top-query');
    expect(rows.map((r) => r.dataset.queryId)).toEqual(['q-big', 'q-small']);
    expect(q(rows[0], 'top-query-cost')[0].textContent).toBe('$1.95');
    expect(rows[0].textContent).toContain('400.0 GB');
    q(rows[0], 'top-query-open')[0].click();
    expect(opened.map((i) => i.queryId)).toEqual(['q-big']);
  });

  it('shows the table per user to an admin only', async () => {
    const others = fakeApi([['ann@example.com', 1, GIB], ['bob@example.com', 7, 0]]);
    const admin = new DashboardView(others as unknown as DashboardApi, { openQuery: () => undefined, me: () => 'ann@example.com', now: () => NOW, charts: fakeCharts().charts });
    await admin.load();
    expect(q(admin.element, 'dash-users')[0].hidden).toBe(false);
    expect(q(admin.element, 'usage-user').map((r) => r.dataset.user)).toEqual(['bob@example.com', 'ann@example.com']);
    expect(q(admin.element, 'usage-user-cost')[0].textContent).toBe('$7.00');
    expect(q(admin.element, 'usage-users-total')[0].textContent).toContain('$8.00');

    const own = fakeApi([['ann@example.com', 1, 0]]);
    const user = new DashboardView(own as unknown as DashboardApi, { openQuery: () => undefined, me: () => 'ann@example.com', now: () => NOW, charts: fakeCharts().charts });
    await user.load();
    expect(q(user.element, 'dash-users')[0].hidden).toBe(true);
    expect(q(user.element, 'usage-user')).toHaveLength(0);
  });

  it('says so when the server has no usage routes, and draws no chart', async () => {
    const missing = () => Promise.reject(new ApiError(404, 'ROUTE_NOT_FOUND', 'No such API route'));
    const api = { budget: vi.fn(missing), usage: vi.fn(missing), usageTop: vi.fn(missing) };
    const fake = fakeCharts();
    const view = new DashboardView(api as unknown as DashboardApi, { openQuery: () => undefined, now: () => NOW, charts: fake.charts });
    await view.load();
    expect(view.unavailable).toBe(true);
    expect(q(view.element, 'dash-status')[0].textContent).toBe('This server does not report usage.');
    expect(fake.made).toHaveLength(0);
    expect(q(view.element, 'budget-card')).toHaveLength(0);
  });

  it('shows an error of one part and the rest as usual', async () => {
    const api = fakeApi([]);
    api.budget.mockImplementationOnce(() => Promise.reject(new ApiError(503, 'STORE_UNAVAILABLE', null)));
    const view = new DashboardView(api as unknown as DashboardApi, { openQuery: () => undefined, now: () => NOW, charts: fakeCharts().charts });
    await view.load();
    expect(q(view.element, 'dash-budget-error')[0].dataset.messageCode).toBe('STORE_UNAVAILABLE');
    expect(q(view.element, 'top-query')).toHaveLength(2);
  });
});
