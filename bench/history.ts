/**
 * Issue 11 item 7's history figures: what writing history and period totals adds to a flush (100 000 gains into a
 * 2 000 000-member table, with and without them, alternating in one run), and a period board's page and median
 * rank on a server of 1 000 000 members with 90 days of history.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { BenchSuite, Metric } from './harness.js';
import { median, medianTimeAsync, round } from './harness.js';
import { BASE } from './engine.js';
import type { FlushBatch } from '../src/engine/ports.js';
import { DEFAULT_CALENDAR, monthAt, periodId, SEASON, weekAt } from '../src/engine/calendar.js';
import { SOURCE_CODE, utcDay } from '../src/engine/history.js';
import { openDatabase, type Db } from '../src/storage/database.js';
import { sqliteReads } from '../src/storage/store.js';
import { workerWriter } from '../src/storage/writer.js';

/** The server of the query figures; the flushes go to 100 others (`BASE + 1 …`), 10 000 members each. */
const BIG = BASE;
const MEMBERS = 1_000_000;
const HISTORY_DAYS = 90;

/** `SELECT i FROM n` yields 0 … count-1. */
const series = (count: number) => `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${count - 1})`;
/** A deterministic pseudo-random fraction in [0, 1) of `i` (and a salt), in SQL. */
const frac = (salt: number) => `(((i + ${salt}) * 2654435761) % 1000003) / 1000003.0`;

/**
 * Runs `fill` with the rank-bucket triggers of UserXpStats dropped, then counts the buckets in one pass (as
 * migration 5 does) and puts the triggers back: the same state the triggers would leave, built in seconds instead
 * of minutes.
 */
