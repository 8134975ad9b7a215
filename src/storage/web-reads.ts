/**
 * The web layer's reads (`WebReads`) on SQLite, on the main thread's connection. Pages and the API read stored
 * XP, like the leaderboard command: at most one flush interval behind (DESIGN §14.2). Every query is an index
 * range: a page of a 1 000 000-member server reads its 50 rows, never the server.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { idOf, num, sf } from './ids.js';
import { curveOf, type XpReadStore } from './xp-reads.js';
import type { PeriodReads } from './period-reads.js';
import type { BoardMember, RewardRole, WebGuildInfo, WebReads } from '../web/ports.js';
import { foldName } from '../util/fold.js';
import { NADEKO_CURVE } from '../levels/curve.js';

/** A board row as both stores read it (ids and XP as bigint or decimal string). */
export interface BoardSqlRow {
  UserId: bigint | string;
  Xp: bigint | string;
  /** All-time XP; on a period board the member's total beside the period's XP (null: no total row). */
  TotalXp: bigint | string | null;
  Name: string | null;
  AvatarUrl: string | null;
  Hidden: bigint | number | boolean;
}

/**
 * The page's rows with how each member looks and whether they hid: primary-key lookups per row. All-time rows come
 * from `UserXpStats`; a period's (DESIGN §15.2) from `XpPeriodTotal`, with the member's all-time XP for their level.
 * `t` is the ranked table either way, so the WHERE and ORDER BY clauses are the same for both.
 */
export function memberSelect(period: boolean, hint = ''): string {
  const ranked = period
    ? `XpPeriodTotal t${hint && ' INDEXED BY IX_XpPeriodTotal_Board'} LEFT JOIN UserXpStats s ON s.GuildId = t.GuildId AND s.UserId = t.UserId`
    : `UserXpStats t${hint && ' INDEXED BY IX_UserXpStats_Leaderboard'}`;
  return `SELECT t.UserId AS "UserId", t.Xp AS "Xp", ${period ? 's.Xp' : 't.Xp'} AS "TotalXp", p.Name AS "Name", p.AvatarUrl AS "AvatarUrl", (h.UserId IS NOT NULL) AS "Hidden"
  FROM ${ranked}
  LEFT JOIN MemberProfile p ON p.GuildId = t.GuildId AND p.UserId = t.UserId
  LEFT JOIN WebHiddenMember h ON h.UserId = t.UserId`;
}

/** The WHERE clause of one board: a server's members who have not left (and one period's rows). */
export function boardWhere(period: boolean, guild: string, periodParam: string): string {
  return `t.GuildId = ${guild}${period ? ` AND t.Period = ${periodParam}` : ''} AND t.HasLeft = 0`;
}

export class WebReadStore implements WebReads {
  private readonly q: Record<string, Statement>;

  constructor(
    db: Db,
    private readonly xp: XpReadStore,
    private readonly periods: PeriodReads,
  ) {
    const prep = (sql: string) => db.prepare(sql).safeIntegers(true);
    this.q = {
      // By id, a server without a web row is a private one (an API key may still read it).
      guildById: prep(`SELECT g.GuildId, w.Public, w.Slug, w.Name, w.IconUrl, x.CurveQ, x.CurveA, x.CurveC
        FROM (SELECT ? AS GuildId) g LEFT JOIN WebGuild w ON w.GuildId = g.GuildId LEFT JOIN XpSettings x ON x.GuildId = g.GuildId`),
      guildBySlug: prep(`SELECT w.GuildId, w.Public, w.Slug, w.Name, w.IconUrl, x.CurveQ, x.CurveA, x.CurveC
        FROM WebGuild w LEFT JOIN XpSettings x ON x.GuildId = w.GuildId WHERE w.Slug = ?`),
      // INDEXED BY: the partial board index gives the order; without the hint the joins can tempt the planner into
      // sorting the whole server.
      ...boardStatements(false, prep),
      ...boardStatements(true, prep),
      rewardRoles: prep(`SELECT r.Level, r.RoleId, r.Remove, w.Name, w.Color FROM XpRoleReward r
        LEFT JOIN WebRole w ON w.GuildId = r.GuildId AND w.RoleId = r.RoleId WHERE r.GuildId = ? ORDER BY r.Level, r.RoleId`),
      apiKey: prep('SELECT GuildId FROM WebApiKey WHERE Hash = ?'),
    };
  }

