/**
 * Sluice web query editor: wires the editor, tabs, pickers, runner, grid, history, schema, async
 * tasks, data sources and config.
 */

import './styles.css';
import {
  ApiClient, ApiError, isTerminal, type AppConfig, type AsyncTask, type CatalogTable, type DownloadFormat, type EngineConfig,
  type HistoryItem, type TopQuery,
} from './api';
import { capabilitiesOf, downloadOffered as offersDownload, shownStatistics, type EngineCapabilities } from './capabilities';
import { CatalogService } from './catalog';
import { CloseTabDialog } from './closetabdialog';
import { renderConfig } from './configpanel';
import { ConfirmDialog } from './confirmdialog';
import { DashboardView } from './dashboard';
import { DatasourcePanel } from './datasourcepanel';
import { clear, debounce, h, retranslate, ta, tx } from './dom';
import { SqlEditor, type EditorTarget } from './editor';
import { formatSql } from './formatter';
import {
  formatCost, formatCount, formatElapsed, formatGb, formatSeconds, formatTimestamp, NONE,
} from './format';
import { createFilterBar } from './filterbar';
import { createValueViewer, renderGrid, type GridOptions } from './grid';
import { HistoryPanel } from './history';
import {
  chooseLocale, getLocale, isLocale, LOCALE_STORAGE_KEY, LOCALES, onLocaleChange, setLocale, t, type Locale,
} from './i18n';
import { errorNotice, type Notice } from './notices';
import { NoticeView } from './noticeview';
import { executionSeconds } from './querytimes';
import { ResultChart } from './resultchart';
import { truncationText } from './resultlimits';
import type { ResultBrowser } from './resultbrowser';
import { QueryRunner, type SubmitRequest } from './runner';
import { SchemaTree } from './schema';
import { sqlToRun } from './sqltext';
import { TaskDialog } from './taskdialog';
import { TaskPanel } from './taskpanel';
import { resultTableSql } from './tasks';
import {
  activeTab, addTab, closeTab, findTabByQuery, loadTabs, saveTabs, selectTab, updateTab,
  type KeyValueStore, type TabsState,
} from './tabs';
import { installUnloadGuard } from './unloadguard';
import { lintAllows } from './lintgate';
import { isCached } from './runner';
import { warningText } from './warnings';
import { WorkspaceTables } from './workspacetables';

const DEFAULT_SQL = '-- Ctrl/⌘+Enter\nSELECT 42 AS answer;\n';
const SIDE_PANEL_KEY = 'sluice.sidePanel';
const LANGUAGE_NAMES: Record<Locale, string> = { 'zh-CN': '中文', en: 'English' };

function safeStorage(): KeyValueStore | null {
  try {
    const s = window.localStorage;
    const probe = '__sluice_probe__';
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    return null;
  }
}

const storage = safeStorage();
setLocale(chooseLocale(storage?.getItem(LOCALE_STORAGE_KEY) ?? null, navigator.languages?.length ? navigator.languages : [navigator.language]));

const api = new ApiClient();
const catalog = new CatalogService(api);
let config: AppConfig | null = null;
let configError: Notice | null = null;
let tabs: TabsState = loadTabs(storage, DEFAULT_SQL);
const runners = new Map<string, QueryRunner>();
/** The tab whose Run, Cancel or Retry was pressed, until the focus has followed its run (see followFocus). */
let focusFollowsRun: string | null = null;
const isMac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

// ---------------------------------------------------------------- layout

function field(labelKey: string, control: HTMLElement, id: string): HTMLElement {
  control.id = id;
  return h('div', { class: 'field' }, h('label', { attrs: { for: id }, text: labelKey }), control);
}

const engineSelect = h('select', { class: 'select', testid: 'engine-select' });
const catalogSelect = h('select', { class: 'select', testid: 'catalog-select' });
const databaseSelect = h('select', { class: 'select', testid: 'database-select' });
const languageSelect = h('select', { class: 'select', testid: 'language-switch' },
  ...LOCALES.map((l) => h('option', { attrs: { value: l, lang: l } }, LANGUAGE_NAMES[l])));
languageSelect.value = getLocale();

const skipLink = h('a', { class: 'skip-link', testid: 'skip-link', attrs: { href: '#editor' }, text: 'app.skip' });
const topbar = h('header', { class: 'topbar' },
  skipLink,
  h('h1', { class: 'brand' }, h('span', { class: 'brand-mark', attrs: { 'aria-hidden': 'true' } }, '≋'), 'Sluice'),
  h('nav', { class: 'topnav', i18nAttrs: { 'aria-label': 'nav.label' } },
    h('a', { class: 'topnav-link', testid: 'nav-editor', attrs: { href: '#' }, text: 'nav.editor' }),
    h('a', { class: 'topnav-link', testid: 'nav-dashboard', attrs: { href: '#dashboard' }, text: 'nav.dashboard' })),
  h('div', { class: 'pickers' },
    field('picker.engine', engineSelect, 'engine-select'),
    field('picker.catalog', catalogSelect, 'catalog-select'),
    field('picker.database', databaseSelect, 'database-select'),
  ),
  h('div', { class: 'spacer' }),
  field('lang.label', languageSelect, 'language-switch'),
);

// side panels
type SidePanel = 'schema' | 'history' | 'tasks' | 'datasources' | 'config';
const SIDE_PANELS: SidePanel[] = ['schema', 'history', 'tasks', 'datasources', 'config'];
/** The side panel chosen on an earlier visit (shown once the configuration says it is offered). */
function storedSidePanel(): SidePanel {
  const stored = storage?.getItem(SIDE_PANEL_KEY);
  return SIDE_PANELS.includes(stored as SidePanel) ? (stored as SidePanel) : 'schema';
}
let sidePanel: SidePanel = storedSidePanel();

const schemaTree = new SchemaTree(catalog, (text) => insertName(text));

