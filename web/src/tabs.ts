/**
 * Editor tabs, each with its SQL, its target (engine, catalog, database) and its last query id,
 * kept in localStorage across reloads. Pure functions over an immutable state, plus load/save
 * through a Storage-like object so tests need no browser.
 */

export const TABS_STORAGE_KEY = 'sluice.tabs.v1';
const MAX_TABS = 30;
const MAX_SQL_CHARS = 262_144;

export interface EditorTab {
  id: string;
  /** Number shown as "Query n" when there is no title. */
  seq: number;
  title: string | null;
  sql: string;
  queryId: string | null;
  engine: string | null;
  catalog: string | null;
  database: string | null;
}

export interface TabsState {
  tabs: EditorTab[];
  activeId: string;
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

let counter = 0;
export function newTabId(): string {
  counter++;
  return `t${Date.now().toString(36)}${counter.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export function makeTab(seq: number, init: Partial<Omit<EditorTab, 'id' | 'seq'>> = {}, id = newTabId()): EditorTab {
  return {
    id,
    seq,
    title: init.title ?? null,
    sql: init.sql ?? '',
    queryId: init.queryId ?? null,
    engine: init.engine ?? null,
    catalog: init.catalog ?? null,
    database: init.database ?? null,
  };
}

export function initialState(sql = ''): TabsState {
  const tab = makeTab(1, { sql });
  return { tabs: [tab], activeId: tab.id };
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function sanitizeTab(raw: unknown, fallbackSeq: number): EditorTab | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  const id = str(r.id);
  if (!id) return null;
  const seq = typeof r.seq === 'number' && Number.isInteger(r.seq) && r.seq > 0 ? r.seq : fallbackSeq;
  const queryId = str(r.queryId);
  return {
    id,
    seq,
    title: str(r.title),
    sql: (str(r.sql) ?? '').slice(0, MAX_SQL_CHARS),
    queryId: queryId && /^[A-Za-z0-9-]{1,64}$/.test(queryId) ? queryId : null,
    engine: str(r.engine),
    catalog: str(r.catalog),
    database: str(r.database),
  };
}

/** Reads the saved tabs; anything missing or damaged gives one empty tab. */
export function loadTabs(storage: KeyValueStore | null, defaultSql = ''): TabsState {
  let raw: string | null = null;
  try {
    raw = storage?.getItem(TABS_STORAGE_KEY) ?? null;
  } catch {
    raw = null;
  }
  if (!raw) return initialState(defaultSql);
  try {
    const parsed = JSON.parse(raw) as { tabs?: unknown; activeId?: unknown };
    const list = Array.isArray(parsed.tabs) ? parsed.tabs : [];
    const seen = new Set<string>();
    const tabs: EditorTab[] = [];
    list.slice(0, MAX_TABS).forEach((item, i) => {
      const tab = sanitizeTab(item, i + 1);
      if (tab && !seen.has(tab.id)) {
        seen.add(tab.id);
        tabs.push(tab);
      }
    });
    if (tabs.length === 0) return initialState(defaultSql);
    const activeId = typeof parsed.activeId === 'string' && seen.has(parsed.activeId) ? parsed.activeId : tabs[0].id;
    return { tabs, activeId };
  } catch {
    return initialState(defaultSql);
  }
}

/** Saves the tabs; a full or unavailable storage is ignored (the tabs live on in memory). */
export function saveTabs(storage: KeyValueStore | null, state: TabsState): boolean {
  try {
    storage?.setItem(TABS_STORAGE_KEY, JSON.stringify({ tabs: state.tabs, activeId: state.activeId }));
    return !!storage;
  } catch {
    return false;
  }
}

export function activeTab(state: TabsState): EditorTab {
  return state.tabs.find((t) => t.id === state.activeId) ?? state.tabs[0];
}

export function nextSeq(state: TabsState): number {
  return state.tabs.reduce((max, t) => Math.max(max, t.seq), 0) + 1;
}

export function addTab(state: TabsState, init: Partial<Omit<EditorTab, 'id' | 'seq'>> = {}): TabsState {
  if (state.tabs.length >= MAX_TABS) {
    // Reuse the oldest tab rather than growing without bound.
    const [oldest, ...rest] = state.tabs;
    state = { tabs: rest, activeId: state.activeId === oldest.id ? rest[0].id : state.activeId };
  }
  const tab = makeTab(nextSeq(state), init);
  return { tabs: [...state.tabs, tab], activeId: tab.id };
}

export function selectTab(state: TabsState, id: string): TabsState {
  return state.tabs.some((t) => t.id === id) ? { ...state, activeId: id } : state;
}

/** Closes a tab; the neighbour to its right (else left) becomes active; the last tab is replaced by an empty one. */
export function closeTab(state: TabsState, id: string): TabsState {
  const index = state.tabs.findIndex((t) => t.id === id);
  if (index < 0) return state;
  const tabs = state.tabs.filter((t) => t.id !== id);
  if (tabs.length === 0) {
    const closed = state.tabs[index];
    const fresh = makeTab(1, { engine: closed.engine, catalog: closed.catalog, database: closed.database });
    return { tabs: [fresh], activeId: fresh.id };
  }
  if (state.activeId !== id) return { tabs, activeId: state.activeId };
  const neighbour = tabs[Math.min(index, tabs.length - 1)];
  return { tabs, activeId: neighbour.id };
}

export function updateTab(state: TabsState, id: string, patch: Partial<Omit<EditorTab, 'id'>>): TabsState {
  let changed = false;
  const tabs = state.tabs.map((t) => {
    if (t.id !== id) return t;
    const next = { ...t, ...patch };
    changed = (Object.keys(patch) as (keyof EditorTab)[]).some((k) => next[k] !== t[k]);
    return next;
  });
  return changed ? { ...state, tabs } : state;
}

export function findTabByQuery(state: TabsState, queryId: string): EditorTab | undefined {
  return state.tabs.find((t) => t.queryId === queryId);
}