  guild(key: string): WebGuildInfo | null {
    const row = (/^\d{1,20}$/.test(key) && BigInt(key) < 2n ** 63n ? this.q.guildById!.get(sf(key)) : this.q.guildBySlug!.get(key)) as
      | { GuildId: bigint; Public: bigint | null; Slug: string | null; Name: string | null; IconUrl: string | null; CurveQ: bigint | null; CurveA: bigint | null; CurveC: bigint | null }
      | undefined;
    if (!row) return null;
    return {
      guildId: idOf(row.GuildId),
      isPublic: row.Public === 1n,
      slug: row.Slug,
      name: row.Name ?? '',
      iconUrl: row.IconUrl,
      // A server without settings has the default curve; otherwise the one the engine uses (MEE6's is quadratic).
      curve: row.CurveA === null || row.CurveC === null ? NADEKO_CURVE : curveOf(num(row.CurveQ ?? 0n), num(row.CurveA), num(row.CurveC)),
    };
  }

  memberCount(guildId: string, period: number | null = null): number {
    return period === null ? this.xp.memberCount(guildId) : this.periods.memberCount(guildId, period);
  }

  board(guildId: string, offset: number, limit: number, period: number | null = null): BoardMember[] {
    const rows = (period === null ? this.q.board!.all(sf(guildId), limit, offset) : this.q.periodBoard!.all(sf(guildId), period, limit, offset)) as BoardSqlRow[];
    return rows.map((r, i) => toMember(r, offset + i + 1));
  }

  member(guildId: string, userId: string, period: number | null = null): BoardMember | null {
    const row = (period === null ? this.q.member!.get(sf(guildId), sf(userId)) : this.q.periodMember!.get(sf(guildId), period, sf(userId))) as BoardSqlRow | undefined;
    return row ? toMember(row, this.rank(guildId, idOf(row.UserId), num(row.Xp), period)) : null;
  }

  search(guildId: string, text: string, limit: number, period: number | null = null): BoardMember[] {
    const pattern = likePattern(text);
    const rows = (period === null ? this.q.search!.all(sf(guildId), pattern, limit) : this.q.periodSearch!.all(sf(guildId), period, pattern, limit)) as BoardSqlRow[];
    return rows.map((r) => toMember(r, this.rank(guildId, idOf(r.UserId), num(r.Xp), period)));
  }

  private rank(guildId: string, userId: string, xp: number, period: number | null): number {
    return period === null ? this.xp.rank(guildId, userId, xp) : this.periods.rank(guildId, userId, period);
  }

  rewardRoles(guildId: string): RewardRole[] {
    return (this.q.rewardRoles!.all(sf(guildId)) as { Level: bigint; RoleId: bigint; Remove: bigint; Name: string | null; Color: bigint | null }[]).map((r) => ({
      level: num(r.Level),
      roleId: idOf(r.RoleId),
      name: r.Name,
      color: r.Color === null ? 0 : num(r.Color),
      remove: r.Remove !== 0n,
    }));
  }

  apiKeyGuild(keyHash: string): string | null {
    const row = this.q.apiKey!.get(keyHash) as { GuildId: bigint } | undefined;
    return row ? idOf(row.GuildId) : null;
  }
}

export function toMember(r: BoardSqlRow, rank: number): BoardMember {
  const hidden = typeof r.Hidden === 'boolean' ? r.Hidden : num(r.Hidden) !== 0;
  return { rank, userId: idOf(r.UserId), xp: num(r.Xp), totalXp: r.TotalXp === null ? 0 : num(r.TotalXp), name: hidden ? null : r.Name, avatarUrl: hidden ? null : r.AvatarUrl, hidden };
}

/** A LIKE pattern for a name search: case and accents folded (as `NameKey` is stored), wildcards escaped. */
export function likePattern(text: string): string {
  return `%${foldName(text).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The page, member and search statements of the all-time board or of a period's (named `period…`). */
function boardStatements(period: boolean, prep: (sql: string) => Statement): Record<string, Statement> {
  const where = boardWhere(period, '?', '?');
  const statements = {
    board: prep(`${memberSelect(period, 'hint')} WHERE ${where} ORDER BY t.Xp DESC, t.UserId LIMIT ? OFFSET ?`),
    member: prep(`${memberSelect(period)} WHERE ${where} AND t.UserId = ?`),
    search: prep(`${memberSelect(period).replace('LEFT JOIN MemberProfile p', 'JOIN MemberProfile p')}
      WHERE ${where} AND h.UserId IS NULL AND p.NameKey LIKE ? ESCAPE '\\' ORDER BY t.Xp DESC, t.UserId LIMIT ?`),
  };
  if (!period) return statements;
  return { periodBoard: statements.board, periodMember: statements.member, periodSearch: statements.search };
}
