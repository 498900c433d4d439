/** What the results area tells the user about a run that went wrong: its kind, code and texts. */

import { ApiError, type QueryState, type QueryStatus } from './api';

export type NoticeKind = 'cancelled' | 'failed' | 'timed-out' | 'error';

export interface Notice {
  kind: NoticeKind;
  /** A UI text instead of a server code (e.g. the formatter's error). */
  text?: [string, Record<string, string | number>];
  /** messageCode to render through the UI catalog. */
  code: string;
  /** The server's text, used only when the code is unknown to the UI catalog. */
  serverMessage?: string | null;
  /** The details of an error Sluice wrote itself: the parameters of its text (see queryerror.ts). */
  params?: Record<string, unknown> | null;
  /** The engine's own message (not translated), e.g. a syntax error's position. Never Sluice's text. */
  detail?: string | null;
  /** Whether Retry is offered. */
  retry: boolean;
}

const TERMINAL_NOTICES: Partial<Record<QueryState, [NoticeKind, string]>> = {
  CANCELLED: ['cancelled', 'QUERY_CANCELLED'],
  FAILED: ['failed', 'QUERY_FAILED'],
  TIMED_OUT: ['timed-out', 'QUERY_TIMED_OUT'],
};

/**
 * The notice of a query that ended without a result. An engine's error brings the engine's own
 * text as detail; an error Sluice wrote (source "sluice") is rendered from its code and details,
 * so it reads in the UI's language.
 */
export function terminalNotice(status: QueryStatus): Notice | null {
  const which = TERMINAL_NOTICES[status.state];
  if (!which) return null;
  const err = status.error ?? null;
  const own = err?.source === 'sluice';
  return {
    kind: which[0],
    code: err?.code ?? which[1],
    params: own ? err?.details ?? {} : null,
    detail: err && !own ? err.message || null : null,
    retry: true,
  };
}

/**
 * Refusals whose details the user needs (which budget, when it resets; the scan cap allowed): their
 * notice is rendered from the details (see queryerror.ts). A spent budget is not worth a Retry.
 */
const REFUSALS_WITH_DETAILS: ReadonlySet<string> = new Set(['BUDGET_EXCEEDED', 'INVALID_MAX_SCAN']);

/** The notice of a failed API call: its code's text; its details are for programs, not shown (but see above). */
export function errorNotice(e: unknown, retry: boolean): Notice {
  if (e instanceof ApiError) {
    if (REFUSALS_WITH_DETAILS.has(e.code)) {
      return { kind: 'error', code: e.code, serverMessage: e.serverMessage, params: e.details ?? {},
        retry: retry && e.code !== 'BUDGET_EXCEEDED' };
    }
    return { kind: 'error', code: e.code, serverMessage: e.serverMessage, retry };
  }
  return { kind: 'error', code: 'INTERNAL_ERROR', serverMessage: String((e as Error)?.message ?? e), retry };
}

/**
 * A failure of the way to the server rather than an answer about the query: no answer at all, a
 * 5xx (the metadata store down answers 503 STORE_UNAVAILABLE), or 429 (too many requests). Polling
 * keeps going, with back-off, instead of reporting the query as failed.
 */
export function isConnectionTrouble(e: unknown): boolean {
  if (!(e instanceof ApiError)) return true;
  return e.status === 0 || e.status >= 500 || e.status === 429 || e.code === 'STORE_UNAVAILABLE';
}
