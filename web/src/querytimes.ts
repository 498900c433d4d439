/**
 * How long a query queued and ran, as the server measured it. A run that the server's restart
 * interrupted has no execution time: its clock ran on through the outage, so any number would be
 * the outage's length, not the query's.
 */

import type { QueryStatus } from './api';
import { toNumber } from './format';

type Timed = Pick<QueryStatus, 'statistics' | 'error'>;

/** The run ended because the server restarted under it (no trustworthy end time). */
export function endedByRestart(status: Timed | null | undefined): boolean {
  return status?.error?.code === 'SERVER_RESTARTED';
}

function queueSeconds(status: Timed | null | undefined): number | null {
  return toNumber(status?.statistics?.queueSeconds);
}

export function executionSeconds(status: Timed | null | undefined): number | null {
  if (endedByRestart(status)) return null;
  return toNumber(status?.statistics?.executionSeconds);
}

/** Queue plus execution time; null when the server measured neither, or the run has no trustworthy end. */
export function runSeconds(status: Timed | null | undefined): number | null {
  if (endedByRestart(status)) return null;
  const queue = queueSeconds(status);
  const execution = executionSeconds(status);
  if (queue === null && execution === null) return null;
  return (queue ?? 0) + (execution ?? 0);
}
