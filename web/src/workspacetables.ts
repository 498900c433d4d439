/**
 * The "Workspace" section of the schema browser: the tables tasks wrote (GET /api/workspace/tables)
 * with their rows and columns; a click inserts `workspace.<name>` like the other schema items, and
 * Drop removes the table after a confirmation (DELETE /api/workspace/tables/{name}).
 */

import type { ApiClient, WorkspaceTable } from './api';
import type { ConfirmDialog } from './confirmdialog';
import { clear, h, ta, tx } from './dom';
import { renderApiError } from './errorview';
import { formatCount } from './format';
import { getLocale } from './i18n';
import { qualifiedName, quoteIdent } from './sqltext';
import { WORKSPACE_SCHEMA } from './tasks';

export type WorkspaceApi = Pick<ApiClient, 'workspaceTables' | 'dropWorkspaceTable'>;

/** What a click on a workspace table inserts into the editor. */
export function workspaceTableRef(name: string): string {
  return qualifiedName([WORKSPACE_SCHEMA, name]);
}

export class WorkspaceTables {
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly status: HTMLElement;
  private readonly error: HTMLElement;
  private items: WorkspaceTable[] = [];
  private loaded = false;
  private readonly expanded = new Set<string>();
  private request = 0;

  constructor(private readonly api: WorkspaceApi, private readonly confirm: ConfirmDialog,
              private readonly onInsert: (text: string) => void) {
    const refresh = h('button', {
      class: 'btn btn-small', testid: 'workspace-refresh', attrs: { type: 'button' }, text: 'workspace.refresh',
      i18nAttrs: { 'aria-label': 'workspace.refreshLabel' },
      on: { click: () => void this.reload() },
    });
    this.list = h('ul', { class: 'tree', testid: 'workspace-tables', i18nAttrs: { 'aria-label': 'workspace.label' } });
    this.status = h('p', { class: 'muted small', testid: 'workspace-status' });
    this.error = h('div', { class: 'inline-error', testid: 'workspace-error', attrs: { role: 'alert' } });
    this.error.hidden = true;
    this.element = h('section', { class: 'workspace-section', testid: 'workspace-section', attrs: { 'aria-labelledby': 'workspace-title' } },
      h('div', { class: 'panel-head' }, h('h3', { class: 'panel-title', attrs: { id: 'workspace-title' }, text: 'workspace.label' }), refresh),
      this.error, this.list, this.status);
  }

  async reload(): Promise<void> {
    const id = ++this.request;
    if (!this.loaded) tx(this.status, 'workspace.loading');
    try {
      const { data } = await this.api.workspaceTables();
      if (id !== this.request) return;
      this.items = data.items ?? [];
      this.loaded = true;
      this.error.hidden = true;
    } catch (e) {
      if (id !== this.request) return;
      renderApiError(this.error, e, 'workspace-error-reason');
    }
    this.render();
  }

  /** Re-renders the list (also after a language switch, for counts). */
  render(): void {
    clear(this.list);
    for (const table of this.items) this.list.appendChild(this.renderTable(table));
    if (this.loaded && this.items.length === 0) tx(this.status, 'workspace.empty');
    else if (this.loaded) {
      delete this.status.dataset.i18n;
      this.status.textContent = '';
    }
  }

  private renderTable(table: WorkspaceTable): HTMLLIElement {
    const name = table.name;
    const columns = table.columns ?? [];
    const open = this.expanded.has(name);
    const toggle = h('button', {
      class: 'twisty', testid: 'workspace-table-toggle', attrs: { type: 'button', 'aria-expanded': String(open) },
    }, open ? '▾' : '▸');
    ta(toggle, 'aria-label', open ? 'schema.collapse' : 'schema.expand', { name });
    const children = h('ul', { class: 'tree-children', attrs: { role: 'group' } },
      ...columns.map((c) => h('li', { class: 'tree-node tree-column', testid: 'workspace-column', attrs: { 'data-name': c.name } },
        h('div', { class: 'tree-row' },
          h('span', { class: 'twisty-spacer', attrs: { 'aria-hidden': 'true' } }),
          h('button', {
            class: 'tree-name', testid: 'workspace-column-insert', attrs: { type: 'button', title: c.name },
            i18nAttrs: { 'aria-label': ['schema.insert', { name: c.name }] },
            on: { click: () => this.onInsert(quoteIdent(c.name)) },
          }, h('span', { class: 'tree-icon', attrs: { 'aria-hidden': 'true' } }, '·'), c.name),
          h('span', { class: 'col-type' }, c.type)))));
    children.hidden = !open;
    toggle.addEventListener('click', () => {
      if (this.expanded.has(name)) this.expanded.delete(name);
      else this.expanded.add(name);
      this.render();
      this.list.querySelector<HTMLElement>(`[data-name="${CSS.escape(name)}"] [data-testid="workspace-table-toggle"]`)?.focus();
    });
    const locale = getLocale();
    const meta = h('div', {
      class: 'workspace-meta muted', testid: 'workspace-table-meta',
      text: ['workspace.meta', { rows: table.rows === null || table.rows === undefined ? '—' : formatCount(table.rows, locale), columns: columns.length }],
    });
    return h('li', { class: 'tree-node tree-table', testid: 'workspace-table', attrs: { 'data-name': name, 'data-rows': table.rows ?? '' } },
      h('div', { class: 'tree-row' },
        toggle,
        h('button', {
          class: 'tree-name', testid: 'workspace-table-insert', attrs: { type: 'button', title: workspaceTableRef(name) },
          i18nAttrs: { 'aria-label': ['schema.insert', { name: workspaceTableRef(name) }] },
          on: { click: () => this.onInsert(workspaceTableRef(name)) },
        }, h('span', { class: 'tree-icon', attrs: { 'aria-hidden': 'true' } }, '▤'), name),
        h('button', {
          class: 'btn btn-small btn-danger-quiet workspace-drop', testid: 'workspace-table-drop', attrs: { type: 'button' },
          text: 'workspace.drop', i18nAttrs: { 'aria-label': ['workspace.dropOf', { name }] },
          on: { click: () => void this.drop(name) },
        })),
      meta,
      children);
  }

  private async drop(name: string): Promise<void> {
    const yes = await this.confirm.ask({
      title: ['workspace.dropTitle', { name }], message: ['workspace.dropMessage', { name }], confirm: 'workspace.drop',
    });
    if (!yes) return;
    let failure: unknown = null;
    try {
      await this.api.dropWorkspaceTable(name);
      this.expanded.delete(name);
    } catch (e) {
      failure = e;
    }
    await this.reload();
    if (failure) renderApiError(this.error, failure, 'workspace-error-reason');
  }
}
