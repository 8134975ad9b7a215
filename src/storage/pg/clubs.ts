/**
 * Clubs on PostgreSQL: the twins of `../club-reads.ts` and `../club-writes.ts`, with the same results. Each write is
 * one transaction that locks the acting user's row first, so two processes acting for one user (a join racing a
 * join) run one after the other and the second sees the first's result.
 */
import { idOf, num } from '../ids.js';
import type { Port } from '../ports.js';
import { foldName, targetRefusal, type Actor, type ClubRefusal, type ClubResult, type ClubWriteStore } from '../club-writes.js';
import type { ClubInfo, ClubMember, ClubMembership, ClubRankRow, ClubReadStore } from '../club-reads.js';
import { withRetry, type PgClient, type PgPool } from './pool.js';
import { changes, one, rows, type Queryable } from './sql.js';

const ASCII = /^[\x00-\x7f]*$/;
/** SQLite's NOCASE: ASCII letters folded; lower() under the "C" collation does the same (the unique index's form). */
const SAME_NAME = 'lower(Name COLLATE "C") = lower($1 COLLATE "C")';

type MembershipRow = { ClubId: string; IsClubAdmin: number; OwnerId: string; Name: string; IsOpen: number };
type ClubRow = { id: string; name: string; open: number };

async function membership(db: Queryable, userId: string): Promise<MembershipRow | undefined> {
  return one<MembershipRow>(
    db,
    `SELECT u.ClubId AS "ClubId", u.IsClubAdmin AS "IsClubAdmin", c.OwnerId AS "OwnerId", c.Name AS "Name", c.IsOpen AS "IsOpen"
     FROM DiscordUser u JOIN Clubs c ON c.Id = u.ClubId WHERE u.UserId = $1`,
    [userId],
  );
}

/** By name, ignoring case as SQLite's store does (ASCII in SQL, other letters folded in JS). */
async function findClub(db: Queryable, name: string): Promise<ClubRow | undefined> {
  const exact = await one<ClubRow>(db, `SELECT Id AS id, Name AS name, IsOpen AS open FROM Clubs WHERE ${SAME_NAME}`, [name]);
  if (exact || ASCII.test(name)) return exact;
  const folded = foldName(name);
  return (await rows<ClubRow>(db, 'SELECT Id AS id, Name AS name, IsOpen AS open FROM Clubs')).find((r) => foldName(r.name) === folded);
}

export class PgClubWrites implements Port<ClubWriteStore> {
  constructor(
    private readonly pool: PgPool,
    private readonly wallNow: () => number = Date.now,
  ) {}

  create(ownerId: string, name: string): Promise<ClubResult<{ clubId: number }>> {
    return this.tx(ownerId, async (c): Promise<ClubResult<{ clubId: number }>> => {
      if (await membership(c, ownerId)) return { ok: false, reason: 'already_in_club' };
      if (await findClub(c, name)) return { ok: false, reason: 'name_taken' };
      const r = await one<{ id: string }>(c, 'INSERT INTO Clubs (Name, OwnerId, DateAdded) VALUES ($1, $2, $3) RETURNING Id AS id', [name, ownerId, this.wallNow()]);
      const clubId = Number(r!.id);
      await this.setClub(c, ownerId, clubId);
      return { ok: true, clubId };
    }, true);
  }

  setIcon(actorId: string, url: string | null): Promise<ClubResult> {
    return this.ownerAction(actorId, async (c, a) => void (await c.query('UPDATE Clubs SET ImageUrl = $1 WHERE Id = $2', [url, a.clubId])));
  }

  setDescription(actorId: string, text: string | null): Promise<ClubResult> {
    return this.ownerAction(actorId, async (c, a) => void (await c.query('UPDATE Clubs SET Description = $1 WHERE Id = $2', [text, a.clubId])));
  }

  setOpen(actorId: string, open: boolean): Promise<ClubResult> {
    return this.ownerAction(actorId, async (c, a) => void (await c.query('UPDATE Clubs SET IsOpen = $1 WHERE Id = $2', [open ? 1 : 0, a.clubId])));
  }

  join(userId: string, clubName: string): Promise<ClubResult<{ joined: boolean; clubName: string }>> {
    return this.tx(userId, async (c): Promise<ClubResult<{ joined: boolean; clubName: string }>> => {
      const club = await findClub(c, clubName);
      if (!club) return { ok: false, reason: 'club_not_found' };
      if (await membership(c, userId)) return { ok: false, reason: 'already_in_club' };
      if (await one(c, 'SELECT 1 FROM ClubBans WHERE ClubId = $1 AND UserId = $2', [club.id, userId])) return { ok: false, reason: 'banned' };
      if (club.open) {
        await this.ensureUser(c, userId);
        await this.setClub(c, userId, Number(club.id));
        return { ok: true, joined: true, clubName: club.name };
      }
      if (await one(c, 'SELECT 1 FROM ClubApplicants WHERE ClubId = $1 AND UserId = $2', [club.id, userId])) return { ok: false, reason: 'already_applied' };
      await this.ensureUser(c, userId);
      await c.query('INSERT INTO ClubApplicants (ClubId, UserId, DateAdded) VALUES ($1, $2, $3)', [club.id, userId, this.wallNow()]);
      return { ok: true, joined: false, clubName: club.name };
    });
  }

