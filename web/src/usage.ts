/**
 * The dashboard's data, shaped for its charts and tables (no DOM): the date ranges it asks
 * GET /api/usage for (UTC, inclusive), series with a zero for every period the server left out,
 * how far each budget is spent, and whether the caller sees other users (an admin).
 */

import type { Budget, Usage, UsageItem } from './api';
import type { Params } from './i18n';

/** The fraction of a budget from which it is shown as nearly spent (the server's default warnFraction). */
export const WARN_FRACTION = 0.8;

export interface DateRange {
  from: string;
  to: string;
}

export interface Series {
  /** "2026-11" or "2026-11-20", oldest first, one per period. */
  keys: string[];
  values: number[];
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-11-20" of a moment, in UTC. */
export function isoDay(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** "2026-11" of a moment, in UTC. */
export function isoMonth(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}`;
}

/** The `count` months up to and including the month of `now`: from the first of the oldest to the last of this one. */
export function monthsRange(now: Date, count: number): DateRange {
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (count - 1), 1));
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0));
  return { from: isoDay(first), to: isoDay(last) };
}

/** The `count` days up to and including the day of `now`. */
export function daysRange(now: Date, count: number): DateRange {
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (count - 1)));
  return { from: isoDay(first), to: isoDay(now) };
}

/** This month so far: from its first day to the day of `now`. */
export function thisMonth(now: Date): DateRange {
  return { from: isoDay(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))), to: isoDay(now) };
}

/** The keys of `count` months starting at `from` ("2026-01-01" → "2026-01", "2026-02"…). */
export function monthKeys(from: string, count: number): string[] {
  const [y, m] = from.split('-').map(Number);
  return Array.from({ length: count }, (_, i) => isoMonth(new Date(Date.UTC(y, m - 1 + i, 1))));
}

/** The keys of `count` days starting at `from`. */
export function dayKeys(from: string, count: number): string[] {
  const [y, m, d] = from.split('-').map(Number);
  return Array.from({ length: count }, (_, i) => isoDay(new Date(Date.UTC(y, m - 1, d + i))));
}

/** A value per key, zero where the usage has no item (a period without runs). */
export function series(usage: Usage | null, keys: string[], value: (item: UsageItem) => number): Series {
  const byKey = new Map((usage?.items ?? []).map((item) => [item.key, item]));
  return { keys, values: keys.map((key) => {
    const item = byKey.get(key);
    const v = item ? value(item) : 0;
    return Number.isFinite(v) ? v : 0;
  }) };
}

export const GIB = 1024 ** 3;

/** Cost per month over `count` months from `from`. */
export function monthlyCost(usage: Usage | null, from: string, count: number): Series {
  return series(usage, monthKeys(from, count), (item) => round(Number(item.costUsd ?? 0), 8));
}

/** Data scanned per day (GB) over `count` days from `from`. */
export function dailyScanGb(usage: Usage | null, from: string, count: number): Series {
  return series(usage, dayKeys(from, count), (item) => round(Number(item.scannedBytes ?? 0) / GIB, 8));
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export type BudgetLevel = 'ok' | 'warn' | 'exceeded';

/** How far a budget is spent: exceeded at 100 %, nearly spent from {@link WARN_FRACTION}. */
export function budgetLevel(budget: Budget): BudgetLevel {
  const fraction = budgetFraction(budget);
  if (fraction >= 1) return 'exceeded';
  return fraction >= WARN_FRACTION ? 'warn' : 'ok';
}

/** The spent fraction (the server's, else spent / limit), never negative. */
export function budgetFraction(budget: Budget): number {
  const given = Number(budget.fraction);
  if (Number.isFinite(given)) return Math.max(0, given);
  const limit = Number(budget.limitUsd);
  return limit > 0 ? Math.max(0, Number(budget.spentUsd) / limit) : 0;
}

/**
 * The catalog text naming a budget: the caller's own, everyone's, or a workgroup's. A budget named
 * as in BUDGET_EXCEEDED's params ("user", "total", "workgroup:primary") reads the same.
 */
export function budgetName(scope: string, name?: string | null): [string, Params] {
  if (scope.startsWith('workgroup:')) return ['budget.workgroup', { name: scope.slice('workgroup:'.length) }];
  if (scope === 'workgroup') return ['budget.workgroup', { name: name ?? '' }];
  if (scope === 'total') return ['budget.total', {}];
  return ['budget.user', {}];
}

/**
 * Whether the caller sees other users' runs (an admin): the configuration says so, or the usage
 * per user names someone else.
 */
export function seesOthers(byUser: Usage | null, me: string | null | undefined, admin?: boolean): boolean {
  if (admin === true) return true;
  const keys = (byUser?.items ?? []).map((item) => item.key);
  if (!me) return keys.length > 1;
  return keys.some((key) => key.toLowerCase() !== me.toLowerCase());
}

/** The per-user rows, most expensive first. */
export function usersByCost(byUser: Usage | null): UsageItem[] {
  return [...(byUser?.items ?? [])].sort((a, b) => Number(b.costUsd ?? 0) - Number(a.costUsd ?? 0)
    || a.key.localeCompare(b.key));
}
