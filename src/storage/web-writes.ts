/**
 * The web side's writes (a writer module, DESIGN §14): whether a server is public and its slug, the copy of its
 * name, icon and roles, members' profiles and privacy, API keys (hashed) and webhooks.
 */
import type { Db } from './database.js';
import { idOf, num, sf } from './ids.js';
import { foldName } from '../util/fold.js';

export interface ProfileRow {
  guildId: string;
  userId: string;
  name: string;
  avatarUrl: string | null;
  /** Wall-clock ms when the member was seen looking like this. */
  seenAt: number;
}

/** A server's name, icon and roles as the Discord layer sees them (copied for its web page). */
export interface GuildCopy {
  name: string;
  iconUrl: string | null;
  roles: { id: string; name: string; color: number }[];
}

export interface ApiKeyRow {
  id: number;
  hint: string;
  createdBy: string;
  createdAt: number;
}

export interface WebhookRow {
  id: number;
  url: string;
  events: string[];
  createdAt: number;
}

/** A slug: lower-case letters, digits and inner dashes, 2–40 characters, not all digits (that is an id). */
export const SLUG_PATTERN = /^(?!\d+$)[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])$/;

/** A readable slug from a server's name ("Unicorn Farm!" → "unicorn-farm"). */
export function slugFrom(name: string): string {
  const base = foldName(name).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 34).replace(/-+$/, '');
  return SLUG_PATTERN.test(base) ? base : `server-${base}`.replace(/-+$/, '').slice(0, 34);
}

export class WebWriteStore {
  constructor(private readonly db: Db) {}

  /**
   * Turns the page on or off. On: keeps the server's slug, or takes `slug` (nothing changes and `taken` is true
   * when another server has it), or makes one from the name, numbered when taken. Off deletes the members' names
   * and avatars. Returns the slug in effect.
   */
  setPublic(guildId: string, isPublic: boolean, slug: string | null, copy: { name: string; iconUrl: string | null } | null, now: number): { slug: string | null; taken: boolean } {
    return this.db.transaction(() => {
      const g = sf(guildId);
      const current = this.db.prepare('SELECT Slug FROM WebGuild WHERE GuildId = ?').get(g) as { Slug: string | null } | undefined;
      const owner = (s: string) => (this.db.prepare('SELECT GuildId FROM WebGuild WHERE Slug = ?').safeIntegers(true).get(s) as { GuildId: bigint } | undefined)?.GuildId;
      let chosen = current?.Slug ?? null;
      if (slug !== null) {
        const holder = owner(slug);
        if (holder !== undefined && holder !== g) return { slug: current?.Slug ?? null, taken: true };
        chosen = slug;
      } else if (chosen === null && isPublic && copy) {
        const base = slugFrom(copy.name);
        chosen = base;
        for (let n = 2; owner(chosen) !== undefined; n++) chosen = `${base}-${n}`;
      }
      this.db
        .prepare(`INSERT INTO WebGuild (GuildId, Public, Slug, Name, IconUrl, UpdatedAt) VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT (GuildId) DO UPDATE SET Public = excluded.Public, Slug = excluded.Slug,
            Name = CASE WHEN ? THEN excluded.Name ELSE Name END, IconUrl = CASE WHEN ? THEN excluded.IconUrl ELSE IconUrl END,
            UpdatedAt = excluded.UpdatedAt`)
        .run(g, isPublic ? 1 : 0, chosen, copy?.name ?? '', copy?.iconUrl ?? null, now, copy ? 1 : 0, copy ? 1 : 0);
      // Names are kept only for a page that shows them.
      if (!isPublic) this.db.prepare('DELETE FROM MemberProfile WHERE GuildId = ?').run(g);
      return { slug: chosen, taken: false };
    })();
  }

  /** Refreshes the copy of a server's name, icon and roles; only for servers that have a web row. */
  saveGuild(guildId: string, copy: GuildCopy, now: number): boolean {
    return this.db.transaction(() => {
      const g = sf(guildId);
      const changed = this.db.prepare('UPDATE WebGuild SET Name = ?, IconUrl = ?, UpdatedAt = ? WHERE GuildId = ?').run(copy.name, copy.iconUrl, now, g).changes;
      if (changed === 0) return false;
      this.db.prepare('DELETE FROM WebRole WHERE GuildId = ?').run(g);
      const insert = this.db.prepare('INSERT INTO WebRole (GuildId, RoleId, Name, Color) VALUES (?, ?, ?, ?)');
      for (const r of copy.roles) insert.run(g, sf(r.id), r.name, r.color);
      return true;
    })();
  }