  accept(actorId: string, userId: string): Promise<ClubResult<{ clubName: string }>> {
    return this.adminAction(actorId, async (c, a): Promise<ClubResult<{ clubName: string }>> => {
      await this.lock(c, userId);
      if (!(await one(c, 'SELECT 1 FROM ClubApplicants WHERE ClubId = $1 AND UserId = $2', [a.clubId, userId]))) return { ok: false, reason: 'not_applicant' };
      if (await membership(c, userId)) {
        await c.query('DELETE FROM ClubApplicants WHERE ClubId = $1 AND UserId = $2', [a.clubId, userId]);
        return { ok: false, reason: 'already_in_club' };
      }
      await this.setClub(c, userId, a.clubId);
      return { ok: true, clubName: a.clubName };
    });
  }

  reject(actorId: string, userId: string): Promise<ClubResult> {
    return this.adminAction(actorId, async (c, a): Promise<ClubResult> => {
      if ((await changes(c, 'DELETE FROM ClubApplicants WHERE ClubId = $1 AND UserId = $2', [a.clubId, userId])) === 0) return { ok: false, reason: 'not_applicant' };
      return { ok: true };
    });
  }

  leave(userId: string): Promise<ClubResult<{ clubName: string }>> {
    return this.tx(userId, async (c): Promise<ClubResult<{ clubName: string }>> => {
      const a = await this.actor(c, userId);
      if (!a) return { ok: false, reason: 'no_club' };
      if (a.isOwner) return { ok: false, reason: 'owner_cannot_leave' };
      await this.leaveClub(c, userId, a.clubId);
      return { ok: true, clubName: a.clubName };
    });
  }

  kick(actorId: string, userId: string): Promise<ClubResult> {
    return this.adminAction(actorId, async (c, a): Promise<ClubResult> => {
      await this.lock(c, userId);
      const refusal = targetRefusal(a, actorId, userId, await membership(c, userId), true);
      if (refusal) return { ok: false, reason: refusal };
      await this.leaveClub(c, userId, a.clubId);
      return { ok: true };
    });
  }

  ban(actorId: string, userId: string): Promise<ClubResult<{ wasMember: boolean }>> {
    return this.adminAction(actorId, async (c, a): Promise<ClubResult<{ wasMember: boolean }>> => {
      await this.lock(c, userId);
      const refusal = targetRefusal(a, actorId, userId, await membership(c, userId), false);
      if (refusal) return { ok: false, reason: refusal };
      if (await one(c, 'SELECT 1 FROM ClubBans WHERE ClubId = $1 AND UserId = $2', [a.clubId, userId])) return { ok: false, reason: 'already_banned' };
      const wasMember = (await this.leaveClub(c, userId, a.clubId)) > 0;
      await c.query('DELETE FROM ClubApplicants WHERE ClubId = $1 AND UserId = $2', [a.clubId, userId]);
      await c.query('INSERT INTO ClubBans (ClubId, UserId) VALUES ($1, $2) ON CONFLICT DO NOTHING', [a.clubId, userId]);
      return { ok: true, wasMember };
    });
  }

  unban(actorId: string, userId: string): Promise<ClubResult> {
    return this.adminAction(actorId, async (c, a): Promise<ClubResult> => {
      if ((await changes(c, 'DELETE FROM ClubBans WHERE ClubId = $1 AND UserId = $2', [a.clubId, userId])) === 0) return { ok: false, reason: 'not_banned' };
      return { ok: true };
    });
  }

  transfer(actorId: string, userId: string): Promise<ClubResult<{ clubName: string }>> {
    return this.ownerAction(actorId, async (c, a): Promise<ClubResult<{ clubName: string }>> => {
      if (userId === actorId) return { ok: false, reason: 'self' };
      await this.lock(c, userId);
      if (Number((await membership(c, userId))?.ClubId) !== a.clubId) return { ok: false, reason: 'not_member' };
      await c.query('UPDATE Clubs SET OwnerId = $1 WHERE Id = $2', [userId, a.clubId]);
      await c.query('UPDATE DiscordUser SET IsClubAdmin = 0 WHERE UserId = $1', [userId]);
      await c.query('UPDATE DiscordUser SET IsClubAdmin = 1 WHERE UserId = $1', [actorId]);
      return { ok: true, clubName: a.clubName };
    });
  }

