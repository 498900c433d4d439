import { describe, expect, it } from 'vitest';
import { qualifiedName, quoteIdent, splitStatements, sqlToRun, statementAt } from '../src/sqltext';

const at = (sql: string) => {
  const pos = sql.indexOf('|');
  return statementAt(sql.replace('|', ''), pos)?.text ?? null;
};

describe('statement under the cursor', () => {
  it('picks the statement the cursor is in', () => {
    expect(at('SELECT 1;\nSEL|ECT 2;\nSELECT 3;')).toBe('SELECT 2');
    expect(at('SELECT| 1;\nSELECT 2')).toBe('SELECT 1');
    expect(at('SELECT 1;\nSELECT 2|')).toBe('SELECT 2');
    expect(at('SELECT 1|')).toBe('SELECT 1');
  });

  it('gives a cursor right after ";" to the statement it ends', () => {
    expect(at('SELECT 1;|\nSELECT 2;')).toBe('SELECT 1');
    expect(at('SELECT 1;|SELECT 2;')).toBe('SELECT 1');
    expect(at('SELECT 1;  |\nSELECT 2;')).toBe('SELECT 1');
    expect(at('SELECT 1; |SELECT 2;')).toBe('SELECT 2');
  });

  it('in a blank stretch, uses the statement before, else after', () => {
    expect(at('SELECT 1;\n\n|\n\nSELECT 2;')).toBe('SELECT 1');
    expect(at('\n|\nSELECT 2;')).toBe('SELECT 2');
    expect(at('SELECT 1;\nSELECT 2;\n|')).toBe('SELECT 2');
    expect(at('  |  ')).toBeNull();
    expect(at('-- only a comment|')).toBeNull();
  });

  it('ignores semicolons in strings, quoted names, comments and $$ blocks', () => {
    expect(at("SELECT 'a;b' AS \"x;y\" -- c;d\nFROM t|;SELECT 2")).toBe("SELECT 'a;b' AS \"x;y\" -- c;d\nFROM t");
    expect(at("SELECT 'it''s;' |;")).toBe("SELECT 'it''s;'");
    expect(at('SELECT /* ; */ 1|; SELECT 2')).toBe('SELECT /* ; */ 1');
    expect(at('SELECT $$a;b$$, $tag$;$tag$ |; SELECT 2')).toBe('SELECT $$a;b$$, $tag$;$tag$');
    expect(splitStatements("SELECT 'unterminated;").length).toBe(1);
  });
});

describe('what to run', () => {
  it('runs the selection when there is one', () => {
    const sql = 'SELECT 1;\nSELECT 2;\nSELECT 3;';
    const from = sql.indexOf('SELECT 2');
    expect(sqlToRun(sql, from, from + 'SELECT 2;'.length)?.text).toBe('SELECT 2');
    expect(sqlToRun(sql, from, sql.length)?.text).toBe('SELECT 2;\nSELECT 3;');
    expect(sqlToRun(sql, from + 3, from)?.text).toBe('SEL');
  });

  it('falls back to the cursor statement for an empty or blank selection', () => {
    const sql = 'SELECT 1;\n\nSELECT 2;';
    expect(sqlToRun(sql, 3, 3)?.text).toBe('SELECT 1');
    expect(sqlToRun(sql, 9, 10)?.text).toBe('SELECT 1');
    expect(sqlToRun(sql, 9, 11)?.text).toBe('SELECT 2');
    expect(sqlToRun('', 0, 0)).toBeNull();
  });
});

describe('identifier quoting', () => {
  it('leaves plain lower-case names alone', () => {
    expect(quoteIdent('events')).toBe('events');
    expect(quoteIdent('_a1')).toBe('_a1');
  });

  it('quotes mixed case, spaces, reserved words and quotes', () => {
    expect(quoteIdent('Order')).toBe('"Order"');
    expect(quoteIdent('order')).toBe('"order"');
    expect(quoteIdent('Signup Date')).toBe('"Signup Date"');
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteIdent('1abc')).toBe('"1abc"');
    expect(quoteIdent('date')).toBe('"date"');
  });

  it('qualifies names part by part', () => {
    expect(qualifiedName(['analytics', 'sessions'])).toBe('analytics.sessions');
    expect(qualifiedName(['AwsDataCatalog', 'default', 'logs'])).toBe('"AwsDataCatalog"."default".logs');
  });
});
