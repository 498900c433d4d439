// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, type QueryState } from '../src/api';
import { setLocale, t } from '../src/i18n';
import { errorNotice } from '../src/notices';
import { NoticeView } from '../src/noticeview';
import { sluiceErrorText } from '../src/queryerror';
import { isCached, QueryRunner } from '../src/runner';
import { shownString, warningText } from '../src/warnings';
import { fakeApi, ok, statusOf } from './fakes';

const NEARLY = {
  code: 'BUDGET_NEARLY_SPENT', message: 'budget nearly spent',
  params: { budget: 'user', spentUsd: 41.5, limitUsd: 50, resetsAt: '2026-12-01T00:00:00Z' },
};

describe('warnings', () => {
  beforeEach(() => setLocale('en'));

  it('reads a budget nearly spent with the amounts and when it resets', () => {
    const text = shownString(warningText(NEARLY));
    expect(text).toContain('Your monthly budget');
    expect(text).toContain('$41.50 of $50.00');
    expect(text).toContain('2026');
    expect(shownString(warningText({ ...NEARLY, params: { ...NEARLY.params, budget: 'workgroup:primary' } })))
      .toContain('workgroup primary');
    setLocale('zh-CN');
    expect(shownString(warningText(NEARLY))).toContain('我的月度预算已花费 $41.50');
  });

  it('reads an unknown warning as its server message', () => {
    expect(shownString(warningText({ code: 'NEW_THING', message: 'Something new', params: {} }))).toBe('Something new');
  });
});

describe('BUDGET_EXCEEDED', () => {
  beforeEach(() => setLocale('en'));
  const refusal = new ApiError(429, 'BUDGET_EXCEEDED', 'budget spent', {
    budget: 'total', limitUsd: 1000, spentUsd: 1000.25, resetsAt: '2026-12-01T00:00:00Z',
  });

  it('is a notice naming the budget, its amounts and the reset time, without Retry', () => {
    const notice = errorNotice(refusal, true);
    expect(notice.code).toBe('BUDGET_EXCEEDED');
    expect(notice.retry).toBe(false);
    const text = sluiceErrorText(notice.code, notice.params);
    expect(text![0]).toBe('error.BUDGET_EXCEEDED');
    expect(t(text![0], text![1])).toMatch(/^Monthly budget of everyone is spent \(\$1000\.25 of \$1000\.00\): new paid queries are refused until it resets .*2026/);

    const view = new NoticeView({ retry: () => undefined, dismiss: () => undefined });
    view.render(notice, false);
    const box = view.element.querySelector<HTMLElement>('[data-message-code=BUDGET_EXCEEDED]')!;
    expect(box.textContent).toContain('until it resets');
    expect(view.retryButton).toBeNull();
  });

  it('keeps the refusal of a submit as the tab notice (the run on show stays)', async () => {
    const { api } = fakeApi();
    api.submit.mockImplementationOnce(() => Promise.reject(refusal));
    const runner = new QueryRunner(api);
    await runner.run({ query: 'SELECT 1', engine: 'athena' });
    expect(runner.phase).toBe('idle');
    expect(runner.notice?.code).toBe('BUDGET_EXCEEDED');
    expect(runner.notice?.params).toMatchObject({ budget: 'total', resetsAt: '2026-12-01T00:00:00Z' });
  });

  it('renders INVALID_MAX_SCAN with the cap asked and the one allowed', () => {
    const notice = errorNotice(new ApiError(400, 'INVALID_MAX_SCAN', null, { maxScanGb: 20, engineMaxGb: 10 }), true);
    const [key, params] = sluiceErrorText(notice.code, notice.params)!;
    expect(t(key, params)).toBe("The scan cap of 20 GB is invalid: it must be above 0 and no more than the engine's limit of 10 GB");
  });
});

describe('a run with warnings, from the cache', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    setLocale('en');
  });
  afterEach(() => vi.useRealTimers());

  it('shows the warnings of the submit until the status has its own', async () => {
    const { api, states } = fakeApi();
    api.submit.mockImplementationOnce(async () => ok({ id: 'q1', state: 'QUEUED' as QueryState, engine: 'athena', warnings: [NEARLY] }, 202));
    states.push('RUNNING', 'SUCCEEDED');
    const runner = new QueryRunner(api);
    await runner.run({ query: 'SELECT 1', engine: 'athena' });
    expect(runner.warnings.map((w) => w.code)).toEqual(['BUDGET_NEARLY_SPENT']);
    await vi.advanceTimersByTimeAsync(0);
    expect(runner.state).toBe('RUNNING');
    expect(runner.warnings.map((w) => w.code)).toEqual(['BUDGET_NEARLY_SPENT']);
    runner.dispose();
  });

  it('tells a cached result by `cached` or by statistics.cachedFrom', () => {
    expect(isCached(statusOf('SUCCEEDED'))).toBe(false);
    expect(isCached(statusOf('SUCCEEDED', { cached: true }))).toBe(true);
    expect(isCached(statusOf('SUCCEEDED', {
      statistics: { queueSeconds: 0, executionSeconds: 0, cachedFrom: { queryId: 'q0', run: 1 }, savedUsd: 0.25 },
    }))).toBe(true);
    expect(isCached(null)).toBe(false);
  });

  it('sends maxScanGb and cache: false with the submit, and lint with its own route', async () => {
    const fetchFn = vi.fn(async () => new Response(JSON.stringify({ success: true, data: { id: 'q1', state: 'QUEUED', engine: 'athena' },
      messageCode: 'QUERY_SUBMITTED', message: '', timestamp: '' }), { status: 202 }));
    const client = new ApiClient(fetchFn as unknown as typeof fetch);
    await client.submit({ query: 'SELECT 1', engine: 'athena', maxScanGb: 2.5, cache: false });
    await client.submit({ query: 'SELECT 1', engine: 'athena', cache: true });
    await client.lint({ query: 'SELECT 1', engine: 'athena' });
    const calls = fetchFn.mock.calls as unknown as [string, RequestInit][];
    expect(JSON.parse(String(calls[0][1].body))).toEqual({ query: 'SELECT 1', engine: 'athena', maxScanGb: 2.5, cache: false });
    expect(JSON.parse(String(calls[1][1].body))).toEqual({ query: 'SELECT 1', engine: 'athena' });
    expect(calls[2][0]).toBe('/api/query/lint');
  });
});
