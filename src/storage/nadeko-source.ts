/**
 * Reading a NadekoBot database (v2–v7 schemas), from its SQLite file (nadeko-sqlite.ts) or its PostgreSQL
 * database (nadeko-pg.ts). Both hold the same EF Core tables: SQLite with the model's PascalCase names, PostgreSQL
 * with Nadeko's lower-case naming convention. The SQL here names tables through the catalog (`t()`) and writes
 * columns unquoted, which SQLite matches ignoring case and PostgreSQL folds to lower case, so one set of queries
 * reads both. What differs by store is normalised here: ids come as BigInt (SQLite) or NUMERIC(20,0) strings
 * (PostgreSQL), flags as 0/1 or booleans, dates as text.
 *
 * The schema generation is detected from the tables and columns present, never from a version number.
 * Ids are kept as BigInt: Discord snowflakes exceed 2^53.
 * Every row is normalised here; a row that cannot be used comes out with a `skip` reason instead of values.
 */
import { ImportError } from '../import/errors.js';
import { toSnowflake as snowflake } from './ids.js';
import type {
  ExclusionKind,
  NadekoClubLinkRow,
  NadekoClubMemberRow,
  NadekoClubRow,
  NadekoCurrencyRewardRow,
  NadekoExclusionRow,
  NadekoNotifyRow,
  NadekoRateRow,
  NadekoReader,
  NadekoRoleRewardRow,
  NadekoSchema,
  NadekoSettingsRow,
  NadekoShopRow,
  NadekoTable,
  NadekoUserRow,
  NadekoXpRow,
  Skip,
} from '../import/nadeko-reader.js';
import type { NotImported } from '../import/summary.js';
import { NadekoPg, isPostgresUrl } from './nadeko-pg.js';
import { NadekoSqlite } from './nadeko-sqlite.js';

/** One store's tables, read-only, in one snapshot. Parameters are `?`; rows come as arrays in column order. */
export interface NadekoDb {
  /** What the location is, for messages ("an SQLite database", "a PostgreSQL database"). */
  readonly kind: string;
  /** A file path or a connection URL without its password. */
  readonly location: string;
  tables(): string[];
  columns(table: string): string[];
  rows(sql: string, params: unknown[]): Iterable<unknown[]>;
  close(): void;
}

export interface SourceOptions {
  /** SQLite: milliseconds to wait for NadekoBot's write lock. PostgreSQL: to connect. Default 5 000. */
  busyTimeoutMs?: number;
}

/** The Nadeko exclusion enums. Old `ExcludedItem`: ExcludedItemType { Channel, Role }. New `XpExcludedItem`: XpExcludedItemType { User, Role }. */
const OLD_EXCLUSION: Record<number, ExclusionKind> = { 0: 'channel', 1: 'role' };
const NEW_EXCLUSION: Record<number, ExclusionKind> = { 0: 'user', 1: 'role' };

/** Opens `location`: a `postgres://` URL reads NadekoBot's PostgreSQL database, anything else is its SQLite file. */
export function openNadekoSource(location: string, options: SourceOptions = {}): NadekoSource {
  const db = isPostgresUrl(location) ? NadekoPg.open(location, { connectTimeoutMs: options.busyTimeoutMs }) : NadekoSqlite.open(location, options);
  try {
    return new NadekoSource(db);
  } catch (err) {
    db.close();
    throw err;
  }
}

export class NadekoSource implements NadekoReader {
  readonly schema: NadekoSchema;
  readonly location: string;
  private readonly tables: Map<string, string>;

  constructor(private readonly db: NadekoDb) {
    this.location = db.location;
    this.tables = new Map(db.tables().map((name) => [name.toLowerCase(), name]));
    this.schema = this.detect();
    if (!this.schema.userXp && !this.schema.discordUser) {
      const hint = this.looksLikeUnicornia() ? " (it looks like Unicornia's own database)" : ' (it has no UserXpStats or DiscordUser table)';
      throw new ImportError('not_nadeko', `${db.location} is ${db.kind} but not NadekoBot's${hint}`);
    }
  }

