/**
 * Display formats for durations, sizes, money and times, in the current UI language (units come
 * from the catalog). Pure otherwise; `none` is what a missing value shows.
 */

import { t } from './i18n';

export const NONE = '—';

type Num = number | string | null | undefined;

/** The API sends some numbers as JSON numbers and may send big decimals as strings. */
export function toNumber(value: Num): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Seconds with two decimals, as statistics show them: "1.25 s". */
export function formatSeconds(value: Num): string {
  const n = toNumber(value);
  return n === null ? NONE : t('unit.seconds', { n: n.toFixed(2) });
}

/** Milliseconds as configured: "1000 ms". */
export function formatMillis(value: Num): string {
  const n = toNumber(value);
  return n === null ? NONE : t('unit.millis', { n });
}

/** Elapsed wall time while a query runs: "4.2 s" under a minute, then "1:05", "1:02:03". */
export function formatElapsed(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) ms = 0;
  if (ms < 60_000) return t('unit.seconds', { n: (Math.floor(ms / 100) / 10).toFixed(1) });
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A whole-run duration from seconds: "0.25 s", "75.00 s" → "1:15" past ten minutes. */
export function formatDuration(seconds: Num): string {
  const n = toNumber(seconds);
  if (n === null) return NONE;
  if (n < 600) return formatSeconds(n);
  return formatElapsed(n * 1000);
}

const GB = 1024 ** 3;

/** Gigabytes with two decimals: "0.12 GB". Accepts GB directly, or bytes through {@link bytesToGb}. */
export function formatGb(gb: Num): string {
  const n = toNumber(gb);
  return n === null ? NONE : `${n.toFixed(2)} GB`;
}

export function bytesToGb(bytes: Num): number | null {
  const n = toNumber(bytes);
  return n === null ? null : n / GB;
}

/** Human size in binary units: "512 B", "1.5 KB", "10.0 GB". */
export function formatBytes(bytes: Num): string {
  const n = toNumber(bytes);
  if (n === null) return NONE;
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = n;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

/** Estimated cost in USD: two decimals from a cent up, four below, "< $0.0001" for dust. */
export function formatCost(usd: Num): string {
  const n = toNumber(usd);
  if (n === null) return NONE;
  if (n === 0) return '$0.00';
  if (n > 0 && n < 0.0001) return t('unit.below', { amount: '$0.0001' });
  return n >= 0.01 ? `$${n.toFixed(2)}` : `$${n.toFixed(4)}`;
}

/** Whole numbers with grouping in the UI's language: 12,345. */
export function formatCount(value: Num, locale: string): string {
  const n = toNumber(value);
  return n === null ? NONE : new Intl.NumberFormat(locale).format(n);
}

/** A local date and time for an ISO-8601 timestamp, with seconds. */
export function formatTimestamp(iso: string | null | undefined, locale: string): string {
  if (!iso) return NONE;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).format(date);
}

/** Seconds between two ISO timestamps, or null. */
export function secondsBetween(from: string | null | undefined, to: string | null | undefined): number | null {
  if (!from || !to) return null;
  const a = Date.parse(from);
  const b = Date.parse(to);
  if (Number.isNaN(a) || Number.isNaN(b)) return null;
  return Math.max(0, (b - a) / 1000);
}

/** Run time limits in config: 3600 → "1 h", 86400 → "24 h", 90 → "90 s". */
export function formatLimitSeconds(value: Num): string {
  const n = toNumber(value);
  if (n === null) return NONE;
  if (n >= 3600 && n % 3600 === 0) return t('unit.hours', { n: n / 3600 });
  if (n >= 60 && n % 60 === 0) return t('unit.minutes', { n: n / 60 });
  return t('unit.seconds', { n });
}

/** One grid cell as text. Objects (should the server send nested JSON) are shown as JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}