function bulkLoad(db: Db, fill: () => void): void {
  const triggers = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'UserXpStats'`).all() as { name: string; sql: string }[];
  db.transaction(() => {
    for (const t of triggers) db.exec(`DROP TRIGGER ${t.name}`);
    fill();
    db.exec(`DELETE FROM XpRankBucket;
      INSERT INTO XpRankBucket (GuildId, Bucket, Members)
        SELECT GuildId, CAST(sqrt(max(Xp, 0)) AS INTEGER), COUNT(*) FROM UserXpStats WHERE HasLeft = 0 GROUP BY 1, 2;`);
    for (const t of triggers) db.exec(t.sql);
  })();
}

/**
 * 2 000 000 members: 1 000 000 in BIG, with a week and a month in which every one of them earned, 12 earlier weeks
 * and 2 earlier months with 100 000 each, and 90 days of daily history (20 000 members a day); and 1 000 000 over
 * 100 servers, a third of whom earned this week and month (the flushes' targets).
 */
export function build(path: string, now: number, log: (s: string) => void): void {
  const t0 = performance.now();
  const db = openDatabase(path);
  const week = weekAt(now, DEFAULT_CALENDAR);
  const month = monthAt(now, DEFAULT_CALENDAR);
  const today = utcDay(now);
  const lastWeek = weekAt(week.from - 1, DEFAULT_CALENDAR).id;
  bulkLoad(db, () => {
    // BIG: everyone earned this week and this month; a tenth of them last week and last month too (the previous slot).
    db.exec(`${series(MEMBERS)} INSERT INTO UserXpStats (GuildId, UserId, Xp, WeekId, WeekXp, MonthId, MonthXp, PrevWeekId, PrevWeekXp, PrevMonthId, PrevMonthXp)
      SELECT ${BIG}, ${BASE} + i, CAST(pow(${frac(1)}, 3) * 500000 AS INTEGER),
        ${week.id}, 1 + CAST(pow(${frac(3)}, 3) * 5000 AS INTEGER), ${month.id}, 1 + CAST(pow(${frac(4)}, 3) * 5000 AS INTEGER),
        CASE WHEN i % 10 = 1 THEN ${lastWeek} END, CASE WHEN i % 10 = 1 THEN 1 + CAST(${frac(11)} * 2000 AS INTEGER) ELSE 0 END,
        CASE WHEN i % 10 = 1 THEN ${month.id - 1} END, CASE WHEN i % 10 = 1 THEN 1 + CAST(${frac(31)} * 8000 AS INTEGER) ELSE 0 END
      FROM n`);
    // The flush targets: 1 000 000 over 100 servers, a third of whom earned this week and this month.
    db.exec(`${series(MEMBERS)} INSERT INTO UserXpStats (GuildId, UserId, Xp, WeekId, WeekXp, MonthId, MonthXp)
      SELECT ${BASE} + 1 + i % 100, ${BASE} + i, CAST(${frac(2)} * 10000 AS INTEGER),
        CASE WHEN i % 3 = 0 THEN ${week.id} END, CASE WHEN i % 3 = 0 THEN 1 + (i / 3) % 300 ELSE 0 END,
        CASE WHEN i % 3 = 0 THEN ${month.id} END, CASE WHEN i % 3 = 0 THEN 1 + (i / 3) % 300 ELSE 0 END
      FROM n`);
    // 90 days of message history in BIG, 20 000 members a day.
    db.exec(`${series(HISTORY_DAYS * 20_000)} INSERT INTO XpHistoryDaily (GuildId, Day, UserId, Source, Xp)
      SELECT ${BIG}, ${today} - ${HISTORY_DAYS} + i / 20000, ${BASE} + (i * 50 + i / 20000) % ${MEMBERS}, ${SOURCE_CODE.message}, 1 + i % 40 FROM n`);
  });
  db.exec('ANALYZE');
  db.close();
  log(`built 2 000 000 members, ${HISTORY_DAYS} days of history and their period totals in ${round((performance.now() - t0) / 1000, 1)} s`);
}

/**
 * One flush of `n` gains over the 100 servers: half to members with rows (and, for a third of those, XP this week
 * and month), half to new members. With `periods` (the week's and month's ids, and a season's when one runs), each
 * gain also carries its history row (message, today) and its period XP, as the engine hands them over.
 */
export function batch(seq: number, n: number, now: number, periods: readonly number[] | null): FlushBatch {
  const day = utcDay(now);
  const rows: FlushBatch['rows'] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 2 === 0 ? (i * 13 + seq * 7919) % MEMBERS : MEMBERS + seq * n + i;
    rows.push({ guildId: String(BASE + 1n + BigInt(k % 100)), userId: String(BASE + BigInt(k)), xp: 1 + (i % 5), awarded: 0 });
  }
  if (!periods) return { seq, rows, voice: [] };
  return {
    seq,
    rows,
    voice: [],
    history: rows.map((r) => ({ guildId: r.guildId, userId: r.userId, day, source: SOURCE_CODE.message, xp: r.xp })),
    periods: rows.flatMap((r) => periods.map((period) => ({ guildId: r.guildId, userId: r.userId, period, xp: r.xp }))),
  };
}

export const historySuite: BenchSuite = {
  name: 'history',
  async run(log) {
    const metrics: Metric[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'unicornia-bench-history-'));
    try {
      const path = join(dir, 'bench.db');
      const now = Date.now();
      build(path, now, log);

      // ── flush overhead: the same 100 000-gain flush without history, with history and the week's and month's
      //    totals, and with a season running too; alternating, on the writer thread ──
      const writer = workerWriter({ path, writerId: randomUUID() });
      await writer.xp.setMembership('1', '1', true, 0); // start the thread outside the timings
      let seq = 0;
      const time = async (periods: readonly number[] | null) => {
        const b = batch(++seq, 100_000, now, periods);
        const t0 = performance.now();
        await writer.xp.flush(b);
        return performance.now() - t0;
      };
      const weekMonth = [weekAt(now, DEFAULT_CALENDAR).id, monthAt(now, DEFAULT_CALENDAR).id];
      const withSeason = [...weekMonth, periodId(SEASON, 1)];
      const plain: number[] = [];
      const withHistory: number[] = [];
      const seasonToo: number[] = [];
      for (let r = 0; r < 4; r++) {
        plain.push(await time(null));
        withHistory.push(await time(weekMonth));
        seasonToo.push(await time(withSeason));
      }
      await writer.close();
      const ratio = median(withHistory) / median(plain);
      const ms = (list: number[]) => list.map((v) => round(v)).join(', ');
      log(`flush of 100 000 gains into 2 000 000 members: without history ${ms(plain)} ms; with history, week and month ${ms(withHistory)} ms; and a season ${ms(seasonToo)} ms`);
      metrics.push({ name: 'history.flush_overhead_ratio', unit: 'x', value: round(ratio, 2) });
      metrics.push({ name: 'history.flush_overhead_ratio_season', unit: 'x', value: round(median(seasonToo) / median(plain), 2) });

      // ── period board queries on BIG's week: 1 000 000 members, boards in memory (src/boards) ──
      const db = openDatabase(path);
      const boards = sqliteReads(db, 'bench').periods;
      const g = String(BIG);
      const week = weekAt(now, DEFAULT_CALENDAR).id;
      const t0 = performance.now();
      const count = await boards.memberCount(g, week);
      const buildMs = performance.now() - t0;
      const mid = (await boards.leaderboard(g, week, MEMBERS / 2, 1))[0]!;
      const top10 = await medianTimeAsync(() => boards.leaderboard(g, week, 0, 10), 200);
      const rankMid = await medianTimeAsync(() => boards.rank(g, mid.userId, week), 50);
      log(`week board of ${count} members built in ${round(buildMs)} ms; rank of the median member = ${await boards.rank(g, mid.userId, week)}`);
      db.close();
      metrics.push({ name: 'query.week_board_build_1M_ms', unit: 'ms', value: round(buildMs) });
      metrics.push({ name: 'query.week_top10_1M_ms', unit: 'ms', value: round(top10, 3) });
      metrics.push({ name: 'query.week_rank_median_1M_ms', unit: 'ms', value: round(rankMid, 3) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return metrics;
  },
};
