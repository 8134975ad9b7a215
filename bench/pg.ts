/**
 * Issue 12's PostgreSQL figures, the same methods as the SQLite ones in ./engine.ts: flushes into a 2 000 000-row
 * UserXpStats, the leaderboard page and the median member's rank in a 1 000 000-member guild, and the message hot
 * path with every member cached.
 *
 * The server: BENCH_DATABASE_URL or TEST_DATABASE_URL (a server URL; the bench creates and drops its own database
 * there), otherwise an embedded PostgreSQL started here with its durable defaults (fsync and synchronous commits on,
 * as in production) and removed afterwards.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { BenchSuite, Metric } from './harness.js';
import { median, medianTimeAsync, round } from './harness.js';
import { BASE, enginePass, gains, makeEvents, noWrites } from './engine.js';
import { XpEngine } from '../src/engine/xp-engine.js';
import { isPromise } from '../src/engine/ports.js';
import { ManualClock } from '../src/util/clock.js';
import { silentLogger } from '../src/util/logger.js';
import { openPg, type PgPool } from '../src/storage/pg/pool.js';
import { PgXpReads, PgXpWrites } from '../src/storage/pg/xp-store.js';
import { startEmbeddedPostgres } from '../tests/setup/embedded-server.js';

/** A fresh database on the server; dropped by the returned function. */
export async function benchDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: `${serverUrl}/postgres` });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  return { url: `${serverUrl}/${name}`, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * The same 2 000 000 rows as the SQLite bench: 1 000 000 in one guild (XP skewed towards the bottom, for the query
 * figures) and 1 000 000 over 100 guilds. Generated in the server (one statement each), so building is not the
 * client's speed; the rank-bucket triggers fill XpRankBucket as they do for any insert.
 */
async function buildBigTable(pool: PgPool, log: (s: string) => void): Promise<void> {
  const t0 = performance.now();
  await pool.query('SELECT setseed(0.7)');
  const g = String(BASE);
  await pool.query(
    `INSERT INTO UserXpStats (GuildId, UserId, Xp)
     SELECT $1::bigint, $1::bigint + i, floor(power(random(), 3) * 500000)::bigint FROM generate_series(0, 999999) AS i`,
    [g],
  );
  await pool.query(
    `INSERT INTO UserXpStats (GuildId, UserId, Xp)
     SELECT $1::bigint + 1 + i % 100, $1::bigint + i, floor(random() * 10000)::bigint FROM generate_series(0, 999999) AS i`,
    [g],
  );
  // What autovacuum does soon after a bulk load; without it the first queries would also set hint bits.
  await pool.query('VACUUM ANALYZE UserXpStats');
  await pool.query('VACUUM ANALYZE XpRankBucket');
  log(`built a 2 000 000-row UserXpStats in ${round((performance.now() - t0) / 1000, 1)} s (with VACUUM ANALYZE)`);
}

/**
 * CPU milliseconds the server process behind the pool's one connection has used, when it runs on this machine
 * (/proc); null otherwise. On a shared machine the wall time of a flush includes waiting for a core; the CPU time
 * of both sides says what the flush itself costs.
 */
async function serverCpu(pool: PgPool): Promise<() => number | null> {
  const pid = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  return () => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
    } catch {
      return null;
    }
  };
}

async function flushFigures(pool: PgPool, writerId: string, log: (s: string) => void): Promise<Metric[]> {
  const writes = new PgXpWrites(pool, writerId);
  const cpuOfServer = await serverCpu(pool);
  let seq = 0;
  const timeFlush = async (n: number) => {
    const batch = { seq: ++seq, rows: gains(n, seq * 10_000_000), voice: [], history: [], periods: [] };
    const server0 = cpuOfServer();
    const client0 = process.cpuUsage();
    const t0 = performance.now();
    await writes.flush(batch);
    const ms = performance.now() - t0;
    const client = process.cpuUsage(client0);
    const server1 = cpuOfServer();
    return { ms, cpu: `${round((client.user + client.system) / 1000)} + ${server0 === null || server1 === null ? '?' : round(server1 - server0)}` };
  };
  const f10: { ms: number; cpu: string }[] = [];
  for (let r = 0; r < 3; r++) f10.push(await timeFlush(10_000));
  const f100: { ms: number; cpu: string }[] = [];
  for (let r = 0; r < 3; r++) f100.push(await timeFlush(100_000));
  const show = (runs: { ms: number; cpu: string }[]) => runs.map((f) => `${round(f.ms)} (CPU ${f.cpu})`).join(', ');
  log(`flush 10k: ${show(f10)} ms; 100k: ${show(f100)} ms — CPU ms of this process + the server's connection`);
  return [
    { name: 'pg.flush_10k_in_2M_ms', unit: 'ms', value: round(median(f10.map((f) => f.ms))) },
    { name: 'pg.flush_100k_in_2M_ms', unit: 'ms', value: round(median(f100.map((f) => f.ms))) },
  ];
}

