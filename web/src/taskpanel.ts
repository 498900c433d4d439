/**
 * The tasks panel: the caller's async tasks (GET /api/async_tasks), newest first, read again while
 * one is PENDING or RUNNING and the panel is on screen; Cancel, Retry, "Open result table", and a
 * failed task's error with its message.
 */

import { ApiError, type ApiClient, type AsyncTask } from './api';
import { clear, h, tcode, tx } from './dom';
import { renderApiError } from './errorview';
import { formatCount, formatMillis, formatTimestamp } from './format';
import { getLocale, hasCode, t } from './i18n';
import { TaskPoller, browserTimers, isActiveTask, mergeFirstPage, taskView, upsertTask, type Timers } from './tasks';

export type TaskApi = Pick<ApiClient, 'tasks' | 'cancelTask' | 'retryTask'>;

export interface TaskActions {
  /** "Open result table" of a SUCCEEDED task. */
  openResult(tableName: string): void;
  /** A task seen PENDING or RUNNING has ended (its table may now be in the workspace). */
  ended(task: AsyncTask): void;
}

const PAGE = 50;

export class TaskPanel {
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly status: HTMLElement;
  private readonly error: HTMLElement;
  /** A refused Cancel or Retry: stays until the next one (reading the list does not clear it). */
  private readonly actionError: HTMLElement;
  private readonly loadMore: HTMLButtonElement;
  private readonly live: HTMLElement;
  private readonly poller: TaskPoller;
  private items: AsyncTask[] = [];
  private nextCursor: string | null = null;
  private loaded = false;
  /** Tasks seen active: when one ends, `ended` is told. */
  private readonly active = new Set<string>();
  /** Task ids whose Cancel or Retry request is on its way. */
  private readonly pending = new Set<string>();

  constructor(private readonly api: TaskApi, private readonly actions: TaskActions, timers: Timers = browserTimers) {
    const refresh = h('button', {
      class: 'btn btn-small', testid: 'tasks-refresh', attrs: { type: 'button' }, text: 'tasks.refresh',
      on: { click: () => void this.poller.refresh() },
    });
    this.list = h('ul', { class: 'history-list task-list', testid: 'tasks-list', i18nAttrs: { 'aria-label': 'tasks.label' } });
    this.status = h('p', { class: 'muted', testid: 'tasks-status' });
    this.error = h('div', { class: 'inline-error', testid: 'tasks-error', attrs: { role: 'alert' } });
    this.error.hidden = true;
    this.actionError = h('div', { class: 'inline-error', testid: 'tasks-action-error', attrs: { role: 'alert' } });
    this.actionError.hidden = true;
    this.loadMore = h('button', {
      class: 'btn btn-small', testid: 'tasks-load-more', attrs: { type: 'button' }, text: 'tasks.loadMore',
      on: { click: () => void this.more() },
    });
    this.loadMore.hidden = true;
    this.live = h('span', { class: 'sr-only', attrs: { role: 'status', 'aria-live': 'polite' } });
    this.element = h('div', { class: 'tasks' },
      h('div', { class: 'panel-head' }, h('h2', { class: 'panel-title', text: 'tasks.label' }), refresh),
      this.actionError, this.error, this.list, this.status, this.loadMore, this.live);
    this.poller = new TaskPoller(() => this.readFirstPage(), timers);
  }

  /** Whether the list is being read again on a timer (for tests and the console). */
  get polling(): boolean {
    return this.poller.polling;
  }

  /** The panel came on screen (read and poll while a task is active) or left it (stop). */
  setVisible(visible: boolean): void {
    this.poller.setVisible(visible);
  }

  /** A task just submitted: shown at once, then followed. */
  added(task: AsyncTask): void {
    this.items = upsertTask(this.items, task);
    if (isActiveTask(task)) this.active.add(task.task_id);
    this.render();
    void this.poller.refresh();
  }

  private async readFirstPage(): Promise<readonly AsyncTask[] | null> {
    if (!this.loaded) tx(this.status, 'tasks.loading');
    try {
      const { data } = await this.api.tasks({ limit: PAGE });
      const firstPage = data.items ?? [];
      this.items = mergeFirstPage(this.items, firstPage);
      // Nothing older kept: "Load more" goes on from this page.
      if (!this.loaded || this.items.length === firstPage.length) this.nextCursor = data.nextCursor ?? null;
      this.loaded = true;
      this.error.hidden = true;
      this.noticeEnded();
      this.render();
      return this.items;
    } catch (e) {
      renderApiError(this.error, e, 'tasks-error-reason');
      this.render();
      return null;
    }
  }

  private async more(): Promise<void> {
    if (!this.nextCursor) return;
    this.loadMore.disabled = true;
    try {
      const { data } = await this.api.tasks({ limit: PAGE, cursor: this.nextCursor });
      const known = new Set(this.items.map((x) => x.task_id));
      this.items = [...this.items, ...(data.items ?? []).filter((x) => !known.has(x.task_id))];
      this.nextCursor = data.nextCursor ?? null;
      this.noticeEnded();
    } catch (e) {
      renderApiError(this.error, e, 'tasks-error-reason');
    } finally {
      this.loadMore.disabled = false;
    }
    this.render();
  }

  /** Tells about tasks that were active and are not any more, and remembers the active ones. */
  private noticeEnded(): void {
    for (const task of this.items) {
      if (isActiveTask(task)) {
        this.active.add(task.task_id);
      } else if (this.active.delete(task.task_id)) {
        this.live.textContent = t('tasks.ended', { id: shortId(task.task_id), state: t(`task.state.${task.state}`) });
        this.actions.ended(task);
      }
    }
  }

