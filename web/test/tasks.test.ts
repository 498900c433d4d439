import { describe, expect, it, vi } from 'vitest';
import type { AsyncTask, TaskState } from '../src/api';
import {
  TaskPoller, hasActiveTasks, mergeFirstPage, resultTableSql, taskView, upsertTask, type Timers,
} from '../src/tasks';

function task(id: string, state: TaskState, extra: Partial<AsyncTask> = {}): AsyncTask {
  return {
    task_id: id, state, task_type: 'query', owner: 'anonymous',
    metadata: { sql: 'SELECT * FROM lite.items', task_type: 'query', custom_table_name: null, attach_databases: [{ alias: 'lite', connection_id: 'lite-db' }] },
    result_info: null, error: null, created_at: '2026-01-01T00:00:00.000Z', started_at: null, finished_at: null,
    retry_of: null, cancel_requested: false, ...extra,
  };
}

/** Timers run by hand: `fire()` runs what is due. */
function manualTimers() {
  const queue = new Map<number, { fn: () => void; ms: number }>();
  let next = 1;
  const timers: Timers = {
    set: (fn, ms) => {
      const id = next++;
      queue.set(id, { fn, ms });
      return id;
    },
    clear: (id) => void queue.delete(id as number),
  };
  return {
    timers,
    pending: () => [...queue.values()].map((t) => t.ms),
    async fire() {
      const due = [...queue.entries()];
      queue.clear();
      for (const [, t] of due) t.fn();
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('task polling', () => {
  it('polls while a task is PENDING or RUNNING and stops once none is', async () => {
    const answers: AsyncTask[][] = [[task('a', 'PENDING')], [task('a', 'RUNNING')], [task('a', 'SUCCEEDED')]];
    const load = vi.fn(async () => answers.shift() ?? []);
    const clock = manualTimers();
    const poller = new TaskPoller(load, clock.timers, 1000);
    poller.setVisible(true);
    await flush();
    expect(load).toHaveBeenCalledTimes(1);
    expect(clock.pending()).toEqual([1000]);
    await clock.fire();
    expect(load).toHaveBeenCalledTimes(2);
    expect(poller.polling).toBe(true);
    await clock.fire();
    expect(load).toHaveBeenCalledTimes(3);
    expect(poller.polling).toBe(false);
    expect(clock.pending()).toEqual([]);
  });

  it('does not poll a list of finished tasks at all', async () => {
    const load = vi.fn(async () => [task('a', 'SUCCEEDED'), task('b', 'FAILED'), task('c', 'CANCELLED')]);
    const clock = manualTimers();
    const poller = new TaskPoller(load, clock.timers);
    poller.setVisible(true);
    await flush();
    expect(load).toHaveBeenCalledTimes(1);
    expect(poller.polling).toBe(false);
  });

  it('stops when the panel is hidden, and reads again when it shows', async () => {
    const load = vi.fn(async () => [task('a', 'RUNNING')]);
    const clock = manualTimers();
    const poller = new TaskPoller(load, clock.timers);
    poller.setVisible(true);
    await flush();
    expect(poller.polling).toBe(true);
    poller.setVisible(false);
    expect(poller.polling).toBe(false);
    expect(clock.pending()).toEqual([]);
    poller.setVisible(true);
    await flush();
    expect(load).toHaveBeenCalledTimes(2);
    expect(poller.polling).toBe(true);
  });

  it('does not start polling when a read ends after the panel was hidden', async () => {
    let answer!: (tasks: AsyncTask[]) => void;
    const load = vi.fn(() => new Promise<AsyncTask[]>((r) => { answer = r; }));
    const clock = manualTimers();
    const poller = new TaskPoller(load, clock.timers);
    poller.setVisible(true);
    poller.setVisible(false);
    answer([task('a', 'RUNNING')]);
    await flush();
    expect(poller.polling).toBe(false);
  });

  it('reads one at a time: a refresh during a read reads once more afterwards', async () => {
    const answers: ((tasks: AsyncTask[]) => void)[] = [];
    const load = vi.fn(() => new Promise<AsyncTask[]>((r) => { answers.push(r); }));
    const clock = manualTimers();
    const poller = new TaskPoller(load, clock.timers);
    poller.setVisible(true);
    void poller.refresh();
    void poller.refresh();
    expect(load).toHaveBeenCalledTimes(1);
    answers[0]([task('a', 'RUNNING')]);
    await flush();
    expect(load).toHaveBeenCalledTimes(2);
    answers[1]([task('a', 'SUCCEEDED')]);
    await flush();
    expect(poller.polling).toBe(false);
  });

  it('keeps trying, slower, after a failed read while on screen', async () => {
    const load = vi.fn(async () => null);
    const clock = manualTimers();
    const poller = new TaskPoller(load, clock.timers, 1000);
    poller.setVisible(true);
    await flush();
    expect(clock.pending()).toEqual([5000]);
  });

  it('tells whether any task is active', () => {
    expect(hasActiveTasks([])).toBe(false);
    expect(hasActiveTasks([task('a', 'SUCCEEDED'), task('b', 'PENDING')])).toBe(true);
    expect(hasActiveTasks([task('a', 'CANCELLED'), task('b', 'FAILED')])).toBe(false);
  });
});

describe('a task as the list shows it', () => {
  it('offers Cancel only while PENDING or RUNNING, "Cancelling" once asked', () => {
    expect(taskView(task('a', 'PENDING'))).toMatchObject({ stateKey: 'task.state.PENDING', canCancel: true, cancelling: false, canRetry: false, canOpen: false });
    expect(taskView(task('a', 'RUNNING', { cancel_requested: true }))).toMatchObject({ canCancel: true, cancelling: true });
  });

  it('offers Open result table for a SUCCEEDED task with its table, rows and attached aliases', () => {
    const view = taskView(task('a', 'SUCCEEDED', {
      result_info: {
        status: 'SUCCEEDED', table_name: 'items_copy', row_count: 3, columns: [{ name: 'id', type: 'BIGINT' }],
        attached_databases: ['lite'], is_federated: true, execution_time_ms: 42,
      },
    }));
    expect(view).toMatchObject({
      canOpen: true, canCancel: false, canRetry: false, tableName: 'items_copy', rowCount: 3, aliases: ['lite'], executionMs: 42, error: null,
    });
  });

  it('offers Retry for FAILED and CANCELLED tasks and shows the error with its message and reason', () => {
    const failed = taskView(task('a', 'FAILED', {
      error: { code: 'ATTACH_FAILED', message: 'unable to open database file', details: { reason: 'no such file: /x.db' } },
    }));
    expect(failed).toMatchObject({ canRetry: true, canOpen: false, canCancel: false });
    expect(failed.error).toEqual({ code: 'ATTACH_FAILED', message: 'unable to open database file', reason: 'no such file: /x.db' });
    expect(taskView(task('a', 'CANCELLED'))).toMatchObject({ canRetry: true, canCancel: false, error: null });
  });

  it('shows the asked-for table name before the task wrote it, and where it was retried from', () => {
    const view = taskView(task('b', 'RUNNING', {
      metadata: { sql: 'SELECT 1', custom_table_name: 'mine', attach_databases: null }, retry_of: 'a',
    }));
    expect(view).toMatchObject({ tableName: 'mine', canOpen: false, aliases: [], retryOf: 'a' });
  });

  it('opens a result table with a query of its first rows', () => {
    expect(resultTableSql('items_copy')).toBe('SELECT * FROM workspace.items_copy LIMIT 100');
    expect(resultTableSql('Items')).toBe('SELECT * FROM workspace."Items" LIMIT 100');
  });
});

describe('the list kept up to date', () => {
  it('puts a fresh first page in front of the older tasks loaded before', () => {
    const before = [task('c', 'RUNNING'), task('b', 'FAILED'), task('a', 'SUCCEEDED')];
    const merged = mergeFirstPage(before, [task('d', 'PENDING'), task('c', 'SUCCEEDED')]);
    expect(merged.map((t) => [t.task_id, t.state])).toEqual([['d', 'PENDING'], ['c', 'SUCCEEDED'], ['b', 'FAILED'], ['a', 'SUCCEEDED']]);
    expect(mergeFirstPage([], [task('a', 'PENDING')]).map((t) => t.task_id)).toEqual(['a']);
    expect(mergeFirstPage(before, [])).toEqual([]);
  });

  it('replaces a task by a newer answer, adds a new one in front', () => {
    const list = [task('b', 'RUNNING'), task('a', 'FAILED')];
    expect(upsertTask(list, task('b', 'CANCELLED')).map((t) => t.state)).toEqual(['CANCELLED', 'FAILED']);
    expect(upsertTask(list, task('c', 'PENDING', { retry_of: 'a' })).map((t) => t.task_id)).toEqual(['c', 'b', 'a']);
  });
});
