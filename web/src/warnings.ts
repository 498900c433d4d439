/**
 * How a warning reads (a budget nearly spent, a lint finding): `warning.<CODE>` of the UI catalog
 * with its parameters, in the UI's language; a code the catalog has no such text for reads as its
 * code's text, else as the server's message.
 */

import type { QueryWarning } from './api';
import { formatCost, formatTimestamp, toNumber } from './format';
import { getLocale, hasText, messageFor, t, type Params } from './i18n';
import { budgetName } from './usage';

/** A text to show: a catalog key with parameters, or the server's words. */
export type ShownText = { key: string; params: Params } | { text: string };

function param(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => String(v)).join(', ');
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function cost(value: unknown): string {
  return formatCost(toNumber(value as number | string | null | undefined));
}

/** The parameters of a warning's text, formatted (costs in USD, times in the UI's language, lists joined). */
export function warningParams(code: string, params: Record<string, unknown> | null | undefined): Params {
  const p = params ?? {};
  const out: Params = {};
  for (const [name, value] of Object.entries(p)) out[name] = param(value);
  switch (code) {
    case 'BUDGET_NEARLY_SPENT':
    case 'BUDGET_EXCEEDED': {
      const [key, keyParams] = budgetName(String(p.budget ?? 'user'));
      out.budget = t(key, keyParams);
      out.spent = cost(p.spentUsd);
      out.limit = cost(p.limitUsd);
      out.resets = typeof p.resetsAt === 'string' ? formatTimestamp(p.resetsAt, getLocale()) : '';
      break;
    }
    default:
      break;
  }
  return out;
}

export function warningText(warning: QueryWarning): ShownText {
  const key = `warning.${warning.code}`;
  if (hasText(key)) return { key, params: warningParams(warning.code, warning.params) };
  return { text: messageFor(warning.code, warning.message) };
}

/** The text as a string (for lists built once, e.g. in a dialog). */
export function shownString(text: ShownText): string {
  return 'key' in text ? t(text.key, text.params) : text.text;
}
