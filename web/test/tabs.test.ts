import { describe, expect, it } from 'vitest';
import {
  activeTab, addTab, closeTab, findTabByQuery, initialState, loadTabs, saveTabs, selectTab, TABS_STORAGE_KEY,
  updateTab, type KeyValueStore,
} from '../src/tabs';

class MemoryStore implements KeyValueStore {
  data = new Map<string, string>();
  getItem(key: string) {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.data.set(key, value);
  }
}

describe('tabs', () => {
  it('starts with one tab holding the default SQL', () => {
    const state = loadTabs(new MemoryStore(), 'SELECT 1');
    expect(state.tabs).toHaveLength(1);
    expect(activeTab(state).sql).toBe('SELECT 1');
    expect(activeTab(state).seq).toBe(1);
  });

  it('survives a reload: SQL, query id, target and the active tab', () => {
    const store = new MemoryStore();
    let state = initialState('SELECT 1');
    state = updateTab(state, state.activeId, { queryId: '6f1c0000-0000-4000-8000-000000000001', engine: 'athena' });
    state = addTab(state, { sql: 'SELECT 2', catalog: 'AwsDataCatalog', database: 'analytics' });
    saveTabs(store, state);
    const again = loadTabs(store);
    expect(again).toEqual(state);
    expect(activeTab(again).sql).toBe('SELECT 2');
    expect(again.tabs[0].queryId).toBe('6f1c0000-0000-4000-8000-000000000001');
    expect(again.tabs[1].seq).toBe(2);
  });

  it('ignores damaged storage', () => {
    const store = new MemoryStore();
    store.setItem(TABS_STORAGE_KEY, '{not json');
    expect(loadTabs(store, 'X').tabs[0].sql).toBe('X');
    store.setItem(TABS_STORAGE_KEY, JSON.stringify({ tabs: [{ id: 'a', sql: 5, queryId: '../../etc' }, { nope: 1 }, { id: 'a' }], activeId: 'zzz' }));
    const state = loadTabs(store);
    expect(state.tabs).toHaveLength(1);
    expect(state.tabs[0]).toMatchObject({ id: 'a', sql: '', queryId: null, seq: 1 });
    expect(state.activeId).toBe('a');
    store.setItem(TABS_STORAGE_KEY, JSON.stringify({ tabs: [] }));
    expect(loadTabs(store, 'Y').tabs[0].sql).toBe('Y');
  });

  it('keeps working when storage throws', () => {
    const broken: KeyValueStore = {
      getItem() { throw new Error('denied'); },
      setItem() { throw new Error('quota'); },
    };
    expect(loadTabs(broken, 'Z').tabs[0].sql).toBe('Z');
    expect(saveTabs(broken, initialState())).toBe(false);
    expect(loadTabs(null, 'Q').tabs[0].sql).toBe('Q');
  });

  it('numbers new tabs after the highest and activates them', () => {
    let state = initialState();
    state = addTab(state);
    state = addTab(state);
    expect(state.tabs.map((t) => t.seq)).toEqual([1, 2, 3]);
    expect(state.activeId).toBe(state.tabs[2].id);
    state = closeTab(state, state.tabs[1].id);
    state = addTab(state);
    expect(state.tabs.map((t) => t.seq)).toEqual([1, 3, 4]);
  });

  it('closing the active tab activates its right neighbour, else its left', () => {
    let state = initialState();
    state = addTab(state);
    state = addTab(state);
    const [a, b, c] = state.tabs.map((t) => t.id);
    state = selectTab(state, b);
    state = closeTab(state, b);
    expect(state.activeId).toBe(c);
    state = closeTab(state, c);
    expect(state.activeId).toBe(a);
    state = closeTab(state, 'missing');
    expect(state.tabs).toHaveLength(1);
  });

  it('closing the last tab leaves a fresh one with the same target', () => {
    let state = initialState('SELECT 1');
    state = updateTab(state, state.activeId, { engine: 'athena', database: 'analytics', queryId: 'abc' });
    const closed = state.activeId;
    state = closeTab(state, closed);
    expect(state.tabs).toHaveLength(1);
    expect(activeTab(state)).toMatchObject({ sql: '', queryId: null, engine: 'athena', database: 'analytics' });
    expect(state.activeId).not.toBe(closed);
  });

  it('updates only what changed and finds tabs by query', () => {
    const state = initialState('SELECT 1');
    expect(updateTab(state, state.activeId, { sql: 'SELECT 1' })).toBe(state);
    const next = updateTab(state, state.activeId, { queryId: 'q1' });
    expect(next).not.toBe(state);
    expect(findTabByQuery(next, 'q1')?.id).toBe(state.activeId);
    expect(findTabByQuery(next, 'q2')).toBeUndefined();
    expect(selectTab(next, 'missing')).toBe(next);
  });

  it('does not grow without bound', () => {
    let state = initialState();
    for (let i = 0; i < 40; i++) state = addTab(state);
    expect(state.tabs.length).toBeLessThanOrEqual(30);
    expect(activeTab(state).seq).toBe(41);
  });
});
