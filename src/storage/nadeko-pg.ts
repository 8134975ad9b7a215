/**
 * NadekoBot's PostgreSQL database as a NadekoDb (nadeko-source.ts).
 *
 * The Nadeko reader is synchronous (the importer pulls rows from iterators, as better-sqlite3 gives them), and
 * node-postgres is not. Rather than reading a whole database into memory, a worker thread (nadeko-pg-worker.ts)
 * holds the connection and this thread waits for each answer with Atomics.wait and takes it with
 * receiveMessageOnPort. Rows are fetched through a server-side cursor, 5 000 at a time, so a table of millions of
 * rows never sits in memory at once. The worker reads inside one REPEATABLE READ READ ONLY transaction: every table
 * comes from the same snapshot even while NadekoBot keeps writing, and nothing can be written by mistake.
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { ImportError, type ImportErrorCode } from '../import/errors.js';
import { startWorker } from '../util/worker.js';
import type { NadekoDb } from './nadeko-source.js';
export { isPostgresUrl } from './pg/pool.js';

/** What the worker is asked. Parameters are `?` in `sql`; the worker numbers them. */
export type PgRequest =
  | { op: 'open' }
  | { op: 'query'; sql: string; params: unknown[]; batch: number }
  | { op: 'fetch'; cursor: string; batch: number }
  | { op: 'closeCursor'; cursor: string }
  | { op: 'close' };

export type PgReply =
  | { ok: true; rows: unknown[][]; cursor: string | null }
  | { ok: false; error: { message: string; code: string | null } };

export interface PgSourceOptions {
  /** Milliseconds to wait for the server to accept the connection. Default 5 000. */
  connectTimeoutMs?: number;
}

const BATCH = 5000;
/** A reply later than this means the worker is gone or the server hangs: stop rather than wait forever. */
const ANSWER_TIMEOUT_MS = 10 * 60_000;

export class NadekoPg implements NadekoDb {
  readonly kind = 'a PostgreSQL database';
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private closed = false;

  private constructor(
    url: string,
    readonly location: string,
    connectTimeoutMs: number,
  ) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = startWorker(new URL('./nadeko-pg-worker.ts', import.meta.url), { url, connectTimeoutMs, flag: this.flag.buffer, port: port2 }, [port2]);
    // The import ends by closing the reader; a worker left behind by an error must not keep the process alive.
    this.worker.unref();
    this.worker.on('error', () => {});
  }

  /** Connects and starts the read transaction; throws an ImportError that says what is wrong and what to do. */
  static open(url: string, options: PgSourceOptions = {}): NadekoPg {
    const location = redactPgUrl(url);
    if (location === null) throw new ImportError('pg_bad_url', url.replace(/:[^:@/]*@/, ':***@'));
    const db = new NadekoPg(url, location, options.connectTimeoutMs ?? 5000);
    try {
      db.call({ op: 'open' });
      return db;
    } catch (err) {
      db.close();
      throw err;
    }
  }

  tables(): string[] {
    return this.all(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = ANY (current_schemas(false)) AND table_type = 'BASE TABLE'",
      [],
    ).map((r) => String(r[0]));
  }

  columns(table: string): string[] {
    return this.all(
      'SELECT column_name FROM information_schema.columns WHERE table_schema = ANY (current_schemas(false)) AND table_name = ?',
      [table],
    ).map((r) => String(r[0]));
  }

  *rows(sql: string, params: unknown[]): Generator<unknown[]> {
    let reply = this.call({ op: 'query', sql, params, batch: BATCH });
    const cursor = reply.cursor;
    try {
      for (;;) {
        yield* reply.rows;
        if (cursor === null || reply.rows.length < BATCH) return;
        reply = this.call({ op: 'fetch', cursor, batch: BATCH });
      }
    } finally {
      // A reader that stops early (or fails) leaves no open cursor in the transaction.
      if (cursor !== null && !this.closed) this.call({ op: 'closeCursor', cursor });
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.call({ op: 'close' }, 5000);
    } catch {
      // Closing after a lost connection: nothing is left to end.
    }
    void this.worker.terminate();
    this.port.close();
  }

  private all(sql: string, params: unknown[]): unknown[][] {
    return [...this.rows(sql, params)];
  }

  /** Sends one request and blocks this thread until the worker answers. */
  private call(request: PgRequest, timeoutMs = ANSWER_TIMEOUT_MS): Extract<PgReply, { ok: true }> {
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage(request);
    if (Atomics.wait(this.flag, 0, 0, timeoutMs) === 'timed-out') {
      throw new ImportError('pg_lost', `${this.location} (no answer in ${Math.round(timeoutMs / 1000)} s)`);
    }
    const message = receiveMessageOnPort(this.port)?.message as PgReply | undefined;
    if (!message) throw new ImportError('pg_lost', `${this.location} (the reading thread stopped)`);
    if (!message.ok) throw pgError(this.location, request.op === 'open', message.error);
    return message;
  }
}

/** node-postgres and PostgreSQL failures mapped to what the owner can do about them. */
function pgError(location: string, opening: boolean, error: { message: string; code: string | null }): Error {
  const code = error.code ?? '';
  const detail = `${location} (${error.message})`;
  const as = (c: ImportErrorCode) => new ImportError(c, detail);
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'CONNECT_TIMEOUT'].includes(code)) return as('pg_unreachable');
  if (code === '28P01' || code === '28000') return as('pg_auth');
  if (code === '3D000') return as('pg_no_database');
  // The server went away, was shut down, or cancelled the read: the import stops before writing a partial batch.
  if (code.startsWith('57P') || code.startsWith('08') || code === 'ECONNRESET' || code === 'EPIPE' || code === 'CLOSED') return as('pg_lost');
  if (opening) return as('pg_unreachable');
  return new Error(`PostgreSQL: ${error.message}`);
}

/** The URL as messages show it (no password); null when it is not a usable PostgreSQL URL. */
export function redactPgUrl(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return null;
  }
  if (!/^postgres(ql)?:$/i.test(u.protocol) || u.hostname === '') return null;
  if (u.password) u.password = '***';
  return u.toString();
}
