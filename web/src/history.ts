/** The history view: the caller's queries (GET /api/queries), text search, state filter, "load more". */

import { QUERY_STATES, type ApiClient, type HistoryItem } from './api';
import { BASIC_CAPABILITIES, shownStatistics, type EngineCapabilities } from './capabilities';
import { clear, debounce, h, tcode, tx } from './dom';
import { formatCost, formatDuration, formatGb, formatTimestamp, secondsBetween } from './format';
import { getLocale } from './i18n';
import { errorNotice } from './notices';
import { endedByRestart, runSeconds } from './querytimes';

export interface HistoryActions {
  open(item: HistoryItem): void;
  rerun(item: HistoryItem): void;
}

export class HistoryPanel {
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly search: HTMLInputElement;
  private readonly stateFilter: HTMLSelectElement;
  private readonly loadMore: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly error: HTMLElement;
  private items: HistoryItem[] = [];
  private nextCursor: string | null = null;
  private loading = false;
  private request = 0;
  private abort: AbortController | null = null;

  /** `capabilities` tells what each item's engine reports: an item shows only the statistics its engine has. */
  constructor(private readonly api: Pick<ApiClient, 'history'>, private readonly actions: HistoryActions,
              private readonly capabilities: (engine: string) => EngineCapabilities = () => BASIC_CAPABILITIES) {
    this.search = h('input', {
      class: 'input', testid: 'history-search',
      attrs: { type: 'search', id: 'history-search', autocomplete: 'off' },
      i18nAttrs: { placeholder: 'history.search' },
    });
    this.search.addEventListener('input', debounce(() => void this.reload(), 300));
    this.stateFilter = h('select', { class: 'select', testid: 'history-state', attrs: { id: 'history-state' } },
      h('option', { attrs: { value: '' }, text: 'history.allStates' }),
      ...QUERY_STATES.map((s) => h('option', { attrs: { value: s }, text: `state.${s}` })),
    );
    this.stateFilter.addEventListener('change', () => void this.reload());
    const refresh = h('button', {
      class: 'btn btn-small', testid: 'history-refresh', attrs: { type: 'button' }, text: 'history.refresh',
      on: { click: () => void this.reload() },
    });
    this.list = h('ul', { class: 'history-list', testid: 'history-list', i18nAttrs: { 'aria-label': 'history.label' } });
    this.loadMore = h('button', {
      class: 'btn btn-small', testid: 'history-load-more', attrs: { type: 'button' }, text: 'history.loadMore',
      on: { click: () => void this.more() },
    });
    this.status = h('p', { class: 'muted', testid: 'history-status', attrs: { 'aria-live': 'polite' } });
    this.error = h('p', { class: 'inline-error', testid: 'history-error', attrs: { role: 'alert' } });
    this.error.hidden = true;
    this.element = h('div', { class: 'history' },
      h('div', { class: 'panel-head' }, h('h2', { class: 'panel-title', text: 'history.label' }), refresh),
      h('div', { class: 'history-filters' },
        h('label', { class: 'sr-only', attrs: { for: 'history-search' }, text: 'history.search' }),
        this.search,
        h('label', { class: 'sr-only', attrs: { for: 'history-state' }, text: 'history.state' }),
        this.stateFilter,
      ),
      this.error,
      this.list,
      this.status,
      this.loadMore,
    );
    this.loadMore.hidden = true;
  }

  /** Reloads from the first page with the current filters. */
  async reload(): Promise<void> {
    this.items = [];
    this.nextCursor = null;
    await this.fetch(null, true);
  }

  private async more(): Promise<void> {
    if (this.nextCursor && !this.loading) await this.fetch(this.nextCursor, false);
  }

  private async fetch(cursor: string | null, replace: boolean): Promise<void> {
    const id = ++this.request;
    this.abort?.abort();
    this.abort = new AbortController();
    this.loading = true;
    this.loadMore.disabled = true;
    tx(this.status, 'history.loading');
    this.error.hidden = true;
    try {
      const { data } = await this.api.history({
        q: this.search.value.trim() || undefined,
        state: this.stateFilter.value || undefined,
        cursor,
        limit: 50,
      }, this.abort.signal);
      if (id !== this.request) return;
      this.items = replace ? data.items : [...this.items, ...data.items];
      this.nextCursor = data.nextCursor ?? null;
      this.render();
    } catch (e) {
      if (id !== this.request || (e as Error)?.name === 'AbortError') return;
      const notice = errorNotice(e, false);
      tcode(this.error, notice.code, notice.serverMessage);
      this.error.hidden = false;
      if (replace) clear(this.list);
    } finally {
      if (id === this.request) {
        this.loading = false;
        this.loadMore.disabled = false;
        this.loadMore.hidden = !this.nextCursor;
        if (this.items.length === 0 && this.error.hidden) {
          tx(this.status, 'history.empty');
        } else {
          delete this.status.dataset.i18n;
          this.status.textContent = '';
        }
      }
    }
  }

  /** Re-renders the items (also after a language switch, for dates). */
  render(): void {
    clear(this.list);
    for (const item of this.items) this.list.appendChild(this.renderItem(item));
  }

  private renderItem(item: HistoryItem): HTMLLIElement {
    const stats = item.statistics ?? null;
    const duration = endedByRestart(item) ? null
      : runSeconds(item) ?? secondsBetween(item.submittedAt, item.completedAt);
    const shown = shownStatistics(this.capabilities(item.engine));
    const sqlText = item.query.length > 400 ? `${item.query.slice(0, 400)}…` : item.query;
    const metric = (key: string, value: string, testid: string) =>
      h('span', { class: 'metric', testid },
        h('span', { class: 'metric-label', text: key }), ' ', h('span', { class: 'metric-value' }, value));
    return h('li', { class: 'history-item', testid: 'history-item', attrs: { 'data-query-id': item.id, 'data-state': item.state } },
      h('div', { class: 'history-head' },
        h('span', { class: `state-badge state-${item.state}`, testid: 'history-state-badge', text: `state.${item.state}` }),
        h('span', { class: 'muted engine-name' }, item.engine),
        h('time', { class: 'muted', attrs: { datetime: item.submittedAt ?? item.createdAt ?? '' } },
          formatTimestamp(item.submittedAt ?? item.createdAt, getLocale())),
        (item.runs ?? 1) > 1 ? h('span', {
          class: 'badge', testid: 'history-runs', text: ['history.runs', { n: item.runs ?? 1 }],
        }) : null,
        item.truncated ? h('span', {
          class: 'badge badge-warn', testid: 'history-truncated', text: 'history.truncated',
          i18nAttrs: { title: 'history.truncatedHint' },
        }) : null,
      ),
      h('code', { class: 'history-sql', testid: 'history-sql', attrs: { title: item.query } }, sqlText),
      h('div', { class: 'history-metrics' },
        metric('history.duration', formatDuration(duration), 'history-duration'),
        shown.scanned ? metric('history.scanned', formatGb(stats?.dataScannedGb), 'history-scanned') : null,
        shown.cost ? metric('history.cost', formatCost(stats?.costUsd), 'history-cost') : null,
      ),
      h('div', { class: 'history-actions' },
        h('button', {
          class: 'btn btn-small', testid: 'history-open', attrs: { type: 'button' }, text: 'history.open',
          on: { click: () => this.actions.open(item) },
        }),
        h('button', {
          class: 'btn btn-small', testid: 'history-rerun', attrs: { type: 'button' }, text: 'history.rerun',
          on: { click: () => this.actions.rerun(item) },
        }),
      ),
    );
  }
}
