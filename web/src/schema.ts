/** Schema browser: catalogs → databases → tables → columns, loaded lazily; a click inserts the (quoted) name. */

import type { CatalogColumn, CatalogTable } from './api';
import type { CatalogService } from './catalog';
import { clear, h, ta, tcode, tx } from './dom';
import { errorNotice } from './notices';
import { qualifiedName, quoteIdent } from './sqltext';

type Kind = 'catalog' | 'database' | 'table' | 'column';

interface TreeNode {
  kind: Kind;
  name: string;
  /** catalog, database, table, column names down to this node. */
  path: string[];
  li: HTMLLIElement;
  toggle: HTMLButtonElement | null;
  children: HTMLUListElement | null;
  expanded: boolean;
  loaded: boolean;
}

export interface SchemaTarget {
  engine: string;
  catalog: string | null;
  database: string | null;
  /** The engine's catalog can be browsed (its `catalog` capability); when false the tree says so and asks nothing. */
  browsable?: boolean;
}

export function insertText(kind: Kind, path: readonly string[], target: SchemaTarget): string {
  switch (kind) {
    case 'catalog':
    case 'database':
    case 'column':
      return quoteIdent(path[path.length - 1]);
    case 'table': {
      const [catalog, database, table] = path;
      if (catalog === target.catalog && database === target.database) return quoteIdent(table);
      if (catalog === target.catalog) return qualifiedName([database, table]);
      return qualifiedName([catalog, database, table]);
    }
  }
}

export class SchemaTree {
  readonly element: HTMLElement;
  private readonly root: HTMLUListElement;
  private readonly error: HTMLElement;
  private target: SchemaTarget = { engine: '', catalog: null, database: null };
  private builtFor: string | null = null;
  private readonly nodes = new Map<string, TreeNode>();

  constructor(private readonly catalog: CatalogService, private readonly onInsert: (text: string) => void) {
    this.root = h('ul', { class: 'tree', testid: 'schema-tree', i18nAttrs: { 'aria-label': 'schema.label' } });
    this.error = h('p', { class: 'inline-error', testid: 'schema-error', attrs: { role: 'alert' } });
    this.error.hidden = true;
    const refresh = h('button', {
      class: 'btn btn-small', testid: 'schema-refresh', attrs: { type: 'button' }, text: 'schema.refresh',
      on: { click: () => this.refresh() },
    });
    this.element = h('div', { class: 'schema' },
      h('div', { class: 'panel-head' }, h('h2', { class: 'panel-title', text: 'schema.label' }), refresh),
      this.error, this.root);
  }

  setTarget(target: SchemaTarget): void {
    this.target = { ...target };
    if (target.browsable === false) {
      this.builtFor = null;
      this.nodes.clear();
      clear(this.root);
      this.error.hidden = true;
      this.root.appendChild(h('li', { class: 'muted', testid: 'schema-unavailable', text: 'schema.unavailable' }));
      return;
    }
    if (this.builtFor !== target.engine) void this.build();
    else void this.reveal();
  }

  refresh(): void {
    if (this.target.browsable === false) return;
    this.catalog.clear();
    this.builtFor = null;
    void this.build();
  }

  private key(path: readonly string[]): string {
    return JSON.stringify(path);
  }

  private async build(): Promise<void> {
    const engine = this.target.engine;
    if (!engine) return;
    this.builtFor = engine;
    this.nodes.clear();
    clear(this.root);
    this.error.hidden = true;
    const loading = h('li', { class: 'muted', text: 'schema.loading' });
    this.root.appendChild(loading);
    try {
      const catalogs = await this.catalog.catalogs(engine);
      if (this.builtFor !== engine) return;
      clear(this.root);
      for (const name of catalogs) this.root.appendChild(this.makeNode('catalog', name, [name]).li);
      if (catalogs.length === 0) this.root.appendChild(h('li', { class: 'muted', text: 'schema.empty' }));
      await this.reveal();
    } catch (e) {
      if (this.builtFor !== engine) return;
      clear(this.root);
      this.showError(e);
      this.builtFor = null;
    }
  }

  /** Opens the selected catalog and database so their tables show at once. */
  private async reveal(): Promise<void> {
    const { catalog, database } = this.target;
    if (!catalog) return;
    const c = this.nodes.get(this.key([catalog]));
    if (!c) return;
    if (!c.expanded) await this.expand(c);
    if (!database) return;
    const d = this.nodes.get(this.key([catalog, database]));
    if (d && !d.expanded) await this.expand(d);
  }

