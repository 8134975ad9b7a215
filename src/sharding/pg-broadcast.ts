/**
 * Broadcasts between bot processes on one PostgreSQL database, on one host or several (DESIGN §12.2): LISTEN/NOTIFY
 * on one channel. A process announces an action; every other process that listens runs it and answers on the
 * same channel; the one that asked counts the answers against the processes that hold shard claims (the live bot
 * processes of the database), waiting at most `timeoutMs`.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Broadcast, BroadcastKind, BroadcastResult } from './broadcast.js';
import type { Logger } from '../util/logger.js';

const CHANNEL = 'unicornia_broadcast';

type Note =
  | { t: 'run'; id: string; from: string; kind: BroadcastKind }
  | { t: 'ran'; id: string; to: string; from: string; error: string | null };

export interface PgBroadcastOptions {
  /** How long the asking process waits for the others' answers. Default 10 000 ms. */
  timeoutMs?: number;
  /** How long to wait before listening again after the connection was lost. Default 1 000 ms. */
  reconnectMs?: number;
}

export class PgBroadcast implements Broadcast {
  /** This process's name on the channel. */
  readonly id = randomUUID();
  private readonly handlers = new Map<BroadcastKind, () => Promise<void>>();
  /** Broadcasts this process is waiting on: an answer arrived, or this process stops. */
  private readonly waiting = new Map<string, { answer(from: string, error: string | null): void; stop(): void }>();
  private readonly pool: pg.Pool;
  private listener: pg.Client | null = null;
  private closed = false;
  private readonly timeoutMs: number;
  private readonly reconnectMs: number;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
    options: PgBroadcastOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.reconnectMs = options.reconnectMs ?? 1_000;
    // NOTIFY and the count of live processes: a small pool of its own, so a busy store pool never delays an answer.
    this.pool = new pg.Pool({ connectionString: url, max: 2 });
    this.pool.on('error', () => {});
  }

  /** Starts listening; resolves once this process hears the channel. */
  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (n) => {
      if (n.channel === CHANNEL && n.payload) this.receive(n.payload);
    });
    // A lost connection would silently stop the answers: listen again on a new one.
    client.on('error', () => this.relisten(client));
    client.on('end', () => this.relisten(client));
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.listener = client;
  }

  private relisten(client: pg.Client): void {
    if (this.closed || this.listener !== client) return;
    this.listener = null;
    void client.end().catch(() => {});
    this.logger.warn('lost the broadcast connection to PostgreSQL; listening again');
    const retry = (): void => {
      if (this.closed) return;
      this.start().catch(() => setTimeout(retry, this.reconnectMs));
    };
    setTimeout(retry, this.reconnectMs);
  }

  handle(kind: BroadcastKind, handler: () => Promise<void>): void {
    this.handlers.set(kind, handler);
  }

  async toOthers(kind: BroadcastKind): Promise<BroadcastResult> {
    // Every live bot process holds a claim on its shards (several rows for several shards): the others are all
    // holders but this one, which has its own claim while it serves.
    const live = await this.pool.query<{ n: string }>('SELECT COUNT(DISTINCT HolderId) AS n FROM ShardClaim WHERE ExpiresAt > $1', [Date.now()]);
    const of = Math.max(0, Number(live.rows[0]!.n) - 1);
    const id = randomUUID();
    const answered = new Set<string>();
    const failures: string[] = [];
    let reached = 0;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiting.set(id, {
        answer: (from, error) => {
          if (answered.has(from)) return;
          answered.add(from);
          if (error === null) reached += 1;
          else failures.push(`another process: ${error}`);
          if (answered.size >= of) done();
        },
        stop: () => {
          failures.push('this process is stopping');
          done();
        },
      });
      if (of === 0) return done();
      this.notify({ t: 'run', id, from: this.id, kind }).catch((error: unknown) => {
        failures.push(`the others could not be told (${(error as Error).message})`);
        done();
      });
    });
    this.waiting.delete(id);
    const silent = of - answered.size;
    if (silent > 0) failures.push(`${silent} process${silent === 1 ? '' : 'es'} did not answer within ${this.timeoutMs / 1000} s`);
    return { reached, of: Math.max(of, answered.size), failures };
  }

  private receive(payload: string): void {
    let note: Note;
    try {
      note = JSON.parse(payload) as Note;
    } catch {
      return;
    }
    if (note.t === 'ran') {
      if (note.to === this.id) this.waiting.get(note.id)?.answer(note.from, note.error);
      return;
    }
    if (note.t !== 'run' || note.from === this.id) return;
    const handler = this.handlers.get(note.kind);
    const ran = handler ? handler() : Promise.reject(new Error(`no handler for ${note.kind}`));
    void ran
      .then(
        () => null,
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      )
      .then((error) => this.notify({ t: 'ran', id: note.id, to: note.from, from: this.id, error }))
      .catch((error: unknown) => this.logger.warn({ err: error }, 'could not answer a broadcast'));
  }

  private async notify(note: Note): Promise<void> {
    await this.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(note)]);
  }

  close(): void {
    this.closed = true;
    for (const w of this.waiting.values()) w.stop();
    this.waiting.clear();
    const client = this.listener;
    this.listener = null;
    void client?.end().catch(() => {});
    void this.pool.end().catch(() => {});
  }
}
