/**
 * The web layer's reads (`WebReads`) on SQLite, on the main thread's connection. Pages and the API read stored
 * XP, like the leaderboard command: at most one flush interval behind (DESIGN §14.2). Every query is an index
 * range: a page of a 1 000 000-member server reads its 50 rows, never the server.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { idOf, num, sf } from './ids.js';
import { curveOf, type XpReadStore } from './xp-reads.js';
import type { PeriodBoards } from '../boards/period-boards.js';
import type { Awaitable } from '../engine/ports.js';
import { perPeriodKind, slotsOf } from './period-slots.js';
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
 * The rows with how each member looks and whether they hid: primary-key lookups per row, from `UserXpStats` with
 * the member's all-time XP for their level. `xp` is what the board ranks: all-time XP, or a period's (DESIGN §15.2)
 * read from the slot holding it (`periodXp`).
 */
export function memberSelect(xp = 't.Xp', hint = ''): string {
  return `SELECT t.UserId AS "UserId", ${xp} AS "Xp", t.Xp AS "TotalXp", p.Name AS "Name", p.AvatarUrl AS "AvatarUrl", (h.UserId IS NOT NULL) AS "Hidden"
  FROM UserXpStats t${hint && ' INDEXED BY IX_UserXpStats_Leaderboard'}
  LEFT JOIN MemberProfile p ON p.GuildId = t.GuildId AND p.UserId = t.UserId
  LEFT JOIN WebHiddenMember h ON h.UserId = t.UserId`;
}

/** The WHERE clause of the all-time board: a server's members who have not left. */
export function boardWhere(guild: string): string {
  return `t.GuildId = ${guild} AND t.HasLeft = 0`;
}

/** A period's XP on the row and the clause that keeps rows holding the period, for periods of `period`'s kind. */
export function periodColumns(period: number, periodParam: string): { xp: string; where: string } {
  const s = slotsOf(period);
  return {
    xp: `CASE WHEN t.${s.id} = ${periodParam} THEN t.${s.xp} ELSE t.${s.prevXp} END`,
    where: `(t.${s.id} = ${periodParam} OR t.${s.prevId} = ${periodParam})`,
  };
}

/**
 * The web's period boards on either store: the order and ranks from the process's boards (src/boards), how each
 * member looks from their all-time rows (`rows`: one read for a page; a member with no row, or who left, is absent).
 */
export class PeriodWebReads {
  constructor(
    private readonly boards: PeriodBoards,
    private readonly rows: (guildId: string, userIds: readonly string[]) => Awaitable<BoardSqlRow[]>,
  ) {}

  async board(guildId: string, period: number, offset: number, limit: number): Promise<BoardMember[]> {
    const page = await this.boards.leaderboard(guildId, period, offset, limit);
    const rows = page.length === 0 ? [] : await this.rows(guildId, page.map((e) => e.userId));
    const byId = new Map(rows.map((r) => [idOf(r.UserId), r]));
    return page.map((e, i) => this.member(e.userId, e.xp, byId.get(e.userId) ?? null, offset + i + 1));
  }

  async one(guildId: string, userId: string, period: number): Promise<BoardMember | null> {
    const entry = await this.boards.entry(guildId, userId, period);
    if (!entry) return null;
    return this.member(userId, entry.xp, (await this.rows(guildId, [userId]))[0] ?? null, entry.rank);
  }

  /** Ranks of search hits (read by the store with their period XP). */
  async ranked(guildId: string, period: number, rows: readonly BoardSqlRow[]): Promise<BoardMember[]> {
    return Promise.all(rows.map(async (r) => toMember(r, await this.boards.rank(guildId, idOf(r.UserId), period))));
  }

  /** A member of the board whose row went in between (they left): shown without a name until the next read. */
  private member(userId: string, xp: number, row: BoardSqlRow | null, rank: number): BoardMember {
    const r = row ?? { UserId: userId, Xp: 0n, TotalXp: null, Name: null, AvatarUrl: null, Hidden: false };
    return toMember({ ...r, Xp: BigInt(xp), TotalXp: r.Xp }, rank);
  }
}


export class WebReadStore implements WebReads {
  private readonly q: Record<string, Statement>;
  private readonly period: PeriodWebReads;
  private readonly periodSearch: (period: number) => Statement;

