import { describe, expect, it } from 'vitest';
import type { Usage } from '../src/api';
import {
  budgetLevel, budgetName, dailyScanGb, dayKeys, daysRange, monthKeys, monthlyCost, monthsRange, seesOthers, thisMonth,
  usersByCost, GIB,
} from '../src/usage';

const NOW = new Date('2026-11-20T23:30:00Z');

function usage(groupBy: Usage['groupBy'], items: [string, number, number][]): Usage {
  return {
    from: 'x', to: 'y', groupBy,
    totals: { runs: items.length, scannedBytes: 0, costUsd: 0 },
    items: items.map(([key, costUsd, scannedBytes]) => ({ key, runs: 1, costUsd, scannedBytes })),
  };
}

describe('date ranges (UTC, inclusive)', () => {
  it('asks for 12 whole months up to this one, 30 days up to today, and this month so far', () => {
    expect(monthsRange(NOW, 12)).toEqual({ from: '2025-12-01', to: '2026-11-30' });
    expect(monthsRange(new Date('2026-03-31T12:00:00Z'), 12)).toEqual({ from: '2025-04-01', to: '2026-03-31' });
    expect(daysRange(NOW, 30)).toEqual({ from: '2026-10-22', to: '2026-11-20' });
    expect(daysRange(new Date('2026-03-01T00:00:00Z'), 3)).toEqual({ from: '2026-02-27', to: '2026-03-01' });
    expect(thisMonth(NOW)).toEqual({ from: '2026-11-01', to: '2026-11-20' });
  });

  it('lists every month and day across year and month ends', () => {
    expect(monthKeys('2025-12-01', 3)).toEqual(['2025-12', '2026-01', '2026-02']);
    expect(dayKeys('2024-02-28', 3)).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
  });
});

describe('chart series', () => {
  it('has a value for each of the 12 months, zero where the server reported none', () => {
    const s = monthlyCost(usage('month', [['2026-11', 12.5, 0], ['2026-01', 3.25, 0], ['2020-01', 99, 0]]), '2025-12-01', 12);
    expect(s.keys).toHaveLength(12);
    expect(s.keys[0]).toBe('2025-12');
    expect(s.keys[11]).toBe('2026-11');
    expect(s.values[1]).toBe(3.25);
    expect(s.values[11]).toBe(12.5);
    expect(s.values.reduce((a, b) => a + b, 0)).toBe(15.75);
  });

  it('has the data scanned per day in GB for 30 days', () => {
    const s = dailyScanGb(usage('day', [['2026-11-20', 0, 3 * GIB], ['2026-10-22', 0, GIB / 2]]), '2026-10-22', 30);
    expect(s.keys).toHaveLength(30);
    expect(s.values[0]).toBe(0.5);
    expect(s.values[29]).toBe(3);
    expect(s.values.filter((v) => v === 0)).toHaveLength(28);
  });

  it('reads a missing usage as zeros', () => {
    expect(monthlyCost(null, '2026-01-01', 2).values).toEqual([0, 0]);
  });
});

describe('budgets', () => {
  it('is ok below 80 %, nearly spent from 80 %, spent from 100 %', () => {
    const b = (spentUsd: number, fraction = spentUsd / 50) => ({ scope: 'user', limitUsd: 50, spentUsd, fraction });
    expect(budgetLevel(b(39.9))).toBe('ok');
    expect(budgetLevel(b(40))).toBe('warn');
    expect(budgetLevel(b(50))).toBe('exceeded');
    expect(budgetLevel(b(60))).toBe('exceeded');
    expect(budgetLevel({ scope: 'total', limitUsd: 10, spentUsd: 9, fraction: Number.NaN })).toBe('warn');
  });

  it('names the budget as the refusal does', () => {
    expect(budgetName('user')).toEqual(['budget.user', {}]);
    expect(budgetName('total')).toEqual(['budget.total', {}]);
    expect(budgetName('workgroup:primary')).toEqual(['budget.workgroup', { name: 'primary' }]);
    expect(budgetName('workgroup', 'etl')).toEqual(['budget.workgroup', { name: 'etl' }]);
  });
});

describe('admin', () => {
  const byUser = usage('user', [['ann@example.com', 1, 0], ['bob@example.com', 5, 0]]);
  it('is an admin who sees other users, or whom the configuration calls one', () => {
    expect(seesOthers(byUser, 'ann@example.com')).toBe(true);
    expect(seesOthers(usage('user', [['ann@example.com', 1, 0]]), 'ANN@example.com')).toBe(false);
    expect(seesOthers(usage('user', []), 'ann@example.com', true)).toBe(true);
    expect(seesOthers(null, 'ann@example.com')).toBe(false);
  });

  it('lists users by cost, most expensive first', () => {
    expect(usersByCost(byUser).map((u) => u.key)).toEqual(['bob@example.com', 'ann@example.com']);
  });
});
