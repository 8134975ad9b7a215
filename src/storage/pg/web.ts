/**
 * The web side on PostgreSQL (DESIGN §14): the twins of `../web-reads.ts` and `../web-writes.ts`, with the same
 * results (tests/storage/contract/web.contract.test.ts).
 */
import { idOf, num } from '../ids.js';
import type { Port } from '../ports.js';
import { foldName } from '../../util/fold.js';
import { NADEKO_CURVE } from '../../levels/curve.js';
import { curveOf } from '../xp-reads.js';
import { boardWhere, likePattern, memberSelect, periodColumns, PeriodWebReads, searchSelect, toMember, type BoardSqlRow, type WebReadStore } from '../web-reads.js';
import { slugFrom, type ApiKeyRow, type GuildCopy, type ProfileRow, type WebhookRow, type WebWriteStore } from '../web-writes.js';
import type { BoardMember, RewardRole, WebGuildInfo } from '../../web/ports.js';
import type { PgXpReads } from './xp-store.js';
import type { PeriodBoards } from '../../boards/period-boards.js';
import { withRetry, type PgPool } from './pool.js';
import { changes, one, rows, type Queryable } from './sql.js';

const GUILD_COLUMNS = 'w.Public AS "Public", w.Slug AS "Slug", w.Name AS "Name", w.IconUrl AS "IconUrl", x.CurveQ AS "CurveQ", x.CurveA AS "CurveA", x.CurveC AS "CurveC"';

type GuildRow = { GuildId: string; Public: number | null; Slug: string | null; Name: string | null; IconUrl: string | null; CurveQ: number | null; CurveA: number | null; CurveC: number | null };

export class PgWebReads implements Port<WebReadStore> {
  private readonly period: PeriodWebReads;

  constructor(
    private readonly pool: PgPool,
    private readonly xp: PgXpReads,
    private readonly periods: PeriodBoards,
  ) {
    this.period = new PeriodWebReads(periods, (g, users) => rows<BoardSqlRow>(this.pool, `${memberSelect()} WHERE ${boardWhere('$1')} AND t.UserId = ANY($2::bigint[])`, [g, users]));
  }

  async guild(key: string): Promise<WebGuildInfo | null> {
    const byId = /^\d{1,20}$/.test(key) && BigInt(key) < 2n ** 63n;
    const row = byId
      ? await one<GuildRow>(
          this.pool,
          `SELECT $1::bigint AS "GuildId", ${GUILD_COLUMNS} FROM (SELECT $1::bigint AS GuildId) g
            LEFT JOIN WebGuild w ON w.GuildId = g.GuildId LEFT JOIN XpSettings x ON x.GuildId = g.GuildId`,
          [key],
        )
      : // Slugs are stored in lower case (SQLite compares them ignoring case).
        await one<GuildRow>(this.pool, `SELECT w.GuildId AS "GuildId", ${GUILD_COLUMNS} FROM WebGuild w LEFT JOIN XpSettings x ON x.GuildId = w.GuildId WHERE w.Slug = lower($1)`, [key]);
    if (!row) return null;
    return {
      guildId: idOf(row.GuildId),
      isPublic: row.Public === 1,
      slug: row.Slug,
      name: row.Name ?? '',
      iconUrl: row.IconUrl,
      curve: row.CurveA === null || row.CurveC === null ? NADEKO_CURVE : curveOf(num(row.CurveQ ?? 0), num(row.CurveA), num(row.CurveC)),
    };
  }

  memberCount(guildId: string, period: number | null = null): Promise<number> {
    return period === null ? this.xp.memberCount(guildId) : this.periods.memberCount(guildId, period);
  }

  async board(guildId: string, offset: number, limit: number, period: number | null = null): Promise<BoardMember[]> {
    if (period !== null) return this.period.board(guildId, period, offset, limit);
    const r = await rows<BoardSqlRow>(this.pool, `${memberSelect()} WHERE ${boardWhere('$1')} ORDER BY t.Xp DESC, t.UserId LIMIT $2 OFFSET $3`, [guildId, limit, offset]);
    return r.map((x, i) => toMember(x, offset + i + 1));
  }

  async member(guildId: string, userId: string, period: number | null = null): Promise<BoardMember | null> {
    if (period !== null) return this.period.one(guildId, userId, period);
    const r = await one<BoardSqlRow>(this.pool, `${memberSelect()} WHERE ${boardWhere('$1')} AND t.UserId = $2`, [guildId, userId]);
    return r ? toMember(r, await this.xp.rank(guildId, userId, num(r.Xp))) : null;
  }