  /** Servers that have a web row (public now or before): the ones whose copy is kept fresh. */
  webGuildIds(): string[] {
    return (this.db.prepare('SELECT GuildId FROM WebGuild').safeIntegers(true).all() as { GuildId: bigint }[]).map((r) => idOf(r.GuildId));
  }

  /**
   * Writes how members look, in servers whose page is on (no other server keeps names). A member who opted out in
   * that server gets no row (nothing new is stored about them, DESIGN §13), and a look seen before an erasure of
   * the member or the server is not written after it: the batch is written up to 30 s after it was seen, and the
   * erasure must not be undone by it.
   */
  saveProfiles(rows: readonly ProfileRow[], now: number): void {
    const upsert = this.db.prepare(`INSERT INTO MemberProfile (GuildId, UserId, Name, NameKey, AvatarUrl, UpdatedAt)
      SELECT @guild, @user, @name, @key, @avatar, @now
      WHERE EXISTS (SELECT 1 FROM WebGuild WHERE GuildId = @guild AND Public = 1)
        AND NOT EXISTS (SELECT 1 FROM XpOptOut WHERE GuildId = @guild AND UserId = @user)
        AND NOT EXISTS (SELECT 1 FROM PrivacyErasure WHERE ErasedAt >= @seenAt
          AND (UserId = @user OR UserId IS NULL) AND (GuildId = @guild OR GuildId IS NULL))
      ON CONFLICT (GuildId, UserId) DO UPDATE SET Name = excluded.Name, NameKey = excluded.NameKey, AvatarUrl = excluded.AvatarUrl, UpdatedAt = excluded.UpdatedAt`);
    this.db.transaction(() => {
      for (const r of rows) {
        upsert.run({ guild: sf(r.guildId), user: sf(r.userId), name: r.name, key: foldName(r.name), avatar: r.avatarUrl, now, seenAt: r.seenAt });
      }
    })();
  }

  /** `level privacy hide|show`; returns whether anything changed. */
  setHidden(userId: string, hidden: boolean, at: number): boolean {
    const u = sf(userId);
    if (!hidden) return this.db.prepare('DELETE FROM WebHiddenMember WHERE UserId = ?').run(u).changes > 0;
    return this.db.prepare('INSERT INTO WebHiddenMember (UserId, HiddenAt) VALUES (?, ?) ON CONFLICT DO NOTHING').run(u, at).changes > 0;
  }

  createApiKey(guildId: string, hash: string, hint: string, createdBy: string, now: number): number {
    const r = this.db.prepare('INSERT INTO WebApiKey (GuildId, Hash, Hint, CreatedById, CreatedAt) VALUES (?, ?, ?, ?, ?)').run(sf(guildId), hash, hint, sf(createdBy), now);
    return Number(r.lastInsertRowid);
  }

  listApiKeys(guildId: string): ApiKeyRow[] {
    const rows = this.db.prepare('SELECT Id, Hint, CreatedById, CreatedAt FROM WebApiKey WHERE GuildId = ? ORDER BY Id').safeIntegers(true).all(sf(guildId)) as {
      Id: bigint;
      Hint: string;
      CreatedById: bigint;
      CreatedAt: bigint;
    }[];
    return rows.map((r) => ({ id: num(r.Id), hint: r.Hint, createdBy: idOf(r.CreatedById), createdAt: num(r.CreatedAt) }));
  }

  /** Deletes a key of this server by its number; false when there is none. */
  revokeApiKey(guildId: string, id: number): boolean {
    return this.db.prepare('DELETE FROM WebApiKey WHERE GuildId = ? AND Id = ?').run(sf(guildId), id).changes > 0;
  }

  addWebhook(guildId: string, url: string, secret: string, events: readonly string[], now: number): number {
    const r = this.db.prepare('INSERT INTO Webhook (GuildId, Url, Secret, Events, CreatedAt) VALUES (?, ?, ?, ?, ?)').run(sf(guildId), url, secret, events.join(','), now);
    return Number(r.lastInsertRowid);
  }

  listWebhooks(guildId: string): WebhookRow[] {
    const rows = this.db.prepare('SELECT Id, Url, Events, CreatedAt FROM Webhook WHERE GuildId = ? ORDER BY Id').safeIntegers(true).all(sf(guildId)) as {
      Id: bigint;
      Url: string;
      Events: string;
      CreatedAt: bigint;
    }[];
    return rows.map((r) => ({ id: num(r.Id), url: r.Url, events: r.Events.split(','), createdAt: num(r.CreatedAt) }));
  }

  /** Deletes a webhook of this server and its undelivered events; false when there is none. */
  removeWebhook(guildId: string, id: number): boolean {
    return this.db.prepare('DELETE FROM Webhook WHERE GuildId = ? AND Id = ?').run(sf(guildId), id).changes > 0;
  }
}
