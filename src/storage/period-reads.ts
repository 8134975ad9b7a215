/**
 * The SQLite side of the period boards (DESIGN §15.2, src/boards): a member's period XP and the server's board
 * version on the main thread's connection; the sorted read a board is built from runs in the writer thread
 * (`BoardScans`), so a 1 000 000-member board never stalls the event loop.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { num, sf } from './ids.js';
import { boardVersionSql, perPeriodKind, periodRelation, slotsOf } from './period-slots.js';
import type { BoardVersion, PeriodScan, PeriodSource } from '../boards/period-boards.js';

export class SqlitePeriodSource implements PeriodSource {
  private readonly versionOf: Statement;
  private readonly member: (period: number) => Statement;
  private readonly entry: (period: number) => Statement;

  constructor(
    db: Db,
    private readonly scanner: (guildId: string, period: number) => Promise<PeriodScan>,
  ) {
    const prep = (sql: string) => db.prepare(sql).safeIntegers(true);
    this.versionOf = prep(boardVersionSql('?'));
    this.member = perPeriodKind((period) => {
      const s = slotsOf(period);
      return prep(`SELECT CASE WHEN ${s.id} = @p THEN ${s.xp} WHEN ${s.prevId} = @p THEN ${s.prevXp} ELSE 0 END AS Xp, HasLeft
        FROM UserXpStats WHERE GuildId = @g AND UserId = @u`);
    });
    this.entry = perPeriodKind((period) =>
      prep(`SELECT COALESCE((SELECT Gen FROM XpBoardGeneration WHERE GuildId = @g), 0) AS gen,
        (SELECT Xp FROM ${periodRelation(period, '@g', '@p')} WHERE UserId = @u AND HasLeft = 0) AS xp`),
    );
  }

  version(guildId: string): BoardVersion {
    const r = this.versionOf.get(sf(guildId)) as { gen: bigint; erasure: bigint };
    return { gen: num(r.gen), erasure: num(r.erasure) };
  }

  scan(guildId: string, period: number): Promise<PeriodScan> {
    return this.scanner(guildId, period);
  }

  boardEntry(guildId: string, userId: string, period: number): { gen: number; xp: number | null } {
    const r = this.entry(period).get({ g: sf(guildId), u: sf(userId), p: period }) as { gen: bigint; xp: bigint | null };
    return { gen: num(r.gen), xp: r.xp === null ? null : num(r.xp) };
  }

  memberXp(guildId: string, userId: string, period: number): { xp: number; hasLeft: boolean } {
    const r = this.member(period).get({ g: sf(guildId), u: sf(userId), p: period }) as { Xp: bigint; HasLeft: bigint } | undefined;
    return r ? { xp: num(r.Xp), hasLeft: r.HasLeft !== 0n } : { xp: 0, hasLeft: false };
  }
}

/** The writer thread's sorted reads of period boards (a write module: it runs where the writer runs). */
export class BoardScans {
  private readonly versionOf: Statement;
  private readonly rows: (period: number) => Statement;

  constructor(private readonly db: Db) {
    this.versionOf = db.prepare(boardVersionSql('?')).safeIntegers(true);
    this.rows = perPeriodKind((period) => db.prepare(`SELECT UserId, Xp FROM ${periodRelation(period, '@g', '@p')} WHERE HasLeft = 0 ORDER BY Xp DESC, UserId`).safeIntegers(true));
  }

  /** The period's members who have not left, in board order, with the version of the same snapshot. */
  scan(guildId: string, period: number): PeriodScan {
    const g = sf(guildId);
    return this.db.transaction((): PeriodScan => {
      const v = this.versionOf.get(g) as { gen: bigint; erasure: bigint };
      const rows = this.rows(period).raw(true).all({ g, p: period }) as [bigint, bigint][];
      const users = new BigInt64Array(rows.length);
      const xp = new Float64Array(rows.length);
      rows.forEach(([u, x], i) => {
        users[i] = u;
        xp[i] = Number(x);
      });
      return { gen: num(v.gen), erasure: num(v.erasure), users, xp };
    })();
  }
}