  close(): void {
    this.db.close();
  }

  /** Rows a section will read (for the progress bar). */
  count(table: NadekoTable, guildId: bigint | null = null): number {
    const name = this.tables.get(table.toLowerCase());
    if (!name) return 0;
    const where = guildId === null ? '' : ' WHERE GuildId = ?';
    return Number(this.one(`SELECT COUNT(*) FROM "${name}"${where}`, guildId === null ? [] : [guildId]));
  }

  *xp(guildId: bigint | null): Generator<NadekoXpRow | Skip> {
    const s = this.schema.userXp;
    if (!s) return;
    const sql = `SELECT GuildId, UserId, Xp${s.awardedXp ? ', AwardedXp' : ''} FROM "${this.t('UserXpStats')}"${guildId === null ? '' : ' WHERE GuildId = ?'} ORDER BY GuildId, UserId`;
    let lastG: bigint | null = null;
    let lastU: bigint | null = null;
    for (const r of this.db.rows(sql, guildId === null ? [] : [guildId])) {
      const g = snowflake(r[0]);
      const u = snowflake(r[1]);
      if (g === null) yield { skip: 'guild id is not a valid snowflake' };
      else if (u === null) yield { skip: 'user id is not a valid snowflake' };
      else if (g === lastG && u === lastU) yield { skip: 'duplicate row for the same guild and user' }; // sorted: adjacent
      else {
        lastG = g;
        lastU = u;
        const awarded = s.awardedXp ? int(r[3]) : 0;
        yield { guildId: g, userId: u, xp: int(r[2]) + awarded, awardedXp: awarded };
      }
    }
  }

  *users(): Generator<NadekoUserRow | Skip> {
    const s = this.schema.discordUser;
    if (!s) return;
    const cols = [
      'UserId',
      s.username ? 'Username' : 'NULL',
      s.totalXp ? 'TotalXp' : '0',
      s.currency ? 'CurrencyAmount' : '0',
    ];
    // In Discord id order, like the XP rows: Unicornia's tables are keyed by it, so pages fill in order.
    const sql = `SELECT ${cols.join(', ')} FROM "${this.t('DiscordUser')}" ORDER BY UserId`;
    let last: bigint | null = null;
    for (const r of this.db.rows(sql, [])) {
      const u = snowflake(r[0]);
      if (u === null) yield { skip: 'user id is not a valid snowflake' };
      else if (u === last) yield { skip: 'duplicate row for the same user' }; // sorted: adjacent
      else {
        last = u;
        yield { userId: u, username: text(r[1]), totalXp: int(r[2]), currency: int(r[3]) };
      }
    }
  }

  /** XpSettings rows with their guild; also the lookup rewards and old exclusions use (XpSettings.Id → guild). */
  settings(guildId: bigint | null): { rows: (NadekoSettingsRow | Skip)[]; guildOf: Map<bigint, bigint> } {
    const s = this.schema.settings;
    const guildOf = new Map<bigint, bigint>();
    const rows: (NadekoSettingsRow | Skip)[] = [];
    if (!s) return { rows, guildOf };
    const gc = this.tables.get('guildconfigs');
    // Nadeko 6 added XpSettings.GuildId (0 until its migration filled it); Nadeko 5 and older point at GuildConfigs.
    const guildExpr =
      s.guildId && s.guildConfigId && gc
        ? `COALESCE(NULLIF(xs.GuildId, 0), gc.GuildId)`
        : s.guildId
          ? 'xs.GuildId'
          : gc && s.guildConfigId
            ? 'gc.GuildId'
            : 'NULL';
    const join = s.guildConfigId && gc ? ` LEFT JOIN "${gc}" gc ON gc.Id = xs.GuildConfigId` : '';
    const formula = s.formula ? 'xs.XpFormulaA, xs.XpFormulaC' : 'NULL, NULL';
    const excluded = s.serverExcluded ? 'xs.ServerExcluded' : '0';
    const sql = `SELECT xs.Id, ${guildExpr} AS GuildId, ${formula}, ${excluded} FROM "${this.t('XpSettings')}" xs${join}`;
    for (const r of this.db.rows(sql, [])) {
      const g = snowflake(r[1]);
      if (g === null) {
        rows.push({ skip: 'XpSettings row without a guild (GuildConfigId not in GuildConfigs)' });
        continue;
      }
      if (guildId !== null && g !== guildId) continue;
      guildOf.set(BigInt(r[0] as bigint), g);
      rows.push({ guildId: g, curve: s.formula ? { a: int(r[2]), c: int(r[3]) } : null, serverExcluded: flag(r[4]) });
    }
    return { rows, guildOf };
  }

