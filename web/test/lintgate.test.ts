// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type QueryWarning } from '../src/api';
import { ConfirmDialog } from '../src/confirmdialog';
import { setLocale } from '../src/i18n';
import { lintAllows, lintQuestion, type LintApi } from '../src/lintgate';
import { ok } from './fakes';

const FINDINGS: QueryWarning[] = [
  { code: 'LINT_NO_PARTITION_FILTER', message: 'x', params: { table: 'events', partitionKeys: ['event_type', 'dt'] } },
  { code: 'LINT_SELECT_STAR_WIDE', message: 'x', params: { table: 'events', columns: 48 } },
  { code: 'LINT_NO_LIMIT', message: 'x', params: {} },
  { code: 'LINT_SOMETHING_NEW', message: 'A finding this UI does not know yet', params: {} },
];

const REQUEST = { query: 'SELECT * FROM events', engine: 'athena', catalog: 'AwsDataCatalog', database: 'analytics', maxScanGb: 5 };

function lintApi(warnings: QueryWarning[]) {
  return { lint: vi.fn(async () => ok({ warnings })) };
}

describe('lint before a priced run', () => {
  beforeEach(() => setLocale('en'));

  it('runs at once when the lint finds nothing', async () => {
    const api = lintApi([]);
    const ask = vi.fn(async () => false);
    expect(await lintAllows(api as unknown as LintApi, REQUEST, ask)).toBe(true);
    expect(api.lint).toHaveBeenCalledWith({ query: REQUEST.query, engine: 'athena', catalog: 'AwsDataCatalog', database: 'analytics' });
    expect(ask).not.toHaveBeenCalled();
  });

  it('never stands in the way when the lint cannot answer', async () => {
    const api = { lint: vi.fn(() => Promise.reject(new ApiError(404, 'ROUTE_NOT_FOUND', null))) };
    expect(await lintAllows(api as unknown as LintApi, REQUEST, vi.fn())).toBe(true);
  });

  it('lists the findings in the UI language, the partition keys named', () => {
    const question = lintQuestion(FINDINGS);
    expect(question.confirm).toBe('lint.runAnyway');
    expect(question.message).toEqual(['lint.message', { count: 4 }]);
    expect(question.items).toEqual([
      { key: 'warning.LINT_NO_PARTITION_FILTER', params: { table: 'events', partitionKeys: 'event_type, dt' }, code: 'LINT_NO_PARTITION_FILTER' },
      { key: 'warning.LINT_SELECT_STAR_WIDE', params: { table: 'events', columns: '48' }, code: 'LINT_SELECT_STAR_WIDE' },
      { key: 'warning.LINT_NO_LIMIT', params: {}, code: 'LINT_NO_LIMIT' },
      { text: 'A finding this UI does not know yet', code: 'LINT_SOMETHING_NEW' },
    ]);
  });

  it('asks in the dialog: "Run anyway" runs, "Cancel" does not', async () => {
    const dialog = new ConfirmDialog();
    document.body.appendChild(dialog.element);
    const api = lintApi(FINDINGS.slice(0, 3));
    const ask = (q: Parameters<ConfirmDialog['ask']>[0]) => dialog.ask(q);

    const first = lintAllows(api as unknown as LintApi, REQUEST, ask);
    await vi.waitFor(() => expect(dialog.element.open).toBe(true));
    const items = [...dialog.element.querySelectorAll<HTMLElement>('[data-testid=confirm-item]')];
    expect(items.map((i) => i.dataset.code)).toEqual(['LINT_NO_PARTITION_FILTER', 'LINT_SELECT_STAR_WIDE', 'LINT_NO_LIMIT']);
    expect(items[0].textContent).toBe('Table events is partitioned by event_type, dt, but the query does not filter on them: every partition will be scanned');
    const ok = dialog.element.querySelector<HTMLButtonElement>('[data-testid=confirm-ok]')!;
    const cancel = dialog.element.querySelector<HTMLButtonElement>('[data-testid=confirm-cancel]')!;
    expect(ok.textContent).toBe('Run anyway');
    expect(cancel.textContent).toBe('Cancel');
    expect(document.activeElement).toBe(cancel);
    dialog.element.close('yes');
    expect(await first).toBe(true);

    const second = lintAllows(api as unknown as LintApi, REQUEST, ask);
    await vi.waitFor(() => expect(dialog.element.open).toBe(true));
    dialog.element.close('no');
    expect(await second).toBe(false);
  });
});
