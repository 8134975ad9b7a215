/**
 * Club reads on the main thread's connection. A club's XP is the sum of its current members' global XP
 * (`DiscordUser.TotalXp`): clubs are global like the wallet, so a club ranks the same in every server, and a member
 * who leaves takes their XP with them. (`Clubs.Xp`, filled by the NadekoBot import, is kept but not used for ranking.)
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { idOf, num, sf } from './ids.js';
import { foldName } from './club-writes.js';

export interface ClubInfo {
  id: number;
  name: string;
  description: string | null;
  iconUrl: string | null;
  ownerId: string;
  isOpen: boolean;
  /** Wall-clock ms. */
  createdAt: number;
  /** Sum of the members' total XP. */
  xp: number;
  members: number;
}

export interface ClubMember {
  userId: string;
  isOwner: boolean;
  isAdmin: boolean;
  totalXp: number;
}

export interface ClubMembership {
  clubId: number;
  isOwner: boolean;
  isAdmin: boolean;
}

export interface ClubRankRow {
  rank: number;
  id: number;
  name: string;
  xp: number;
  members: number;
}

const INFO = `SELECT c.Id, c.Name, c.Description, c.ImageUrl, c.OwnerId, c.IsOpen, c.DateAdded,
  (SELECT COALESCE(SUM(TotalXp), 0) FROM DiscordUser WHERE ClubId = c.Id) AS Xp,
  (SELECT COUNT(*) FROM DiscordUser WHERE ClubId = c.Id) AS Members
  FROM Clubs c`;

type InfoRow = { Id: bigint; Name: string; Description: string | null; ImageUrl: string | null; OwnerId: bigint; IsOpen: bigint; DateAdded: bigint; Xp: bigint; Members: bigint };

export class ClubReadStore {
  private readonly q: Record<string, Statement>;

  constructor(db: Db) {
    const prep = (sql: string) => db.prepare(sql).safeIntegers(true);
    this.q = {
      byId: prep(`${INFO} WHERE c.Id = ?`),
      byName: prep(`${INFO} WHERE c.Name = ?`),
      names: prep('SELECT Id, Name FROM Clubs ORDER BY Name'),
      membership: prep('SELECT u.ClubId, u.IsClubAdmin, c.OwnerId FROM DiscordUser u JOIN Clubs c ON c.Id = u.ClubId WHERE u.UserId = ?'),
      members: prep(`SELECT u.UserId, u.IsClubAdmin, u.TotalXp, c.OwnerId FROM DiscordUser u JOIN Clubs c ON c.Id = u.ClubId
        WHERE u.ClubId = ? ORDER BY u.TotalXp DESC, u.UserId`),
      applicants: prep('SELECT UserId, DateAdded FROM ClubApplicants WHERE ClubId = ? ORDER BY DateAdded, UserId'),
      bans: prep('SELECT UserId FROM ClubBans WHERE ClubId = ? ORDER BY UserId'),
      count: prep('SELECT COUNT(*) AS N FROM Clubs'),
      leaderboard: prep(`SELECT c.Id, c.Name, COALESCE(SUM(u.TotalXp), 0) AS Xp, COUNT(u.UserId) AS Members
        FROM Clubs c LEFT JOIN DiscordUser u ON u.ClubId = c.Id GROUP BY c.Id ORDER BY Xp DESC, c.Id LIMIT ? OFFSET ?`),
      ahead: prep(`SELECT COUNT(*) AS N FROM (SELECT c.Id, COALESCE(SUM(u.TotalXp), 0) AS Xp FROM Clubs c
        LEFT JOIN DiscordUser u ON u.ClubId = c.Id GROUP BY c.Id) WHERE Xp > ? OR (Xp = ? AND Id < ?)`),
    };
  }

  byId(id: number): ClubInfo | null {
    const row = this.q.byId!.get(id) as InfoRow | undefined;
    return row ? info(row) : null;
  }

  /** Case-insensitive (SQLite folds ASCII; other letters are compared in JS). */
  byName(name: string): ClubInfo | null {
    const row = this.q.byName!.get(name) as InfoRow | undefined;
    if (row) return info(row);
    if (/^[\x00-\x7f]*$/.test(name)) return null;
    const folded = foldName(name);
    const hit = this.names().find((n) => foldName(n.name) === folded);
    return hit ? this.byId(hit.id) : null;
  }

  names(): { id: number; name: string }[] {
    return (this.q.names!.all() as { Id: bigint; Name: string }[]).map((r) => ({ id: Number(r.Id), name: r.Name }));
  }

  membership(userId: string): ClubMembership | null {
    const row = this.q.membership!.get(sf(userId)) as { ClubId: bigint; IsClubAdmin: bigint; OwnerId: bigint } | undefined;
    if (!row) return null;
    const isOwner = idOf(row.OwnerId) === userId;
    return { clubId: Number(row.ClubId), isOwner, isAdmin: isOwner || row.IsClubAdmin === 1n };
  }

  clubOfUser(userId: string): ClubInfo | null {
    const m = this.membership(userId);
    return m ? this.byId(m.clubId) : null;
  }

  members(clubId: number): ClubMember[] {
    return (this.q.members!.all(clubId) as { UserId: bigint; IsClubAdmin: bigint; TotalXp: bigint; OwnerId: bigint }[]).map((r) => {
      const isOwner = r.UserId === r.OwnerId;
      return { userId: idOf(r.UserId), isOwner, isAdmin: isOwner || r.IsClubAdmin === 1n, totalXp: num(r.TotalXp) };
    });
  }

  applicants(clubId: number): { userId: string; at: number }[] {
    return (this.q.applicants!.all(clubId) as { UserId: bigint; DateAdded: bigint }[]).map((r) => ({ userId: idOf(r.UserId), at: num(r.DateAdded) }));
  }

  bans(clubId: number): string[] {
    return (this.q.bans!.all(clubId) as { UserId: bigint }[]).map((r) => idOf(r.UserId));
  }

  count(): number {
    return num((this.q.count!.get() as { N: bigint }).N);
  }

  /** Clubs by XP (ties: the older club first), `limit` from `offset`. */
  leaderboard(offset: number, limit: number): ClubRankRow[] {
    return (this.q.leaderboard!.all(limit, offset) as { Id: bigint; Name: string; Xp: bigint; Members: bigint }[]).map((r, i) => ({
      rank: offset + i + 1,
      id: Number(r.Id),
      name: r.Name,
      xp: num(r.Xp),
      members: num(r.Members),
    }));
  }

  /** 1-based rank of a club in the leaderboard ordering. */
  rank(club: Pick<ClubInfo, 'id' | 'xp'>): number {
    return num((this.q.ahead!.get(club.xp, club.xp, club.id) as { N: bigint }).N) + 1;
  }
}

function info(r: InfoRow): ClubInfo {
  return {
    id: Number(r.Id),
    name: r.Name,
    description: r.Description,
    iconUrl: r.ImageUrl,
    ownerId: idOf(r.OwnerId),
    isOpen: r.IsOpen === 1n,
    createdAt: num(r.DateAdded),
    xp: num(r.Xp),
    members: num(r.Members),
  };
}
