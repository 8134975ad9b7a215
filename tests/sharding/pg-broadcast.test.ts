/**
 * Broadcasts over PostgreSQL LISTEN/NOTIFY (DESIGN §12.2): three processes on one database, as on three hosts, each
 * with its own connections. The tally counts the live processes by their shard claims; a failing or silent process
 * is reported; a lost listening connection is replaced. (The three-process test sends `xpshop reload` this way
 * between real bot processes.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openPg } from '../../src/storage/pg/pool.js';
import { PgBroadcast } from '../../src/sharding/pg-broadcast.js';
import { silentLogger } from '../../src/util/logger.js';
import { pgDatabaseUrl } from '../helpers/pg.js';

const opened: { close(): void }[] = [];
afterEach(() => {
  for (const b of opened.splice(0)) b.close();
});

async function processes(n: number, options: { timeoutMs?: number } = {}) {
  const url = await pgDatabaseUrl();
  const pool = await openPg(url);
  opened.push({ close: () => void pool.end() });
  const ran: number[] = [];
  const all: PgBroadcast[] = [];
  for (let i = 0; i < n; i++) {
    const b = new PgBroadcast(url, silentLogger, { reconnectMs: 50, ...options });
    await b.start();
    b.handle('reloadConfig', async () => void ran.push(i));
    opened.push(b);
    all.push(b);
    // Each serves one shard: its claim is what makes it count as a live process.
    await pool.query('INSERT INTO ShardClaim (ShardCount, ShardId, HolderId, Host, Pid, ClaimedAt, ExpiresAt) VALUES ($1, $2, $3, $4, $5, 0, $6)', [n, i, `holder-${i}`, `host-${i}`, 1000 + i, Date.now() + 600_000]);
  }
  return { url, pool, ran, all };
}

describe('broadcasts over PostgreSQL', () => {
  it('given three processes then one broadcast runs once in each of the other two and the tally says so', async () => {
    const { ran, all } = await processes(3);
    expect(await all[1]!.toOthers('reloadConfig')).toEqual({ reached: 2, of: 2, failures: [] });
    expect(ran.sort()).toEqual([0, 2]);
  });

  it('given a process whose action fails and one that stopped listening then both are reported, the answer still comes', async () => {
    const { ran, all } = await processes(3, { timeoutMs: 1_000 });
    all[1]!.handle('reloadConfig', async () => {
      throw new Error('xp_config.yml was not reloaded here: 2 problems');
    });
    all[2]!.close(); // its claim is still live (a crashed process's claim expires later)
    const result = await all[0]!.toOthers('reloadConfig');
    expect(result).toEqual({ reached: 0, of: 2, failures: ['another process: xp_config.yml was not reloaded here: 2 problems', '1 process did not answer within 1 s'] });
    expect(ran).toEqual([]);
  });

  it('given the listening connections cut by the server then each process listens again and is reached', async () => {
    const { url, ran, all } = await processes(2, { timeoutMs: 500 });
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const cut = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN unicornia_broadcast'`);
    expect(cut.rowCount).toBe(2);
    await admin.end();
    // Listening again takes a reconnect delay: ask until the other answers (each ask waits at most 0.5 s).
    let result = await all[0]!.toOthers('reloadConfig');
    for (let i = 0; i < 20 && result.reached === 0; i++) result = await all[0]!.toOthers('reloadConfig');
    expect(result).toEqual({ reached: 1, of: 1, failures: [] });
    expect(ran).toContain(1);
  });
});
