/**
 * Issue 11 item 7's season figures: closing a season of 1 000 000 members — every member's standing archived and the
 * winner roles queued (taken from the last season's 25 winners) — in wall time (`season.close_1M_s`, target < 10 s)
 * and the event loop's p99 delay meanwhile (`season.close_loop_p99_ms`, target < 50). The real closer on the real
 * SQLite core with its worker-thread writer (the production setup, DESIGN §2.2): the archive's chunks run on the
 * writer's thread, so the bot's loop only waits for them. A timer ticking every millisecond stands in for the
 * bot's other work, so a blocked loop shows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { BenchSuite } from './harness.js';
import { round } from './harness.js';
import { createCore } from '../src/core.js';
import { systemClock, systemScheduler } from '../src/util/clock.js';
import { silentLogger } from '../src/util/logger.js';
import { periodId, SEASON } from '../src/engine/calendar.js';
import { SeasonCloser } from '../src/seasons/closer.js';

const MEMBERS = 1_000_000;
const WINNERS = 25;
const GUILD = 1_152_921_504_606_846_976n;
const ROLE = 900_000_000_000_000_001n;

export const seasonsSuite: BenchSuite = {
  name: 'seasons',
  async run(log) {
    const dir = mkdtempSync(join(tmpdir(), 'unicornia-bench-seasons-'));
    const core = createCore({ dbPath: join(dir, 'bench.db'), clock: systemClock, scheduler: systemScheduler, logger: silentLogger });
    try {
      const t0 = performance.now();
      const now = Date.now();
      const season = (n: number, state: string) =>
        Number(
          (
            core.db
              .prepare(`INSERT INTO XpSeason (GuildId, Number, Name, StartsAt, EndsAt, WinnerCount, WinnerRoleId, State) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING Id`)
              .safeIntegers(true)
              .get(GUILD, n, `Season ${n}`, now - 14 * 86_400_000, now - 60_000, WINNERS, ROLE, state) as { Id: bigint }
          ).Id,
        );
      const last = season(1, 'closed');
      const id = season(2, 'running');
      const insertTotal = core.db.prepare('INSERT INTO UserXpStats (GuildId, UserId, Xp, SeasonId, SeasonXp) VALUES (?, ?, ?, ?, ?)');
      const insertStanding = core.db.prepare('INSERT INTO XpSeasonStanding (GuildId, SeasonId, UserId, Xp, Rank) VALUES (?, ?, ?, ?, ?)');
      let seed = 7;
      const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed);
      core.db.transaction(() => {
        for (let i = 0; i < MEMBERS; i++) {
          const xp = 1 + (rnd() % 50_000);
          insertTotal.run(GUILD, 100_000_000_000_000_000n + BigInt(i), xp, periodId(SEASON, id), xp);
        }
        // The last season's winners: some win again, the rest lose the role.
        for (let r = 1; r <= WINNERS; r++) insertStanding.run(GUILD, last, 100_000_000_000_000_000n + BigInt(r * 37_000), 60_000 - r, r);
      })();
      // The setup's rows go from the WAL into the database file first: the close should not pay for the setup.
      core.db.pragma('wal_checkpoint(TRUNCATE)');
      log(`${MEMBERS.toLocaleString('en-US')} members with season XP written in ${round((performance.now() - t0) / 1000, 1)} s`);

      const closer = new SeasonCloser({
        core,
        clock: systemClock,
        scheduler: systemScheduler,
        logger: silentLogger,
        shards: () => ({ count: 1, ids: [0] }),
        rolesQueued: () => {},
        announce: async () => {},
        progress: () => ({ update: async () => {} }),
      });
      const loop = monitorEventLoopDelay({ resolution: 1 });
      const ticker = setInterval(() => {}, 1);
      loop.enable();
      const t1 = performance.now();
      await closer.check();
      const seconds = (performance.now() - t1) / 1000;
      loop.disable();
      clearInterval(ticker);
      const p99 = loop.percentile(99) / 1e6;
      const state = core.db.prepare('SELECT State, Ranked FROM XpSeason WHERE Id = ?').get(id) as { State: string; Ranked: number };
      const queued = (core.db.prepare("SELECT COUNT(*) AS n FROM RoleChangeQueue WHERE Cause = 'season'").get() as { n: number }).n;
      log(`closed in ${round(seconds, 2)} s: ${state.Ranked.toLocaleString('en-US')} ranked, state ${state.State}, ${queued} winner-role changes queued; loop p99 ${round(p99, 2)} ms, max ${round(loop.max / 1e6, 1)} ms`);
      if (state.State !== 'closed' || state.Ranked !== MEMBERS) throw new Error('the season did not close with every member ranked');
      return [
        { name: 'season.close_1M_s', unit: 's', value: round(seconds, 2) },
        { name: 'season.close_loop_p99_ms', unit: 'ms', value: round(p99, 2) },
      ];
    } finally {
      await core.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
