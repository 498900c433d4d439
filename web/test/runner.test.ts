import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../src/api';
import { setLocale, t } from '../src/i18n';
import { errorNotice, terminalNotice } from '../src/notices';
import { sluiceErrorText } from '../src/queryerror';
import { QueryRunner, defaultPollInterval } from '../src/runner';
import { deferred, fakeApi, ok, statusOf } from './fakes';

describe('QueryRunner', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('submits, polls until done, then loads the first page', async () => {
    const { api, states } = fakeApi();
    states.push('QUEUED', 'RUNNING', 'SUCCEEDED');
    const ids: (string | null)[] = [];
    const runner = new QueryRunner(api, { onQueryId: (id) => ids.push(id) });
    await runner.run({ query: 'SELECT 1', engine: 'duckdb' });
    expect(api.submit).toHaveBeenCalledWith({ query: 'SELECT 1', engine: 'duckdb' });
    expect(runner.phase).toBe('running');
    expect(runner.busy).toBe(true);
    expect(ids).toEqual(['q1']);
    await vi.advanceTimersByTimeAsync(0);
    expect(runner.state).toBe('QUEUED');
    await vi.advanceTimersByTimeAsync(500);
    expect(runner.state).toBe('RUNNING');
    await vi.advanceTimersByTimeAsync(500);
    expect(runner.state).toBe('SUCCEEDED');
    expect(runner.phase).toBe('finished');
    expect(runner.notice).toBeNull();
    expect(api.results).toHaveBeenCalledWith('q1', { offset: 0, limit: 100 });
    expect(runner.results.page?.rows).toHaveLength(100);
    await runner.results.next();
    expect(api.results).toHaveBeenLastCalledWith('q1', { cursor: 'c100', limit: 100 });
    await runner.results.jump(3);
    expect(runner.results.page?.offset).toBe(200);
    await runner.results.prev();
    expect(api.results).toHaveBeenLastCalledWith('q1', { cursor: 'c100', limit: 100 });
    const calls = api.status.mock.calls.length;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(api.status.mock.calls.length).toBe(calls);
  });

  it('ignores Run while a query is under way', async () => {
    const { api } = fakeApi();
    const runner = new QueryRunner(api);
    await runner.run({ query: 'SELECT 1' });
    await runner.run({ query: 'SELECT 2' });
    expect(api.submit).toHaveBeenCalledTimes(1);
    runner.dispose();
  });

  it('cancels once however often Cancel is clicked, then shows the cancelled notice', async () => {
    const { api, states } = fakeApi();
    states.push('RUNNING', 'RUNNING', 'RUNNING');
    const answer = deferred<ReturnType<typeof ok>>();
    api.cancel.mockImplementationOnce(async () => {
      await answer.promise;
      return ok({ id: 'q1', state: 'CANCELLED' });
    });
    const runner = new QueryRunner(api);
    await runner.run({ query: 'SELECT sleep(60)' });
    await vi.advanceTimersByTimeAsync(0);
    expect(runner.state).toBe('RUNNING');
    const first = runner.cancel();
    void runner.cancel();
    void runner.cancel();
    expect(runner.cancelling).toBe(true);
    expect(api.cancel).toHaveBeenCalledTimes(1);
    // no polling while the cancel is unanswered
    const polls = api.status.mock.calls.length;
    await vi.advanceTimersByTimeAsync(3_000);
    expect(api.status.mock.calls.length).toBe(polls);
    answer.resolve(ok({}));
    api.status.mockImplementationOnce(async () => ok(statusOf('CANCELLED')));
    await first;
    expect(runner.cancelling).toBe(false);
    expect(runner.state).toBe('CANCELLED');
    expect(runner.phase).toBe('finished');
    expect(runner.busy).toBe(false);
    expect(runner.notice).toMatchObject({ kind: 'cancelled', code: 'QUERY_CANCELLED', retry: true });
    expect(api.results).not.toHaveBeenCalled();
  });

  it('after "already finished" it reads the final state instead', async () => {
    const { api, states } = fakeApi();
    states.push('RUNNING');
    const runner = new QueryRunner(api);
    await runner.run({ query: 'SELECT 1' });
    await vi.advanceTimersByTimeAsync(0);
    api.cancel.mockImplementationOnce(async () => { throw new ApiError(409, 'QUERY_ALREADY_FINISHED', 'done'); });
    states.push('SUCCEEDED');
    await runner.cancel();
    expect(runner.state).toBe('SUCCEEDED');
    expect(runner.notice).toBeNull();
  });

  it('shows a failed query with the engine message, and Retry reruns it by refresh', async () => {
    const { api, states } = fakeApi();
    states.push('FAILED');
    const runner = new QueryRunner(api);
    await runner.run({ query: 'SELEC 1' });
    await vi.advanceTimersByTimeAsync(0);
    expect(runner.notice).toMatchObject({ kind: 'failed', code: 'SYNTAX_ERROR', detail: 'Parser Error: near "SELEC"', retry: true });
    states.push('SUCCEEDED');
    await runner.retry({ query: 'SELEC 1' });
    expect(api.refresh).toHaveBeenCalledWith('q1');
    expect(runner.notice).toBeNull();
    await vi.advanceTimersByTimeAsync(0);
    expect(runner.state).toBe('SUCCEEDED');
  });

  it('gives timed-out queries their own notice', async () => {
    const { api, states } = fakeApi();
    states.push('TIMED_OUT');
    const runner = new QueryRunner(api);
    await runner.run({ query: 'SELECT 1' });
    await vi.advanceTimersByTimeAsync(0);
    expect(runner.notice).toMatchObject({ kind: 'timed-out', code: 'QUERY_TIMED_OUT' });
  });

  it('reports a rejected submit by its messageCode, and Retry submits again', async () => {
    const { api } = fakeApi();
    api.submit.mockImplementationOnce(async () => { throw new ApiError(400, 'UNKNOWN_ENGINE', '未知的查询引擎'); });
    const runner = new QueryRunner(api);
    await runner.run({ query: 'SELECT 1', engine: 'nope' });
    expect(runner.phase).toBe('idle');
    expect(runner.notice).toMatchObject({ kind: 'error', code: 'UNKNOWN_ENGINE', serverMessage: '未知的查询引擎', retry: true });
    await runner.retry({ query: 'SELECT 1', engine: 'nope' });
    expect(api.submit).toHaveBeenCalledTimes(2);
    expect(api.refresh).not.toHaveBeenCalled();
    runner.dispose();
  });

  it('keeps polling through network trouble, with back-off, and says so', async () => {
    const { api, states } = fakeApi();
    states.push('RUNNING');
    const runner = new QueryRunner(api);
    await runner.run({ query: 'SELECT 1' });
    await vi.advanceTimersByTimeAsync(0);
    api.status.mockImplementationOnce(async () => { throw new ApiError(0, 'NETWORK_ERROR', 'down'); });
    await vi.advanceTimersByTimeAsync(500);
    expect(runner.connectionLost).toBe(true);
    expect(runner.busy).toBe(true);
    states.push('SUCCEEDED');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runner.connectionLost).toBe(false);
    expect(runner.state).toBe('SUCCEEDED');
  });

  it('stops following a query that is gone', async () => {
    const { api } = fakeApi();
    api.status.mockImplementation(async () => { throw new ApiError(404, 'QUERY_NOT_FOUND', 'x'); });
    const runner = new QueryRunner(api);
    runner.track('q1');
    await vi.advanceTimersByTimeAsync(0);
    expect(runner.busy).toBe(false);
    expect(runner.notice).toMatchObject({ kind: 'error', code: 'QUERY_NOT_FOUND' });
    const calls = api.status.mock.calls.length;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(api.status.mock.calls.length).toBe(calls);
  });

  it('resumes a running query after a reload with elapsed time from its statistics', async () => {
    const { api, setCurrent } = fakeApi();
    setCurrent(statusOf('RUNNING', { statistics: { queueSeconds: 1, executionSeconds: 9 } }));
    let now = 100_000;
    const runner = new QueryRunner(api, { now: () => now });
    runner.track('q1');
    await vi.advanceTimersByTimeAsync(0);
    expect(runner.busy).toBe(true);
    expect(runner.elapsedMs()).toBe(10_000);
    now += 2_000;
    expect(runner.elapsedMs()).toBe(12_000);
    runner.dispose();
  });

  it('restarts from the top when a cursor is refused', async () => {
    const { api, states } = fakeApi();
    states.push('SUCCEEDED');
    const runner = new QueryRunner(api);
    await runner.run({ query: 'SELECT 1' });
    await vi.advanceTimersByTimeAsync(0);
    api.results.mockImplementationOnce(async () => { throw new ApiError(400, 'INVALID_CURSOR', 'old'); });
    await runner.results.next();
    expect(api.results).toHaveBeenLastCalledWith('q1', { offset: 0, limit: 100 });
    expect(runner.results.page?.offset).toBe(0);
    expect(runner.notice).toBeNull();
  });

  it('fetches a fresh download link each time', async () => {
    const { api, states } = fakeApi();
    states.push('SUCCEEDED');
    const runner = new QueryRunner(api);
    await runner.run({ query: 'SELECT 1' });
    await vi.advanceTimersByTimeAsync(0);
    expect((await runner.results.prepareDownload())?.url).toBe('/api/files/t');
    await runner.results.prepareDownload();
    expect(api.download).toHaveBeenCalledTimes(2);
    api.download.mockImplementationOnce(async () => { throw new ApiError(404, 'RESULT_NOT_AVAILABLE', 'none'); });
    expect(await runner.results.prepareDownload()).toBeNull();
    expect(runner.notice).toMatchObject({ code: 'RESULT_NOT_AVAILABLE' });
  });

  it('rerun of a query that already runs again follows it', async () => {
    const { api, setCurrent } = fakeApi();
    api.refresh.mockImplementationOnce(async () => { throw new ApiError(409, 'QUERY_NOT_FINISHED', 'busy'); });
    setCurrent(statusOf('RUNNING'));
    const runner = new QueryRunner(api);
    runner.adopt('q1');
    await runner.rerun();
    await vi.advanceTimersByTimeAsync(0);
    expect(runner.busy).toBe(true);
    expect(runner.state).toBe('RUNNING');
    runner.dispose();
  });

  it('polls every 500 ms at first, then every second', () => {
    expect(defaultPollInterval(0)).toBe(500);
    expect(defaultPollInterval(4_999)).toBe(500);
    expect(defaultPollInterval(5_000)).toBe(1_000);
  });
});

