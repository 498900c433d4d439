/**
 * Before a run on an engine that prices queries (Athena): POST /api/query/lint, and when it finds
 * something (no filter on the partition keys, SELECT * on a wide table, no LIMIT), ask "Run anyway"
 * or "Cancel" with the findings listed. A lint that cannot answer (an older server, the network)
 * never stands in the way of a run.
 */

import type { ApiClient, QueryWarning } from './api';
import type { ConfirmQuestion } from './confirmdialog';
import type { SubmitRequest } from './runner';
import { warningText } from './warnings';

export type LintApi = Pick<ApiClient, 'lint'>;

/** What the dialog asks, with the findings listed (each with its code in `data-code`). */
export function lintQuestion(warnings: QueryWarning[]): ConfirmQuestion {
  return {
    title: ['lint.title'],
    message: ['lint.message', { count: warnings.length }],
    confirm: 'lint.runAnyway',
    cancel: 'lint.cancel',
    tone: 'primary',
    items: warnings.map((w) => ({ ...warningText(w), code: w.code })),
  };
}

/**
 * Whether `request` should run: true without findings, or when the user answers "Run anyway";
 * false when the user cancels. `ask` shows the question (the confirm dialog).
 */
export async function lintAllows(api: LintApi, request: SubmitRequest,
                                 ask: (question: ConfirmQuestion) => Promise<boolean>): Promise<boolean> {
  let warnings: QueryWarning[];
  try {
    const { data } = await api.lint({
      query: request.query, engine: request.engine, catalog: request.catalog, database: request.database,
    });
    warnings = Array.isArray(data?.warnings) ? data.warnings : [];
  } catch {
    return true;
  }
  if (warnings.length === 0) return true;
  return ask(lintQuestion(warnings));
}
