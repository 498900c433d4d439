import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../src/api';
import { executionSeconds, runSeconds } from '../src/querytimes';
import { QueryRunner } from '../src/runner';
import { fakeApi, ok, statusOf } from './fakes';

const unreachable = () => new ApiError(0, 'NETWORK_ERROR', 'Failed to fetch');

describe('a running query while the connection is lost', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('stops counting its running time, then takes the time from the server once back', async () => {
    const fake = fakeApi();
    let now = 1_000_000;
    const runner = new QueryRunner(fake.api, { now: () => now });
    fake.states.push('RUNNING');
    await runner.run({ query: 'SELECT 1' });
    await vi.advanceTimersByTimeAsync(0);
    now += 2_000;
    await vi.advanceTimersByTimeAsync(500);
    expect(runner.connectionLost).toBe(false);
    const lastSeen = runner.elapsedMs()!;
    expect(lastSeen).toBe(2_000);

    fake.api.status.mockImplementation(async () => { throw unreachable(); });
    now += 500;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runner.connectionLost).toBe(true);
    expect(runner.busy).toBe(true);
    now += 60_000;
    expect(runner.elapsedMs()).toBe(lastSeen);

    // Back: the server says the query has been under way for 0.4 + 70 s.
    fake.api.status.mockImplementation(async () =>
      ok(statusOf('RUNNING', { statistics: { queueSeconds: 0.4, executionSeconds: 70 } })));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runner.connectionLost).toBe(false);
    expect(runner.elapsedMs()).toBe(70_400);
    runner.dispose();
  });

  it('shows no execution time for a run that ended because the server restarted', async () => {
    const fake = fakeApi();
    let now = 1_000_000;
    const runner = new QueryRunner(fake.api, { now: () => now });
    fake.states.push('RUNNING');
    await runner.run({ query: 'SELECT 1' });
    await vi.advanceTimersByTimeAsync(0);
    fake.api.status.mockImplementation(async () => { throw unreachable(); });
    await vi.advanceTimersByTimeAsync(500);
    expect(runner.connectionLost).toBe(true);
    now += 90_000;
    // The restarted server ended the run; its clock ran on through the outage.
    const restarted = statusOf('FAILED', {
      statistics: { queueSeconds: 0.1, executionSeconds: 95.3 },
      error: { code: 'SERVER_RESTARTED', message: 'the server restarted while the query was running', details: {}, source: 'sluice' },
    });
    fake.api.status.mockImplementation(async () => ok(restarted));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runner.phase).toBe('finished');
    expect(runner.notice).toMatchObject({ kind: 'failed', code: 'SERVER_RESTARTED' });
    expect(runner.elapsedMs()).toBeNull();
    expect(executionSeconds(restarted)).toBeNull();
    expect(runSeconds(restarted)).toBeNull();
    expect(runSeconds(statusOf('SUCCEEDED', { statistics: { queueSeconds: 0.25, executionSeconds: 1.5 } }))).toBe(1.75);
  });

  it('treats a metadata store outage (503) and throttling (429) as a lost connection, not as the query failing', async () => {
    const fake = fakeApi();
    const runner = new QueryRunner(fake.api);
    fake.states.push('RUNNING');
    await runner.run({ query: 'SELECT 1' });
    await vi.advanceTimersByTimeAsync(0);
    fake.api.status.mockImplementationOnce(async () => { throw new ApiError(503, 'STORE_UNAVAILABLE', 'store down'); });
    fake.api.status.mockImplementationOnce(async () => { throw new ApiError(429, 'TOO_MANY_REQUESTS', 'slow down'); });
    await vi.advanceTimersByTimeAsync(500);
    expect(runner.connectionLost).toBe(true);
    expect(runner.busy).toBe(true);
    expect(runner.notice).toBeNull();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runner.connectionLost).toBe(true);
    expect(runner.busy).toBe(true);
    fake.states.push('SUCCEEDED');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(runner.connectionLost).toBe(false);
    expect(runner.state).toBe('SUCCEEDED');
    expect(runner.notice).toBeNull();
  });
});
