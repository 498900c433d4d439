/** Catalog lookups (catalogs → databases → tables → columns), memoised per session, and the autocomplete schema. */

import { normalizeTables, type ApiClient, type CatalogTable } from './api';
import type { Completion } from '@codemirror/autocomplete';
import { t } from './i18n';

type CatalogApi = Pick<ApiClient, 'catalogs' | 'databases' | 'tables' | 'table'>;

export class CatalogService {
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(private readonly api: CatalogApi) {}

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = load();
      this.memo.set(key, p);
      p.catch(() => this.memo.delete(key));
    }
    return p;
  }

  catalogs(engine: string): Promise<string[]> {
    return this.cached(`c|${engine}`, async () => (await this.api.catalogs(engine)).data.items ?? []);
  }

  databases(engine: string, catalog: string): Promise<string[]> {
    return this.cached(`d|${engine}|${catalog}`, async () => (await this.api.databases(engine, catalog)).data.items ?? []);
  }

  tables(engine: string, catalog: string, database: string): Promise<CatalogTable[]> {
    return this.cached(`t|${engine}|${catalog}|${database}`,
      async () => normalizeTables((await this.api.tables(engine, catalog, database)).data.items ?? []));
  }

  /** A table with its columns: from the tables list when it carried them, else the table route. */
  async table(engine: string, catalog: string, database: string, name: string): Promise<CatalogTable> {
    const listed = (await this.tables(engine, catalog, database).catch(() => [] as CatalogTable[]))
      .find((x) => x.name === name);
    if (listed?.columns) return listed;
    return this.cached(`x|${engine}|${catalog}|${database}|${name}`,
      async () => (await this.api.table(engine, catalog, database, name)).data);
  }

  clear(): void {
    this.memo.clear();
  }
}

export type CompletionSchema = { [name: string]: CompletionSchema | readonly Completion[] };

/** The shape @codemirror/lang-sql takes: { database: { table: [columns] } }, with column types as detail. */
export function completionSchema(database: string, tables: readonly CatalogTable[]): CompletionSchema {
  const inner: CompletionSchema = {};
  for (const table of tables) {
    inner[table.name] = (table.columns ?? []).map((c) => ({
      label: c.name,
      type: 'property',
      detail: c.partitionKey ? `${c.type} · ${t('schema.partition')}` : c.type,
    }));
  }
  return { [database]: inner };
}