async function queryFigures(pool: PgPool, writerId: string, log: (s: string) => void): Promise<Metric[]> {
  const reads = new PgXpReads(pool, writerId);
  const g = String(BASE);
  const time = (fn: () => Promise<unknown>, n = 200) => medianTimeAsync(fn, n);
  const top = (await reads.leaderboard(g, 0, 1))[0]!;
  const mid = (await reads.leaderboard(g, 500_000, 1))[0]!;
  const top10 = await time(() => reads.leaderboard(g, 0, 10));
  const rankTop = await time(() => reads.rank(g, top.userId, top.xp));
  const rankMid = await time(() => reads.rank(g, mid.userId, mid.xp), 50);
  log(`rank of the median member = ${await reads.rank(g, mid.userId, mid.xp)}; query plans:`);
  for (const [name, plan] of Object.entries(await reads.explain(g))) log(`  ${name}: ${plan.join(' / ')}`);
  return [
    { name: 'pg.top10_1M_ms', unit: 'ms', value: round(top10, 3) },
    { name: 'pg.rank_median_1M_ms', unit: 'ms', value: round(rankMid, 3) },
    { name: 'pg.rank_top_1M_ms', unit: 'ms', value: round(rankTop, 3) },
  ];
}

/**
 * 1 000 000 events of 50 000 members in 20 guilds, as `engine.hotpath_events_per_s`, through an engine reading the
 * PostgreSQL store (PgXpReads) with a cache that holds every member. Warming: one event per member, each a cache
 * miss read asynchronously from PostgreSQL (the engine queues the member's events meanwhile), all awaited; then an
 * untimed pass for the JIT; then five timed passes, in which no message reads the store (median).
 */
async function hotPathFigure(pool: PgPool, writerId: string, log: (s: string) => void): Promise<Metric> {
  const events = makeEvents(1_000_000, 50_000, 20);
  const clock = new ManualClock();
  const reads = new PgXpReads(pool, writerId);
  const engine = new XpEngine({
    reads,
    flushSeq: await reads.lastFlushSeq(),
    erasureSeen: await reads.lastErasureId(),
    writes: noWrites,
    effects: { apply: async () => {} },
    clock,
    logger: silentLogger,
    options: { cacheSize: 100_000, maxBufferedEntries: Number.MAX_SAFE_INTEGER },
  });
  const seen = new Set<string>();
  const loads: Promise<unknown>[] = [];
  const t0 = performance.now();
  for (const e of events) {
    const key = `${e.guildId}:${e.userId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    clock.advance(1);
    const r = engine.handleMessage(e);
    if (isPromise(r)) loads.push(r);
  }
  await Promise.all(loads);
  log(`warm-up: ${seen.size} members, ${loads.length} read from PostgreSQL in ${round((performance.now() - t0) / 1000, 1)} s`);
  enginePass(engine, clock, events);
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) runs.push(enginePass(engine, clock, events));
  log(`hot path, warm cache: ${runs.map((v) => round(v / 1e6, 2)).join(', ')} M/s`);
  return { name: 'pg.hotpath_events_per_s', unit: 'events/s', value: Math.round(median(runs)) };
}

/**
 * Runs `work` on a bench server: BENCH_DATABASE_URL or TEST_DATABASE_URL, else an embedded PostgreSQL with its durable
 * defaults, stopped afterwards. Logs the server's version and durability settings first.
 */
export async function withBenchServer<T>(log: (s: string) => void, work: (serverUrl: string) => Promise<T>): Promise<T> {
  const given = process.env['BENCH_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL'];
  const server = given ? null : await startEmbeddedPostgres({ durable: true });
  const serverUrl = given ?? server!.url;
  try {
    const c = new pg.Client({ connectionString: `${serverUrl}/postgres` });
    await c.connect();
    const s = await c.query<{ v: string; f: string; c: string; b: string }>(
      "SELECT current_setting('server_version') AS v, current_setting('fsync') AS f, current_setting('synchronous_commit') AS c, current_setting('shared_buffers') AS b",
    );
    await c.end();
    const { v, f, c: sync, b } = s.rows[0]!;
    log(`PostgreSQL ${v} (${given ? 'given server' : 'embedded'}; fsync=${f}, synchronous_commit=${sync}, shared_buffers=${b})`);
    return await work(serverUrl);
  } finally {
    await server?.stop();
  }
}

export const pgSuite: BenchSuite = {
  name: 'pg',
  run: (log) =>
    withBenchServer(log, async (serverUrl) => {
      const db = await benchDatabase(serverUrl);
      // One connection: the flush and the queries run one at a time, and its server process is the one measured.
      const pool = await openPg(db.url, { max: 1 });
      try {
        const writerId = randomUUID();
        await buildBigTable(pool, log);
        const metrics = [...(await flushFigures(pool, writerId, log)), ...(await queryFigures(pool, writerId, log))];
        metrics.push(await hotPathFigure(pool, writerId, log));
        return metrics;
      } finally {
        await pool.end();
        await db.drop();
      }
    }),
};
