/**
 * NadekoBot's SQLite file as a NadekoDb (nadeko-source.ts). The file is opened read-only, checked (SQLite header,
 * quick_check), and read inside one read transaction, so every table comes from the same snapshot even if NadekoBot
 * is running. Integers come out as BigInt (safe-integers mode): Discord snowflakes exceed 2^53.
 */
import Database from 'better-sqlite3';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { ImportError, sourceError } from '../import/errors.js';
import type { NadekoDb } from './nadeko-source.js';

type Db = Database.Database;

export interface SqliteSourceOptions {
  /** Milliseconds to wait for NadekoBot's write lock before giving up. Default 5 000. */
  busyTimeoutMs?: number;
}

const SQLITE_HEADER = 'SQLite format 3\0';

export class NadekoSqlite implements NadekoDb {
  readonly kind = 'an SQLite database';

  private constructor(
    private readonly db: Db,
    readonly location: string,
  ) {}

  /** Opens and checks the file; throws an ImportError that says what is wrong and what to do. */
  static open(path: string, options: SqliteSourceOptions = {}): NadekoSqlite {
    checkHeader(path);
    let db: Db | undefined;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
      db.defaultSafeIntegers(true);
      // The XP rows are read sorted by Unicornia's key; keep that sort in memory.
      db.pragma('temp_store = MEMORY');
      db.pragma('cache_size = -131072');
      // One read transaction for the whole import: every table from the same snapshot.
      db.exec('BEGIN');
      const check = db.pragma('quick_check(5)', { simple: false }) as { quick_check: string }[];
      if (check.length !== 1 || check[0]!.quick_check !== 'ok') {
        throw new ImportError('corrupt', `${path} (${check.map((c) => c.quick_check).join('; ')})`);
      }
      return new NadekoSqlite(db, path);
    } catch (err) {
      db?.close();
      if (err instanceof ImportError) throw err;
      throw sourceError(path, err) ?? err;
    }
  }

  tables(): string[] {
    return this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
  }

  columns(table: string): string[] {
    return this.db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[];
  }

  /** Iterates a statement, turning SQLite failures (a page found corrupt mid-read) into ImportErrors. */
  *rows(sql: string, params: unknown[]): Generator<unknown[]> {
    try {
      yield* this.db.prepare(sql).raw(true).iterate(...params) as IterableIterator<unknown[]>;
    } catch (err) {
      throw sourceError(this.location, err) ?? err;
    }
  }

  close(): void {
    if (this.db.inTransaction) this.db.exec('COMMIT');
    this.db.close();
  }
}

function checkHeader(path: string): void {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    throw new ImportError('not_found', path);
  }
  if (size < 100) throw new ImportError(size === 0 ? 'not_sqlite' : 'corrupt', `${path} (${size} bytes)`);
  const buf = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buf, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (buf.toString('latin1') !== SQLITE_HEADER) throw new ImportError('not_sqlite', path);
}