  *exclusions(guildId: bigint | null, guildOf: Map<bigint, bigint>): Generator<NadekoExclusionRow | Skip> {
    if (this.schema.excludedItem) {
      const sql = `SELECT XpSettingsId, ItemId, ItemType FROM "${this.t('ExcludedItem')}"`;
      for (const r of this.db.rows(sql, [])) {
        const g = r[0] === null ? undefined : guildOf.get(BigInt(r[0] as bigint));
        if (g === undefined) {
          if (guildId === null) yield { skip: 'exclusion for a guild with no settings row' };
          continue;
        }
        const type = OLD_EXCLUSION[int(r[2])];
        const item = snowflake(r[1]);
        if (!type) yield { skip: `unknown exclusion type ${String(r[2])}` };
        else if (item === null) yield { skip: 'excluded item id is not a valid snowflake' };
        else yield { guildId: g, type, itemId: item };
      }
    }
    if (this.schema.xpExcludedItem) {
      const where = guildId === null ? '' : ' WHERE GuildId = ?';
      const sql = `SELECT GuildId, ItemType, ItemId FROM "${this.t('XpExcludedItem')}"${where}`;
      for (const r of this.db.rows(sql, guildId === null ? [] : [guildId])) {
        const g = snowflake(r[0]);
        const type = NEW_EXCLUSION[int(r[1])];
        const item = snowflake(r[2]);
        if (g === null) yield { skip: 'guild id is not a valid snowflake' };
        else if (!type) yield { skip: `unknown exclusion type ${String(r[1])}` };
        else if (item === null) yield { skip: 'excluded item id is not a valid snowflake' };
        else yield { guildId: g, type, itemId: item };
      }
    }
  }

  *roleRewards(guildId: bigint | null, guildOf: Map<bigint, bigint>): Generator<NadekoRoleRewardRow | Skip> {
    const s = this.schema.roleRewards;
    if (!s) return;
    const sql = `SELECT XpSettingsId, Level, RoleId, ${s.remove ? 'Remove' : '0'} FROM "${this.t('XpRoleReward')}"`;
    for (const r of this.db.rows(sql, [])) {
      const g = r[0] === null ? undefined : guildOf.get(BigInt(r[0] as bigint));
      if (g === undefined) {
        if (guildId === null) yield { skip: 'reward for a guild with no settings row' };
        continue;
      }
      const role = snowflake(r[2]);
      const level = int(r[1]);
      if (role === null) yield { skip: 'role id is not a valid snowflake' };
      else if (level < 1) yield { skip: 'reward level below 1' };
      else yield { guildId: g, level, roleId: role, remove: flag(r[3]) };
    }
  }

