import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QueryRunner } from '../src/runner';
import { deferred, fakeApi, ok } from './fakes';

describe('closing the tab of a query', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('cancels the running query on the server and stops following it', async () => {
    const fake = fakeApi();
    fake.states.push('RUNNING');
    const runner = new QueryRunner(fake.api);
    await runner.run({ query: 'SELECT 1' });
    await vi.advanceTimersByTimeAsync(0);
    expect(runner.runningQueryId).toBe('q1');
    runner.close(true);
    expect(fake.api.cancel).toHaveBeenCalledWith('q1');
    const polls = fake.api.status.mock.calls.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fake.api.status.mock.calls.length).toBe(polls);
  });

  it('keeps the query running when asked to, and stops following it', async () => {
    const fake = fakeApi();
    fake.states.push('RUNNING');
    const runner = new QueryRunner(fake.api);
    await runner.run({ query: 'SELECT 1' });
    await vi.advanceTimersByTimeAsync(0);
    runner.close(false);
    const polls = fake.api.status.mock.calls.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fake.api.cancel).not.toHaveBeenCalled();
    expect(fake.api.status.mock.calls.length).toBe(polls);
  });

  it('cancels a query whose submit was still unanswered as soon as the answer names it', async () => {
    const fake = fakeApi();
    const answer = deferred<ReturnType<typeof ok>>();
    fake.api.submit.mockImplementationOnce(() => answer.promise as never);
    const runner = new QueryRunner(fake.api);
    const submitting = runner.run({ query: 'SELECT 1' });
    expect(runner.phase).toBe('submitting');
    expect(runner.runningQueryId).toBeNull();
    runner.close(true);
    expect(fake.api.cancel).not.toHaveBeenCalled();
    answer.resolve(ok({ id: 'q7', state: 'QUEUED', engine: 'duckdb' }, 202));
    await submitting;
    expect(fake.api.cancel).toHaveBeenCalledWith('q7');
    expect(fake.api.status).not.toHaveBeenCalled();
  });

  it('leaves a query whose submit was unanswered alone when it is kept', async () => {
    const fake = fakeApi();
    const answer = deferred<ReturnType<typeof ok>>();
    fake.api.submit.mockImplementationOnce(() => answer.promise as never);
    const runner = new QueryRunner(fake.api);
    const submitting = runner.run({ query: 'SELECT 1' });
    runner.close(false);
    answer.resolve(ok({ id: 'q7', state: 'QUEUED', engine: 'duckdb' }, 202));
    await submitting;
    expect(fake.api.cancel).not.toHaveBeenCalled();
  });

  it('has nothing to cancel for a finished query', async () => {
    const fake = fakeApi();
    fake.states.push('SUCCEEDED');
    const runner = new QueryRunner(fake.api);
    await runner.run({ query: 'SELECT 1' });
    await vi.advanceTimersByTimeAsync(0);
    expect(runner.runningQueryId).toBeNull();
    runner.close(true);
    expect(fake.api.cancel).not.toHaveBeenCalled();
  });
});
