/**
 * The web side under load (issue 13): page 1 of a 1 000 000-member server and one member's API answer, served by
 * the real web server on a real SQLite file, hit by autocannon with 100 connections from a CHILD process (so the
 * server process's event loop is measured alone). The server process is otherwise idle; its event-loop delay is
 * sampled while the load runs.
 */
import { execFile } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { BenchSuite, Metric } from './harness.js';
import { round } from './harness.js';
import { createCore } from '../src/core.js';
import { ManualClock, ManualScheduler } from '../src/util/clock.js';
import { silentLogger } from '../src/util/logger.js';
import { BotMetrics } from '../src/ops/metrics.js';
import { WebServer } from '../src/web/server.js';
import { pageRoutes } from '../src/web/pages.js';
import { apiRoutes } from '../src/web/api.js';
import { ASSETS } from '../src/web/assets.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GUILD = 1_180_000_000_000_000_001n;
const MEMBERS = 1_000_000;
const run = promisify(execFile);
const AUTOCANNON = fileURLToPath(new URL('../node_modules/.bin/autocannon', import.meta.url));

interface CannonResult {
  latency: { p99: number; average: number };
  requests: { average: number };
  non2xx: number;
  errors: number;
}

async function cannon(url: string, seconds: number): Promise<CannonResult> {
  const { stdout } = await run(AUTOCANNON, ['-c', '100', '-d', String(seconds), '-j', url], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as CannonResult;
}

export const webSuite: BenchSuite = {
  name: 'web',
  async run(log) {
    const dir = mkdtempSync(join(tmpdir(), 'unicornia-bench-web-'));
    const path = join(dir, 'web.db');
    const clock = new ManualClock();
    const core = createCore({ dbPath: path, clock, scheduler: new ManualScheduler(clock), logger: silentLogger, writer: 'inline' });
    const started = performance.now();
    const insertXp = core.db.prepare('INSERT INTO UserXpStats (GuildId, UserId, Xp) VALUES (?, ?, ?)');
    const insertProfile = core.db.prepare('INSERT INTO MemberProfile (GuildId, UserId, Name, NameKey, AvatarUrl, UpdatedAt) VALUES (?, ?, ?, ?, ?, 0)');
    core.db.transaction(() => {
      let seed = 7;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
      for (let i = 0; i < MEMBERS; i++) {
        const user = 1_180_000_000_000_100_000n + BigInt(i);
        insertXp.run(GUILD, user, Math.floor(rnd() ** 3 * 5_000_000));
        // Every member has a typical name and a Discord CDN avatar URL, as the page would show them.
        const name = `member_${i.toString(36)}_${'x'.repeat(i % 20)}`;
        insertProfile.run(GUILD, user, name, name, `https://cdn.discordapp.com/avatars/${user}/a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6.png?size=64`);
      }
    })();
    core.db.prepare("INSERT INTO WebGuild (GuildId, Public, Slug, Name, IconUrl, UpdatedAt) VALUES (?, 1, 'big', 'A Very Big Server', NULL, 0)").run(GUILD);
    const rewards = core.db.prepare('INSERT INTO XpRoleReward (GuildId, Level, RoleId) VALUES (?, ?, ?)');
    const roles = core.db.prepare('INSERT INTO WebRole (GuildId, RoleId, Name, Color) VALUES (?, ?, ?, ?)');
    for (let l = 1; l <= 10; l++) {
      rewards.run(GUILD, l * 10, 1_180_000_000_000_000_100n + BigInt(l));
      roles.run(GUILD, 1_180_000_000_000_000_100n + BigInt(l), `Level ${l * 10} role`, 0x336699 * l);
    }
    core.db.exec('ANALYZE');
    log(`seeded ${MEMBERS.toLocaleString('en-US')} members in ${round((performance.now() - started) / 1000, 1)} s`);

    const reads = core.stores.web;
    // The API's rate limit is per client; the load comes from one client, so it is lifted for the bench. The second
    // server reuses nothing (cacheMs 0): every answer reads the member and computes their rank.
    const serve = (cacheMs?: number) =>
      WebServer.start(
        {
          metrics: new BotMetrics({ defaultMetrics: false }),
          health: () => ({ gatewayConnected: true, flushFailing: false, stopping: false }),
          logger: silentLogger,
          routes: async (app) => {
            pageRoutes(reads)(app);
            await apiRoutes(reads, { perMinute: 100_000_000, ...(cacheMs === undefined ? {} : { cacheMs }) })(app);
          },
        },
        { port: 0, host: '127.0.0.1' },
      );
    const web = await serve();
    const fresh = await serve(0);
    const metrics: Metric[] = [];
    try {
      const page = await fetch(`${web.url}/g/big`);
      const html = await page.text();
      const bytes = Buffer.byteLength(html) + Buffer.byteLength(ASSETS.css.body) + Buffer.byteLength(ASSETS.js.body);
      log(`page 1: ${page.status}, ${Buffer.byteLength(html)} B HTML + ${ASSETS.css.body.length} B CSS + ${ASSETS.js.body.length} B JS`);
      const member = 1_180_000_000_000_100_000n + 123_456n;

      const loop = monitorEventLoopDelay({ resolution: 10 });
      loop.enable();
      const board = await cannon(`${web.url}/g/big`, 10);
      loop.disable();
      log(`board: ${Math.round(board.requests.average)} req/s, p99 ${board.latency.p99} ms, non-2xx ${board.non2xx}, errors ${board.errors}`);
      const api = await cannon(`${web.url}/api/v1/guilds/${GUILD}/members/${member}`, 10);
      log(`api member: ${Math.round(api.requests.average)} req/s, p99 ${api.latency.p99} ms, non-2xx ${api.non2xx}, errors ${api.errors}`);
      const computed = await cannon(`${fresh.url}/api/v1/guilds/${GUILD}/members/${member}`, 10);
      log(`api member, nothing reused: ${Math.round(computed.requests.average)} req/s, p99 ${computed.latency.p99} ms, non-2xx ${computed.non2xx}, errors ${computed.errors}`);
      if (board.non2xx + board.errors + api.non2xx + api.errors + computed.non2xx + computed.errors > 0) throw new Error('the load got error answers: the figures would not be of the page');

      metrics.push(
        { name: 'web.board_p99_ms', unit: 'ms', value: board.latency.p99 },
        { name: 'web.board_req_per_s', unit: 'req/s', value: Math.round(board.requests.average) },
        { name: 'web.api_member_p99_ms', unit: 'ms', value: api.latency.p99 },
        { name: 'web.api_member_uncached_p99_ms', unit: 'ms', value: computed.latency.p99 },
        { name: 'web.page_bytes', unit: 'bytes', value: bytes },
        { name: 'web.loop_p99_ms', unit: 'ms', value: round(loop.percentile(99) / 1e6, 1) },
      );
    } finally {
      await fresh.close();
      await web.close();
      await core.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    return metrics;
  },
};