  setAdmin(actorId: string, userId: string, admin: boolean): Promise<ClubResult> {
    return this.ownerAction(actorId, async (c, a): Promise<ClubResult> => {
      if (userId === actorId) return { ok: false, reason: 'self' };
      await this.lock(c, userId);
      if (Number((await membership(c, userId))?.ClubId) !== a.clubId) return { ok: false, reason: 'not_member' };
      await c.query('UPDATE DiscordUser SET IsClubAdmin = $1 WHERE UserId = $2', [admin ? 1 : 0, userId]);
      return { ok: true };
    });
  }

  disband(actorId: string): Promise<ClubResult<{ clubName: string; members: number }>> {
    return this.ownerAction(actorId, async (c, a): Promise<ClubResult<{ clubName: string; members: number }>> => {
      const members = await changes(c, 'UPDATE DiscordUser SET ClubId = NULL, IsClubAdmin = 0 WHERE ClubId = $1', [a.clubId]);
      await c.query('DELETE FROM Clubs WHERE Id = $1', [a.clubId]);
      return { ok: true, clubName: a.clubName, members };
    });
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────────────────────────

  /** One transaction acting for `userId`, whose row is locked first (made first when `ensure`). */
  private tx<T>(userId: string, fn: (c: PgClient) => Promise<T>, ensure = false): Promise<T> {
    return withRetry(this.pool, async (c) => {
      if (ensure) await this.ensureUser(c, userId);
      await this.lock(c, userId);
      return fn(c);
    });
  }

  private async lock(c: PgClient, userId: string): Promise<void> {
    await c.query('SELECT 1 FROM DiscordUser WHERE UserId = $1 FOR UPDATE', [userId]);
  }

  private async ensureUser(c: PgClient, userId: string): Promise<void> {
    await c.query('INSERT INTO DiscordUser (UserId) VALUES ($1) ON CONFLICT DO NOTHING', [userId]);
    await this.lock(c, userId);
  }

  private async setClub(c: PgClient, userId: string, clubId: number): Promise<void> {
    await c.query('UPDATE DiscordUser SET ClubId = $1, IsClubAdmin = 0 WHERE UserId = $2', [clubId, userId]);
    await c.query('DELETE FROM ClubApplicants WHERE UserId = $1', [userId]);
  }

  private leaveClub(c: PgClient, userId: string, clubId: number): Promise<number> {
    return changes(c, 'UPDATE DiscordUser SET ClubId = NULL, IsClubAdmin = 0 WHERE UserId = $1 AND ClubId = $2', [userId, clubId]);
  }

  private async actor(c: PgClient, userId: string): Promise<Actor | null> {
    const row = await membership(c, userId);
    if (!row) return null;
    const isOwner = idOf(row.OwnerId) === userId;
    return { clubId: Number(row.ClubId), isOwner, isAdmin: isOwner || row.IsClubAdmin === 1, clubName: row.Name };
  }

  private act<T extends object>(actorId: string, need: 'owner' | 'admin', fn: (c: PgClient, a: Actor) => Promise<ClubResult<T> | void>): Promise<ClubResult<T>> {
    return this.tx(actorId, async (c): Promise<ClubResult<T>> => {
      const a = await this.actor(c, actorId);
      if (!a) return { ok: false, reason: 'no_club' };
      const refusal: ClubRefusal | null = need === 'owner' ? (a.isOwner ? null : 'not_owner') : a.isAdmin ? null : 'not_admin';
      if (refusal) return { ok: false, reason: refusal };
      return (await fn(c, a)) ?? ({ ok: true } as ClubResult<T>);
    });
  }

  private ownerAction<T extends object>(actorId: string, fn: (c: PgClient, a: Actor) => Promise<ClubResult<T> | void>): Promise<ClubResult<T>> {
    return this.act(actorId, 'owner', fn);
  }

  private adminAction<T extends object>(actorId: string, fn: (c: PgClient, a: Actor) => Promise<ClubResult<T>>): Promise<ClubResult<T>> {
    return this.act(actorId, 'admin', fn);
  }
}

const INFO = `SELECT c.Id AS "Id", c.Name AS "Name", c.Description AS "Description", c.ImageUrl AS "ImageUrl", c.OwnerId AS "OwnerId",
  c.IsOpen AS "IsOpen", c.DateAdded AS "DateAdded",
  (SELECT COALESCE(SUM(TotalXp), 0) FROM DiscordUser WHERE ClubId = c.Id) AS "Xp",
  (SELECT COUNT(*) FROM DiscordUser WHERE ClubId = c.Id) AS "Members"
  FROM Clubs c`;

type InfoRow = { Id: string; Name: string; Description: string | null; ImageUrl: string | null; OwnerId: string; IsOpen: number; DateAdded: string; Xp: string; Members: string };

function info(r: InfoRow): ClubInfo {
  return {
    id: Number(r.Id),
    name: r.Name,
    description: r.Description,
    iconUrl: r.ImageUrl,
    ownerId: idOf(r.OwnerId),
    isOpen: r.IsOpen === 1,
    createdAt: num(r.DateAdded),
    xp: num(r.Xp),
    members: num(r.Members),
  };
}

export class PgClubReads implements Port<ClubReadStore> {
  constructor(private readonly pool: PgPool) {}

