// The server's bounds on a stored result, for dev/mock-server.mjs: SQL with the word "truncated"
// gives a result cut to its first 120 rows (MAX_RESULT_ROWS), pages of at most 40 rows whatever
// the limit asked (a page's byte bound), and a "payload" column whose every 10th value was cut on
// the page (truncatedCells) and is served whole by GET /api/query/{id}/value?row=&column=.

const KEPT_ROWS = 120;
const PAGE_ROWS = 40;
const FULL_BYTES = 300_000_000;

const fullValue = (row) => `{"row": ${row}, "blob": "${'x'.repeat(2000)}…"}`;

export function truncatedPlan(ms) {
  return {
    ms, outcome: 'SUCCEEDED', count: KEPT_ROWS,
    truncation: { reason: 'MAX_RESULT_ROWS', limit: KEPT_ROWS },
    maxPageRows: PAGE_ROWS,
    columns: [{ name: 'id', type: 'bigint' }, { name: 'payload', type: 'varchar' }],
    rows: (offset, limit) => Array.from({ length: Math.max(0, Math.min(limit, KEPT_ROWS - offset)) }, (_, i) => {
      const row = offset + i;
      return [row, row % 10 === 0 ? fullValue(row).slice(0, 120) : `{"row": ${row}}`];
    }),
    /** The page's cut values, by row on the page and column index. */
    cutCells: (offset, count) => Array.from({ length: count }, (_, i) => i)
      .filter((i) => (offset + i) % 10 === 0)
      .map((i) => ({ row: i, column: 1, bytes: FULL_BYTES })),
    fullValue: (row, column) => (column === 1 && row % 10 === 0 && row < KEPT_ROWS ? fullValue(row) : null),
  };
}
