import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  catalogKeys, chooseLocale, getLocale, hasCode, LOCALES, matchLocale, messageFor, onLocaleChange, setLocale, t,
} from '../src/i18n';

/**
 * Every messageCode the API answers with: the server's MessageCode enum, when the server module sits
 * beside this one (the server's own test checks that docs/API.md documents each of them).
 */
function codesOfTheServer(): string[] {
  const file = fileURLToPath(new URL('../../server/src/main/java/io/sluice/api/MessageCode.java', import.meta.url));
  if (!fs.existsSync(file)) return [];
  const codes: string[] = [];
  for (const [, code] of fs.readFileSync(file, 'utf8').matchAll(/^\s+([A-Z][A-Z0-9_]+)\(\d{3}\)[,;]/gm)) {
    codes.push(code);
  }
  return codes;
}

/** The server's own catalog keys, when the server module sits beside this one. */
function codesInServerCatalog(): string[] {
  const file = fileURLToPath(new URL('../../server/src/main/resources/i18n/messages_en.properties', import.meta.url));
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#') && line.includes('='))
    .map((line) => line.slice(0, line.indexOf('=')).trim());
}


const KNOWN_CODES = [
  'HEALTHY', 'CONFIG', 'QUERY_SUBMITTED', 'QUERY_STATUS', 'QUERY_RESULTS', 'QUERY_REFRESHED', 'QUERY_HISTORY',
  'QUERY_SUCCEEDED', 'QUERY_CANCELLED', 'QUERY_ALREADY_CANCELLED', 'DOWNLOAD_READY', 'CATALOG_LISTED',
  'INVALID_JSON', 'INVALID_FIELD', 'QUERY_EMPTY', 'QUERY_TOO_LONG', 'UNKNOWN_ENGINE', 'INVALID_LIMIT',
  'INVALID_CURSOR', 'INVALID_STATE', 'INVALID_REQUEST_ID', 'UNAUTHENTICATED', 'LINK_INVALID', 'LINK_EXPIRED',
  'QUERY_NOT_FOUND', 'REQUEST_NOT_FOUND', 'ROUTE_NOT_FOUND', 'RESULT_NOT_AVAILABLE', 'CATALOG_NOT_FOUND',
  'DATABASE_NOT_FOUND', 'TABLE_NOT_FOUND', 'METHOD_NOT_ALLOWED', 'QUERY_NOT_FINISHED', 'QUERY_ALREADY_FINISHED',
  'REQUEST_ID_IN_USE', 'QUERY_TIMED_OUT', 'REQUEST_TOO_LARGE', 'QUERY_FAILED', 'SCAN_LIMIT_EXCEEDED',
  'SYNTAX_ERROR', 'INTERNAL_ERROR', 'NETWORK_ERROR', 'BAD_RESPONSE',
  // The server's protections: a metadata store outage, the per-user limit of queued and running
  // queries, statements and writes the server refuses, an identity it cannot believe.
  'STORE_UNAVAILABLE', 'TOO_MANY_QUERIES', 'STATEMENT_NOT_ALLOWED', 'WRITE_QUOTA_EXCEEDED', 'IDENTITY_INVALID',
  // Data sources, async tasks and the workspace (the tasks' codes before the server has them).
  'DATASOURCES_LISTED', 'CONNECTION_TEST_SUCCEEDED', 'CONNECTION_NOT_FOUND', 'PATH_NOT_ALLOWED', 'AUTH_FAILED',
  'CONNECTION_TIMEOUT', 'ATTACH_FAILED', 'TASK_SUBMITTED', 'TASKS_LISTED', 'TASK_DETAILS', 'TASK_CANCELLED',
  'TASK_NOT_FOUND', 'TASK_ALREADY_FINISHED', 'TASK_NOT_RETRYABLE', 'VALIDATION_ERROR', 'WORKSPACE_TABLES',
  'WORKSPACE_TABLE_DROPPED',
  // Warnings on submit and status (not answer codes): a budget, the linter's findings.
  'BUDGET_NEARLY_SPENT', 'BUDGET_OVERRIDDEN', 'LINT_UNPARSEABLE', 'LINT_NO_PARTITION_FILTER', 'LINT_SELECT_STAR_WIDE',
  'LINT_NO_LIMIT',
];

describe('message catalog', () => {
  it('has a text for every messageCode of the API contract, in both languages', () => {
    const fromServer = codesOfTheServer();
    const all = new Set([...KNOWN_CODES, ...fromServer]);
    expect(fromServer.length === 0 || fromServer.includes('QUERY_SUBMITTED')).toBe(true);
    for (const locale of LOCALES) {
      const missing = [...all].filter((code) => !hasCode(code, locale));
      expect(missing, `codes missing in ${locale}`).toEqual([]);
    }
  });

  it('covers every code in the server catalog, and its texts of Sluice errors with parameters', () => {
    const serverKeys = codesInServerCatalog();
    const errorTexts = serverKeys.filter((key) => key.startsWith('error.'));
    expect(serverKeys.length === 0 || errorTexts.includes('error.QUERY_TIMED_OUT')).toBe(true);
    for (const locale of LOCALES) {
      const missing = serverKeys.filter((key) => !key.includes('.') && !hasCode(key, locale));
      expect(missing, `server codes missing in ${locale}`).toEqual([]);
      const known = new Set(catalogKeys(locale).ui);
      expect(errorTexts.filter((key) => !known.has(key)), `server error texts missing in ${locale}`).toEqual([]);
    }
  });

  it('has the same keys in zh-CN and en, with no empty texts', () => {
    const zh = catalogKeys('zh-CN');
    const en = catalogKeys('en');
    expect([...zh.ui].sort()).toEqual([...en.ui].sort());
    expect([...zh.codes].sort()).toEqual([...en.codes].sort());
    for (const locale of LOCALES) {
      for (const key of catalogKeys(locale).ui) expect(t(key, undefined, locale).trim(), key).not.toBe('');
    }
  });

  it('uses the same {placeholders} in both languages', () => {
    for (const key of catalogKeys('en').ui) {
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(t(key, undefined, 'zh-CN')), key).toEqual(names(t(key, undefined, 'en')));
    }
  });
});

