/** The SQL editor: CodeMirror 6 with SQL highlighting, schema-aware completion, Mod-Enter to run. */

import { EditorState, Compartment, type Extension } from '@codemirror/state';
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
  dropCursor, rectangularSelection, crosshairCursor, highlightSpecialChars, placeholder,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import {
  autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap,
} from '@codemirror/autocomplete';
import {
  bracketMatching, indentOnInput, syntaxHighlighting, defaultHighlightStyle, foldGutter, foldKeymap,
} from '@codemirror/language';
import { searchKeymap, highlightSelectionMatches } from '@codemirror/search';
import { sql, PostgreSQL, StandardSQL, type SQLDialect } from '@codemirror/lang-sql';
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import type { CatalogTable } from './api';
import { BASIC_CAPABILITIES } from './capabilities';
import { completionSchema } from './catalog';
import { t } from './i18n';
import { quoteIdent } from './sqltext';

export interface EditorCallbacks {
  onChange: (sql: string) => void;
  onRun: () => void;
  onFormat: () => void;
  /**
   * Loads the columns of tables the catalog listed without them (a large Athena database lists
   * names only); asked when a statement names such a table and completion is wanted.
   */
  loadColumns?: (target: EditorTarget, names: string[]) => Promise<CatalogTable[]>;
}

export interface EditorTarget {
  engine: string;
  /** The engine's SQL dialect (its capabilities' `dialect`): highlighting and keywords follow it. */
  dialect: string;
  catalog?: string | null;
  database: string | null;
  tables: readonly CatalogTable[];
}

/** The tables a statement names (as a whole word, quoted or not). */
export function mentionedTables<T extends { name: string }>(doc: string, tables: readonly T[]): T[] {
  const lower = doc.toLowerCase();
  return tables.filter((x) => new RegExp(`(^|[^\\w])"?${x.name.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?($|[^\\w])`).test(lower));
}

/**
 * The tables with the columns that were loaded for `asked`; a table asked for and not answered
 * gets an empty column list, so it is not asked for again.
 */
export function mergeColumns(tables: readonly CatalogTable[], loaded: readonly CatalogTable[],
                             asked: readonly string[]): CatalogTable[] {
  const byName = new Map(loaded.map((x) => [x.name, x]));
  const wanted = new Set(asked);
  return tables.map((x) => (wanted.has(x.name) ? { ...x, columns: byName.get(x.name)?.columns ?? [] } : x));
}

/**
 * Column names without a table prefix: lang-sql completes `table.col` only, so this offers the
 * columns of the tables the statement mentions (all tables' when it names none).
 */
export function columnCompletions(doc: string, tables: readonly CatalogTable[]): Completion[] {
  const mentioned = mentionedTables(doc, tables);
  const source = mentioned.length ? mentioned : tables;
  const seen = new Map<string, Completion>();
  for (const table of source) {
    for (const column of table.columns ?? []) {
      if (seen.has(column.name)) continue;
      const quoted = quoteIdent(column.name);
      seen.set(column.name, {
        label: column.name,
        apply: quoted,
        type: 'property',
        detail: [table.name, column.type, ...(column.partitionKey ? [t('schema.partition')] : [])].join(' · '),
        boost: mentioned.length ? 1 : -1,
      });
    }
  }
  return [...seen.values()];
}

/** The editor's dialect for an engine's: DuckDB speaks a PostgreSQL-like SQL; Trino (and others) is closest to standard SQL. */
export function dialectFor(dialect: string): SQLDialect {
  return dialect === 'duckdb' ? PostgreSQL : StandardSQL;
}

export class SqlEditor {
  readonly view: EditorView;
  private readonly language = new Compartment();
  private readonly placeholderCompartment = new Compartment();
  private readonly states = new Map<string, EditorState>();
  private currentKey: string | null = null;
  private target: EditorTarget = { engine: '', dialect: BASIC_CAPABILITIES.dialect, database: null, tables: [] };
  private placeholderText = '';
  private suppressChange = false;

  constructor(parent: HTMLElement, private readonly callbacks: EditorCallbacks, label: string) {
    this.view = new EditorView({
      parent,
      state: this.newState(''),
      dispatchTransactions: (trs, view) => {
        view.update(trs);
        if (!this.suppressChange && trs.some((tr) => tr.docChanged)) {
          this.callbacks.onChange(view.state.doc.toString());
        }
      },
    });
    this.setLabel(label);
  }

  private extensions(): Extension[] {
    const run = () => {
      this.callbacks.onRun();
      return true;
    };
    const format = () => {
      this.callbacks.onFormat();
      return true;
    };
    return [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightSpecialChars(),
      history(),
      foldGutter(),
      drawSelection(),
      dropCursor(),
      EditorState.allowMultipleSelections.of(true),
      indentOnInput(),
      syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
      bracketMatching(),
      closeBrackets(),
      autocompletion({ activateOnTyping: true, icons: true }),
      rectangularSelection(),
      crosshairCursor(),
      highlightActiveLine(),
      highlightSelectionMatches(),
      EditorView.lineWrapping,
      keymap.of([
        { key: 'Mod-Enter', run, preventDefault: true },
        { key: 'Shift-Alt-f', run: format, preventDefault: true },
        ...closeBracketsKeymap,
        ...defaultKeymap,
        ...searchKeymap,
        ...historyKeymap,
        ...foldKeymap,
        ...completionKeymap,
        indentWithTab,
      ]),
      this.language.of(this.languageExtension()),
      this.placeholderCompartment.of(placeholder(this.placeholderText)),
    ];
  }