  *currencyRewards(guildId: bigint | null, guildOf: Map<bigint, bigint>): Generator<NadekoCurrencyRewardRow | Skip> {
    if (!this.schema.currencyRewards) return;
    const sql = `SELECT XpSettingsId, Level, Amount FROM "${this.t('XpCurrencyReward')}"`;
    for (const r of this.db.rows(sql, [])) {
      const g = r[0] === null ? undefined : guildOf.get(BigInt(r[0] as bigint));
      if (g === undefined) {
        if (guildId === null) yield { skip: 'reward for a guild with no settings row' };
        continue;
      }
      const level = int(r[1]);
      const amount = int(r[2]);
      if (level < 1) yield { skip: 'reward level below 1' };
      else if (amount <= 0) yield { skip: 'currency reward amount is not positive' };
      else yield { guildId: g, level, amount };
    }
  }

  /** Level-up notifications (Notify.Type 0). */
  *notify(guildId: bigint | null): Generator<NadekoNotifyRow | Skip> {
    if (!this.schema.notify) return;
    const where = guildId === null ? '' : ' AND GuildId = ?';
    const sql = `SELECT GuildId, ChannelId, Message FROM "${this.t('Notify')}" WHERE Type = 0${where}`;
    for (const r of this.db.rows(sql, guildId === null ? [] : [guildId])) {
      const g = snowflake(r[0]);
      // Nadeko 6 stored 0 where later versions store NULL for "the channel of the message".
      const channel = r[1] === null || BigInt(r[1] as bigint) === 0n ? null : snowflake(r[1]);
      if (g === null) yield { skip: 'guild id is not a valid snowflake' };
      else if (r[1] !== null && BigInt(r[1] as bigint) !== 0n && channel === null) yield { skip: 'channel id is not a valid snowflake' };
      else yield { guildId: g, channelId: channel, message: text(r[2]) ?? '' };
    }
  }

  /** `GuildXpConfig` (server) then `ChannelXpConfig` (channel) rates; RateType 0 (text) where the column is missing. */
  *rates(guildId: bigint | null): Generator<NadekoRateRow | Skip> {
    const where = guildId === null ? '' : ' WHERE GuildId = ?';
    const params = guildId === null ? [] : [guildId];
    const { guild, channel } = this.schema.rates;
    if (guild) {
      const sql = `SELECT GuildId, ${guild.rateType ? 'RateType' : '0'}, XpAmount, Cooldown FROM "${this.t('GuildXpConfig')}"${where} ORDER BY GuildId`;
      for (const r of this.db.rows(sql, params)) {
        const g = snowflake(r[0]);
        if (g === null) yield { skip: 'guild id is not a valid snowflake' };
        else yield { guildId: g, channelId: null, rateType: int(r[1]), amount: int(r[2]), cooldownMinutes: real(r[3]) };
      }
    }
    if (channel) {
      const sql =
        `SELECT GuildId, ChannelId, ${channel.rateType ? 'RateType' : '0'}, XpAmount, Cooldown FROM "${this.t('ChannelXpConfig')}"${where} ORDER BY GuildId, ChannelId`;
      for (const r of this.db.rows(sql, params)) {
        const g = snowflake(r[0]);
        const c = snowflake(r[1]);
        if (g === null) yield { skip: 'guild id is not a valid snowflake' };
        else if (c === null) yield { skip: 'channel id is not a valid snowflake' };
        else yield { guildId: g, channelId: c, rateType: int(r[2]), amount: int(r[3]), cooldownMinutes: real(r[4]) };
      }
    }
  }

