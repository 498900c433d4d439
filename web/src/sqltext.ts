/** SQL text helpers: the statement under the cursor, and identifier quoting. Pure. */

export interface Statement {
  from: number;
  to: number;
  text: string;
}

interface Segment {
  start: number;
  /** Position of the terminating ';' or the text's length. */
  end: number;
  hasCode: boolean;
}

/** Splits on top-level semicolons, skipping quotes, comments and $tag$ blocks. */
export function splitStatements(sql: string): Segment[] {
  const segments: Segment[] = [];
  let start = 0;
  let hasCode = false;
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const eol = sql.indexOf('\n', i + 2);
      i = eol < 0 ? n : eol + 1;
      continue;
    }
    if (c === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      hasCode = true;
      i++;
      while (i < n) {
        if (sql[i] === c) {
          if (sql[i + 1] === c) { i += 2; continue; }
          i++;
          break;
        }
        if (c === "'" && sql[i] === '\\' && i + 1 < n) { i += 2; continue; }
        i++;
      }
      continue;
    }
    if (c === '$') {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 66));
      if (m) {
        hasCode = true;
        const close = sql.indexOf(m[0], i + m[0].length);
        i = close < 0 ? n : close + m[0].length;
        continue;
      }
    }
    if (c === ';') {
      segments.push({ start, end: i, hasCode });
      start = i + 1;
      hasCode = false;
      i++;
      continue;
    }
    if (!/\s/.test(c)) hasCode = true;
    i++;
  }
  segments.push({ start, end: n, hasCode });
  return segments;
}

function trimmed(sql: string, seg: Segment): Statement {
  let from = seg.start;
  let to = seg.end;
  while (from < to && /\s/.test(sql[from])) from++;
  while (to > from && /\s/.test(sql[to - 1])) to--;
  return { from, to, text: sql.slice(from, to) };
}

/**
 * The statement the cursor is in. A cursor right after a ';', or on the blank lines before the
 * next statement, belongs to the statement that ';' ends; a cursor in blank text with nothing
 * before it belongs to the statement after it. Null when the text has no statement at all.
 */
export function statementAt(sql: string, pos: number): Statement | null {
  const segments = splitStatements(sql);
  pos = Math.max(0, Math.min(pos, sql.length));
  let index = segments.findIndex((s) => pos >= s.start && pos <= s.end);
  if (index < 0) index = segments.length - 1;
  if (index > 0 && segments[index - 1].hasCode) {
    const seg = segments[index];
    // Right after the ';', or in the blank (or comment-only) lead-in before the next statement's
    // first line: the statement that ';' ended is meant.
    const codeStart = trimmed(sql, seg).from;
    const lineStart = sql.lastIndexOf('\n', codeStart - 1) + 1;
    if (pos === seg.start || (pos < codeStart && pos < lineStart)) index--;
  }
  if (!segments[index].hasCode) {
    let found = -1;
    for (let k = index - 1; k >= 0; k--) if (segments[k].hasCode) { found = k; break; }
    if (found < 0) for (let k = index + 1; k < segments.length; k++) if (segments[k].hasCode) { found = k; break; }
    if (found < 0) return null;
    index = found;
  }
  return trimmed(sql, segments[index]);
}

/** What to run: the selection when there is one (with code), else the statement under the cursor. */
export function sqlToRun(sql: string, selFrom: number, selTo: number): Statement | null {
  if (selTo !== selFrom) {
    const from = Math.min(selFrom, selTo);
    const to = Math.max(selFrom, selTo);
    const seg = splitStatements(sql.slice(from, to));
    if (seg.some((s) => s.hasCode)) {
      let a = from;
      let b = to;
      while (a < b && /\s/.test(sql[a])) a++;
      while (b > a && /\s/.test(sql[b - 1])) b--;
      // A single trailing ';' is not part of the statement.
      let text = sql.slice(a, b);
      if (text.endsWith(';') && splitStatements(text).filter((s) => s.hasCode).length === 1) {
        text = text.slice(0, -1).trimEnd();
        b = a + text.length;
      }
      return { from: a, to: b, text };
    }
  }
  return statementAt(sql, selTo);
}

const RESERVED = new Set([
  'all', 'alter', 'and', 'any', 'array', 'as', 'asc', 'between', 'by', 'case', 'cast', 'check', 'column',
  'constraint', 'create', 'cross', 'current_date', 'current_time', 'current_timestamp', 'current_user',
  'date', 'default', 'delete', 'desc', 'describe', 'distinct', 'drop', 'else', 'end', 'escape', 'except',
  'exists', 'extract', 'false', 'fetch', 'for', 'foreign', 'from', 'full', 'grant', 'group', 'having', 'in',
  'inner', 'insert', 'intersect', 'interval', 'into', 'is', 'join', 'key', 'lateral', 'left', 'like', 'limit',
  'natural', 'not', 'null', 'offset', 'on', 'or', 'order', 'outer', 'over', 'partition', 'primary', 'range',
  'references', 'right', 'rollup', 'row', 'rows', 'select', 'set', 'some', 'table', 'then', 'time',
  'timestamp', 'to', 'true', 'union', 'unique', 'unnest', 'update', 'user', 'using', 'values', 'when',
  'where', 'window', 'with',
]);

/** A SQL identifier, double-quoted when it is not plain lower-case or is a reserved word. */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** database.table, each part quoted if needed; the database is left out when it is the current one. */
export function qualifiedName(parts: readonly string[]): string {
  return parts.map(quoteIdent).join('.');
}