  async search(guildId: string, text: string, limit: number, period: number | null = null): Promise<BoardMember[]> {
    const c = period === null ? { xp: 't.Xp', where: 'true' } : periodColumns(period, '$4::integer');
    const r = await rows<BoardSqlRow>(
      this.pool,
      `${searchSelect(c.xp)} WHERE ${boardWhere('$1')} AND ${c.where} AND h.UserId IS NULL AND p.NameKey LIKE $2 ESCAPE '\\'
        ORDER BY 2 DESC, t.UserId LIMIT $3`,
      period === null ? [guildId, likePattern(text), limit] : [guildId, likePattern(text), limit, period],
    );
    if (period !== null) return this.period.ranked(guildId, period, r);
    return Promise.all(r.map(async (x) => toMember(x, await this.xp.rank(guildId, idOf(x.UserId), num(x.Xp)))));
  }

  async rewardRoles(guildId: string): Promise<RewardRole[]> {
    const r = await rows<{ Level: number; RoleId: string; Remove: number; Name: string | null; Color: number | null }>(
      this.pool,
      `SELECT r.Level AS "Level", r.RoleId AS "RoleId", r.Remove AS "Remove", w.Name AS "Name", w.Color AS "Color" FROM XpRoleReward r
        LEFT JOIN WebRole w ON w.GuildId = r.GuildId AND w.RoleId = r.RoleId WHERE r.GuildId = $1 ORDER BY r.Level, r.RoleId`,
      [guildId],
    );
    return r.map((x) => ({ level: num(x.Level), roleId: idOf(x.RoleId), name: x.Name, color: x.Color === null ? 0 : num(x.Color), remove: num(x.Remove) !== 0 }));
  }

  async apiKeyGuild(keyHash: string): Promise<string | null> {
    const r = await one<{ g: string }>(this.pool, 'SELECT GuildId AS g FROM WebApiKey WHERE Hash = $1', [keyHash]);
    return r ? idOf(r.g) : null;
  }
}

async function slugOwner(db: Queryable, slug: string): Promise<string | undefined> {
  return (await one<{ g: string }>(db, 'SELECT GuildId AS g FROM WebGuild WHERE Slug = $1', [slug]))?.g;
}

export class PgWebWrites implements Port<WebWriteStore> {
  constructor(private readonly pool: PgPool) {}

  /** See `WebWriteStore.setPublic`. */
  setPublic(guildId: string, isPublic: boolean, slug: string | null, copy: { name: string; iconUrl: string | null } | null, now: number): Promise<{ slug: string | null; taken: boolean }> {
    return withRetry(this.pool, async (c) => {
      // One server's page at a time: the row lock orders two admins choosing slugs for the same server.
      const current = await one<{ s: string | null }>(c, 'SELECT Slug AS s FROM WebGuild WHERE GuildId = $1 FOR UPDATE', [guildId]);
      let chosen = current?.s ?? null;
      if (slug !== null) {
        const holder = await slugOwner(c, slug);
        if (holder !== undefined && holder !== guildId) return { slug: chosen, taken: true };
        chosen = slug;
      } else if (chosen === null && isPublic && copy) {
        const base = slugFrom(copy.name);
        chosen = base;
        for (let n = 2; (await slugOwner(c, chosen)) !== undefined; n++) chosen = `${base}-${n}`;
      }
      await c.query(
        `INSERT INTO WebGuild (GuildId, Public, Slug, Name, IconUrl, UpdatedAt) VALUES ($1, $2, $3, $4, $5, $6)
          ON CONFLICT (GuildId) DO UPDATE SET Public = excluded.Public, Slug = excluded.Slug,
            Name = CASE WHEN $7 THEN excluded.Name ELSE WebGuild.Name END, IconUrl = CASE WHEN $7 THEN excluded.IconUrl ELSE WebGuild.IconUrl END,
            UpdatedAt = excluded.UpdatedAt`,
        [guildId, isPublic ? 1 : 0, chosen, copy?.name ?? '', copy?.iconUrl ?? null, now, copy !== null],
      );
      if (!isPublic) await c.query('DELETE FROM MemberProfile WHERE GuildId = $1', [guildId]);
      return { slug: chosen, taken: false };
    });
  }

  saveGuild(guildId: string, copy: GuildCopy, now: number): Promise<boolean> {
    return withRetry(this.pool, async (c) => {
      if ((await changes(c, 'UPDATE WebGuild SET Name = $1, IconUrl = $2, UpdatedAt = $3 WHERE GuildId = $4', [copy.name, copy.iconUrl, now, guildId])) === 0) return false;
      await c.query('DELETE FROM WebRole WHERE GuildId = $1', [guildId]);
      if (copy.roles.length > 0) {
        await c.query('INSERT INTO WebRole (GuildId, RoleId, Name, Color) SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::int[])', [
          guildId,
          copy.roles.map((r) => r.id),
          copy.roles.map((r) => r.name),
          copy.roles.map((r) => r.color),
        ]);
      }
      return true;
    });
  }