/** Inserts a name from the schema browser, with a space where it would otherwise run into a word. */
function insertName(text: string): void {
  const doc = editor.doc;
  const { from, to } = editor.selection;
  const before = from > 0 ? doc[from - 1] : '';
  const after = doc[to] ?? '';
  let insert = text;
  if (before && !/[\s(,.]/.test(before)) insert = ` ${insert}`;
  if (after && /[\w"]/.test(after)) insert = `${insert} `;
  editor.insertAtCursor(insert);
}
const history = new HistoryPanel(api, {
  open: (item) => void openHistoryItem(item, false),
  rerun: (item) => void openHistoryItem(item, true),
}, (engine) => capabilities(engine));
const configBody = h('div', { class: 'config' });
const confirmDialog = new ConfirmDialog();
const workspaceTables = new WorkspaceTables(api, confirmDialog, (text) => insertName(text));
workspaceTables.element.hidden = true;
const taskPanel = new TaskPanel(api, {
  openResult: (table) => openResultTable(table),
  ended: (task) => {
    if (task.state === 'SUCCEEDED') void workspaceTables.reload();
  },
});
const datasourcePanel = new DatasourcePanel(api, confirmDialog, (items) => taskDialog.setDatasources(items));
const taskDialog = new TaskDialog(api, (task) => taskSubmitted(task));

/** Whether the configuration offers async tasks and the workspace (missing: no). */
function tasksEnabled(): boolean {
  return config?.tasks?.enabled === true;
}

function datasourcesEnabled(): boolean {
  return config?.datasources?.enabled === true;
}

const panels: Record<SidePanel, HTMLElement> = {
  schema: h('section', { class: 'side-panel', testid: 'schema-panel', attrs: { id: 'panel-schema', role: 'tabpanel', 'aria-labelledby': 'side-tab-schema' } },
    schemaTree.element, workspaceTables.element),
  history: h('section', { class: 'side-panel', testid: 'history-panel', attrs: { id: 'panel-history', role: 'tabpanel', 'aria-labelledby': 'side-tab-history' } },
    history.element),
  tasks: h('section', { class: 'side-panel', testid: 'tasks-panel', attrs: { id: 'panel-tasks', role: 'tabpanel', 'aria-labelledby': 'side-tab-tasks' } },
    taskPanel.element),
  datasources: h('section', { class: 'side-panel', testid: 'datasources-panel', attrs: { id: 'panel-datasources', role: 'tabpanel', 'aria-labelledby': 'side-tab-datasources' } },
    datasourcePanel.element),
  config: h('section', { class: 'side-panel', testid: 'config-panel', attrs: { id: 'panel-config', role: 'tabpanel', 'aria-labelledby': 'side-tab-config' } },
    configBody),
};
const sideTabButtons = SIDE_PANELS.map((p) => h('button', {
  class: 'side-tab', testid: `side-tab-${p}`,
  attrs: { type: 'button', role: 'tab', id: `side-tab-${p}`, 'aria-controls': `panel-${p}` },
  text: `side.${p}`,
  on: { click: () => showSidePanel(p), keydown: (e) => sideTabKeys(e as KeyboardEvent, p) },
}));
const sidebar = h('aside', { class: 'sidebar', i18nAttrs: { 'aria-label': 'side.label' } },
  h('div', { class: 'side-tabs', attrs: { role: 'tablist' } }, ...sideTabButtons),
  panels.schema, panels.history, panels.tasks, panels.datasources, panels.config);

// workspace
const tabBar = h('div', { class: 'tabbar', testid: 'editor-tabs', attrs: { role: 'tablist' }, i18nAttrs: { 'aria-label': 'tabs.label' } });
const newTabButton = h('button', {
  class: 'tab-new', testid: 'editor-tab-new', attrs: { type: 'button' },
  i18nAttrs: { 'aria-label': 'tabs.new', title: 'tabs.new' },
  on: { click: () => newTab() },
}, '+');
const editorHost = h('div', { class: 'editor', testid: 'editor', attrs: { id: 'editor', role: 'tabpanel' } });

const runButton = h('button', {
  class: 'btn btn-primary', testid: 'run-button', attrs: { type: 'button' },
  i18nAttrs: { title: 'action.runHint' },
  on: { click: () => { followFocus(); void runCurrent(); } },
}, h('span', { class: 'play', attrs: { 'aria-hidden': 'true' } }, '▶'), h('span', { text: 'action.run' }),
h('kbd', { attrs: { 'aria-hidden': 'true' } }, isMac ? '⌘↵' : 'Ctrl+↵'));
const runTaskButton = h('button', {
  class: 'btn', testid: 'run-task-button', attrs: { type: 'button' }, text: 'action.runTask',
  i18nAttrs: { title: 'action.runTaskHint' },
  on: { click: () => openTaskDialog() },
});
runTaskButton.hidden = true;
const cancelButton = h('button', {
  class: 'btn btn-cancel', testid: 'cancel-button', attrs: { type: 'button' }, text: 'action.cancel',
  on: { click: () => cancelCurrent() },
});
const formatButton = h('button', {
  class: 'btn', testid: 'format-button', attrs: { type: 'button' }, text: 'action.format',
  i18nAttrs: { title: 'action.formatHint' },
  on: { click: () => void formatCurrent() },
});
const maxScanInput = h('input', {
  class: 'input max-scan-input', testid: 'max-scan-input',
  attrs: { type: 'number', min: 0, step: 'any', inputmode: 'decimal', id: 'max-scan-input' },
  i18nAttrs: { title: 'maxscan.hint', placeholder: 'maxscan.placeholder' },
});
const maxScanField = h('div', { class: 'field field-inline max-scan', testid: 'max-scan' },
  h('label', { attrs: { for: 'max-scan-input' }, text: 'maxscan.label' }), maxScanInput);
const runNoCacheButton = h('button', {
  class: 'btn', testid: 'run-nocache-button', attrs: { type: 'button' }, text: 'action.runNoCache',
  i18nAttrs: { title: 'action.runNoCacheHint' },
  on: { click: () => { followFocus(); void runCurrent({ cache: false }); } },
});
runNoCacheButton.hidden = true;
const runningText = h('span', { class: 'running-text', testid: 'running-text' });
const elapsedText = h('span', { class: 'elapsed', testid: 'elapsed' });
const spinner = h('span', { class: 'running', testid: 'spinner' },
  h('span', { class: 'spinner-icon', attrs: { 'aria-hidden': 'true' } }), runningText, elapsedText);
const stateBadge = h('span', { class: 'state-badge', testid: 'state-badge' });
const phaseNote = h('span', { class: 'muted phase-note', testid: 'state-phase' });
const duration = h('span', { class: 'muted', testid: 'duration' });
const liveRegion = h('span', { class: 'sr-only', attrs: { role: 'status', 'aria-live': 'polite' } });
const statusBox = h('div', { class: 'status', testid: 'query-status' }, spinner, stateBadge, phaseNote, duration, liveRegion);

function stat(key: string, testid: string): [HTMLElement, HTMLElement] {
  const dd = h('dd', { testid });
  return [h('div', { class: 'stat' }, h('dt', { text: key }), dd), dd];
}
const [queueStat, queueValue] = stat('stats.queue', 'stat-queue');
const [execStat, execValue] = stat('stats.exec', 'stat-exec');
const [scanStat, scanValue] = stat('stats.scanned', 'stat-scanned');
const [costStat, costValue] = stat('stats.cost', 'stat-cost');
const reusedBadge = h('span', { class: 'badge', testid: 'stat-reused', text: 'stats.reused' });
const cachedBadge = h('span', { class: 'badge badge-ok', testid: 'stat-cached', text: 'stats.cached', i18nAttrs: { title: 'stats.cachedHint' } });
const cachedFromLink = h('a', {
  class: 'cached-from', testid: 'cached-from-link', attrs: { href: '#' }, i18nAttrs: { title: 'stats.cachedFromHint' },
  on: { click: (e) => { e.preventDefault(); openCachedSource(); } },
});
const savedText = h('span', { class: 'muted small', testid: 'stat-saved' });
const cachedBox = h('span', { class: 'cached-box', testid: 'cached-box' }, cachedBadge, cachedFromLink, savedText);
const stats = h('dl', { class: 'stats', testid: 'stats', i18nAttrs: { 'aria-label': 'stats.label' } },
  queueStat, execStat, scanStat, costStat, reusedBadge, cachedBox);

const toolbar = h('div', { class: 'toolbar', attrs: { role: 'toolbar' }, i18nAttrs: { 'aria-label': 'toolbar.label' } },
  runButton, runTaskButton, cancelButton, formatButton, maxScanField, runNoCacheButton, statusBox);

const notices = new NoticeView({
  retry: () => {
    followFocus();
    retryCurrent(activeRunner());
  },
  dismiss: () => activeRunner().dismissNotice(),
});
const warningsBox = h('div', { class: 'notice notice-warn notice-quiet query-warnings', testid: 'query-warnings', attrs: { role: 'status' } });
const connectionNotice = h('div', { class: 'notice notice-warn', testid: 'notice-connection', attrs: { role: 'status' }, text: 'notice.connectionLost' });
const rowCount = h('span', { class: 'row-count', testid: 'row-count' });
const completedAt = h('span', { class: 'muted', testid: 'completed-at' });
const queryIdText = h('code', { class: 'query-id muted', testid: 'query-id' });
const downloadButton = h('button', {
  class: 'btn btn-small', testid: 'download-button', attrs: { type: 'button' }, text: 'download.button',
  on: { click: () => void downloadResult() },
});
const downloadFormat = h('select', {
  class: 'select', testid: 'download-format', i18nAttrs: { 'aria-label': 'download.format', title: 'download.format' },
  on: { change: () => activeRunner().results.setDownloadFormat(downloadFormat.value as DownloadFormat) },
}, ...(['csv', 'parquet', 'jsonl'] as const).map((f) => h('option', { attrs: { value: f }, text: `download.format.${f}` })));
const downloadLink = h('a', { class: 'download-link', testid: 'download-link' });
const partialBadge = h('span', { class: 'badge badge-warn', testid: 'download-partial', text: 'download.partial', i18nAttrs: { title: 'download.partialHint' } });
const downloadExpires = h('span', { class: 'muted small', testid: 'download-expires' });
const downloadBox = h('div', { class: 'download' }, downloadFormat, downloadButton, downloadLink, partialBadge, downloadExpires);
const resultMeta = h('div', { class: 'result-meta', testid: 'result-meta' }, rowCount, completedAt, queryIdText, downloadBox);
const filterBar = createFilterBar((change) => {
  const browser = activeRunner().results;
  return browser.setView(change(browser.view));
});
const resultChart = new ResultChart(api, () => import('./charts').then((m) => m.echartsFactory), {
  queryId: () => activeRunner().queryId,
  view: () => activeRunner().results.view,
  failed: (e) => activeRunner().showNotice(errorNotice(e, false)),
  locale: () => getLocale(),
});
const gridWrap = h('div', { class: 'grid-wrap', testid: 'grid-container', attrs: { tabindex: 0, role: 'region' }, i18nAttrs: { 'aria-label': 'grid.label' } });
const resultsPlaceholder = h('p', { class: 'placeholder muted', testid: 'results-empty' });
const truncatedNotice = h('div', { class: 'notice notice-warn notice-quiet', testid: 'notice-truncated', attrs: { role: 'status' } });

const pagerPrev = h('button', { class: 'btn btn-small', testid: 'pager-prev', attrs: { type: 'button' }, text: 'pager.prev', on: { click: () => void activeRunner().results.prev() } });
const pagerNext = h('button', { class: 'btn btn-small', testid: 'pager-next', attrs: { type: 'button' }, text: 'pager.next', on: { click: () => void activeRunner().results.next() } });
const pageInput = h('input', { class: 'input page-input', testid: 'pager-page-input', attrs: { type: 'number', min: 1, id: 'pager-page-input', inputmode: 'numeric' } });
const pageCount = h('span', { class: 'muted', testid: 'pager-page-count' });
const pagerGo = h('button', { class: 'btn btn-small', testid: 'pager-go', attrs: { type: 'submit' }, text: 'pager.go' });
const pagerRange = h('span', { class: 'muted', testid: 'pager-range' });
const pagerForm = h('form', { class: 'pager-jump' },
  h('label', { attrs: { for: 'pager-page-input' }, text: 'pager.page' }), pageInput, pageCount, pagerGo);
pagerForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const n = Number(pageInput.value);
  if (Number.isFinite(n) && n >= 1) void activeRunner().results.jump(n);
});
const pager = h('nav', { class: 'pager', testid: 'pager', i18nAttrs: { 'aria-label': 'pager.label' } },
  pagerPrev, pagerForm, pagerNext, pagerRange);

const results = h('section', { class: 'results', testid: 'results', i18nAttrs: { 'aria-label': 'results.label' } },
  stats, warningsBox, connectionNotice, notices.element, resultMeta, resultsPlaceholder, truncatedNotice, filterBar.element, resultChart.element, gridWrap, pager);

const workspace = h('main', { class: 'workspace' },
  h('div', { class: 'tabbar-row' }, tabBar, newTabButton),
  editorHost, toolbar, results);

const { element: valueDialog, viewer } = createValueViewer();
const closeTabDialog = new CloseTabDialog();
const dashboard = new DashboardView(api, {
  openQuery: (item) => void openTopQuery(item),
  me: () => config?.user,
  admin: () => config?.admin,
});
const layout = h('div', { class: 'layout' }, sidebar, workspace);
const app = h('div', { class: 'app', testid: 'app' }, topbar, layout, dashboard.element,
  valueDialog, closeTabDialog.element, confirmDialog.element, taskDialog.element);
const mount = document.getElementById('app') ?? document.body;
clear(mount);
mount.appendChild(app);

const editor = new SqlEditor(editorHost, {
  onChange: (sql) => {
    tabs = updateTab(tabs, tabs.activeId, { sql });
    saveSoon();
  },
  onRun: () => void runCurrent(),
  onFormat: () => void formatCurrent(),
  loadColumns: (target, names) => loadColumns(target, names),
}, t('editor.label'));
editor.setPlaceholder(t('editor.placeholder'));

skipLink.addEventListener('click', (e) => {
  e.preventDefault();
  editor.focus();
});

// ---------------------------------------------------------------- tabs

const saveSoon = debounce(() => saveTabs(storage, tabs), 300);
function saveNow(): void {
  saveTabs(storage, tabs);
}
window.addEventListener('pagehide', saveNow);
installUnloadGuard(window, {
  runningQueryIds: () => [...runners.values()].map((r) => r.runningQueryId).filter((id): id is string => !!id),
  cancel: (id) => void api.cancel(id, { keepalive: true }).catch(() => undefined),
});
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') saveNow();
});

