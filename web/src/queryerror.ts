/**
 * How an error Sluice itself wrote reads (error.source "sluice"): rendered from its code and
 * details in the UI's language. An engine's error is shown with the engine's own text instead.
 */

import { formatBytes, formatLimitSeconds, toNumber } from './format';
import type { Params } from './i18n';
import { warningParams } from './warnings';

type Details = Record<string, unknown> | null | undefined;

function num(details: Details, name: string): number | null {
  const value = details?.[name];
  return typeof value === 'number' || typeof value === 'string' ? toNumber(value) : null;
}

/**
 * The catalog text (`error.<CODE>` with its parameters) of a Sluice error whose details carry what
 * the text needs; null when there is none, and the code's own text applies.
 */
export function sluiceErrorText(code: string, details: Details): [string, Params] | null {
  switch (code) {
    case 'QUERY_TIMED_OUT': {
      const limit = num(details, 'maxRuntimeSeconds');
      return limit === null ? null : ['error.QUERY_TIMED_OUT', { limit: formatLimitSeconds(limit) }];
    }
    case 'SCAN_LIMIT_EXCEEDED': {
      const scanned = num(details, 'scannedBytes');
      const limit = num(details, 'maxScannedBytes');
      return scanned === null || limit === null ? null
        : ['error.SCAN_LIMIT_EXCEEDED', { scanned: formatBytes(scanned), limit: formatBytes(limit) }];
    }
    case 'ENGINE_UNAVAILABLE': {
      const id = details?.engineQueryId;
      return typeof id === 'string' && id ? ['error.ENGINE_UNAVAILABLE', { id }] : null;
    }
    case 'STATEMENT_NOT_ALLOWED': {
      const statement = num(details, 'statement');
      const kind = details?.kind;
      return statement === null || typeof kind !== 'string' ? null
        : ['error.STATEMENT_NOT_ALLOWED', { statement, kind }];
    }
    case 'WRITE_QUOTA_EXCEEDED': {
      const directory = details?.directory;
      const quota = num(details, 'quotaBytes');
      return typeof directory !== 'string' || quota === null ? null
        : ['error.WRITE_QUOTA_EXCEEDED', { directory, quota: formatBytes(quota) }];
    }
    case 'BUDGET_EXCEEDED':
      return typeof details?.resetsAt === 'string' ? ['error.BUDGET_EXCEEDED', warningParams(code, details)] : null;
    case 'INVALID_MAX_SCAN': {
      const asked = num(details, 'maxScanGb');
      const max = num(details, 'engineMaxGb');
      return asked === null || max === null ? null : ['error.INVALID_MAX_SCAN', { asked, max }];
    }
    default:
      return null;
  }
}