describe('QueryRunner after a reload', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('forgets a remembered query the server no longer knows, without a notice', async () => {
    const { api } = fakeApi();
    api.status.mockImplementation(async () => { throw new ApiError(404, 'QUERY_NOT_FOUND', 'x'); });
    const ids: (string | null)[] = [];
    const runner = new QueryRunner(api, { onQueryId: (id) => ids.push(id) });
    runner.track('q1', { forgetIfMissing: true });
    await vi.advanceTimersByTimeAsync(0);
    expect(runner.phase).toBe('idle');
    expect(runner.notice).toBeNull();
    expect(runner.queryId).toBeNull();
    expect(ids).toEqual(['q1', null]);
  });
});

describe('notices of queries that ended without a result', () => {
  beforeEach(() => setLocale('en'));

  it('shows an engine error with the engine text, and a Sluice error from its code and details only', () => {
    const engine = terminalNotice(statusOf('FAILED', {
      error: { code: 'SYNTAX_ERROR', message: 'Parser Error: near "SELEC"', details: { engine: 'duckdb' }, source: 'engine' },
    }));
    expect(engine).toMatchObject({ kind: 'failed', code: 'SYNTAX_ERROR', detail: 'Parser Error: near "SELEC"', params: null });

    const timedOut = terminalNotice(statusOf('TIMED_OUT', {
      error: { code: 'QUERY_TIMED_OUT', message: 'the query ran longer than 3600 s', details: { maxRuntimeSeconds: 3600 }, source: 'sluice' },
    }))!;
    expect(timedOut).toMatchObject({ kind: 'timed-out', code: 'QUERY_TIMED_OUT', detail: null, retry: true });
    expect(sluiceErrorText(timedOut.code, timedOut.params)).toEqual(['error.QUERY_TIMED_OUT', { limit: '1 h' }]);
    setLocale('zh-CN');
    const [key, params] = sluiceErrorText(timedOut.code, timedOut.params)!;
    expect(t(key, params)).toBe('查询运行时间超过上限（1 小时），已被停止');

    const restarted = terminalNotice(statusOf('FAILED', {
      error: { code: 'SERVER_RESTARTED', message: 'the server restarted while the query was running', details: {}, source: 'sluice' },
    }))!;
    expect(restarted.detail).toBeNull();
    expect(sluiceErrorText(restarted.code, restarted.params)).toBeNull();
  });

  it('words the scan guardrail and a lost query with their parameters', () => {
    expect(sluiceErrorText('SCAN_LIMIT_EXCEEDED', { scannedBytes: 20_000_000, maxScannedBytes: 10_485_760 }))
      .toEqual(['error.SCAN_LIMIT_EXCEEDED', { scanned: '19.1 MB', limit: '10.0 MB' }]);
    expect(sluiceErrorText('SCAN_LIMIT_EXCEEDED', { scannedBytes: 1 })).toBeNull();
    expect(sluiceErrorText('ENGINE_UNAVAILABLE', { engineQueryId: 'abc-1' }))
      .toEqual(['error.ENGINE_UNAVAILABLE', { id: 'abc-1' }]);
    expect(sluiceErrorText('QUERY_TIMED_OUT', {})).toBeNull();
  });

  it('words a refused statement and a passed write quota with their parameters', () => {
    expect(sluiceErrorText('STATEMENT_NOT_ALLOWED', { statement: 2, kind: 'COPY TO', reason: 'WRITES_FILES' }))
      .toEqual(['error.STATEMENT_NOT_ALLOWED', { statement: 2, kind: 'COPY TO' }]);
    expect(sluiceErrorText('STATEMENT_NOT_ALLOWED', { kind: 'INVALID_CHARACTER' })).toBeNull();
    expect(sluiceErrorText('WRITE_QUOTA_EXCEEDED', { directory: 'data/exports', quotaBytes: 1_048_576 }))
      .toEqual(['error.WRITE_QUOTA_EXCEEDED', { directory: 'data/exports', quota: '1.0 MB' }]);
    setLocale('en');
    const [key, params] = sluiceErrorText('STATEMENT_NOT_ALLOWED', { statement: 1, kind: 'ATTACH' })!;
    expect(t(key, params)).toMatch(/^Statement 1 \(ATTACH\) is not allowed\./);
  });

  it('never puts an API error\'s details in front of the user', () => {
    const notice = errorNotice(new ApiError(400, 'INVALID_FIELD', 'A field is invalid', { field: 'query', reason: 'x' }), true);
    expect(notice).toMatchObject({ kind: 'error', code: 'INVALID_FIELD', retry: true });
    expect(notice.detail ?? null).toBeNull();
  });
});
