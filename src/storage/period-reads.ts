/**
 * Period boards (DESIGN §15.2): a page and a rank of one period (a week, a month, a season) from the running
 * totals the flush keeps in `XpPeriodTotal`, never by summing days. The same order as the all-time board (XP
 * descending, then user id) and the same rule for members who left (hidden). A rank is a sum over the period's
 * rank buckets above plus counts inside one bucket, as for the all-time rank (migration 5).
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { idOf, num, sf } from './ids.js';
import { rankBucket, type LeaderboardRow } from './xp-reads.js';

export class PeriodReads {
  private readonly q: Record<string, Statement>;

  constructor(db: Db) {
    const prep = (sql: string) => db.prepare(sql).safeIntegers(true);
    this.q = {
      page: prep(
        'SELECT UserId, Xp FROM XpPeriodTotal WHERE GuildId = ? AND Period = ? AND HasLeft = 0 ORDER BY Xp DESC, UserId LIMIT ? OFFSET ?',
      ),
      row: prep('SELECT Xp, HasLeft FROM XpPeriodTotal WHERE GuildId = ? AND UserId = ? AND Period = ?'),
      bucketsAbove: prep('SELECT COALESCE(SUM(Members), 0) AS n FROM XpPeriodRankBucket WHERE GuildId = ? AND Period = ? AND Bucket > ?'),
      aboveInBucket: prep('SELECT COUNT(*) AS n FROM XpPeriodTotal WHERE GuildId = ? AND Period = ? AND HasLeft = 0 AND Xp > ? AND Xp < ?'),
      tiedBefore: prep('SELECT COUNT(*) AS n FROM XpPeriodTotal WHERE GuildId = ? AND Period = ? AND HasLeft = 0 AND Xp = ? AND UserId < ?'),
      count: prep('SELECT COALESCE(SUM(Members), 0) AS n FROM XpPeriodRankBucket WHERE GuildId = ? AND Period = ?'),
    };
  }

  leaderboard(guildId: string, period: number, offset: number, limit: number): LeaderboardRow[] {
    return (this.q.page!.all(sf(guildId), period, limit, offset) as { UserId: bigint; Xp: bigint }[]).map((r) => ({ userId: idOf(r.UserId), xp: num(r.Xp) }));
  }

  /** A member's XP in a period (0 without a row), and whether they are hidden (left the server). */
  memberXp(guildId: string, userId: string, period: number): { xp: number; hasLeft: boolean } {
    const r = this.q.row!.get(sf(guildId), sf(userId), period) as { Xp: bigint; HasLeft: bigint } | undefined;
    return r ? { xp: num(r.Xp), hasLeft: r.HasLeft !== 0n } : { xp: 0, hasLeft: false };
  }

  /** Members with a row in the period (those who earned in it), members who left excluded. */
  memberCount(guildId: string, period: number): number {
    return num((this.q.count!.get(sf(guildId), period) as { n: bigint }).n);
  }

  /**
   * 1-based position of a member with `xp` in the period, by stored totals (commands flush first, DESIGN §15.2).
   * A member without a row (nothing earned in the period) ranks after everyone who has one.
   */
  rank(guildId: string, userId: string, period: number): number {
    const g = sf(guildId);
    const u = sf(userId);
    const { xp } = this.memberXp(guildId, userId, period);
    const bucket = rankBucket(xp);
    const count = (stmt: Statement, ...args: unknown[]) => num((stmt.get(...args) as { n: bigint }).n);
    return (
      count(this.q.bucketsAbove!, g, period, bucket) +
      count(this.q.aboveInBucket!, g, period, xp, (bucket + 1) * (bucket + 1)) +
      count(this.q.tiedBefore!, g, period, xp, u) +
      1
    );
  }
}
