/**
 * What each engine can do, as GET /api/config declares it (engines[].capabilities). The UI asks
 * these, never an engine's name: a query's statistics, Cancel, its download, the schema browser and
 * the editor's SQL dialect follow the capabilities of the engine of that query or tab.
 */

import type { AppConfig, QueryStatus } from './api';

export interface EngineCapabilities {
  /** A running query can be stopped. */
  cancel: boolean;
  /** A failed or cancelled query may still offer what it wrote as a (partial) download. */
  partialDownload: boolean;
  /** Catalogs, databases, tables and columns can be browsed. */
  catalog: boolean;
  /** Queries are priced: statistics carry costUsd. */
  cost: boolean;
  /** The SQL dialect of its queries: "duckdb" or "trino" (others read as standard SQL). */
  dialect: string;
  /** Statistics carry the data a query scanned. */
  scannedBytes: boolean;
  /** A repeated query may be answered from an earlier result. */
  resultReuse: boolean;
  /** The download is the engine's own full result file. */
  engineDownloadLink: boolean;
}

/**
 * What is assumed of an engine the configuration does not describe (it is not loaded yet, or could
 * not be read): what every engine does, and nothing that shows numbers it may not have.
 */
export const BASIC_CAPABILITIES: Readonly<EngineCapabilities> = Object.freeze({
  cancel: true,
  partialDownload: false,
  catalog: true,
  cost: false,
  dialect: 'sql',
  scannedBytes: false,
  resultReuse: false,
  engineDownloadLink: false,
});

/** The capabilities of engine `name` in `config`, or the basic ones when it does not list them. */
export function capabilitiesOf(config: AppConfig | null | undefined, name: string | null | undefined): EngineCapabilities {
  const engine = name ? config?.engines?.find((e) => e.name === name) : undefined;
  return { ...BASIC_CAPABILITIES, ...(engine?.capabilities ?? {}) };
}

/** Which statistics a query of an engine with `caps` shows: only those the engine reports. */
export function shownStatistics(caps: EngineCapabilities): { scanned: boolean; cost: boolean; reused: boolean } {
  return { scanned: caps.scannedBytes, cost: caps.cost, reused: caps.resultReuse };
}

/**
 * Whether a finished query offers a download: a succeeded one always; a failed or cancelled one
 * when its engine keeps what it wrote (a timed-out one never).
 */
export function downloadOffered(status: Pick<QueryStatus, 'state'> | null | undefined, caps: EngineCapabilities): boolean {
  if (!status) return false;
  if (status.state === 'SUCCEEDED') return true;
  return (status.state === 'FAILED' || status.state === 'CANCELLED') && caps.partialDownload;
}
