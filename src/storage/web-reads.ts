/**
 * The web layer's reads (`WebReads`) on SQLite, on the main thread's connection. Pages and the API read stored
 * XP, like the leaderboard command: at most one flush interval behind (DESIGN §14.2). Every query is an index
 * range: a page of a 1 000 000-member server reads its 50 rows, never the server.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { idOf, num, sf } from './ids.js';
import { curveOf, type XpReadStore } from './xp-reads.js';
import type { BoardMember, RewardRole, WebGuildInfo, WebReads } from '../web/ports.js';
import { foldName } from '../util/fold.js';
import { NADEKO_CURVE } from '../levels/curve.js';

/** A board row as both stores read it (ids and XP as bigint or decimal string). */
export interface BoardSqlRow {
  UserId: bigint | string;
  Xp: bigint | string;
  Name: string | null;
  AvatarUrl: string | null;
  Hidden: bigint | number | boolean;
}

// The page's rows with how each member looks and whether they hid: two primary-key lookups per row.
const MEMBER_COLUMNS = `s.UserId, s.Xp, p.Name, p.AvatarUrl, (h.UserId IS NOT NULL) AS Hidden
  FROM UserXpStats s
  LEFT JOIN MemberProfile p ON p.GuildId = s.GuildId AND p.UserId = s.UserId
  LEFT JOIN WebHiddenMember h ON h.UserId = s.UserId`;

export class WebReadStore implements WebReads {
  private readonly q: Record<string, Statement>;

  constructor(
    db: Db,
    private readonly xp: XpReadStore,
  ) {
    const prep = (sql: string) => db.prepare(sql).safeIntegers(true);
    this.q = {
      // By id, a server without a web row is a private one (an API key may still read it).
      guildById: prep(`SELECT g.GuildId, w.Public, w.Slug, w.Name, w.IconUrl, x.CurveQ, x.CurveA, x.CurveC
        FROM (SELECT ? AS GuildId) g LEFT JOIN WebGuild w ON w.GuildId = g.GuildId LEFT JOIN XpSettings x ON x.GuildId = g.GuildId`),
      guildBySlug: prep(`SELECT w.GuildId, w.Public, w.Slug, w.Name, w.IconUrl, x.CurveQ, x.CurveA, x.CurveC
        FROM WebGuild w LEFT JOIN XpSettings x ON x.GuildId = w.GuildId WHERE w.Slug = ?`),
      // INDEXED BY: the partial leaderboard index gives the order; without the hint the joins can tempt the planner
      // into sorting the whole server.
      board: prep(`SELECT ${MEMBER_COLUMNS.replace('FROM UserXpStats s', 'FROM UserXpStats s INDEXED BY IX_UserXpStats_Leaderboard')}
        WHERE s.GuildId = ? AND s.HasLeft = 0 ORDER BY s.Xp DESC, s.UserId LIMIT ? OFFSET ?`),
      member: prep(`SELECT ${MEMBER_COLUMNS} WHERE s.GuildId = ? AND s.UserId = ? AND s.HasLeft = 0`),
      search: prep(`SELECT ${MEMBER_COLUMNS.replace('LEFT JOIN MemberProfile p', 'JOIN MemberProfile p')}
        WHERE s.GuildId = ? AND s.HasLeft = 0 AND h.UserId IS NULL AND p.NameKey LIKE ? ESCAPE '\\'
        ORDER BY s.Xp DESC, s.UserId LIMIT ?`),
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

  memberCount(guildId: string): number {
    return this.xp.memberCount(guildId);
  }

  board(guildId: string, offset: number, limit: number): BoardMember[] {
    const rows = this.q.board!.all(sf(guildId), limit, offset) as BoardSqlRow[];
    return rows.map((r, i) => toMember(r, offset + i + 1));
  }

  member(guildId: string, userId: string): BoardMember | null {
    const row = this.q.member!.get(sf(guildId), sf(userId)) as BoardSqlRow | undefined;
    if (!row) return null;
    return toMember(row, this.xp.rank(guildId, userId, num(row.Xp)));
  }

  search(guildId: string, text: string, limit: number): BoardMember[] {
    const pattern = `%${foldName(text).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = this.q.search!.all(sf(guildId), pattern, limit) as BoardSqlRow[];
    return rows.map((r) => toMember(r, this.xp.rank(guildId, idOf(r.UserId), num(r.Xp))));
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
  return { rank, userId: idOf(r.UserId), xp: num(r.Xp), name: hidden ? null : r.Name, avatarUrl: hidden ? null : r.AvatarUrl, hidden };
}
