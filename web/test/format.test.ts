import { beforeEach, describe, expect, it } from 'vitest';
import {
  bytesToGb, cellText, formatBytes, formatCost, formatCount, formatDuration, formatElapsed, formatGb,
  formatLimitSeconds, formatMillis, formatSeconds, formatTimestamp, secondsBetween, toNumber,
} from '../src/format';
import { setLocale } from '../src/i18n';

beforeEach(() => setLocale('en'));

describe('durations', () => {
  it('shows seconds with two decimals', () => {
    expect(formatSeconds(0.25)).toBe('0.25 s');
    expect(formatSeconds(12)).toBe('12.00 s');
    expect(formatSeconds('1.5')).toBe('1.50 s');
    expect(formatSeconds(null)).toBe('—');
    expect(formatSeconds(undefined)).toBe('—');
  });

  it('shows elapsed time in tenths, then minutes and hours', () => {
    expect(formatElapsed(0)).toBe('0.0 s');
    expect(formatElapsed(1234)).toBe('1.2 s');
    expect(formatElapsed(59_999)).toBe('59.9 s');
    expect(formatElapsed(65_000)).toBe('1:05');
    expect(formatElapsed(3_723_000)).toBe('1:02:03');
    expect(formatElapsed(-5)).toBe('0.0 s');
    expect(formatElapsed(Number.NaN)).toBe('0.0 s');
  });

  it('shows a whole run in seconds, long ones as a clock', () => {
    expect(formatDuration(0.5)).toBe('0.50 s');
    expect(formatDuration(3600)).toBe('1:00:00');
    expect(formatDuration(null)).toBe('—');
  });

  it('measures between timestamps', () => {
    expect(secondsBetween('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.500Z')).toBe(1.5);
    expect(secondsBetween(null, '2026-01-01T00:00:00Z')).toBeNull();
    expect(secondsBetween('nope', '2026-01-01T00:00:00Z')).toBeNull();
  });

  it('shows limits in the largest whole unit', () => {
    expect(formatLimitSeconds(86400)).toBe('24 h');
    expect(formatLimitSeconds(3600)).toBe('1 h');
    expect(formatLimitSeconds(120)).toBe('2 min');
    expect(formatLimitSeconds(90)).toBe('90 s');
  });

  it('writes units in the UI language', () => {
    setLocale('zh-CN');
    expect(formatLimitSeconds(86400)).toBe('24 小时');
    expect(formatLimitSeconds(120)).toBe('2 分钟');
    expect(formatLimitSeconds(90)).toBe('90 秒');
    expect(formatSeconds(0.25)).toBe('0.25 秒');
    expect(formatElapsed(1234)).toBe('1.2 秒');
    expect(formatMillis(1000)).toBe('1000 毫秒');
    setLocale('en');
    expect(formatMillis(1000)).toBe('1000 ms');
    expect(formatMillis(undefined)).toBe('—');
  });
});

describe('sizes', () => {
  it('shows scanned data in GB with two decimals', () => {
    expect(formatGb(0.1234)).toBe('0.12 GB');
    expect(formatGb('10')).toBe('10.00 GB');
    expect(formatGb(null)).toBe('—');
    expect(bytesToGb(10737418240)).toBe(10);
    expect(bytesToGb(null)).toBeNull();
  });

  it('shows bytes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(10737418240)).toBe('10.0 GB');
    expect(formatBytes(1024 ** 4 * 200)).toBe('200 TB');
    expect(formatBytes(undefined)).toBe('—');
  });
});

describe('cost', () => {
  it('shows cents, sub-cent amounts and dust', () => {
    expect(formatCost(0)).toBe('$0.00');
    expect(formatCost(1.234)).toBe('$1.23');
    expect(formatCost(0.0049)).toBe('$0.0049');
    expect(formatCost(0.00001)).toBe('< $0.0001');
    setLocale('zh-CN');
    expect(formatCost(0.00001)).toBe('低于 $0.0001');
    expect(formatCost('0.05')).toBe('$0.05');
    expect(formatCost(null)).toBe('—');
  });
});

describe('numbers, times and cells', () => {
  it('groups counts by language', () => {
    expect(formatCount(1234567, 'en')).toBe('1,234,567');
    expect(formatCount(null, 'en')).toBe('—');
  });

  it('formats timestamps and passes through what it cannot parse', () => {
    expect(formatTimestamp('2026-11-22T05:06:15.123Z', 'en')).toMatch(/2026/);
    expect(formatTimestamp('garbage', 'en')).toBe('garbage');
    expect(formatTimestamp(null, 'en')).toBe('—');
    // Midnight is 00, not 24 (hour12: false gives "24:05:00" in some ICU versions).
    const midnight = new Date(2026, 0, 2, 0, 5, 9).toISOString();
    expect(formatTimestamp(midnight, 'en')).toContain('00:05:09');
    expect(formatTimestamp(midnight, 'zh-CN')).toContain('00:05:09');
  });

  it('parses numbers defensively', () => {
    expect(toNumber('3.5')).toBe(3.5);
    expect(toNumber('')).toBeNull();
    expect(toNumber('NaN')).toBeNull();
    expect(toNumber(Infinity)).toBeNull();
  });

  it('turns cell values into text, keeping "" and null apart for the grid', () => {
    expect(cellText(null)).toBe('');
    expect(cellText('')).toBe('');
    expect(cellText(true)).toBe('true');
    expect(cellText(12)).toBe('12');
    expect(cellText({ a: 1 })).toBe('{"a":1}');
  });
});