  async byId(id: number): Promise<ClubInfo | null> {
    const r = await one<InfoRow>(this.pool, `${INFO} WHERE c.Id = $1`, [id]);
    return r ? info(r) : null;
  }

  async byName(name: string): Promise<ClubInfo | null> {
    const hit = await findClub(this.pool, name);
    return hit ? this.byId(Number(hit.id)) : null;
  }

  async names(): Promise<{ id: number; name: string }[]> {
    return (await rows<{ id: string; name: string }>(this.pool, 'SELECT Id AS id, Name AS name FROM Clubs ORDER BY Name COLLATE "C"')).map((r) => ({ id: Number(r.id), name: r.name }));
  }

  async membership(userId: string): Promise<ClubMembership | null> {
    const row = await membership(this.pool, userId);
    if (!row) return null;
    const isOwner = idOf(row.OwnerId) === userId;
    return { clubId: Number(row.ClubId), isOwner, isAdmin: isOwner || row.IsClubAdmin === 1 };
  }

  async clubOfUser(userId: string): Promise<ClubInfo | null> {
    const m = await this.membership(userId);
    return m ? this.byId(m.clubId) : null;
  }

  async members(clubId: number): Promise<ClubMember[]> {
    const r = await rows<{ u: string; a: number; x: string; o: string }>(
      this.pool,
      `SELECT u.UserId AS u, u.IsClubAdmin AS a, u.TotalXp AS x, c.OwnerId AS o FROM DiscordUser u JOIN Clubs c ON c.Id = u.ClubId
       WHERE u.ClubId = $1 ORDER BY u.TotalXp DESC, u.UserId`,
      [clubId],
    );
    return r.map((x) => {
      const isOwner = x.u === x.o;
      return { userId: idOf(x.u), isOwner, isAdmin: isOwner || x.a === 1, totalXp: num(x.x) };
    });
  }

  async applicants(clubId: number): Promise<{ userId: string; at: number }[]> {
    const r = await rows<{ u: string; d: string }>(this.pool, 'SELECT UserId AS u, DateAdded AS d FROM ClubApplicants WHERE ClubId = $1 ORDER BY DateAdded, UserId', [clubId]);
    return r.map((x) => ({ userId: idOf(x.u), at: num(x.d) }));
  }

  async bans(clubId: number): Promise<string[]> {
    return (await rows<{ u: string }>(this.pool, 'SELECT UserId AS u FROM ClubBans WHERE ClubId = $1 ORDER BY UserId', [clubId])).map((x) => idOf(x.u));
  }

  async count(): Promise<number> {
    return num((await one<{ n: string }>(this.pool, 'SELECT COUNT(*) AS n FROM Clubs'))!.n);
  }

  async leaderboard(offset: number, limit: number): Promise<ClubRankRow[]> {
    const r = await rows<{ id: string; name: string; xp: string; m: string }>(
      this.pool,
      `SELECT c.Id AS id, c.Name AS name, COALESCE(SUM(u.TotalXp), 0) AS xp, COUNT(u.UserId) AS m
       FROM Clubs c LEFT JOIN DiscordUser u ON u.ClubId = c.Id GROUP BY c.Id ORDER BY 3 DESC, c.Id LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
    return r.map((x, i) => ({ rank: offset + i + 1, id: Number(x.id), name: x.name, xp: num(x.xp), members: num(x.m) }));
  }

  async rank(club: Pick<ClubInfo, 'id' | 'xp'>): Promise<number> {
    const r = await one<{ n: string }>(
      this.pool,
      `SELECT COUNT(*) AS n FROM (SELECT c.Id, COALESCE(SUM(u.TotalXp), 0) AS xp FROM Clubs c
       LEFT JOIN DiscordUser u ON u.ClubId = c.Id GROUP BY c.Id) t WHERE xp > $1 OR (xp = $1 AND Id < $2)`,
      [club.xp, club.id],
    );
    return num(r!.n) + 1;
  }
}
