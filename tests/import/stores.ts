/**
 * The import's two targets (DESIGN §8): a fresh SQLite file or a fresh PostgreSQL database, and every table of
 * either read back the same way (migrate-store's catalog readers), so one test checks both stores row for row.
 */
import { existsSync } from 'node:fs';
import { PgEnd } from '../../src/storage/copy/pg-end.js';
import { SqliteEnd } from '../../src/storage/copy/sqlite-end.js';
import type { StoreEnd } from '../../src/storage/copy/store-end.js';
import { isPostgresUrl } from '../../src/storage/pg/pool.js';
import { pgDatabaseUrl } from '../helpers/pg.js';
import type { StoreKind } from '../storage/contract/stores.js';

export type Dump = Record<string, Record<string, string | null>[]>;

/** A new, empty target of that kind: a path of no file yet, or the URL of an empty database. */
export async function newTarget(kind: StoreKind, path: (name: string) => string): Promise<string> {
  return kind === 'sqlite' ? path('unicornia.db') : pgDatabaseUrl();
}

/**
 * Every Unicornia table and row, values as text (ids exact), rows sorted, table and column names in lower case.
 * The schema's own version table is left out (it holds when each migration ran). A target not created is {}.
 */
export async function dumpStore(target: string): Promise<Dump> {
  if (!isPostgresUrl(target) && !existsSync(target)) return {};
  const end: StoreEnd = isPostgresUrl(target) ? await PgEnd.open(target) : SqliteEnd.openSource(target);
  const out: Dump = {};
  try {
    await end.begin('read');
    for (const table of await end.tables()) {
      const name = table.name.toLowerCase();
      if (name === 'unicorniaschema') continue;
      const rows: Record<string, string | null>[] = [];
      for await (const batch of end.rows(table, 5000)) {
        for (const row of batch) rows.push(Object.fromEntries(table.columns.map((c, i) => [c.name.toLowerCase(), row[i] === null ? null : String(row[i])])));
      }
      out[name] = rows.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    }
    await end.rollback();
  } finally {
    await end.close();
  }
  return out;
}

/** The rows of one table, reduced to some columns, as `{ column: text }`. */
export function pick(dump: Dump, table: string, columns: string[]): Record<string, string | null>[] {
  return (dump[table] ?? []).map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null])));
}