function runnerFor(tabId: string, autoTrack = true): QueryRunner {
  let runner = runners.get(tabId);
  if (runner) return runner;
  runner = new QueryRunner(api, {
    onQueryId: (id) => {
      tabs = updateTab(tabs, tabId, { queryId: id });
      saveNow();
    },
  });
  runners.set(tabId, runner);
  let lastPhase = runner.phase;
  runner.subscribe(() => {
    if (tabs.activeId === tabId) renderRun();
    const phase = runner!.phase;
    if (phase !== lastPhase) {
      lastPhase = phase;
      renderTabs();
      if (sidePanel === 'history' && (phase === 'running' || phase === 'finished')) reloadHistorySoon();
    }
  });
  const tab = tabs.tabs.find((x) => x.id === tabId);
  if (autoTrack && tab?.queryId) runner.track(tab.queryId, { forgetIfMissing: true });
  return runner;
}

function activeRunner(): QueryRunner {
  return runnerFor(tabs.activeId);
}

function tabLabel(tab: TabsState['tabs'][number]): [string, Record<string, string | number>] | string {
  return tab.title ?? ['tabs.query', { n: tab.seq }];
}

function tabName(tab: TabsState['tabs'][number]): string {
  const label = tabLabel(tab);
  return typeof label === 'string' ? label : t(label[0], label[1]);
}

