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

/** A database path that cannot be used: opening it would not give the one shared file every connection needs. */
export class DatabasePathError extends Error {
  override name = 'DatabasePathError';
}

/**
 * Why a path would open a database private to one connection, or null when it names a file. The bot's connection
 * and the writer thread each open the path: an empty path (SQLite's temporary database), `:memory:` or a `file:` URI
 * (`file::memory:`, `?mode=memory`) would give each its own database, so flushes "succeed" and every gain is lost.
 */
export function privateDatabaseReason(path: string): string | null {
  const p = path.trim();
  if (p === '') return 'is empty, which makes SQLite open a temporary database that is deleted on close';
  if (p === ':memory:' || /^:memory:/i.test(p)) return 'is an in-memory database, which each connection would get a private copy of';
  if (/^file:/i.test(p)) return 'is a file: URI; give a plain file path (URIs can open private in-memory databases)';
  return null;
}

/**
 * Opens (creating if missing) and migrates the database, then proves the file can be written: a write in a
 * transaction that is rolled back. A read-only file (permissions, a read-only mount) would otherwise open fine and
 * fail every flush after the bot has logged in.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const reason = privateDatabaseReason(path);
  if (reason) throw new DatabasePathError(`the path "${path}" ${reason}`);
  if (!options.readonly) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    if (options.readonly) return db;
    db.pragma('journal_mode = WAL');
    // FULL: every commit (a flush, a payment, a queued role change) is on disk when COMMIT returns, so a power loss
    // cannot take back a committed flush; NORMAL would in WAL mode (DESIGN §2.2). One fsync per flush, every 30 s.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db, options.migrations ?? migrations);
    proveWritable(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** An error from opening the file: a refused path, SQLite's own, or the file system's (creating its folder). */
export function isDatabaseError(error: unknown): boolean {
  return error instanceof DatabasePathError || error instanceof Database.SqliteError || (error instanceof Error && typeof (error as NodeJS.ErrnoException).errno === 'number');
}

const ROLLBACK = Symbol('rollback');

/** Throws (SQLITE_READONLY, a full disk, …) unless a write to the file succeeds; the write is rolled back. */
export function proveWritable(db: Db): void {
  try {
    db.transaction(() => {
      db.exec('CREATE TABLE UnicorniaWriteCheck (x INTEGER); INSERT INTO UnicorniaWriteCheck VALUES (1)');
      throw ROLLBACK;
    }).immediate();
  } catch (error) {
    if (error !== ROLLBACK) throw error;
  }
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
