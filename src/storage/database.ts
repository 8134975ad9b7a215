/**
 * Opening the SQLite file: pragmas for a bot that several processes may share, then the migrations.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations, type Migration } from './migrations.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** Milliseconds a writer waits for another process's lock before failing. Default 5 000. */
  busyTimeoutMs?: number;
  /** Open without write access and without migrating (imports read foreign files this way). Default false. */
  readonly?: boolean;
  /** Migrations to apply; tests pass a prefix to build an old-version file. Default: all. */
  migrations?: readonly Migration[];
}

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  if (!options.readonly && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  if (options.readonly) return db;
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  migrate(db, options.migrations ?? migrations);
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies every migration newer than the file's version, each atomically with its version bump. */
export function migrate(db: Db, list: readonly Migration[] = migrations): void {
  for (const m of list) {
    // IMMEDIATE: two processes starting at once must not both apply the same migration.
    const apply = db.transaction(() => {
      if (schemaVersion(db) >= m.version) return;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    });
    apply.immediate();
  }
}