function renderTabs(): void {
  clear(tabBar);
  for (const tab of tabs.tabs) {
    const selected = tab.id === tabs.activeId;
    const label = tabLabel(tab);
    const runner = runners.get(tab.id);
    const select = h('button', {
      class: 'tab-select', testid: 'editor-tab-select',
      attrs: { type: 'button', role: 'tab', 'aria-selected': String(selected), 'aria-controls': 'editor', tabindex: selected ? 0 : -1 },
      on: {
        click: () => switchTab(tab.id),
        keydown: (e) => tabKeys(e as KeyboardEvent, tab.id),
      },
    });
    if (runner?.busy) select.appendChild(h('span', { class: 'tab-running', attrs: { 'aria-hidden': 'true' } }));
    const text = h('span', { class: 'tab-title' });
    if (typeof label === 'string') text.textContent = label;
    else tx(text, label[0], label[1]);
    select.appendChild(text);
    const closeName = tabName(tab);
    const close = h('button', {
      class: 'tab-close', testid: 'editor-tab-close',
      attrs: { type: 'button', tabindex: selected ? 0 : -1 },
      on: { click: () => void closeTabById(tab.id) },
    }, '×');
    close.setAttribute('aria-label', t('tabs.close', { name: closeName }));
    tabBar.appendChild(h('div', {
      class: `tab${selected ? ' tab-active' : ''}`, testid: 'editor-tab',
      attrs: { 'data-tab-id': tab.id, 'data-query-id': tab.queryId ?? '', 'data-running': runner?.busy ? 'true' : 'false' },
    }, select, close));
  }
}

function tabKeys(e: KeyboardEvent, id: string): void {
  const index = tabs.tabs.findIndex((x) => x.id === id);
  let target = -1;
  if (e.key === 'ArrowRight') target = (index + 1) % tabs.tabs.length;
  else if (e.key === 'ArrowLeft') target = (index - 1 + tabs.tabs.length) % tabs.tabs.length;
  else if (e.key === 'Home') target = 0;
  else if (e.key === 'End') target = tabs.tabs.length - 1;
  else if (e.key === 'Delete') {
    e.preventDefault();
    void closeTabById(id);
    return;
  }
  if (target < 0) return;
  e.preventDefault();
  switchTab(tabs.tabs[target].id);
  tabBar.querySelector<HTMLButtonElement>('[aria-selected="true"]')?.focus();
}

function switchTab(id: string): void {
  if (id === tabs.activeId && editorShown === id) return;
  focusFollowsRun = null;
  saveTabsState(selectTab(tabs, id));
  showActiveTab();
}

let editorShown: string | null = null;
function showActiveTab(): void {
  const tab = activeTab(tabs);
  editor.showTab(tab.id, tab.sql);
  editorShown = tab.id;
  renderTabs();
  runnerFor(tab.id);
  renderRun(true);
  void applyTarget();
}

function saveTabsState(next: TabsState): void {
  tabs = next;
  saveNow();
}

function newTab(init: Parameters<typeof addTab>[1] = {}): string {
  const current = activeTab(tabs);
  saveTabsState(addTab(tabs, { engine: current.engine, catalog: current.catalog, database: current.database, ...init }));
  showActiveTab();
  editor.focus();
  return tabs.activeId;
}

/** Closes a tab; a query of it that is queued or running is cancelled, kept, or the tab stays, as the user says. */
async function closeTabById(id: string): Promise<void> {
  const tab = tabs.tabs.find((x) => x.id === id);
  if (!tab) return;
  let cancelQuery = false;
  if (runners.get(id)?.busy) {
    const choice = await closeTabDialog.ask(tabName(tab));
    if (choice === 'stay' || !tabs.tabs.some((x) => x.id === id)) {
      tabBar.querySelector<HTMLElement>(`[data-tab-id="${id}"] [data-testid="editor-tab-close"]`)?.focus();
      return;
    }
    cancelQuery = choice === 'cancel';
  }
  const runner = runners.get(id);
  runner?.close(cancelQuery);
  runners.delete(id);
  editor.forgetTab(id);
  saveTabsState(closeTab(tabs, id));
  showActiveTab();
}

// ---------------------------------------------------------------- engine / catalog / database

/** The configured engines' names; without a configuration, the tab's own engine (if any). */
function engineNames(): string[] {
  const names = config?.engines?.map((e) => e.name) ?? [];
  const own = activeTab(tabs).engine;
  return names.length ? names : own ? [own] : [];
}

function engineConfig(name: string): EngineConfig | undefined {
  return config?.engines?.find((e) => e.name === name);
}

/** What engine `name` can do (the basics when the configuration does not say). */
function capabilities(name: string | null | undefined): EngineCapabilities {
  return capabilitiesOf(config, name);
}

interface Target { engine: string; catalog: string | null; database: string | null }

function currentTarget(): Target {
  const tab = activeTab(tabs);
  const names = engineNames();
  const engine = tab.engine && names.includes(tab.engine) ? tab.engine : (config?.defaultEngine ?? names[0] ?? '');
  const ec = engineConfig(engine);
  return {
    engine,
    catalog: tab.catalog ?? ec?.defaultCatalog ?? null,
    database: tab.database ?? ec?.defaultDatabase ?? null,
  };
}

function fillSelect(select: HTMLSelectElement, items: readonly string[] | null, value: string | null): void {
  clear(select);
  const list = [...(items ?? [])];
  if (value && !list.includes(value)) list.unshift(value);
  if (list.length === 0) {
    select.appendChild(h('option', { attrs: { value: '' }, text: items === null ? 'picker.loading' : 'picker.none' }));
    select.disabled = true;
    return;
  }
  select.disabled = false;
  for (const item of list) select.appendChild(h('option', { attrs: { value: item } }, item));
  select.value = value ?? list[0];
}

