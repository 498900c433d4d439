import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../src/api';
import { QueryRunner, sameQuery } from '../src/runner';
import { deferred, fakeApi, ok, statusOf } from './fakes';

const unreachable = () => new ApiError(0, 'NETWORK_ERROR', 'Failed to fetch');

async function finishedRun(sql: string, state: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED') {
  const fake = fakeApi();
  fake.states.push(state);
  const runner = new QueryRunner(fake.api);
  await runner.run({ query: sql, engine: 'duckdb' });
  await vi.advanceTimersByTimeAsync(0);
  expect(runner.state).toBe(state);
  return { ...fake, runner };
}

describe('a run that never reaches the server', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('keeps the previous result, status and page on show, and says what went wrong', async () => {
    const { api, runner } = await finishedRun('SELECT * FROM range(250)');
    await runner.results.next();
    const page = runner.results.page;
    const status = runner.status;
    expect(page?.offset).toBe(100);

    api.submit.mockImplementationOnce(async () => { throw unreachable(); });
    await runner.run({ query: 'SELECT 2', engine: 'duckdb' });

    expect(runner.phase).toBe('finished');
    expect(runner.busy).toBe(false);
    expect(runner.status).toBe(status);
    expect(runner.results.page).toBe(page);
    expect(runner.results.pager.range).toEqual({ from: 101, to: 200, total: 250 });
    expect(runner.queryId).toBe('q1');
    expect(runner.notice).toMatchObject({ kind: 'error', code: 'NETWORK_ERROR', retry: true });
    // The pages of the shown result still turn.
    await runner.results.prev();
    expect(runner.results.page?.offset).toBe(0);
  });

  it('keeps the previous result while the submit is under way, and replaces it once accepted', async () => {
    const { api, runner, states } = await finishedRun('SELECT 1');
    const page = runner.results.page;
    const answer = deferred<ReturnType<typeof ok>>();
    api.submit.mockImplementationOnce(() => answer.promise as never);
    const running = runner.run({ query: 'SELECT 2' });
    expect(runner.phase).toBe('submitting');
    expect(runner.results.page).toBe(page);
    expect(runner.state).toBe('SUCCEEDED');
    states.push('RUNNING');
    answer.resolve(ok({ id: 'q2', state: 'QUEUED', engine: 'duckdb' }, 202));
    await running;
    expect(runner.queryId).toBe('q2');
    expect(runner.results.page).toBeNull();
    expect(runner.phase).toBe('running');
    runner.dispose();
  });

  it('keeps the previous result when a refresh cannot be sent', async () => {
    const { api, runner } = await finishedRun('SELEC 1', 'FAILED');
    const notice = runner.notice;
    expect(notice).toMatchObject({ kind: 'failed' });
    api.refresh.mockImplementationOnce(async () => { throw unreachable(); });
    await runner.rerun();
    expect(runner.phase).toBe('finished');
    expect(runner.state).toBe('FAILED');
    expect(runner.notice).toMatchObject({ kind: 'error', code: 'NETWORK_ERROR', retry: true });
  });
});

describe('Retry', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('submits the edited SQL as a new query instead of rerunning the old text', async () => {
    const { api, runner, states } = await finishedRun('SELEC 1', 'FAILED');
    states.push('SUCCEEDED');
    await runner.retry({ query: 'SELECT 1', engine: 'duckdb' });
    expect(api.refresh).not.toHaveBeenCalled();
    expect(api.submit).toHaveBeenCalledTimes(2);
    expect(api.submit).toHaveBeenLastCalledWith({ query: 'SELECT 1', engine: 'duckdb' });
    await vi.advanceTimersByTimeAsync(0);
    expect(runner.state).toBe('SUCCEEDED');
  });

  it('reruns the same query id only when text and target are unchanged', async () => {
    const { api, runner } = await finishedRun('SELEC 1', 'FAILED');
    await runner.retry({ query: 'SELEC 1', engine: 'duckdb' });
    expect(api.refresh).toHaveBeenCalledWith('q1');
    expect(api.submit).toHaveBeenCalledTimes(1);
    runner.dispose();
  });

  it('submits again after a submit that never reached the server, with the text as it is now', async () => {
    const { api, runner } = await finishedRun('SELECT 1');
    api.submit.mockImplementationOnce(async () => { throw unreachable(); });
    await runner.run({ query: 'SELECT 1' });
    await runner.retry({ query: 'SELECT 1 + 1' });
    expect(api.refresh).not.toHaveBeenCalled();
    expect(api.submit).toHaveBeenLastCalledWith({ query: 'SELECT 1 + 1' });
    runner.dispose();
  });

  it('tells the same query from an edited one or another target', () => {
    const status = statusOf('FAILED', { query: 'SELECT 1', engine: 'duckdb', catalog: 'sluice', database: 'main' });
    expect(sameQuery(status, { query: 'SELECT 1', engine: 'duckdb', catalog: 'sluice', database: 'main' })).toBe(true);
    expect(sameQuery(status, { query: 'SELECT 1' })).toBe(true);
    expect(sameQuery(status, { query: 'SELECT 1 ', engine: 'duckdb' })).toBe(false);
    expect(sameQuery(status, { query: 'SELECT 1', engine: 'athena' })).toBe(false);
    expect(sameQuery(status, { query: 'SELECT 1', database: 'other' })).toBe(false);
    expect(sameQuery(null, { query: 'SELECT 1' })).toBe(false);
  });
});
