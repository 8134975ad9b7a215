/**
 * Club writes. Every method is one IMMEDIATE transaction that checks the actor's rights and the target's state
 * inside it (no check-then-act across threads), and returns a plain result: `{ ok: false, reason }` for refusals.
 * Membership lives in DiscordUser (ClubId, IsClubAdmin); the owner is Clubs.OwnerId (a member, never flagged admin).
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { idOf, sf } from './ids.js';

export type ClubRefusal =
  | 'name_taken'
  | 'already_in_club'
  | 'no_club'
  | 'club_not_found'
  | 'not_owner'
  | 'not_admin'
  | 'banned'
  | 'already_applied'
  | 'not_applicant'
  | 'not_member'
  | 'target_is_owner'
  | 'target_is_admin'
  | 'already_banned'
  | 'not_banned'
  | 'owner_cannot_leave'
  | 'self';

export type ClubResult<T extends object = object> = ({ ok: true } & T) | { ok: false; reason: ClubRefusal };

export interface Actor {
  clubId: number;
  isOwner: boolean;
  isAdmin: boolean;
  clubName: string;
}

export class ClubWriteStore {
  private readonly q: Record<string, Statement>;

  constructor(
    private readonly db: Db,
    private readonly wallNow: () => number = Date.now,
  ) {
    const prep = (sql: string) => db.prepare(sql).safeIntegers(true);
    this.q = {
      ensureUser: prep('INSERT OR IGNORE INTO DiscordUser (UserId) VALUES (?)'),
      membership: prep(`SELECT u.ClubId, u.IsClubAdmin, c.OwnerId, c.Name, c.IsOpen FROM DiscordUser u JOIN Clubs c ON c.Id = u.ClubId
        WHERE u.UserId = ?`),
      clubByName: prep('SELECT Id, Name, IsOpen FROM Clubs WHERE Name = ?'),
      allNames: prep('SELECT Id, Name, IsOpen FROM Clubs'),
      insertClub: prep('INSERT INTO Clubs (Name, OwnerId, DateAdded) VALUES (?, ?, ?)'),
      setClub: prep('UPDATE DiscordUser SET ClubId = ?, IsClubAdmin = ? WHERE UserId = ?'),
      setAdmin: prep('UPDATE DiscordUser SET IsClubAdmin = ? WHERE UserId = ?'),
      leaveClub: prep('UPDATE DiscordUser SET ClubId = NULL, IsClubAdmin = 0 WHERE UserId = ? AND ClubId = ?'),
      clearMembers: prep('UPDATE DiscordUser SET ClubId = NULL, IsClubAdmin = 0 WHERE ClubId = ?'),
      deleteClub: prep('DELETE FROM Clubs WHERE Id = ?'),
      setIcon: prep('UPDATE Clubs SET ImageUrl = ? WHERE Id = ?'),
      setDescription: prep('UPDATE Clubs SET Description = ? WHERE Id = ?'),
      setOpen: prep('UPDATE Clubs SET IsOpen = ? WHERE Id = ?'),
      setOwner: prep('UPDATE Clubs SET OwnerId = ? WHERE Id = ?'),
      isBanned: prep('SELECT 1 FROM ClubBans WHERE ClubId = ? AND UserId = ?'),
      ban: prep('INSERT OR IGNORE INTO ClubBans (ClubId, UserId) VALUES (?, ?)'),
      unban: prep('DELETE FROM ClubBans WHERE ClubId = ? AND UserId = ?'),
      applied: prep('SELECT 1 FROM ClubApplicants WHERE ClubId = ? AND UserId = ?'),
      apply: prep('INSERT INTO ClubApplicants (ClubId, UserId, DateAdded) VALUES (?, ?, ?)'),
      unapply: prep('DELETE FROM ClubApplicants WHERE ClubId = ? AND UserId = ?'),
      unapplyAll: prep('DELETE FROM ClubApplicants WHERE UserId = ?'),
    };
  }

  /** Creates a club owned by `ownerId` (who must not be in a club). `name` is already checked for its rules. */
  create(ownerId: string, name: string): ClubResult<{ clubId: number }> {
    const u = sf(ownerId);
    return this.tx((): ClubResult<{ clubId: number }> => {
      this.q.ensureUser!.run(u);
      if (this.q.membership!.get(u)) return { ok: false, reason: 'already_in_club' };
      if (this.findClub(name)) return { ok: false, reason: 'name_taken' };
      const clubId = Number(this.q.insertClub!.run(name, u, this.wallNow()).lastInsertRowid);
      this.q.setClub!.run(clubId, 0, u);
      this.q.unapplyAll!.run(u);
      return { ok: true, clubId };
    });
  }

  setIcon(actorId: string, url: string | null): ClubResult {
    return this.ownerAction(actorId, (a) => void this.q.setIcon!.run(url, a.clubId));
  }

  setDescription(actorId: string, text: string | null): ClubResult {
    return this.ownerAction(actorId, (a) => void this.q.setDescription!.run(text, a.clubId));
  }

  setOpen(actorId: string, open: boolean): ClubResult {
    return this.ownerAction(actorId, (a) => void this.q.setOpen!.run(open ? 1 : 0, a.clubId));
  }

  /** Joins an open club at once, or applies to a closed one (the owner or an admin accepts). */
  join(userId: string, clubName: string): ClubResult<{ joined: boolean; clubName: string }> {
    const u = sf(userId);
    return this.tx((): ClubResult<{ joined: boolean; clubName: string }> => {
      const club = this.findClub(clubName);
      if (!club) return { ok: false, reason: 'club_not_found' };
      if (this.q.membership!.get(u)) return { ok: false, reason: 'already_in_club' };
      if (this.q.isBanned!.get(club.id, u)) return { ok: false, reason: 'banned' };
      this.q.ensureUser!.run(u); // only once the join is going ahead: a refusal writes nothing
      if (club.isOpen) {
        this.q.setClub!.run(club.id, 0, u);
        this.q.unapplyAll!.run(u);
        return { ok: true, joined: true, clubName: club.name };
      }
      if (this.q.applied!.get(club.id, u)) return { ok: false, reason: 'already_applied' };
      this.q.apply!.run(club.id, u, this.wallNow());
      return { ok: true, joined: false, clubName: club.name };
    });
  }

  accept(actorId: string, userId: string): ClubResult<{ clubName: string }> {
    return this.adminAction(actorId, (a): ClubResult<{ clubName: string }> => {
      const u = sf(userId);
      if (!this.q.applied!.get(a.clubId, u)) return { ok: false, reason: 'not_applicant' };
      if (this.q.membership!.get(u)) {
        this.q.unapply!.run(a.clubId, u);
        return { ok: false, reason: 'already_in_club' };
      }
      this.q.ensureUser!.run(u);
      this.q.setClub!.run(a.clubId, 0, u);
      this.q.unapplyAll!.run(u);
      return { ok: true, clubName: a.clubName };
    });
  }

  reject(actorId: string, userId: string): ClubResult {
    return this.adminAction(actorId, (a): ClubResult => {
      if (this.q.unapply!.run(a.clubId, sf(userId)).changes === 0) return { ok: false, reason: 'not_applicant' };
      return { ok: true };
    });
  }

  leave(userId: string): ClubResult<{ clubName: string }> {
    const u = sf(userId);
    return this.tx((): ClubResult<{ clubName: string }> => {
      const a = this.actor(u);
      if (!a) return { ok: false, reason: 'no_club' };
      if (a.isOwner) return { ok: false, reason: 'owner_cannot_leave' };
      this.q.leaveClub!.run(u, a.clubId);
      return { ok: true, clubName: a.clubName };
    });
  }

  kick(actorId: string, userId: string): ClubResult {
    return this.adminAction(actorId, (a): ClubResult => {
      const refusal = this.checkTarget(a, actorId, userId, true);
      if (refusal) return { ok: false, reason: refusal };
      this.q.leaveClub!.run(sf(userId), a.clubId);
      return { ok: true };
    });
  }

  /** Bans a member (removing them) or anyone else (so they cannot apply); their application is dropped. */
  ban(actorId: string, userId: string): ClubResult<{ wasMember: boolean }> {
    return this.adminAction(actorId, (a): ClubResult<{ wasMember: boolean }> => {
      const u = sf(userId);
      const refusal = this.checkTarget(a, actorId, userId, false);
      if (refusal) return { ok: false, reason: refusal };
      if (this.q.isBanned!.get(a.clubId, u)) return { ok: false, reason: 'already_banned' };
      const wasMember = this.q.leaveClub!.run(u, a.clubId).changes > 0;
      this.q.unapply!.run(a.clubId, u);
      this.q.ban!.run(a.clubId, u);
      return { ok: true, wasMember };
    });
  }

  unban(actorId: string, userId: string): ClubResult {
    return this.adminAction(actorId, (a): ClubResult => {
      if (this.q.unban!.run(a.clubId, sf(userId)).changes === 0) return { ok: false, reason: 'not_banned' };
      return { ok: true };
    });
  }

  /** Makes a member the owner; the old owner stays as an admin. */
  transfer(actorId: string, userId: string): ClubResult<{ clubName: string }> {
    return this.ownerAction(actorId, (a): ClubResult<{ clubName: string }> => {
      const u = sf(userId);
      if (userId === actorId) return { ok: false, reason: 'self' };
      if (this.memberClub(u) !== a.clubId) return { ok: false, reason: 'not_member' };
      this.q.setOwner!.run(u, a.clubId);
      this.q.setAdmin!.run(0, u);
      this.q.setAdmin!.run(1, sf(actorId));
      return { ok: true, clubName: a.clubName };
    });
  }

  setAdmin(actorId: string, userId: string, admin: boolean): ClubResult {
    return this.ownerAction(actorId, (a): ClubResult => {
      const u = sf(userId);
      if (userId === actorId) return { ok: false, reason: 'self' };
      if (this.memberClub(u) !== a.clubId) return { ok: false, reason: 'not_member' };
      this.q.setAdmin!.run(admin ? 1 : 0, u);
      return { ok: true };
    });
  }

  /** Deletes the club: members are released, applications and bans go with it. */
  disband(actorId: string): ClubResult<{ clubName: string; members: number }> {
    return this.ownerAction(actorId, (a): ClubResult<{ clubName: string; members: number }> => {
      const members = this.q.clearMembers!.run(a.clubId).changes;
      this.q.deleteClub!.run(a.clubId);
      return { ok: true, clubName: a.clubName, members };
    });
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────────────────────────

  private tx<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  private actor(u: bigint): Actor | null {
    const row = this.q.membership!.get(u) as { ClubId: bigint; IsClubAdmin: bigint; OwnerId: bigint; Name: string } | undefined;
    if (!row) return null;
    const isOwner = row.OwnerId === u;
    return { clubId: Number(row.ClubId), isOwner, isAdmin: isOwner || row.IsClubAdmin === 1n, clubName: row.Name };
  }

  private memberClub(u: bigint): number | null {
    const row = this.q.membership!.get(u) as { ClubId: bigint } | undefined;
    return row ? Number(row.ClubId) : null;
  }

  private ownerAction<T extends object>(actorId: string, fn: (a: Actor) => ClubResult<T> | void): ClubResult<T> {
    return this.tx((): ClubResult<T> => {
      const a = this.actor(sf(actorId));
      if (!a) return { ok: false, reason: 'no_club' };
      if (!a.isOwner) return { ok: false, reason: 'not_owner' };
      return fn(a) ?? ({ ok: true } as ClubResult<T>);
    });
  }

  private adminAction<T extends object>(actorId: string, fn: (a: Actor) => ClubResult<T>): ClubResult<T> {
    return this.tx((): ClubResult<T> => {
      const a = this.actor(sf(actorId));
      if (!a) return { ok: false, reason: 'no_club' };
      if (!a.isAdmin) return { ok: false, reason: 'not_admin' };
      return fn(a);
    });
  }

  private checkTarget(a: Actor, actorId: string, userId: string, mustBeMember: boolean): ClubRefusal | null {
    const row = this.q.membership!.get(sf(userId)) as { ClubId: bigint; IsClubAdmin: bigint; OwnerId: bigint } | undefined;
    return targetRefusal(a, actorId, userId, row, mustBeMember);
  }

  /** Case-insensitive lookup: SQLite's NOCASE folds ASCII; names with other letters are compared in JS. */
  private findClub(name: string): { id: number; name: string; isOpen: boolean } | null {
    const map = (r: { Id: bigint; Name: string; IsOpen: bigint }) => ({ id: Number(r.Id), name: r.Name, isOpen: r.IsOpen === 1n });
    const exact = this.q.clubByName!.get(name) as { Id: bigint; Name: string; IsOpen: bigint } | undefined;
    if (exact) return map(exact);
    if (/^[\x00-\x7f]*$/.test(name)) return null;
    const folded = foldName(name);
    const hit = (this.q.allNames!.all() as { Id: bigint; Name: string; IsOpen: bigint }[]).find((r) => foldName(r.Name) === folded);
    return hit ? map(hit) : null;
  }
}

/**
 * Who an admin may kick/ban: not themselves, not the owner, and (unless the actor owns the club) not an admin.
 * `row` is the target's membership row (either store's integers).
 */
export function targetRefusal(
  a: Actor,
  actorId: string,
  userId: string,
  row: { ClubId: unknown; IsClubAdmin: unknown; OwnerId: unknown } | undefined,
  mustBeMember: boolean,
): ClubRefusal | null {
  if (userId === actorId) return 'self';
  const member = row !== undefined && Number(row.ClubId) === a.clubId;
  if (mustBeMember && !member) return 'not_member';
  if (member && idOf(row.OwnerId) === userId) return 'target_is_owner';
  if (member && Number(row.IsClubAdmin) === 1 && !a.isOwner) return 'target_is_admin';
  return null;
}

/** The form two club names are compared in: case-folded, NFC. */
export function foldName(name: string): string {
  return name.normalize('NFC').toLocaleLowerCase('en-US');
}
