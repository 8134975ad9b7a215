/**
 * XP history tables (DESIGN §15.1): reads for the history chart and the checks, and the retention fold that moves
 * old daily rows into monthly sums. The flush writes the daily rows (`XpWriteStore.flush`); imports write theirs
 * with their batches.
 */
import type { Statement } from 'better-sqlite3';
import { DAY_MS } from '../engine/calendar.js';
import type { Db } from './database.js';
import { num, sf } from './ids.js';

export interface HistoryDay {
  /** UTC days since the epoch. */
  day: number;
  /** XP per source code (`SOURCE_CODE` in src/engine/history.ts) that day; only sources with a row. */
  bySource: Map<number, number>;
}

/** Months since January 1970 of a UTC day (the key of XpHistoryMonthly). */
export function monthOfDay(day: number): number {
  const d = new Date(day * DAY_MS);
  return (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
}

/** A member's daily history over a window, read in one snapshot with their stored total (the history chart). */
export interface MemberWindow {
  /** Days of the window that have rows, in day order. */
  days: HistoryDay[];
  /** The member's stored total XP. */
  total: number;
  /** XP of rows dated after the window (only after the wall clock stepped back, DESIGN §2.8). */
  after: number;
}

export class HistoryReads {
  private readonly q: Record<string, Statement>;

  constructor(private readonly db: Db) {
    const prep = (sql: string) => db.prepare(sql).safeIntegers(true);
    this.q = {
      // The key starts (GuildId, Day, UserId): one seek per day, whatever the size of the server.
      memberDay: prep('SELECT Source, Xp FROM XpHistoryDaily WHERE GuildId = ? AND Day = ? AND UserId = ?'),
      after: prep('SELECT COALESCE(SUM(Xp), 0) AS n FROM XpHistoryDaily WHERE GuildId = ? AND Day > ? AND UserId = ?'),
      stored: prep('SELECT Xp FROM UserXpStats WHERE GuildId = ? AND UserId = ?'),
      sumDaily: prep('SELECT COALESCE(SUM(Xp), 0) AS n FROM XpHistoryDaily WHERE GuildId = ? AND UserId = ?'),
      sumMonthly: prep('SELECT COALESCE(SUM(Xp), 0) AS n FROM XpHistoryMonthly WHERE GuildId = ? AND UserId = ?'),
    };
  }

  /** A member's daily history over [fromDay, toDay], one entry per day that has rows, in day order. */
  memberHistory(guildId: string, userId: string, fromDay: number, toDay: number): HistoryDay[] {
    const g = sf(guildId);
    const u = sf(userId);
    const out: HistoryDay[] = [];
    for (let day = fromDay; day <= toDay; day++) {
      const rows = this.q.memberDay!.all(g, day, u) as { Source: bigint; Xp: bigint }[];
      if (rows.length > 0) out.push({ day, bySource: new Map(rows.map((x) => [num(x.Source), num(x.Xp)])) });
    }
    return out;
  }

  /**
   * The window and the member's stored total in one read transaction, so a flush committing in between cannot
   * make them disagree (the chart derives the member's level on each day from the total backwards).
   */
  memberWindow(guildId: string, userId: string, fromDay: number, toDay: number): MemberWindow {
    return this.db.transaction((): MemberWindow => {
      const g = sf(guildId);
      const u = sf(userId);
      const stored = this.q.stored!.get(g, u) as { Xp: bigint } | undefined;
      return {
        days: this.memberHistory(guildId, userId, fromDay, toDay),
        total: stored ? num(stored.Xp) : 0,
        after: num((this.q.after!.get(g, toDay, u) as { n: bigint }).n),
      };
    })();
  }

  /** Everything a member's history holds, daily and folded (it equals their stored total). A scan of the guild's rows: for checks, not for commands. */
  memberTotal(guildId: string, userId: string): number {
    const g = sf(guildId);
    const u = sf(userId);
    const n = (s: Statement) => num((s.get(g, u) as { n: bigint }).n);
    return n(this.q.sumDaily!) + n(this.q.sumMonthly!);
  }
}

export class HistoryWrites {
  private readonly q: Record<string, Statement>;

  constructor(private readonly db: Db) {
    const prep = (sql: string) => db.prepare(sql);
    this.q = {
      retained: prep('SELECT GuildId, HistoryRetentionDays FROM XpSettings WHERE HistoryRetentionDays > 0').safeIntegers(true),
      oldDays: prep('SELECT DISTINCT Day FROM XpHistoryDaily WHERE GuildId = ? AND Day < ?').safeIntegers(true),
      // One UTC month of old days at a time: each statement's range has one month key.
      fold: prep(`INSERT INTO XpHistoryMonthly (GuildId, Month, UserId, Source, Xp)
        SELECT GuildId, ?, UserId, Source, SUM(Xp) FROM XpHistoryDaily WHERE GuildId = ? AND Day BETWEEN ? AND ?
        GROUP BY UserId, Source
        ON CONFLICT (GuildId, Month, UserId, Source) DO UPDATE SET Xp = Xp + excluded.Xp`),
      drop: prep('DELETE FROM XpHistoryDaily WHERE GuildId = ? AND Day BETWEEN ? AND ?'),
    };
  }

  /**
   * Folds daily rows older than each guild's retention (days before `today − retention`) into monthly rows, in one
   * transaction per guild: sums per member and source never change, so no board and no total moves. Returns the
   * number of days folded.
   */
  foldExpired(today: number): number {
    let folded = 0;
    for (const r of this.q.retained!.all() as { GuildId: bigint; HistoryRetentionDays: bigint }[]) {
      folded += this.fold(r.GuildId, today - num(r.HistoryRetentionDays));
    }
    return folded;
  }

  private fold(g: bigint, beforeDay: number): number {
    return this.db
      .transaction(() => {
        const days = (this.q.oldDays!.all(g, beforeDay) as { Day: bigint }[]).map((r) => num(r.Day));
        const byMonth = new Map<number, { from: number; to: number }>();
        for (const d of days) {
          const m = monthOfDay(d);
          const span = byMonth.get(m);
          if (!span) byMonth.set(m, { from: d, to: d });
          else {
            span.from = Math.min(span.from, d);
            span.to = Math.max(span.to, d);
          }
        }
        for (const [month, { from, to }] of byMonth) {
          this.q.fold!.run(month, g, from, to);
          this.q.drop!.run(g, from, to);
        }
        return days.length;
      })
      .immediate();
  }
}
