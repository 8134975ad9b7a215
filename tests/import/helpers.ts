/** What the import tests share: temp paths, read-only views of the Unicornia file, exact row comparisons. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { ImportSummary } from '../../src/import/summary.js';
import { tempDir } from '../helpers/temp.js';
import type { Db } from './nadeko-fixtures.js';

/** A fresh path per call in a folder removed after the test file. */
export function pathMaker(prefix: string): (name: string) => string {
  const dir = tempDir(prefix);
  let n = 0;
  return (name) => join(dir, `${++n}-${name}`);
}

export function open(target: string): Db {
  const db = new Database(target, { readonly: true });
  db.defaultSafeIntegers(true);
  return db;
}

/** Rows of a table with BigInt turned into strings (ids) or numbers (counters), for exact comparisons. */
export function rows(db: Db, sql: string, ...params: unknown[]): Record<string, unknown>[] {
  return (db.prepare(sql).all(...params) as Record<string, unknown>[]).map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? (/Id$/.test(k) ? v.toString() : Number(v)) : v]),
    ),
  );
}

/** Rows of one query on a closed-after-use connection. */
export function query(target: string, sql: string, ...params: unknown[]): Record<string, unknown>[] {
  const db = open(target);
  try {
    return rows(db, sql, ...params);
  } finally {
    db.close();
  }
}

export function importedTotal(s: ImportSummary): number {
  return Object.values(s.sections).reduce((a, t) => a + t.imported, 0);
}
