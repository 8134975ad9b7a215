/**
 * The thread that talks to NadekoBot's PostgreSQL server for nadeko-pg.ts. It answers one request at a time on the
 * port it was given, then wakes the waiting thread through the shared flag. Every failure is answered (never
 * thrown), so the other thread is never left waiting.
 */
import pg from 'pg';
import { workerData, type MessagePort } from 'node:worker_threads';
import type { PgReply, PgRequest } from './nadeko-pg.js';

const { url, connectTimeoutMs, flag: shared, port } = workerData as {
  url: string;
  connectTimeoutMs: number;
  flag: SharedArrayBuffer;
  port: MessagePort;
};
const flag = new Int32Array(shared);

// Snowflakes are NUMERIC(20,0) and counters BIGINT: node-postgres gives both as strings already. Timestamps stay
// text too (Nadeko writes UTC into `timestamp without time zone`; parsing them would apply this machine's zone).
const TEXT_TYPES = new Set([pg.types.builtins.TIMESTAMP, pg.types.builtins.TIMESTAMPTZ, pg.types.builtins.DATE]);
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    TEXT_TYPES.has(oid) ? (value: string) => value : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs, types });
// A connection lost between requests emits 'error'; the next request fails with it and is answered.
client.on('error', () => {});
let cursors = 0;

function answer(reply: PgReply): void {
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

async function handle(req: PgRequest): Promise<PgReply> {
  switch (req.op) {
    case 'open':
      await client.connect();
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      return { ok: true, rows: [], cursor: null };
    case 'query': {
      const cursor = `nadeko_${++cursors}`;
      let n = 0;
      const text = req.sql.replace(/\?/g, () => `$${++n}`);
      await client.query({ text: `DECLARE ${cursor} NO SCROLL CURSOR FOR ${text}`, values: req.params });
      return { ok: true, rows: await fetch(cursor, req.batch), cursor };
    }
    case 'fetch':
      return { ok: true, rows: await fetch(req.cursor, req.batch), cursor: req.cursor };
    case 'closeCursor':
      await client.query(`CLOSE ${req.cursor}`);
      return { ok: true, rows: [], cursor: null };
    case 'close':
      await client.end();
      return { ok: true, rows: [], cursor: null };
  }
}

async function fetch(cursor: string, batch: number): Promise<unknown[][]> {
  const r = await client.query({ text: `FETCH ${batch} FROM ${cursor}`, rowMode: 'array' });
  return r.rows as unknown[][];
}

port.on('message', (req: PgRequest) => {
  handle(req).then(answer, (err: unknown) => {
    const e = err as { message?: string; code?: string };
    const message = e.message ?? String(err);
    // node-postgres says these in words only, without a code.
    const code = e.code ?? (/timeout/i.test(message) && req.op === 'open' ? 'CONNECT_TIMEOUT' : /terminated|not queryable|closed/i.test(message) ? 'CLOSED' : null);
    answer({ ok: false, error: { message, code } });
  });
});
