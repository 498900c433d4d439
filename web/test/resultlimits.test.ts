import { describe, expect, it } from 'vitest';
import { ApiClient } from '../src/api';
import { t } from '../src/i18n';
import { absoluteRow, cutCells, truncationText } from '../src/resultlimits';

describe('a result the server kept only part of', () => {
  it('says how many rows were kept and which limit cut them, in both languages', () => {
    const rows = truncationText({ truncated: true, truncation: { reason: 'MAX_RESULT_ROWS', limit: 100000 } }, 100000, 'en');
    expect(rows).toEqual(['results.truncatedRows', { rows: '100,000', limit: '100,000' }]);
    expect(t(rows![0], rows![1], 'en')).toMatch(/^Only the first 100,000 rows were kept/);
    expect(t(rows![0], rows![1], 'zh-CN')).toMatch(/^只保留了前 100,000 行/);

    const bytes = truncationText({ truncated: true, truncation: { reason: 'MAX_RESULT_BYTES', limit: 1073741824 } }, 52000, 'en');
    expect(bytes).toEqual(['results.truncatedBytes', { rows: '52,000', size: '1.0 GB' }]);
    expect(t(bytes![0], bytes![1], 'en')).toContain('at most 1.0 GB');

    expect(truncationText({ truncated: true, truncation: { reason: 'SOMETHING_NEW', limit: 5 } }, 7, 'en'))
      .toEqual(['results.truncated', { rows: '7' }]);
    expect(truncationText({ truncated: true }, null, 'en')).toEqual(['results.truncatedSome', {}]);
  });

  it('says nothing about a complete result', () => {
    expect(truncationText({ truncated: false, truncation: null }, 10, 'en')).toBeNull();
    expect(truncationText({}, 10, 'en')).toBeNull();
    expect(truncationText(null, 10, 'en')).toBeNull();
  });
});

describe('values cut on a page', () => {
  it('are found by their place on the page, and fetched by absolute row and column', () => {
    const page = {
      id: 'q1', offset: 200,
      truncatedCells: [{ row: 3, column: 1, bytes: 300_000_000 }, { row: 0, column: 0, bytes: 5_000_000 }],
    };
    const cells = cutCells(page);
    expect(cells.get('3:1')?.bytes).toBe(300_000_000);
    expect(cells.get('0:0')?.bytes).toBe(5_000_000);
    expect(cells.has('1:3')).toBe(false);
    expect(cutCells({ truncatedCells: null }).size).toBe(0);
    expect(absoluteRow(page, 3)).toBe(203);
    expect(new ApiClient().valueUrl('q1', absoluteRow(page, 3), 1)).toBe('/api/query/q1/value?row=203&column=1');
    expect(t('grid.cutMarker', { size: '286 MB' }, 'en')).toBe('… 286 MB');
  });
});