describe('messageFor', () => {
  it('renders a known code from the UI catalog, never from the server message', () => {
    expect(messageFor('QUERY_NOT_FOUND', '查询不存在', 'en')).toBe('Query not found');
    expect(messageFor('QUERY_NOT_FOUND', 'Query not found', 'zh-CN')).toBe('查询不存在');
  });

  it('falls back to the server message only for unknown codes, then to the code', () => {
    expect(messageFor('SOMETHING_NEW', 'Something new happened', 'en')).toBe('Something new happened');
    expect(messageFor('SOMETHING_NEW', null, 'en')).toBe('SOMETHING_NEW');
    expect(messageFor(null, null, 'en')).toBe('');
  });
});

describe('t', () => {
  it('interpolates parameters and leaves unknown ones alone', () => {
    expect(t('results.range', { from: 1, to: 100, total: '1,000' }, 'en')).toBe('rows 1–100 of 1,000');
    expect(t('results.range', { from: 1 }, 'en')).toBe('rows 1–{to} of {total}');
  });

  it('shows an unknown key as itself', () => {
    expect(t('no.such.key', undefined, 'en')).toBe('no.such.key');
  });
});

describe('locale choice', () => {
  it('prefers the stored choice, then the browser, then zh-CN', () => {
    expect(chooseLocale('en', ['zh-CN'])).toBe('en');
    expect(chooseLocale(null, ['fr-FR', 'en-GB'])).toBe('en');
    expect(chooseLocale('xx', ['zh-TW'])).toBe('zh-CN');
    expect(chooseLocale(null, ['fr'])).toBe('zh-CN');
    expect(matchLocale('EN-us')).toBe('en');
    expect(matchLocale(undefined)).toBeNull();
  });

  it('tells listeners about a switch, once', () => {
    setLocale('zh-CN');
    const seen: string[] = [];
    const off = onLocaleChange((l) => seen.push(l));
    setLocale('en');
    setLocale('en');
    off();
    setLocale('zh-CN');
    expect(seen).toEqual(['en']);
    expect(getLocale()).toBe('zh-CN');
  });
});

describe('keys used by the UI', () => {
  it('all exist in the catalog', () => {
    const dir = fileURLToPath(new URL('../src/', import.meta.url));
    const known = new Set(catalogKeys('en').ui);
    const prefixes = 'app|picker|lang|side|tabs|editor|toolbar|action|status|state|stats|notice|results|grid|value|pager|download|history|schema|config|common|unit|error|nav|dash|budget|lint|maxscan';
    const pattern = new RegExp(`['"]((?:${prefixes})\\.[A-Za-z_]+)['"]`, 'g');
    const used = new Set<string>();
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'i18n.ts')) {
      for (const m of fs.readFileSync(dir + file, 'utf8').matchAll(pattern)) used.add(m[1]);
    }
    for (const s of ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT']) used.add(`state.${s}`);
    for (const p of ['schema', 'history', 'config']) used.add(`side.${p}`);
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((k) => !known.has(k))).toEqual([]);
  });
});

/**
 * Text a user reads must come from the catalog. Caught here: literal text put into textContent,
 * a word written after a value in a template (a unit such as `${n} min`), and a label joined to a
 * value (' · partition'). Unit symbols that read the same in every language (B, KB…GB) are allowed.
 */
describe('user-facing text in the sources', () => {
  const SYMBOLS = new Set(['B', 'KB', 'MB', 'GB', 'TB', 'PB']);

  function offences(source: string): string[] {
    const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    const found: string[] = [];
    for (const m of code.matchAll(/\.textContent\s*=\s*(['"`])((?:(?!\1).)*)\1/g)) {
      if (/[A-Za-z\u4e00-\u9fff]/.test(m[2].replace(/\$\{[^}]*\}/g, ''))) found.push(m[0]);
    }
    // Quoted strings first (a '`' among them would open a false template).
    const templates = code.replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, "''");
    for (const m of templates.matchAll(/`[^`]*`/g)) {
      for (const after of m[0].matchAll(/\}([^`$]*)/g)) {
        const word = /^\s+(?:·\s*)?([A-Za-z\u4e00-\u9fff]+)/.exec(after[1]);
        if (word && !SYMBOLS.has(word[1])) found.push(m[0]);
      }
    }
    for (const m of code.matchAll(/(['"`])\s*·\s*[A-Za-z\u4e00-\u9fff][^'"`]*\1/g)) found.push(m[0]);
    return found;
  }

  it('finds such text in an example', () => {
    expect(offences("el.textContent = 'Loading';")).toHaveLength(1);
    expect(offences('return `${n / 60} min`;')).toHaveLength(1);
    expect(offences("x ? ' · partition' : ''")).toHaveLength(1);
    expect(offences('const d = `${c.type} · partition`;')).toHaveLength(1);
    expect(offences("el.textContent = '▸'; el.textContent = t('a.b'); const s = `${n} GB`;")).toEqual([]);
  });

  it('has none outside the catalog', () => {
    const dir = fileURLToPath(new URL('../src/', import.meta.url));
    const found: string[] = [];
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'i18n.ts')) {
      for (const o of offences(fs.readFileSync(dir + file, 'utf8'))) found.push(`${file}: ${o}`);
    }
    expect(found).toEqual([]);
  });
});