  /** Settings Unicornia has no place for; each count is one query, only non-zero counts are returned. */
  notImported(guildId: bigint | null): NotImported[] {
    const byGuild = guildId === null ? '' : ' AND GuildId = ?';
    const g = guildId === null ? [] : [guildId];
    const checks: { table: string; columns: string[]; where: string; params: unknown[]; what: string; reason: string }[] = [
      {
        table: 'Clubs', columns: ['BannerUrl'], where: "BannerUrl IS NOT NULL AND BannerUrl != ''", params: [],
        what: 'club banners (Clubs.BannerUrl)', reason: 'Unicornia clubs have an icon but no banner',
      },
      {
        table: 'Clubs', columns: ['MinimumLevelReq'], where: 'MinimumLevelReq > 0', params: [],
        what: 'club minimum levels (Clubs.MinimumLevelReq)', reason: 'Unicornia clubs have no level requirement',
      },
      {
        table: 'UserNotifyBlock', columns: ['UserId', 'Type'], where: '1 = 1', params: [],
        what: "members' blocked notifications (UserNotifyBlock)",
        reason: "Unicornia has no per-member notification settings; level-ups follow the server's announcement setting",
      },
      {
        table: 'DiscordUser', columns: ['NotifyOnLevelUp'], where: 'NotifyOnLevelUp != 0', params: [],
        what: "members' level-up notification choices (DiscordUser.NotifyOnLevelUp)",
        reason: "Unicornia has no per-member notification setting; the server's announcement setting applies",
      },
      {
        table: 'UserXpStats', columns: ['NotifyOnLevelUp'], where: `NotifyOnLevelUp != 0${byGuild}`, params: g,
        what: "members' level-up notification choices per server (UserXpStats.NotifyOnLevelUp)",
        reason: "Unicornia has no per-member notification setting; the server's announcement setting applies",
      },
      {
        table: 'Notify', columns: ['Type'], where: `Type != 0${byGuild}`, params: g,
        what: 'notifications other than level-ups (Notify, Type other than 0)', reason: 'Unicornia announces level-ups only',
      },
      {
        table: 'GuildXpConfig', columns: ['XpTemplateUrl'], where: `XpTemplateUrl IS NOT NULL AND XpTemplateUrl != ''${byGuild}`, params: g,
        what: 'custom XP card templates (GuildXpConfig.XpTemplateUrl)', reason: "Unicornia's card layout is the template in xp_config.yml",
      },
    ];
    const out: NotImported[] = [];
    for (const c of checks) {
      const name = this.tables.get(c.table.toLowerCase());
      if (!name || !has(this.columns(c.table), ...c.columns)) continue;
      const rows = Number(this.one(`SELECT COUNT(*) FROM "${name}" WHERE ${c.where}`, c.params));
      if (rows > 0) out.push({ what: c.what, rows, reason: c.reason });
    }
    return out;
  }

  *shopItems(): Generator<NadekoShopRow | Skip> {
    const s = this.schema.shop;
    if (!s) return;
    const sql = `SELECT UserId, ItemType, ItemKey, IsUsing, ${s.dateAdded ? 'DateAdded' : 'NULL'} FROM "${this.t('XpShopOwnedItem')}"`;
    for (const r of this.db.rows(sql, [])) {
      const u = snowflake(r[0]);
      const key = text(r[2]);
      if (u === null) yield { skip: 'user id is not a valid snowflake' };
      else if (!key) yield { skip: 'shop item without a key' };
      else yield { userId: u, itemType: int(r[1]), itemKey: key, isUsing: flag(r[3]), dateAdded: date(r[4]) };
    }
  }

  /** Clubs with their owner's Discord id (Clubs.OwnerId is a DiscordUser row id). */
  *clubs(): Generator<NadekoClubRow | Skip> {
    const s = this.schema.clubs;
    if (!s || !this.schema.discordUser) return;
    const sql =
      `SELECT c.Name, ${s.description ? 'c.Description' : 'NULL'}, c.ImageUrl, c.Xp, du.UserId, ${s.dateAdded ? 'c.DateAdded' : 'NULL'}, c.OwnerId
       FROM "${this.t('Clubs')}" c LEFT JOIN "${this.t('DiscordUser')}" du ON du.Id = c.OwnerId ORDER BY c.Id`;
    for (const r of this.db.rows(sql, [])) {
      const name = text(r[0])?.trim();
      const owner = snowflake(r[4]);
      if (!name) yield { skip: 'club without a name' };
      else if (owner === null) yield { skip: r[6] === null ? 'club has no owner' : 'club owner not found' };
      else
        yield {
          name,
          description: text(r[1]),
          imageUrl: text(r[2]) || null,
          xp: int(r[3]),
          ownerId: owner,
          dateAdded: date(r[5]),
        };
    }
  }