let targetToken = 0;
async function applyTarget(): Promise<void> {
  const token = ++targetToken;
  const target = currentTarget();
  fillSelect(engineSelect, engineNames(), target.engine);
  fillSelect(catalogSelect, target.catalog ? [target.catalog] : null, target.catalog);
  fillSelect(databaseSelect, target.database ? [target.database] : null, target.database);
  const caps = capabilities(target.engine);
  maxScanField.hidden = !caps.cost;
  schemaTree.setTarget({ ...target, browsable: caps.catalog });
  editor.setTarget({ engine: target.engine, dialect: caps.dialect, catalog: target.catalog, database: target.database, tables: [] });
  if (!target.engine || !caps.catalog) return;
  const catalogs = await catalog.catalogs(target.engine).catch(() => null);
  if (token !== targetToken) return;
  if (catalogs) fillSelect(catalogSelect, catalogs, target.catalog);
  if (target.catalog) {
    const databases = await catalog.databases(target.engine, target.catalog).catch(() => null);
    if (token !== targetToken) return;
    if (databases) fillSelect(databaseSelect, databases, target.database);
  }
  await updateCompletion(target, token);
}

/**
 * Feeds the editor's completion with the tables of the selected database. Tables listed without
 * their columns get them when a statement names them (see {@link loadColumns}), whatever their number.
 */
async function updateCompletion(target: Target, token: number): Promise<void> {
  if (!target.catalog || !target.database) return;
  const tables = await catalog.tables(target.engine, target.catalog, target.database).catch(() => null);
  if (!tables || token !== targetToken) return;
  editor.setTarget({ engine: target.engine, dialect: capabilities(target.engine).dialect, catalog: target.catalog,
    database: target.database, tables });
}

/** The columns of tables a statement names, four requests at a time (memoised by the catalog service). */
async function loadColumns(target: EditorTarget, names: string[]): Promise<CatalogTable[]> {
  if (!target.catalog || !target.database) return [];
  const loaded: CatalogTable[] = [];
  for (let i = 0; i < names.length; i += 4) {
    const batch = await Promise.allSettled(names.slice(i, i + 4).map((name) =>
      catalog.table(target.engine, target.catalog!, target.database!, name)));
    for (const r of batch) if (r.status === 'fulfilled') loaded.push(r.value);
  }
  return loaded;
}

engineSelect.addEventListener('change', () => {
  saveTabsState(updateTab(tabs, tabs.activeId, { engine: engineSelect.value, catalog: null, database: null }));
  void applyTarget();
});
catalogSelect.addEventListener('change', () => {
  saveTabsState(updateTab(tabs, tabs.activeId, { engine: currentTarget().engine, catalog: catalogSelect.value, database: null }));
  void applyTarget();
});
databaseSelect.addEventListener('change', () => {
  const target = currentTarget();
  saveTabsState(updateTab(tabs, tabs.activeId, { engine: target.engine, catalog: target.catalog, database: databaseSelect.value }));
  void applyTarget();
});

// ---------------------------------------------------------------- run, cancel, format, download

/** What Run would submit now: the selection, else the statement under the cursor, on the tab's target. */
function currentRequest(runner: QueryRunner): SubmitRequest | null {
  const sel = editor.selection;
  const statement = sqlToRun(editor.doc, sel.from, sel.to);
  if (!statement) {
    runner.showNotice({ kind: 'error', code: 'QUERY_EMPTY', retry: false, text: ['notice.nothingToRun', {}] });
    return null;
  }
  const target = currentTarget();
  const request: SubmitRequest = {
    query: statement.text,
    engine: target.engine || undefined,
    catalog: target.catalog ?? undefined,
    database: target.database ?? undefined,
  };
  if (capabilities(target.engine).cost && maxScanInput.value.trim() !== '') {
    const gb = Number(maxScanInput.value);
    if (!Number.isFinite(gb) || gb <= 0) {
      runner.showNotice({ kind: 'error', code: 'INVALID_MAX_SCAN', retry: false, text: ['notice.invalidMaxScan', {}] });
      maxScanInput.focus();
      return null;
    }
    request.maxScanGb = gb;
  }
  return request;
}

/** A lint check under way for this tab: Run does nothing meanwhile. */
let linting: string | null = null;

/**
 * Run (and "Run without cache": `cache: false`). On an engine that prices queries the SQL is
 * linted first; findings are shown in a dialog with "Run anyway" and "Cancel".
 */
async function runCurrent(extra: Partial<SubmitRequest> = {}): Promise<void> {
  const tabId = tabs.activeId;
  const runner = activeRunner();
  if (runner.busy || linting === tabId) return;
  const base = currentRequest(runner);
  if (!base) return;
  const request = { ...base, ...extra };
  if (capabilities(request.engine).cost) {
    linting = tabId;
    app.dataset.linting = 'true'; // for tests: the lint is asked, a dialog may follow
    try {
      const go = await lintAllows(api, request, (question) => {
        delete app.dataset.linting;
        return confirmDialog.ask(question);
      });
      if (!go) return;
    } finally {
      linting = null;
      delete app.dataset.linting;
    }
  }
  void runner.run(request);
}

/** Retry runs the tab's SQL as it is now, not the text of the run that failed. */
function retryCurrent(runner: QueryRunner): void {
  if (runner.busy) return;
  const request = currentRequest(runner);
  if (request) void runner.retry(request);
}

/**
 * Run, Cancel and Retry disable or hide themselves as the query moves on; the focus they had must
 * not fall to <body> (a keyboard user would start over from the top of the page). After one of
 * them is pressed the focus follows the run: to Cancel while it runs, then to Retry or Run.
 */
function followFocus(): void {
  focusFollowsRun = tabs.activeId;
}

function cancelCurrent(): void {
  followFocus();
  void activeRunner().cancel();
}

function moveFocusWithTheRun(runner: QueryRunner): void {
  if (focusFollowsRun !== tabs.activeId) return;
  const active = document.activeElement;
  const lost = !active || active === document.body
    || (active === runButton && runButton.disabled)
    || (active === cancelButton && (cancelButton.hidden || cancelButton.disabled));
  if (runner.busy) {
    if (lost && !cancelButton.hidden && !cancelButton.disabled) cancelButton.focus();
    return;
  }
  focusFollowsRun = null;
  if (!lost && active !== runButton) return;
  const retry = notices.retryButton;
  (retry && !retry.disabled ? retry : runButton).focus();
}

async function formatCurrent(): Promise<void> {
  const before = editor.doc;
  const sel = editor.selection;
  const dialect = capabilities(currentTarget().engine).dialect;
  try {
    if (sel.from !== sel.to) {
      const out = await formatSql(before.slice(sel.from, sel.to), dialect);
      if (editor.doc === before) editor.replaceRange(sel.from, sel.to, out);
    } else {
      const out = await formatSql(before, dialect);
      if (editor.doc === before && out !== before) editor.setDoc(out.endsWith('\n') ? out : `${out}\n`);
    }
  } catch (e) {
    const reason = String((e as Error)?.message ?? e).split('\n')[0].slice(0, 200);
    activeRunner().showNotice({ kind: 'error', code: 'FORMAT_FAILED', retry: false, text: ['notice.formatFailed', { reason }] });
  }
  editor.focus();
}

