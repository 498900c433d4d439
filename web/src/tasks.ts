/**
 * Async tasks without the DOM: what a task's list item shows and offers, merging a freshly read
 * first page into the list, and the poller that reads the list again while a task is active and
 * the list is on screen (and stops otherwise).
 */

import type { AsyncTask, TaskState } from './api';
import { qualifiedName } from './sqltext';

export const TASK_STATES: readonly TaskState[] = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
const ACTIVE: ReadonlySet<string> = new Set(['PENDING', 'RUNNING']);
const RETRYABLE: ReadonlySet<string> = new Set(['FAILED', 'CANCELLED']);

/** The schema of the tables tasks write. */
export const WORKSPACE_SCHEMA = 'workspace';

export function isActiveTask(task: Pick<AsyncTask, 'state'>): boolean {
  return ACTIVE.has(task.state);
}

export function hasActiveTasks(tasks: readonly Pick<AsyncTask, 'state'>[]): boolean {
  return tasks.some(isActiveTask);
}

/** The SQL "Open result table" puts into the editor. */
export function resultTableSql(tableName: string): string {
  return ['SELECT * FROM', qualifiedName([WORKSPACE_SCHEMA, tableName]), 'LIMIT 100'].join(' ');
}

/** What one task's list item shows and which of its actions are offered. */
export interface TaskView {
  id: string;
  state: TaskState;
  /** UI catalog key of its state. */
  stateKey: string;
  sql: string;
  /** The result table: the one written, else the name asked for. */
  tableName: string | null;
  rowCount: number | null;
  aliases: string[];
  executionMs: number | null;
  /** Cancel offered: PENDING or RUNNING. */
  canCancel: boolean;
  /** Cancel asked for, the task not ended yet: Cancel shows "Cancelling…", disabled. */
  cancelling: boolean;
  canRetry: boolean;
  /** Open result table offered: SUCCEEDED with a table. */
  canOpen: boolean;
  /** The error of a FAILED (or CANCELLED) task: its code, the server's text and its own details' reason. */
  error: { code: string; message: string | null; reason: string | null } | null;
  retryOf: string | null;
}

export function taskView(task: AsyncTask): TaskView {
  const info = task.result_info ?? null;
  const meta = task.metadata ?? null;
  const active = isActiveTask(task);
  const tableName = info?.table_name || meta?.custom_table_name || null;
  const reason = task.error?.details && typeof task.error.details.reason === 'string' ? task.error.details.reason : null;
  return {
    id: task.task_id,
    state: task.state,
    stateKey: `task.state.${task.state}`,
    sql: meta?.sql ?? '',
    tableName,
    rowCount: info?.row_count ?? null,
    aliases: info?.attached_databases ?? (meta?.attach_databases ?? []).map((a) => a.alias),
    executionMs: info?.execution_time_ms ?? null,
    canCancel: active,
    cancelling: active && !!task.cancel_requested,
    canRetry: RETRYABLE.has(task.state),
    canOpen: task.state === 'SUCCEEDED' && !!info?.table_name,
    error: task.error ? { code: task.error.code, message: task.error.message || null, reason } : null,
    retryOf: task.retry_of ?? null,
  };
}

/**
 * The list after reading its first page again: the fresh page first, then the older tasks loaded
 * before ("Load more") that the fresh page does not hold.
 */
export function mergeFirstPage(current: readonly AsyncTask[], firstPage: readonly AsyncTask[]): AsyncTask[] {
  const fresh = new Set(firstPage.map((t) => t.task_id));
  const last = firstPage.length ? firstPage[firstPage.length - 1].task_id : null;
  const lastIndex = last === null ? -1 : current.findIndex((t) => t.task_id === last);
  // Only what lies beyond the fresh page's last task is known to be older; without it, nothing is kept.
  const older = lastIndex >= 0 ? current.slice(lastIndex + 1) : [];
  return [...firstPage, ...older.filter((t) => !fresh.has(t.task_id))];
}

/** A task replaced by a newer answer about it (cancel), or added in front (submit, retry). */
export function upsertTask(current: readonly AsyncTask[], task: AsyncTask): AsyncTask[] {
  const i = current.findIndex((t) => t.task_id === task.task_id);
  if (i < 0) return [task, ...current];
  const next = [...current];
  next[i] = task;
  return next;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const browserTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Reads the tasks again every `intervalMs` while one of them is PENDING or RUNNING and the list is
 * visible; nothing is read while the list is hidden or once no task is active. One read at a time.
 */
export class TaskPoller {
  private visible = false;
  private timer: unknown = null;
  private inFlight = false;
  private again = false;

  /** `load` reads the list and answers the tasks it now shows (or null when the read failed). */
  constructor(private readonly load: () => Promise<readonly AsyncTask[] | null>,
              private readonly timers: Timers = browserTimers, readonly intervalMs = 1000) {}

  get polling(): boolean {
    return this.timer !== null;
  }

  /** The list came on screen (read now) or left it (stop). */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) void this.refresh();
    else this.stop();
  }

  /** Reads now (after a submit, cancel or retry), then keeps polling while it should. */
  async refresh(): Promise<void> {
    this.stop();
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    let tasks: readonly AsyncTask[] | null = null;
    try {
      tasks = await this.load();
    } catch {
      tasks = null;
    } finally {
      this.inFlight = false;
    }
    if (this.again) {
      this.again = false;
      await this.refresh();
      return;
    }
    // A failed read keeps polling (the server may be back soon), slower, only while the list is on screen.
    if (this.visible && (tasks === null || hasActiveTasks(tasks))) {
      this.timer = this.timers.set(() => {
        this.timer = null;
        void this.refresh();
      }, tasks === null ? this.intervalMs * 5 : this.intervalMs);
    }
  }

  stop(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
  }
}