  constructor(
    db: Db,
    private readonly xp: XpReadStore,
    private readonly periods: PeriodBoards,
  ) {
    const prep = (sql: string) => db.prepare(sql).safeIntegers(true);
    this.period = new PeriodWebReads(periods, (g, users) => this.q.members!.all(sf(g), JSON.stringify(users)) as BoardSqlRow[]);
    this.periodSearch = perPeriodKind((period) => {
      const c = periodColumns(period, '@p');
      return prep(`${searchSelect(c.xp)} WHERE ${boardWhere('@g')} AND ${c.where} AND h.UserId IS NULL AND p.NameKey LIKE @pattern ESCAPE '\\'
        ORDER BY 2 DESC, t.UserId LIMIT @limit`);
    });
    this.q = {
      // By id, a server without a web row is a private one (an API key may still read it).
      guildById: prep(`SELECT g.GuildId, w.Public, w.Slug, w.Name, w.IconUrl, x.CurveQ, x.CurveA, x.CurveC
        FROM (SELECT ? AS GuildId) g LEFT JOIN WebGuild w ON w.GuildId = g.GuildId LEFT JOIN XpSettings x ON x.GuildId = g.GuildId`),
      guildBySlug: prep(`SELECT w.GuildId, w.Public, w.Slug, w.Name, w.IconUrl, x.CurveQ, x.CurveA, x.CurveC
        FROM WebGuild w LEFT JOIN XpSettings x ON x.GuildId = w.GuildId WHERE w.Slug = ?`),
      // INDEXED BY: the partial board index gives the order; without the hint the joins can tempt the planner into
      // sorting the whole server.
      board: prep(`${memberSelect('t.Xp', 'hint')} WHERE ${boardWhere('?')} ORDER BY t.Xp DESC, t.UserId LIMIT ? OFFSET ?`),
      member: prep(`${memberSelect()} WHERE ${boardWhere('?')} AND t.UserId = ?`),
      // A page's members at once (ids as a JSON array of strings: snowflakes do not fit a JS number).
      members: prep(`${memberSelect()} WHERE ${boardWhere('?')} AND t.UserId IN (SELECT CAST(value AS INTEGER) FROM json_each(?))`),
      search: prep(`${searchSelect('t.Xp')} WHERE ${boardWhere('?')} AND h.UserId IS NULL AND p.NameKey LIKE ? ESCAPE '\\' ORDER BY t.Xp DESC, t.UserId LIMIT ?`),
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

  memberCount(guildId: string, period: number | null = null): Awaitable<number> {
    return period === null ? this.xp.memberCount(guildId) : this.periods.memberCount(guildId, period);
  }

  board(guildId: string, offset: number, limit: number, period: number | null = null): Awaitable<BoardMember[]> {
    if (period !== null) return this.period.board(guildId, period, offset, limit);
    return (this.q.board!.all(sf(guildId), limit, offset) as BoardSqlRow[]).map((r, i) => toMember(r, offset + i + 1));
  }

  member(guildId: string, userId: string, period: number | null = null): Awaitable<BoardMember | null> {
    if (period !== null) return this.period.one(guildId, userId, period);
    const row = this.q.member!.get(sf(guildId), sf(userId)) as BoardSqlRow | undefined;
    return row ? toMember(row, this.xp.rank(guildId, idOf(row.UserId), num(row.Xp))) : null;
  }

  search(guildId: string, text: string, limit: number, period: number | null = null): Awaitable<BoardMember[]> {
    const pattern = likePattern(text);
    if (period !== null) return this.period.ranked(guildId, period, this.periodSearch(period).all({ g: sf(guildId), p: period, pattern, limit }) as BoardSqlRow[]);
    return (this.q.search!.all(sf(guildId), pattern, limit) as BoardSqlRow[]).map((r) => toMember(r, this.xp.rank(guildId, idOf(r.UserId), num(r.Xp))));
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

/** The search's select: only members with a profile (a name to match). */
export function searchSelect(xp: string): string {
  return memberSelect(xp).replace('LEFT JOIN MemberProfile p', 'JOIN MemberProfile p');
}