async function downloadResult(): Promise<void> {
  const runner = activeRunner();
  // Other formats than CSV exist for a whole stored result only (a failed query's partial file is CSV).
  if (runner.status?.state !== 'SUCCEEDED') runner.results.setDownloadFormat('csv');
  const link = await runner.results.prepareDownload();
  if (!link) return;
  // Link navigation, not fetch: an S3 presigned URL is another origin (no CORS for fetch).
  downloadLink.click();
}

function downloadOffered(runner: QueryRunner): boolean {
  const status = runner.status;
  if (!runner.queryId || !status || !isTerminal(status.state)) return false;
  return offersDownload(status, capabilities(status.engine));
}

// ---------------------------------------------------------------- rendering the active run

let renderedPage: unknown = null;
let lastLive = '';

function renderRun(force = false): void {
  const runner = activeRunner();
  const status = runner.status;
  const busy = runner.busy;
  const locale = getLocale();

  runButton.disabled = busy;
  // The run's own engine: a tab's picker may have moved on to another engine since.
  const caps = capabilities(status?.engine ?? currentTarget().engine);
  cancelButton.hidden = !(runner.phase === 'running' && runner.queryId && caps.cancel);
  cancelButton.disabled = runner.cancelling;
  tx(cancelButton, runner.cancelling ? 'action.cancelling' : 'action.cancel');

  statusBox.dataset.phase = runner.phase;
  statusBox.dataset.state = status?.state ?? '';
  spinner.hidden = !busy;
  const runningKey = runner.connectionLost ? 'status.connectionLost'
    : runner.phase === 'submitting' ? 'status.submitting' : 'status.running';
  tx(runningText, runningKey);
  spinner.classList.toggle('stalled', runner.connectionLost);
  updateElapsed();
  if (status?.state) {
    stateBadge.hidden = false;
    stateBadge.className = `state-badge state-${status.state}`;
    tx(stateBadge, `state.${status.state}`);
  } else {
    stateBadge.hidden = true;
  }
  // What a running query is doing at the moment (waiting for a worker, queued at Athena, storing…).
  const phase = busy && status?.phase && status.phase !== 'EXECUTING' ? status.phase : null;
  phaseNote.hidden = !phase;
  if (phase) tx(phaseNote, `phase.${phase}`);
  const live = busy ? t(runningKey) : status?.state ? t(`state.${status.state}`) : '';
  if (live !== lastLive) {
    lastLive = live;
    liveRegion.textContent = live;
  }

  const s = status?.statistics ?? null;
  stats.hidden = !status;
  queueValue.textContent = formatSeconds(s?.queueSeconds);
  execValue.textContent = formatSeconds(executionSeconds(status));
  const shown = shownStatistics(caps);
  scanStat.hidden = !shown.scanned;
  costStat.hidden = !shown.cost;
  scanValue.textContent = formatGb(s?.dataScannedGb);
  costValue.textContent = formatCost(s?.costUsd);
  reusedBadge.hidden = !(shown.reused && s?.resultReused);
  renderCache(runner);
  renderWarnings(runner, force);
  maxScanField.hidden = !capabilities(currentTarget().engine).cost;

  connectionNotice.hidden = !runner.connectionLost;
  notices.render(runner.notice, runner.busy, force);

  const results = runner.results;
  const page = results.page;
  const succeeded = status?.state === 'SUCCEEDED';
  resultMeta.hidden = !(succeeded || downloadOffered(runner));
  queryIdText.textContent = runner.queryId ?? '';
  ta(queryIdText, 'title', 'results.queryId');
  if (page && succeeded) {
    if (results.view.filters.length && results.storedRows !== null) {
      tx(rowCount, 'results.rowsFiltered', { shown: formatCount(page.totalRows, locale), total: formatCount(results.storedRows, locale) });
    } else {
      tx(rowCount, 'results.rows', { total: formatCount(page.totalRows, locale) });
    }
    const doneAt = page.completedAt ?? status?.completedAt;
    if (doneAt) tx(completedAt, 'results.completed', { time: formatTimestamp(doneAt, locale) });
    else completedAt.textContent = '';
  } else {
    rowCount.textContent = '';
    completedAt.textContent = '';
    delete rowCount.dataset.i18n;
    delete completedAt.dataset.i18n;
  }

  // download
  downloadBox.hidden = !downloadOffered(runner);
  downloadButton.disabled = results.downloadLoading;
  // Other formats than CSV exist for a whole stored result only (a failed query's partial file is CSV).
  downloadFormat.hidden = !succeeded;
  downloadFormat.value = results.downloadFormat;
  tx(downloadButton, results.downloadLoading ? 'download.preparing' : 'download.button');
  const link = results.download;
  downloadLink.hidden = !link;
  partialBadge.hidden = !link?.partial;
  downloadExpires.hidden = !link?.expiresAt;
  if (link) {
    const file = link.fileName ?? `sluice-${runner.queryId}.${results.downloadFormat}`;
    downloadLink.href = link.url;
    downloadLink.dataset.partial = String(!!link.partial);
    const sameOrigin = new URL(link.url, location.href).origin === location.origin;
    if (sameOrigin) {
      downloadLink.setAttribute('download', file);
      downloadLink.removeAttribute('target');
      downloadLink.removeAttribute('rel');
    } else {
      // Another origin (S3): the download attribute is ignored there; open it beside the editor.
      downloadLink.removeAttribute('download');
      downloadLink.target = '_blank';
      downloadLink.rel = 'noopener noreferrer';
    }
    tx(downloadLink, 'download.link', { file });
    if (link.expiresAt) tx(downloadExpires, 'download.expires', { time: formatTimestamp(link.expiresAt, locale) });
  } else {
    downloadLink.removeAttribute('href');
  }

  // grid and pager
  const showGrid = !!page && succeeded;
  gridWrap.hidden = !showGrid;
  filterBar.element.hidden = !showGrid;
  resultChart.element.hidden = !showGrid;
  if (showGrid) {
    filterBar.render(page!.columns, results.view, results.loading);
    resultChart.render(runner.queryId, page!.columns);
  }
  pager.hidden = !showGrid || results.pager.pageCount <= 1;
  const truncation = showGrid ? truncationText(page!.truncated ? page : status, page!.totalRows, locale) : null;
  truncatedNotice.hidden = !truncation;
  if (truncation) tx(truncatedNotice, truncation[0], truncation[1]);
  if (showGrid && (page !== renderedPage || force)) {
    renderedPage = page;
    clear(gridWrap);
    if (page!.rows.length === 0 && page!.offset === 0) {
      gridWrap.appendChild(h('p', { class: 'placeholder muted', testid: 'results-no-rows', text: 'results.noRows' }));
      if (page!.columns.length) gridWrap.appendChild(renderGrid(page!, gridOptions(page!.id, results)));
    } else {
      gridWrap.appendChild(renderGrid(page!, gridOptions(page!.id, results)));
    }
    gridWrap.scrollTop = 0;
  } else if (!showGrid && renderedPage !== null) {
    renderedPage = null;
    clear(gridWrap);
  }
  gridWrap.setAttribute('aria-busy', String(results.loading));
  gridWrap.classList.toggle('loading', results.loading);
  if (showGrid) {
    const p = results.pager;
    pagerPrev.disabled = !p.hasPrev || results.loading;
    pagerNext.disabled = !p.hasNext || results.loading;
    pagerGo.disabled = results.loading;
    if (document.activeElement !== pageInput) pageInput.value = String(p.pageNumber);
    pageInput.max = String(p.pageCount);
    tx(pageCount, 'pager.of', { count: formatCount(p.pageCount, locale) });
    const range = p.range!;
    tx(pagerRange, 'results.range', {
      from: formatCount(range.from, locale), to: formatCount(range.to, locale), total: formatCount(range.total, locale),
    });
  }

  // placeholder
  let placeholder: string | null = null;
  if (!status && runner.phase === 'idle') placeholder = 'results.empty';
  else if (succeeded && !page) placeholder = 'results.loading';
  resultsPlaceholder.hidden = !placeholder;
  if (placeholder) tx(resultsPlaceholder, placeholder);
  moveFocusWithTheRun(runner);
}