  *clubMembers(): Generator<NadekoClubMemberRow | Skip> {
    const du = this.schema.discordUser;
    if (!du?.club || !this.schema.clubs) return;
    const sql =
      `SELECT du.UserId, c.Name, du.IsClubAdmin FROM "${this.t('DiscordUser')}" du
       LEFT JOIN "${this.t('Clubs')}" c ON c.Id = du.ClubId WHERE du.ClubId IS NOT NULL`;
    for (const r of this.db.rows(sql, [])) {
      const u = snowflake(r[0]);
      const name = text(r[1])?.trim();
      if (u === null) yield { skip: 'user id is not a valid snowflake' };
      else if (!name) yield { skip: 'member of a club that does not exist' };
      else yield { userId: u, clubName: name, isAdmin: flag(r[2]) };
    }
  }

  /** ClubApplicants or ClubBans: (ClubId, UserId → DiscordUser.Id). */
  *clubLinks(table: 'ClubApplicants' | 'ClubBans'): Generator<NadekoClubLinkRow | Skip> {
    const has = table === 'ClubApplicants' ? this.schema.clubApplicants : this.schema.clubBans;
    if (!has || !this.schema.clubs || !this.schema.discordUser) return;
    const sql =
      `SELECT c.Name, du.UserId FROM "${this.t(table)}" l
       LEFT JOIN "${this.t('Clubs')}" c ON c.Id = l.ClubId LEFT JOIN "${this.t('DiscordUser')}" du ON du.Id = l.UserId`;
    for (const r of this.db.rows(sql, [])) {
      const name = text(r[0])?.trim();
      const u = snowflake(r[1]);
      if (!name) yield { skip: 'club not found' };
      else if (u === null) yield { skip: 'user not found in DiscordUser' };
      else yield { clubName: name, userId: u };
    }
  }

  private detect(): NadekoSchema {
    const xp = this.columns('UserXpStats');
    const du = this.columns('DiscordUser');
    const xs = this.columns('XpSettings');
    const rr = this.columns('XpRoleReward');
    const shop = this.columns('XpShopOwnedItem');
    const clubs = this.columns('Clubs');
    const userXp = xp && has(xp, 'Id', 'UserId', 'GuildId', 'Xp') ? { awardedXp: xp.has('awardedxp') } : null;
    const discordUser =
      du && has(du, 'Id', 'UserId')
        ? { totalXp: du.has('totalxp'), currency: du.has('currencyamount'), username: du.has('username'), club: has(du, 'ClubId', 'IsClubAdmin') }
        : null;
    const settings = xs
      ? {
          guildId: xs.has('guildid'),
          guildConfigId: xs.has('guildconfigid'),
          formula: has(xs, 'XpFormulaA', 'XpFormulaC'),
          serverExcluded: xs.has('serverexcluded'),
        }
      : null;
    const gx = this.columns('GuildXpConfig');
    const cx = this.columns('ChannelXpConfig');
    const schema: NadekoSchema = {
      generation: '',
      lastMigration: this.lastMigration(),
      userXp,
      discordUser,
      settings,
      excludedItem: has(this.columns('ExcludedItem'), 'XpSettingsId', 'ItemId', 'ItemType'),
      xpExcludedItem: has(this.columns('XpExcludedItem'), 'GuildId', 'ItemType', 'ItemId'),
      roleRewards: rr && has(rr, 'XpSettingsId', 'Level', 'RoleId') ? { remove: rr.has('remove') } : null,
      currencyRewards: has(this.columns('XpCurrencyReward'), 'XpSettingsId', 'Level', 'Amount'),
      shop: shop && has(shop, 'UserId', 'ItemType', 'ItemKey', 'IsUsing') ? { dateAdded: shop.has('dateadded') } : null,
      clubs: clubs && has(clubs, 'Id', 'Name', 'OwnerId', 'Xp', 'ImageUrl') ? { description: clubs.has('description'), dateAdded: clubs.has('dateadded') } : null,
      clubApplicants: has(this.columns('ClubApplicants'), 'ClubId', 'UserId'),
      clubBans: has(this.columns('ClubBans'), 'ClubId', 'UserId'),
      notify: has(this.columns('Notify'), 'GuildId', 'ChannelId', 'Type', 'Message'),
      rates: {
        guild: gx && has(gx, 'GuildId', 'XpAmount', 'Cooldown') ? { rateType: gx.has('ratetype') } : null,
        channel: cx && has(cx, 'GuildId', 'ChannelId', 'XpAmount', 'Cooldown') ? { rateType: cx.has('ratetype') } : null,
      },
    };
    schema.generation = describe(schema);
    return schema;
  }

