/** A stand-in for the API calls a QueryRunner makes, for unit tests without a server. */

import { vi } from 'vitest';
import type { QueryState, QueryStatus, ResultPageData } from '../src/api';
import type { RunnerApi } from '../src/runner';

export type Deferred<T> = { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void };
export function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => { resolve = a; reject = b; });
  return { promise, resolve, reject };
}

export const ok = <T>(data: T, status = 200) => ({ status, data, envelope: { success: true, data, messageCode: 'X', message: '', timestamp: '' } });

export function statusOf(state: QueryState, extra: Partial<QueryStatus> = {}): QueryStatus {
  return {
    id: 'q1', state, engine: 'duckdb', query: 'SELECT 1',
    statistics: { queueSeconds: 0.1, executionSeconds: state === 'QUEUED' ? null : 0.5 },
    ...extra,
  };
}

export function pageOf(offset: number, n: number, total: number, nextCursor: string | null): ResultPageData {
  return {
    id: 'q1', completedAt: '2026-01-01T00:00:00.000Z', columns: [{ name: 'n', type: 'bigint' }],
    rows: Array.from({ length: n }, (_, i) => [offset + i]), offset, totalRows: total, nextCursor,
  };
}

export function fakeApi() {
  const states: QueryState[] = [];
  let current: QueryStatus = statusOf('QUEUED');
  /** The server keeps the text it was given. */
  let query = current.query;
  const api = {
    submit: vi.fn(async (request: { query: string }) => {
      query = request.query;
      return ok({ id: 'q1', state: 'QUEUED' as QueryState, engine: 'duckdb' }, 202);
    }),
    status: vi.fn(async () => {
      const next = states.shift();
      if (next) current = statusOf(next, next === 'FAILED'
        ? { query, error: { code: 'SYNTAX_ERROR', message: 'Parser Error: near "SELEC"', details: {} } } : { query });
      return ok(current);
    }),
    results: vi.fn(async (_id: string, page: { cursor?: string; offset?: number }) => {
      const offset = page.cursor ? Number(page.cursor.slice(1)) : page.offset ?? 0;
      const n = Math.min(100, 250 - offset);
      return ok(pageOf(offset, n, 250, offset + n < 250 ? `c${offset + n}` : null));
    }),
    cancel: vi.fn(async () => {
      current = statusOf('CANCELLED');
      return ok({ id: 'q1', state: 'CANCELLED' });
    }),
    refresh: vi.fn(async () => ok({ id: 'q1', state: 'QUEUED' as QueryState, engine: 'duckdb' }, 202)),
    download: vi.fn(async () => ok({ url: '/api/files/t', fileName: 'x.csv', partial: false })),
  };
  return { api: api as unknown as RunnerApi & typeof api, states, setCurrent: (s: QueryStatus) => { current = s; } };
}