  async webGuildIds(): Promise<string[]> {
    return (await rows<{ g: string }>(this.pool, 'SELECT GuildId AS g FROM WebGuild')).map((r) => idOf(r.g));
  }

  /** See `WebWriteStore.saveProfiles`: the same guards, one statement for the batch. */
  async saveProfiles(profiles: readonly ProfileRow[], now: number): Promise<void> {
    if (profiles.length === 0) return;
    await withRetry(
      this.pool,
      (c) =>
        c.query(
          `INSERT INTO MemberProfile (GuildId, UserId, Name, NameKey, AvatarUrl, UpdatedAt)
            SELECT t.g, t.u, t.n, t.k, t.a, $7 FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[]) AS t(g, u, n, k, a, s)
            WHERE EXISTS (SELECT 1 FROM WebGuild w WHERE w.GuildId = t.g AND w.Public = 1)
              AND NOT EXISTS (SELECT 1 FROM XpOptOut o WHERE o.GuildId = t.g AND o.UserId = t.u)
              AND NOT EXISTS (SELECT 1 FROM PrivacyErasure e WHERE e.ErasedAt >= t.s
                AND (e.UserId = t.u OR e.UserId IS NULL) AND (e.GuildId = t.g OR e.GuildId IS NULL))
            ORDER BY t.g, t.u
            ON CONFLICT (GuildId, UserId) DO UPDATE SET Name = excluded.Name, NameKey = excluded.NameKey, AvatarUrl = excluded.AvatarUrl, UpdatedAt = excluded.UpdatedAt`,
          [
            profiles.map((r) => r.guildId),
            profiles.map((r) => r.userId),
            profiles.map((r) => r.name),
            profiles.map((r) => foldName(r.name)),
            profiles.map((r) => r.avatarUrl),
            profiles.map((r) => r.seenAt),
            now,
          ],
        ),
      { idempotent: true },
    );
  }

  async setHidden(userId: string, hidden: boolean, at: number): Promise<boolean> {
    if (!hidden) return (await changes(this.pool, 'DELETE FROM WebHiddenMember WHERE UserId = $1', [userId])) > 0;
    return (await changes(this.pool, 'INSERT INTO WebHiddenMember (UserId, HiddenAt) VALUES ($1, $2) ON CONFLICT DO NOTHING', [userId, at])) > 0;
  }

  async createApiKey(guildId: string, hash: string, hint: string, createdBy: string, now: number): Promise<number> {
    const r = await one<{ id: string }>(this.pool, 'INSERT INTO WebApiKey (GuildId, Hash, Hint, CreatedById, CreatedAt) VALUES ($1, $2, $3, $4, $5) RETURNING Id AS id', [guildId, hash, hint, createdBy, now]);
    return num(r!.id);
  }

  async listApiKeys(guildId: string): Promise<ApiKeyRow[]> {
    const r = await rows<{ id: string; hint: string; by: string; at: string }>(this.pool, 'SELECT Id AS id, Hint AS hint, CreatedById AS by, CreatedAt AS at FROM WebApiKey WHERE GuildId = $1 ORDER BY Id', [guildId]);
    return r.map((x) => ({ id: num(x.id), hint: x.hint, createdBy: idOf(x.by), createdAt: num(x.at) }));
  }

  async revokeApiKey(guildId: string, id: number): Promise<boolean> {
    return (await changes(this.pool, 'DELETE FROM WebApiKey WHERE GuildId = $1 AND Id = $2', [guildId, id])) > 0;
  }

  async addWebhook(guildId: string, url: string, secret: string, events: readonly string[], now: number): Promise<number> {
    const r = await one<{ id: string }>(this.pool, 'INSERT INTO Webhook (GuildId, Url, Secret, Events, CreatedAt) VALUES ($1, $2, $3, $4, $5) RETURNING Id AS id', [guildId, url, secret, events.join(','), now]);
    return num(r!.id);
  }

  async listWebhooks(guildId: string): Promise<WebhookRow[]> {
    const r = await rows<{ id: string; url: string; events: string; at: string }>(this.pool, 'SELECT Id AS id, Url AS url, Events AS events, CreatedAt AS at FROM Webhook WHERE GuildId = $1 ORDER BY Id', [guildId]);
    return r.map((x) => ({ id: num(x.id), url: x.url, events: x.events.split(','), createdAt: num(x.at) }));
  }

  async removeWebhook(guildId: string, id: number): Promise<boolean> {
    return (await changes(this.pool, 'DELETE FROM Webhook WHERE GuildId = $1 AND Id = $2', [guildId, id])) > 0;
  }
}
