/**
 * Issue 11 item 7's `decay.preview_1M_s`: `decay preview` over a server of 1 000 000 members (SQLite file, real
 * core), from stored totals and last days of earning, with reward roles at several levels. The preview reads members
 * in chunks and yields between them; the event loop's delay while it runs is reported beside it
 * (`decay.preview_loop_p99_ms`), since the bot must keep answering meanwhile (DESIGN §15.4).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { BenchSuite, Metric } from './harness.js';
import { median, round } from './harness.js';
import { createCore } from '../src/core.js';
import { openDatabase } from '../src/storage/database.js';
import { previewDecay } from '../src/jobs/decay.js';
import { utcDay } from '../src/engine/history.js';
import { ManualClock, ManualScheduler } from '../src/util/clock.js';
import { silentLogger } from '../src/util/logger.js';

const MEMBERS = 1_000_000;
const GUILD = 1_152_921_504_606_846_976n;
const NOW = Date.UTC(2026, 5, 1);

/** 1 000 000 members: XP skewed like a real server, last earned over the past 120 days (a tenth never recorded). */
function build(path: string): void {
  const db = openDatabase(path);
  const today = utcDay(NOW);
  let seed = 11;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const insert = db.prepare('INSERT INTO UserXpStats (GuildId, UserId, Xp, LastEarnedDay) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < MEMBERS; i++) {
      insert.run(GUILD, GUILD + BigInt(i + 1), Math.floor(rnd() ** 3 * 500_000), rnd() < 0.1 ? null : today - Math.floor(rnd() * 120));
    }
    const reward = db.prepare('INSERT INTO XpRoleReward (GuildId, Level, RoleId, Remove) VALUES (?, ?, ?, 0)');
    for (const level of [5, 10, 20, 40, 80, 160]) reward.run(GUILD, level, GUILD + 10_000_000n + BigInt(level));
    db.prepare("INSERT INTO XpSettings (GuildId, DecayFloorLevel) VALUES (?, 3)").run(GUILD);
  })();
  db.close();
}

export const decaySuite: BenchSuite = {
  name: 'decay',
  async run(log) {
    const dir = mkdtempSync(join(tmpdir(), 'unicornia-decay-'));
    try {
      const path = join(dir, 'decay.db');
      const t0 = performance.now();
      build(path);
      log(`built ${MEMBERS.toLocaleString('en-US')} members in ${round((performance.now() - t0) / 1000, 1)} s`);
      const clock = new ManualClock(0, NOW);
      const core = createCore({ dbPath: path, clock, scheduler: new ManualScheduler(clock), logger: silentLogger, writer: 'inline' });
      const guildId = String(GUILD);
      const policy = { afterDays: 14, amount: 5, unit: 'percent' as const, per: 'day' as const, floorLevel: 3 };
      const noExempt = async () => new Set<string>();
      const seconds: number[] = [];
      const p99: number[] = [];
      let affected = 0;
      for (let r = 0; r < 3; r++) {
        const loop = monitorEventLoopDelay({ resolution: 1 });
        loop.enable();
        const start = performance.now();
        const result = await previewDecay(core, noExempt, guildId, utcDay(NOW), { policy });
        seconds.push((performance.now() - start) / 1000);
        loop.disable();
        p99.push(loop.percentile(99) / 1e6);
        affected = result!.affected;
      }
      await core.stop();
      log(`preview of ${MEMBERS.toLocaleString('en-US')} members (${affected.toLocaleString('en-US')} affected): ${seconds.map((s) => round(s, 2)).join(', ')} s; loop p99 ${p99.map((v) => round(v, 1)).join(', ')} ms`);
      const metrics: Metric[] = [
        { name: 'decay.preview_1M_s', unit: 's', value: round(median(seconds), 2) },
        { name: 'decay.preview_loop_p99_ms', unit: 'ms', value: round(median(p99), 1) },
      ];
      return metrics;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
