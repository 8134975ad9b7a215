/**
 * XP history and the period boards' store side on PostgreSQL: the twins of `../history.ts` and `../period-reads.ts`, with the same
 * contract (tests/storage/contract). A read that must be one snapshot (a member's window with their total) is one
 * statement; a member's days are `Day = ANY(...)` on the key (GuildId, Day, UserId), one index probe per day.
 */
import { idOf, num } from '../ids.js';
import type { HistoryDay, HistoryReads, HistoryWrites, MemberWindow } from '../history.js';
import { boardVersionSql, periodRelation, slotsOf } from '../period-slots.js';
import type { BoardVersion, PeriodScan, PeriodSource } from '../../boards/period-boards.js';
import type { Port } from '../ports.js';
import { transaction, withRetry, type PgPool } from './pool.js';
import { one, rows } from './sql.js';

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

function byDay(r: { d: number; s: number; x: string }[]): HistoryDay[] {
  const days = new Map<number, Map<number, number>>();
  for (const x of r) {
    let m = days.get(x.d);
    if (!m) days.set(x.d, (m = new Map()));
    m.set(x.s, num(x.x));
  }
  return [...days].sort((a, b) => a[0] - b[0]).map(([day, bySource]) => ({ day, bySource }));
}

export class PgHistoryReads implements Port<HistoryReads> {
  constructor(private readonly pool: PgPool) {}

  async memberHistory(guildId: string, userId: string, fromDay: number, toDay: number): Promise<HistoryDay[]> {
    return byDay(
      await rows<{ d: number; s: number; x: string }>(
        this.pool,
        'SELECT Day AS d, Source AS s, Xp AS x FROM XpHistoryDaily WHERE GuildId = $1 AND Day = ANY($2::int[]) AND UserId = $3',
        [guildId, range(fromDay, toDay), userId],
      ),
    );
  }

  async memberWindow(guildId: string, userId: string, fromDay: number, toDay: number): Promise<MemberWindow> {
    // One statement, one snapshot: the days, the rows after the window and the stored total.
    const r = await rows<{ k: string; d: number; s: number; x: string }>(
      this.pool,
      `SELECT 'd' AS k, Day AS d, Source AS s, Xp AS x FROM XpHistoryDaily WHERE GuildId = $1 AND Day = ANY($2::int[]) AND UserId = $3
       UNION ALL SELECT 'a', 0, 0, COALESCE(SUM(Xp), 0) FROM XpHistoryDaily WHERE GuildId = $1 AND Day > $4 AND UserId = $3
       UNION ALL SELECT 't', 0, 0, COALESCE((SELECT Xp FROM UserXpStats WHERE GuildId = $1 AND UserId = $3), 0)`,
      [guildId, range(fromDay, toDay), userId, toDay],
    );
    const value = (k: string) => num(r.find((x) => x.k === k)!.x);
    return { days: byDay(r.filter((x) => x.k === 'd')), total: value('t'), after: value('a') };
  }

  async memberTotal(guildId: string, userId: string): Promise<number> {
    const r = await one<{ n: string }>(
      this.pool,
      `SELECT (SELECT COALESCE(SUM(Xp), 0) FROM XpHistoryDaily WHERE GuildId = $1 AND UserId = $2)
            + (SELECT COALESCE(SUM(Xp), 0) FROM XpHistoryMonthly WHERE GuildId = $1 AND UserId = $2) AS n`,
      [guildId, userId],
    );
    return num(r!.n);
  }
}

export class PgHistoryWrites implements Port<HistoryWrites> {
  constructor(private readonly pool: PgPool) {}