  private showError(e: unknown): void {
    const notice = errorNotice(e, false);
    tcode(this.error, notice.code, notice.serverMessage);
    this.error.hidden = false;
  }

  private makeNode(kind: Kind, name: string, path: string[], column?: CatalogColumn): TreeNode {
    const data = { 'data-kind': kind, 'data-name': name, 'data-path': path.join('.') };
    const li = h('li', { class: `tree-node tree-${kind}`, testid: 'schema-node', attrs: data });
    const row = h('div', { class: 'tree-row' });
    let toggle: HTMLButtonElement | null = null;
    let children: HTMLUListElement | null = null;
    if (kind !== 'column') {
      toggle = h('button', {
        class: 'twisty', testid: 'schema-toggle',
        attrs: { type: 'button', 'aria-expanded': 'false', ...data },
        i18nAttrs: { 'aria-label': ['schema.expand', { name }] },
      }, '▸');
      children = h('ul', { class: 'tree-children', attrs: { role: 'group' } });
      children.hidden = true;
      row.appendChild(toggle);
    } else {
      row.appendChild(h('span', { class: 'twisty-spacer', attrs: { 'aria-hidden': 'true' } }));
    }
    const icon = { catalog: '◆', database: '▣', table: '▤', column: '·' }[kind];
    const nameButton = h('button', {
      class: 'tree-name', testid: 'schema-item',
      attrs: { type: 'button', title: name, ...data },
      i18nAttrs: { 'aria-label': ['schema.insert', { name }] },
      on: { click: () => this.onInsert(insertText(kind, path, this.target)) },
    }, h('span', { class: 'tree-icon', attrs: { 'aria-hidden': 'true' } }, icon), name);
    row.appendChild(nameButton);
    if (column) {
      row.appendChild(h('span', { class: 'col-type', testid: 'schema-column-type' }, column.type));
      if (column.partitionKey) {
        const badge = h('span', { class: 'badge partition', testid: 'partition-badge', text: 'schema.partition' });
        row.appendChild(badge);
        li.dataset.partitionKey = 'true';
      }
      if (column.comment) nameButton.title = `${name} — ${column.comment}`;
    }
    li.appendChild(row);
    if (children) li.appendChild(children);
    const node: TreeNode = { kind, name, path, li, toggle, children, expanded: false, loaded: false };
    this.nodes.set(this.key(path), node);
    toggle?.addEventListener('click', () => void (node.expanded ? this.collapse(node) : this.expand(node)));
    return node;
  }

  private collapse(node: TreeNode): void {
    node.expanded = false;
    if (node.children) node.children.hidden = true;
    if (node.toggle) {
      node.toggle.setAttribute('aria-expanded', 'false');
      node.toggle.textContent = '▸';
      ta(node.toggle, 'aria-label', 'schema.expand', { name: node.name });
    }
  }

  private async expand(node: TreeNode): Promise<void> {
    if (!node.children || !node.toggle) return;
    node.expanded = true;
    node.children.hidden = false;
    node.toggle.setAttribute('aria-expanded', 'true');
    node.toggle.textContent = '▾';
    ta(node.toggle, 'aria-label', 'schema.collapse', { name: node.name });
    if (node.loaded) return;
    node.loaded = true;
    const list = node.children;
    clear(list);
    const loading = h('li', { class: 'muted' });
    tx(loading, 'schema.loading');
    list.appendChild(loading);
    const engine = this.target.engine;
    try {
      const made: TreeNode[] = [];
      if (node.kind === 'catalog') {
        const [catalog] = node.path;
        for (const db of await this.catalog.databases(engine, catalog)) made.push(this.makeNode('database', db, [catalog, db]));
      } else if (node.kind === 'database') {
        const [catalog, db] = node.path;
        const tables: CatalogTable[] = await this.catalog.tables(engine, catalog, db);
        for (const table of tables) made.push(this.makeNode('table', table.name, [catalog, db, table.name]));
      } else if (node.kind === 'table') {
        const [catalog, db, tableName] = node.path;
        const table = await this.catalog.table(engine, catalog, db, tableName);
        for (const col of table.columns ?? []) made.push(this.makeNode('column', col.name, [catalog, db, tableName, col.name], col));
      }
      clear(list);
      for (const child of made) list.appendChild(child.li);
      if (made.length === 0) list.appendChild(h('li', { class: 'muted', text: 'schema.empty' }));
    } catch (e) {
      node.loaded = false;
      clear(list);
      const err = h('li', { class: 'inline-error', attrs: { role: 'alert' } });
      const notice = errorNotice(e, false);
      tcode(err, notice.code, notice.serverMessage);
      list.appendChild(err);
    }
  }
}