  private languageExtension(): Extension {
    const database = this.target.database;
    const support = sql({
      dialect: dialectFor(this.target.dialect),
      schema: database ? completionSchema(database, this.target.tables) : {},
      defaultSchema: database ?? undefined,
      upperCaseKeywords: true,
    });
    const target = this.target;
    const columns = async (context: CompletionContext): Promise<CompletionResult | null> => {
      const word = context.matchBefore(/[\w$]+/);
      const from = word ? word.from : context.pos;
      const dotted = from > 0 && context.state.sliceDoc(from - 1, from) === '.';
      if (!word && !context.explicit && !dotted) return null;
      const doc = context.state.doc.toString();
      const tables = await this.withColumnsOf(target, doc);
      // After a dot, lang-sql completes `table.column` from the schema (rebuilt once columns arrive).
      if (dotted || context.aborted) return null;
      const options = columnCompletions(doc, tables);
      return options.length ? { from, options, validFor: /^[\w$]*$/ } : null;
    };
    return [support, support.language.data.of({ autocomplete: columns })];
  }

  /**
   * The target's tables, with the columns of those `doc` names loaded first when the catalog
   * listed them bare. What arrives is kept, and the lang-sql schema is rebuilt with it.
   */
  private async withColumnsOf(target: EditorTarget, doc: string): Promise<readonly CatalogTable[]> {
    const load = this.callbacks.loadColumns;
    const bare = mentionedTables(doc, target.tables).filter((x) => !x.columns);
    if (!load || bare.length === 0) return target.tables;
    const loaded = await load(target, bare.map((x) => x.name)).catch(() => [] as CatalogTable[]);
    if (this.target !== target || loaded.length === 0) return target.tables;
    const tables = mergeColumns(target.tables, loaded, bare.map((x) => x.name));
    this.setTarget({ ...target, tables });
    return tables;
  }

  private newState(doc: string): EditorState {
    return EditorState.create({ doc, extensions: this.extensions() });
  }

  /** Shows the tab `key` (each tab keeps its own undo history and selection). */
  showTab(key: string, doc: string): void {
    if (this.currentKey === key) {
      if (this.doc !== doc) {
        this.suppressChange = true;
        this.view.setState(this.newState(doc));
        this.suppressChange = false;
      }
      return;
    }
    if (this.currentKey) this.states.set(this.currentKey, this.view.state);
    let state = this.states.get(key);
    if (!state || state.doc.toString() !== doc) state = this.newState(doc);
    this.currentKey = key;
    this.suppressChange = true;
    this.view.setState(state);
    // Bring the stored state up to date with the current schema and language.
    this.view.dispatch({
      effects: [
        this.language.reconfigure(this.languageExtension()),
        this.placeholderCompartment.reconfigure(placeholder(this.placeholderText)),
      ],
    });
    this.suppressChange = false;
  }

  forgetTab(key: string): void {
    this.states.delete(key);
  }

  setTarget(target: EditorTarget): void {
    this.target = target;
    this.view.dispatch({ effects: this.language.reconfigure(this.languageExtension()) });
  }

  /** Rebuilds the completion (its details are in the UI's language). */
  retranslate(): void {
    this.setTarget(this.target);
  }

  setLabel(label: string): void {
    this.view.contentDOM.setAttribute('aria-label', label);
  }

  setPlaceholder(text: string): void {
    this.placeholderText = text;
    this.view.dispatch({ effects: this.placeholderCompartment.reconfigure(placeholder(text)) });
  }

  get doc(): string {
    return this.view.state.doc.toString();
  }

  /** Replaces the whole text (one undoable change). */
  setDoc(text: string): void {
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text } });
  }

  get selection(): { from: number; to: number; head: number } {
    const main = this.view.state.selection.main;
    return { from: main.from, to: main.to, head: main.head };
  }

  replaceRange(from: number, to: number, text: string): void {
    this.view.dispatch({ changes: { from, to, insert: text }, selection: { anchor: from + text.length } });
  }

  /** Inserts text at the cursor (replacing the selection) and keeps the focus in the editor. */
  insertAtCursor(text: string): void {
    const { from, to } = this.view.state.selection.main;
    this.view.dispatch({
      changes: { from, to, insert: text },
      selection: { anchor: from + text.length },
      scrollIntoView: true,
    });
    this.view.focus();
  }

  /** Briefly marks a range (the statement that was sent). */
  select(from: number, to: number): void {
    this.view.dispatch({ selection: { anchor: from, head: to }, scrollIntoView: true });
  }

  focus(): void {
    this.view.focus();
  }
}