  private looksLikeUnicornia(): boolean {
    const xp = this.columns('UserXpStats');
    return !!xp && xp.has('rewardedlevel');
  }

  private lastMigration(): string | null {
    const t = this.tables.get('__efmigrationshistory');
    if (!t) return null;
    return text(this.one(`SELECT MAX(MigrationId) FROM "${t}"`, []));
  }

  /** Lower-cased column names, or null when the table does not exist. */
  private columns(table: string): Set<string> | null {
    const name = this.tables.get(table.toLowerCase());
    if (!name) return null;
    return new Set(this.db.columns(name).map((c) => c.toLowerCase()));
  }

  private t(table: string): string {
    return this.tables.get(table.toLowerCase()) ?? table;
  }

  /** The first column of the first row. */
  private one(sql: string, params: unknown[]): unknown {
    for (const r of this.db.rows(sql, params)) return r[0];
    return null;
  }
}

function describe(s: NadekoSchema): string {
  const parts: string[] = [];
  if (s.userXp?.awardedXp) parts.push('Nadeko before 5.3 (UserXpStats.AwardedXp counted in the server level)');
  if (s.settings?.guildId) parts.push('Nadeko 6+ (XpSettings.GuildId)');
  else if (s.settings?.guildConfigId) parts.push('Nadeko 5 or older (XpSettings → GuildConfigs)');
  if (s.settings?.formula) parts.push('Nadeko 7 (XP formula columns)');
  if (s.excludedItem) parts.push('exclusions in ExcludedItem');
  if (s.xpExcludedItem) parts.push('exclusions in XpExcludedItem');
  if (s.notify) parts.push('level-up message in Notify');
  if (s.rates.guild || s.rates.channel) parts.push(`XP rates${s.rates.guild?.rateType || s.rates.channel?.rateType ? ' by type' : ''}`);
  return parts.length ? parts.join(', ') : 'unknown Nadeko version (no XpSettings table)';
}

function has(cols: Set<string> | null, ...names: string[]): boolean {
  return !!cols && names.every((n) => cols.has(n.toLowerCase()));
}

function int(value: unknown): number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Math.trunc(Number(value));
  return 0;
}

function real(value: unknown): number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return 0;
}

/** A Nadeko bool: 0/1 in SQLite, a boolean in PostgreSQL. */
function flag(value: unknown): boolean {
  return typeof value === 'boolean' ? value : int(value) !== 0;
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

/**
 * EF Core stores DateTime as TEXT in SQLite ("2021-05-01 12:34:56.789") and as `timestamp without time zone` in
 * PostgreSQL (read as the same text, nadeko-pg-worker.ts); Nadeko writes UTC into both.
 */
function date(value: unknown): number | null {
  if (typeof value !== 'string' || value === '') return null;
  const iso = value.includes('T') ? value : value.replace(' ', 'T');
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  return Number.isFinite(ms) ? ms : null;
}