/** A result from the local cache: the badge, the source query (a link), what it saved; "Run without cache". */
function renderCache(runner: QueryRunner): void {
  const status = runner.status;
  const cached = isCached(status);
  cachedBox.hidden = !cached;
  runNoCacheButton.hidden = !(cached && !runner.busy);
  const from = status?.statistics?.cachedFrom ?? null;
  cachedFromLink.hidden = !from;
  if (from) {
    tx(cachedFromLink, 'stats.cachedFrom', { id: from.queryId });
    cachedFromLink.dataset.queryId = from.queryId;
  }
  const saved = status?.statistics?.savedUsd;
  savedText.hidden = !cached || saved === null || saved === undefined;
  if (!savedText.hidden) tx(savedText, 'stats.saved', { cost: formatCost(saved) });
}

/** The run's warnings (a budget nearly spent, lint findings), each in the UI's language. */
let renderedWarnings = '';
function renderWarnings(runner: QueryRunner, force = false): void {
  const warnings = runner.warnings;
  const key = JSON.stringify(warnings);
  warningsBox.hidden = warnings.length === 0;
  if (key === renderedWarnings && !force) return;
  renderedWarnings = key;
  clear(warningsBox);
  if (!warnings.length) return;
  warningsBox.appendChild(h('strong', { text: 'notice.warnings' }));
  const list = h('ul', { class: 'warning-list' });
  for (const w of warnings) {
    const text = warningText(w);
    const li = h('li', { testid: 'query-warning', attrs: { 'data-code': w.code } });
    if ('key' in text) tx(li, text.key, text.params);
    else li.append(text.text);
    list.appendChild(li);
  }
  warningsBox.appendChild(list);
}

function gridOptions(queryId: string, results: ResultBrowser): GridOptions {
  const view = results.view;
  return {
    viewer,
    // A view's row numbers are not the stored result's: the value route would show another row's value.
    fullValueUrl: (row, column) => (view.plain ? api.valueUrl(queryId, row, column) : null),
    sort: view.sort,
    onSort: (column) => void results.setView(view.toggleSort(column)),
  };
}

function updateElapsed(): void {
  const runner = activeRunner();
  const ms = runner.elapsedMs();
  if (runner.busy) {
    elapsedText.hidden = ms === null;
    if (ms !== null) tx(elapsedText, 'status.elapsed', { time: formatElapsed(ms) });
    duration.textContent = '';
  } else {
    elapsedText.hidden = true;
    // A finished run whose time is unknown (ended by a server restart) shows "none", never a guess.
    duration.textContent = !runner.status ? '' : ms !== null ? formatSeconds(ms / 1000) : NONE;
  }
}
setInterval(() => {
  if (activeRunner().busy) updateElapsed();
}, 100);

// ---------------------------------------------------------------- history

const reloadHistorySoon = debounce(() => void history.reload(), 400);

async function openHistoryItem(item: HistoryItem, rerun: boolean): Promise<void> {
  let tab = findTabByQuery(tabs, item.id);
  if (!tab) {
    let sql = item.query;
    if (item.queryTruncated) {
      try {
        sql = (await api.status(item.id)).data.query;
      } catch {
        // keep the shortened text
      }
    }
    tab = openInTab({
      sql, queryId: item.id, engine: item.engine,
      catalog: item.catalog ?? null, database: item.database ?? null,
    });
  }
  if (rerun) {
    const runner = runnerFor(tab.id, false);
    if (!runner.busy) runner.adopt(item.id);
    switchTab(tab.id);
    void runner.rerun();
  } else {
    switchTab(tab.id);
    const runner = activeRunner();
    if (runner.queryId !== item.id || runner.phase === 'idle') runner.track(item.id);
  }
}

/** A tab for `init`: the current one when it is empty and idle (its runner let go), else a new one. */
function openInTab(init: NonNullable<Parameters<typeof addTab>[1]>): TabsState['tabs'][number] {
  const current = activeTab(tabs);
  const currentRunner = runners.get(current.id);
  if (!current.sql.trim() && !currentRunner?.busy) {
    currentRunner?.dispose();
    runners.delete(current.id);
    editor.forgetTab(current.id);
    editorShown = null;
    saveTabsState(updateTab(tabs, current.id, init));
  } else {
    saveTabsState(addTab(tabs, init));
  }
  return activeTab(tabs);
}

/** Opens a query by its id (the source of a cached result): its tab, else a new one showing its status and result. */
async function openQueryById(id: string): Promise<void> {
  const existing = findTabByQuery(tabs, id);
  if (existing) {
    switchTab(existing.id);
    return;
  }
  try {
    await openHistoryItem((await api.status(id)).data, false);
  } catch (e) {
    activeRunner().showNotice(errorNotice(e, false));
  }
}

function openCachedSource(): void {
  const id = cachedFromLink.dataset.queryId;
  if (id) void openQueryById(id);
}

// ---------------------------------------------------------------- dashboard

/** The most expensive queries' "Open in editor": the query's SQL (all of it) in a new tab, on its engine. */
async function openTopQuery(item: TopQuery): Promise<void> {
  let sql = item.query;
  let catalogName: string | null = null;
  let databaseName: string | null = null;
  try {
    const status = (await api.status(item.queryId)).data;
    sql = status.query || sql;
    catalogName = status.catalog ?? null;
    databaseName = status.database ?? null;
  } catch {
    // keep the list's text (its first 500 characters)
  }
  showPage('editor');
  newTab({ sql, engine: item.engine, catalog: catalogName, database: databaseName });
}

type Page = 'editor' | 'dashboard';
let page: Page = 'editor';