  /** See `HistoryWrites.foldExpired`: per guild one statement moves the old days into their UTC months. */
  async foldExpired(today: number): Promise<number> {
    const guilds = await rows<{ g: string; n: number }>(this.pool, 'SELECT GuildId AS g, HistoryRetentionDays AS n FROM XpSettings WHERE HistoryRetentionDays > 0');
    let folded = 0;
    for (const { g, n } of guilds) {
      const r = await withRetry(this.pool, (c) =>
        one<{ days: string }>(
          c,
          `WITH moved AS (DELETE FROM XpHistoryDaily WHERE GuildId = $1 AND Day < $2 RETURNING Day, UserId, Source, Xp),
           summed AS (
             INSERT INTO XpHistoryMonthly (GuildId, Month, UserId, Source, Xp)
             SELECT $1, (EXTRACT(YEAR FROM d)::int - 1970) * 12 + EXTRACT(MONTH FROM d)::int - 1 AS m, UserId, Source, SUM(Xp)
             FROM (SELECT DATE '1970-01-01' + Day AS d, UserId, Source, Xp FROM moved) x
             GROUP BY m, UserId, Source ORDER BY m, UserId, Source
             ON CONFLICT (GuildId, Month, UserId, Source) DO UPDATE SET Xp = XpHistoryMonthly.Xp + excluded.Xp
           )
           SELECT COUNT(DISTINCT Day) AS days FROM moved`,
          [g, today - n],
        ),
      );
      folded += num(r!.days);
    }
    return folded;
  }
}

/** The period boards' store side on PostgreSQL (see `SqlitePeriodSource`). */
export class PgPeriodSource implements PeriodSource {
  constructor(private readonly pool: PgPool) {}

  async version(guildId: string): Promise<BoardVersion> {
    const r = await one<{ gen: string; erasure: string }>(this.pool, VERSION_SQL, [guildId]);
    return { gen: num(r!.gen), erasure: num(r!.erasure) };
  }

  /** One REPEATABLE READ transaction, so the version is the rows' own. */
  scan(guildId: string, period: number): Promise<PeriodScan> {
    return transaction(this.pool, async (c): Promise<PeriodScan> => {
      await c.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const v = (await c.query<{ gen: string; erasure: string }>(VERSION_SQL, [guildId])).rows[0]!;
      const r = await c.query<[string, string]>({
        text: `SELECT UserId, Xp FROM ${periodRelation(period, '$1', '$2::integer')} p WHERE HasLeft = 0 ORDER BY Xp DESC, UserId`,
        values: [guildId, period],
        rowMode: 'array',
      });
      const users = new BigInt64Array(r.rows.length);
      const xp = new Float64Array(r.rows.length);
      r.rows.forEach(([u, x], i) => {
        users[i] = BigInt(u);
        xp[i] = num(x);
      });
      return { gen: num(v.gen), erasure: num(v.erasure), users, xp };
    });
  }

  /** One statement: one snapshot. */
  async boardEntry(guildId: string, userId: string, period: number): Promise<{ gen: number; xp: number | null }> {
    const r = await one<{ gen: string; xp: string | null }>(
      this.pool,
      `SELECT COALESCE((SELECT Gen FROM XpBoardGeneration WHERE GuildId = $1), 0) AS gen,
        (SELECT Xp FROM ${periodRelation(period, '$1', '$3::integer')} p WHERE UserId = $2 AND HasLeft = 0) AS xp`,
      [guildId, userId, period],
    );
    return { gen: num(r!.gen), xp: r!.xp === null ? null : num(r!.xp) };
  }

  async memberXp(guildId: string, userId: string, period: number): Promise<{ xp: number; hasLeft: boolean }> {
    const s = slotsOf(period);
    const r = await one<{ xp: string; h: number }>(
      this.pool,
      `SELECT CASE WHEN ${s.id} = $3 THEN ${s.xp} WHEN ${s.prevId} = $3 THEN ${s.prevXp} ELSE 0 END AS xp, HasLeft AS h
        FROM UserXpStats WHERE GuildId = $1 AND UserId = $2`,
      [guildId, userId, period],
    );
    return r ? { xp: num(r.xp), hasLeft: r.h !== 0 } : { xp: 0, hasLeft: false };
  }
}

const VERSION_SQL = boardVersionSql('$1');
