/**
 * Opening the PostgreSQL store (DESIGN §7.1): a node-postgres pool, the migrations (serialised across processes by
 * an advisory lock), and a write that is rolled back to prove the role may write, before the bot logs in.
 */
import pg from 'pg';
import { pgMigrations } from './migrations.js';
import type { Migration } from '../migrations.js';

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;

export interface PgOpenOptions {
  /** Connections in the pool. Default 10. */
  max?: number;
  /** Migrations to apply; tests pass a prefix to build an old version. Default: all. */
  migrations?: readonly Migration[];
}

/** Whether a string names a PostgreSQL server rather than an SQLite file. */
export function isPostgresUrl(value: string | undefined): value is string {
  return value !== undefined && /^postgres(ql)?:\/\//i.test(value.trim());
}

/** The advisory lock key that serialises migrations of processes starting at once ("unic" in ASCII). */
const MIGRATION_LOCK = 0x756e6963;

export async function openPg(url: string, options: PgOpenOptions = {}): Promise<PgPool> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // An idle client whose server went away emits 'error' on the pool; unhandled, it would end the process. The
  // next query gets a fresh connection, and the writes that were under way retry (see `withRetry`).
  pool.on('error', () => {});
  try {
    await migratePg(pool, options.migrations ?? pgMigrations);
    await transaction(pool, async (c) => {
      await c.query('INSERT INTO UnicorniaSchema (Version, AppliedAt) VALUES (-1, 0)');
      throw ROLLBACK;
    }).catch((error: unknown) => {
      if (error !== ROLLBACK) throw error;
    });
    return pool;
  } catch (error) {
    await pool.end();
    throw error;
  }
}

const ROLLBACK = Symbol('rollback');

export async function pgSchemaVersion(pool: PgPool | PgClient): Promise<number> {
  const r = await pool.query<{ version: number }>('SELECT COALESCE(MAX(Version), 0) AS version FROM UnicorniaSchema');
  return r.rows[0]!.version;
}

/** Applies every migration newer than the database's version, each in one transaction with its version row. */
export async function migratePg(pool: PgPool, list: readonly Migration[] = pgMigrations): Promise<void> {
  await transaction(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await c.query('CREATE TABLE IF NOT EXISTS UnicorniaSchema (Version INTEGER PRIMARY KEY, AppliedAt BIGINT NOT NULL)');
  });
  for (const m of list) {
    await transaction(pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      if ((await pgSchemaVersion(c)) >= m.version) return;
      await c.query(m.sql);
      await c.query('INSERT INTO UnicorniaSchema (Version, AppliedAt) VALUES ($1, $2)', [m.version, Date.now()]);
    });
  }
}

/** Runs `fn` in one READ COMMITTED transaction on a pooled client; rolls back on error. */
export async function transaction<T>(pool: PgPool, fn: (c: PgClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  let broken = false;
  // A checked-out client whose connection drops also emits 'error'; the failing query reports it already.
  const ignore = () => {};
  c.on('error', ignore);
  try {
    await c.query('BEGIN');
    const value = await fn(c);
    try {
      await c.query('COMMIT');
    } catch (error) {
      if (isConnectionError(error)) Object.assign(error as object, { commitUnknown: true });
      throw error;
    }
    return value;
  } catch (error) {
    broken = isConnectionError(error);
    if (!broken) await c.query('ROLLBACK').catch(() => (broken = true));
    throw error;
  } finally {
    // A client whose connection failed is destroyed, not given back to the pool.
    if (!broken) c.off('error', ignore);
    c.release(broken ? true : undefined);
  }
}

/** A serialization failure or deadlock: the transaction did nothing and can simply run again. */
export function isSerializationError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === '40001' || code === '40P01';
}

/**
 * A lost or refused connection (the server restarted, a network cut, the admin terminated the backend). A COMMIT
 * that fails this way has an unknown outcome: the caller must find out whether it happened (the flush marker).
 */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  if (!e) return false;
  const code = e.code ?? '';
  if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return true;
  if (['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(code)) return true;
  return /Connection terminated|connection error|Client has encountered a connection error|not queryable/i.test(e.message ?? '');
}

export interface RetryOptions {
  attempts?: number;
  baseMs?: number;
  /**
   * `fn` finds out itself whether an earlier run committed (the flush checks its marker), so it may run again after
   * a COMMIT whose answer was lost. Otherwise such a failure is thrown: running a payment again could pay twice.
   */
  idempotent?: boolean;
}

/** A COMMIT was sent but its answer never came: the transaction may or may not have happened. */
export function isCommitUnknown(error: unknown): boolean {
  return (error as { commitUnknown?: boolean } | null)?.commitUnknown === true;
}

/**
 * Runs a transaction again after a serialization failure, a deadlock or a lost connection (before COMMIT, or at
 * COMMIT when `idempotent`), with a short backoff.
 */
export async function withRetry<T>(pool: PgPool, fn: (c: PgClient) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction(pool, fn);
    } catch (error) {
      const again = isSerializationError(error) || (isConnectionError(error) && (options.idempotent || !isCommitUnknown(error)));
      if (attempt >= attempts || !again) throw error;
      await new Promise((r) => setTimeout(r, (options.baseMs ?? 20) * 2 ** (attempt - 1)));
    }
  }
}