function pageOfHash(): Page {
  return location.hash === '#dashboard' ? 'dashboard' : 'editor';
}

/** Shows the editor or the dashboard (#dashboard); the dashboard reads its data each time it is shown. */
function showPage(next: Page): void {
  const wanted = next === 'dashboard' ? '#dashboard' : '';
  if (location.hash !== wanted) window.history.replaceState(null, '', wanted || location.pathname + location.search);
  applyPage(next);
}

function applyPage(next: Page): void {
  const changed = next !== page;
  page = next;
  layout.hidden = page !== 'editor';
  dashboard.element.hidden = page !== 'dashboard';
  app.dataset.page = page;
  for (const link of topbar.querySelectorAll<HTMLAnchorElement>('.topnav-link')) {
    const current = link.dataset.testid === `nav-${page}`;
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (page === 'dashboard') dashboard.resize(); // drawn while hidden (a language switch): fit the page again
  if (page === 'dashboard' && (changed || !dashboard.element.dataset.loaded)) void dashboard.load();
  if (page === 'editor' && changed) editor.focus();
}
window.addEventListener('hashchange', () => applyPage(pageOfHash()));
window.addEventListener('resize', debounce(() => {
  if (page === 'dashboard') dashboard.resize();
  else resultChart.resize();
}, 150));

// ---------------------------------------------------------------- async tasks

/** "Run as task": what Run would run, in the dialog, with the data sources to attach. */
function openTaskDialog(): void {
  if (!tasksEnabled()) return;
  const request = currentRequest(activeRunner());
  if (!request) return;
  taskDialog.open(request.query, datasourcePanel.datasources);
  if (datasourcesEnabled()) void datasourcePanel.reload();
}

/** A task was accepted: the tasks panel shows it and follows it. */
function taskSubmitted(task: AsyncTask): void {
  taskPanel.added(task);
  showSidePanel('tasks');
}

/**
 * "Open result table": its first rows in a tab (the current one when empty, as History opens a
 * query), run at once on the default engine (the one tasks write their tables beside).
 */
function openResultTable(table: string): void {
  const engine = config?.defaultEngine ?? currentTarget().engine;
  const tab = openInTab({ sql: resultTableSql(table), engine, catalog: null, database: null });
  switchTab(tab.id);
  editor.focus();
  void runCurrent();
}

// ---------------------------------------------------------------- side panels, language

/** Side panels the configuration offers: tasks and data sources only when enabled. */
function availablePanels(): SidePanel[] {
  return SIDE_PANELS.filter((p) => (p === 'tasks' ? tasksEnabled() : p === 'datasources' ? datasourcesEnabled() : true));
}

/** Shows `panel` (the schema browser when it is not offered); `remember` keeps the choice for the next visit. */
function showSidePanel(panel: SidePanel, focus = false, remember = true): void {
  if (!availablePanels().includes(panel)) {
    panel = 'schema';
    remember = false;
  }
  sidePanel = panel;
  if (remember) {
    try {
      storage?.setItem(SIDE_PANEL_KEY, panel);
    } catch {
      // ignore
    }
  }
  SIDE_PANELS.forEach((p, i) => {
    const selected = p === panel;
    panels[p].hidden = !selected;
    sideTabButtons[i].setAttribute('aria-selected', String(selected));
    sideTabButtons[i].tabIndex = selected ? 0 : -1;
  });
  if (focus) sideTabButtons[SIDE_PANELS.indexOf(panel)].focus();
  if (panel === 'history') void history.reload();
  // The task list is read (and polled while a task is active) only while it is on screen.
  taskPanel.setVisible(panel === 'tasks' && tasksEnabled());
  if (panel === 'datasources') void datasourcePanel.reload();
  if (panel === 'schema' && tasksEnabled()) void workspaceTables.reload();
}

function sideTabKeys(e: KeyboardEvent, panel: SidePanel): void {
  const shown = availablePanels();
  const i = shown.indexOf(panel);
  if (e.key === 'ArrowRight' || e.key === 'ArrowDown') {
    e.preventDefault();
    showSidePanel(shown[(i + 1) % shown.length], true);
  } else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') {
    e.preventDefault();
    showSidePanel(shown[(i + shown.length - 1) % shown.length], true);
  }
}

/** What the configuration offers: the tasks and data sources side tabs, Run as task, the workspace tables. */
function applyFeatures(initial = false): void {
  const shown = availablePanels();
  SIDE_PANELS.forEach((p, i) => {
    sideTabButtons[i].hidden = !shown.includes(p);
  });
  runTaskButton.hidden = !tasksEnabled();
  workspaceTables.element.hidden = !tasksEnabled();
  const wanted = storedSidePanel();
  if (initial || wanted !== sidePanel) showSidePanel(wanted, false, false);
  else if (sidePanel === 'schema' && tasksEnabled()) void workspaceTables.reload();
}

languageSelect.addEventListener('change', () => {
  const value = languageSelect.value;
  if (!isLocale(value)) return;
  try {
    storage?.setItem(LOCALE_STORAGE_KEY, value);
  } catch {
    // ignore
  }
  setLocale(value);
});

function applyLocale(): void {
  const locale = getLocale();
  document.documentElement.lang = locale;
  document.title = t('app.title');
  languageSelect.value = locale;
  retranslate(document.body);
  editor.setLabel(t('editor.label'));
  editor.setPlaceholder(t('editor.placeholder'));
  editor.retranslate();
  renderTabs();
  renderConfigPanel();
  history.render();
  taskPanel.render();
  datasourcePanel.render();
  workspaceTables.render();
  dashboard.render();
  renderRun(true);
}
onLocaleChange(applyLocale);

function renderConfigPanel(): void {
  renderConfig(configBody, config, configError ? { code: configError.code, message: configError.serverMessage } : undefined);
}

// ---------------------------------------------------------------- start

async function loadConfig(): Promise<void> {
  try {
    config = (await api.config()).data;
    configError = null;
    history.render(); // items shown before the configuration came follow their engines' capabilities now
  } catch (e) {
    config = null;
    configError = errorNotice(e, false);
    if (e instanceof ApiError && e.code === 'UNAUTHENTICATED') {
      activeRunner().showNotice(configError);
    }
  }
  renderConfigPanel();
  applyFeatures();
}

/** A small hook for end-to-end tests and the console: read and replace the SQL of the active tab. */
declare global {
  interface Window {
    sluice?: { getSql(): string; setSql(sql: string): void; run(): void; version: string };
  }
}
window.sluice = {
  getSql: () => editor.doc,
  setSql: (sql: string) => editor.setDoc(sql),
  run: () => void runCurrent(),
  version: '0.1.0',
};

void (async () => {
  document.documentElement.lang = getLocale();
  document.title = t('app.title');
  applyFeatures(true);
  showActiveTab();
  renderConfigPanel();
  applyPage(pageOfHash());
  await loadConfig();
  dashboard.render(); // the caller is known now: an admin's table per user
  await applyTarget();
  app.dataset.ready = 'true';
})();