  private async cancel(task: AsyncTask): Promise<void> {
    this.actionError.hidden = true;
    this.pending.add(task.task_id);
    this.render();
    try {
      const { data } = await this.api.cancelTask(task.task_id);
      this.items = upsertTask(this.items, data);
    } catch (e) {
      // 409 TASK_ALREADY_FINISHED: it ended meanwhile; reading the list shows how.
      if (!(e instanceof ApiError && e.code === 'TASK_ALREADY_FINISHED')) {
        renderApiError(this.actionError, e, 'tasks-action-reason');
      }
    } finally {
      this.pending.delete(task.task_id);
    }
    this.render();
    await this.poller.refresh();
    this.focusItem(task.task_id);
  }

  private async retry(task: AsyncTask): Promise<void> {
    this.actionError.hidden = true;
    this.pending.add(task.task_id);
    this.render();
    let focus = task.task_id;
    try {
      const { data } = await this.api.retryTask(task.task_id);
      this.items = upsertTask(this.items, data);
      if (isActiveTask(data)) this.active.add(data.task_id);
      focus = data.task_id;
    } catch (e) {
      renderApiError(this.actionError, e, 'tasks-action-reason');
    } finally {
      this.pending.delete(task.task_id);
    }
    this.render();
    await this.poller.refresh();
    this.focusItem(focus);
  }

  private focusItem(id: string): void {
    const item = this.list.querySelector<HTMLElement>(`[data-task-id="${CSS.escape(id)}"]`);
    (item?.querySelector<HTMLButtonElement>('button:not([disabled])') ?? item)?.focus();
  }

  /** Re-renders the list (also after a language switch, for dates). */
  render(): void {
    clear(this.list);
    for (const task of this.items) this.list.appendChild(this.renderItem(task));
    this.loadMore.hidden = !this.nextCursor;
    if (this.loaded && this.items.length === 0) tx(this.status, 'tasks.empty');
    else if (this.loaded) {
      delete this.status.dataset.i18n;
      this.status.textContent = '';
    }
  }

  private renderItem(task: AsyncTask): HTMLLIElement {
    const view = taskView(task);
    const locale = getLocale();
    const busy = this.pending.has(task.task_id);
    const metric = (key: string, value: string, testid: string) =>
      h('span', { class: 'metric', testid },
        h('span', { class: 'metric-label', text: key }), ' ', h('span', { class: 'metric-value' }, value));
    const actions = h('div', { class: 'history-actions' });
    if (view.canCancel) {
      actions.appendChild(h('button', {
        class: 'btn btn-small btn-cancel', testid: 'task-cancel', attrs: { type: 'button', disabled: busy || view.cancelling },
        text: busy || view.cancelling ? 'tasks.cancelling' : 'tasks.cancel',
        on: { click: () => void this.cancel(task) },
      }));
    }
    if (view.canRetry) {
      actions.appendChild(h('button', {
        class: 'btn btn-small', testid: 'task-retry', attrs: { type: 'button', disabled: busy }, text: 'tasks.retry',
        on: { click: () => void this.retry(task) },
      }));
    }
    if (view.canOpen && view.tableName) {
      const table = view.tableName;
      actions.appendChild(h('button', {
        class: 'btn btn-small', testid: 'task-open', attrs: { type: 'button' }, text: 'tasks.open',
        i18nAttrs: { title: ['tasks.openHint', { table }] },
        on: { click: () => this.actions.openResult(table) },
      }));
    }
    let error: HTMLElement | null = null;
    if (view.error) {
      const message = h('span', { testid: 'task-error-message' });
      tcode(message, view.error.code, view.error.message);
      // The server's own words (an engine's or a database's), unless they are what the code's text already says.
      const detail = view.error.reason ?? (hasCode(view.error.code) ? view.error.message : null);
      error = h('div', {
        class: `task-error ${task.state === 'CANCELLED' ? 'task-error-quiet' : 'inline-error'}`, testid: 'task-error',
        attrs: { 'data-message-code': view.error.code },
      }, message, detail ? h('pre', { class: 'notice-detail', testid: 'task-error-detail' }, detail) : null);
    }
    const created = task.created_at ?? null;
    return h('li', {
      class: 'history-item task-item', testid: 'task-item',
      attrs: { 'data-task-id': view.id, 'data-state': view.state, 'data-table-name': view.tableName ?? '', tabindex: -1 },
    },
    h('div', { class: 'history-head' },
      h('span', { class: `state-badge state-${view.state}`, testid: 'task-state-badge', text: view.stateKey }),
      h('code', { class: 'muted task-id', testid: 'task-id', attrs: { title: view.id } }, shortId(view.id)),
      created ? h('time', { class: 'muted', attrs: { datetime: created } }, formatTimestamp(created, locale)) : null,
      view.retryOf ? h('span', { class: 'badge', testid: 'task-retry-of', text: ['tasks.retryOf', { id: shortId(view.retryOf) }] }) : null,
    ),
    h('code', { class: 'history-sql', testid: 'task-sql', attrs: { title: view.sql } }, view.sql.length > 400 ? `${view.sql.slice(0, 400)}…` : view.sql),
    h('div', { class: 'history-metrics' },
      view.tableName ? metric('tasks.table', view.tableName, 'task-table') : null,
      view.rowCount !== null ? metric('tasks.rows', formatCount(view.rowCount, locale), 'task-rows') : null,
      view.aliases.length ? metric('tasks.attached', view.aliases.join(', '), 'task-aliases') : null,
      view.executionMs !== null ? metric('tasks.duration', formatMillis(view.executionMs), 'task-duration') : null,
    ),
    error,
    actions);
  }
}

function shortId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id;
}
