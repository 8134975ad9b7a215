/**
 * Reading a NadekoBot database (v2–v7 schemas). The file is opened read-only, checked (SQLite header, quick_check),
 * and read inside one read transaction, so every table comes from the same snapshot even if NadekoBot is running.
 * The schema generation is detected from the tables and columns present, never from a version number.
 *
 * Ids are read with safe integers (BigInt) and kept as BigInt: Discord snowflakes exceed 2^53.
 * Every row is normalised here; a row that cannot be used comes out with a `skip` reason instead of values.
 */
import Database from 'better-sqlite3';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { ImportError, sourceError } from '../import/errors.js';
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

type Db = Database.Database;

export interface SourceOptions {
  /** Milliseconds to wait for NadekoBot's write lock before giving up. Default 5 000. */
  busyTimeoutMs?: number;
}

const SQLITE_HEADER = 'SQLite format 3\0';

/** The Nadeko exclusion enums. Old `ExcludedItem`: ExcludedItemType { Channel, Role }. New `XpExcludedItem`: XpExcludedItemType { User, Role }. */
const OLD_EXCLUSION: Record<number, ExclusionKind> = { 0: 'channel', 1: 'role' };
const NEW_EXCLUSION: Record<number, ExclusionKind> = { 0: 'user', 1: 'role' };

export class NadekoSource implements NadekoReader {
  readonly schema: NadekoSchema;
  private readonly tables: Map<string, string>;

  private constructor(
    private readonly db: Db,
    readonly location: string,
  ) {
    this.tables = new Map(
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => [
        r.name.toLowerCase(),
        r.name,
      ]),
    );
    this.schema = this.detect();
  }

  /** Opens and checks the file; throws an ImportError that says what is wrong and what to do. */
  static open(path: string, options: SourceOptions = {}): NadekoSource {
    checkHeader(path);
    let db: Db | undefined;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
      db.defaultSafeIntegers(true);
      // The XP rows are read sorted by Unicornia's key; keep that sort in memory.
      db.pragma('temp_store = MEMORY');
      db.pragma('cache_size = -131072');
      // One read transaction for the whole import: every table from the same snapshot.
      db.exec('BEGIN');
      const check = db.pragma('quick_check(5)', { simple: false }) as { quick_check: string }[];
      if (check.length !== 1 || check[0]!.quick_check !== 'ok') {
        throw new ImportError('corrupt', `${path} (${check.map((c) => c.quick_check).join('; ')})`);
      }
      const source = new NadekoSource(db, path);
      if (!source.schema.userXp && !source.schema.discordUser) {
        const hint = source.looksLikeUnicornia() ? " (it looks like Unicornia's own database)" : ' (it has no UserXpStats or DiscordUser table)';
        throw new ImportError('not_nadeko', `${path}${hint}`);
      }
      return source;
    } catch (err) {
      db?.close();
      if (err instanceof ImportError) throw err;
      throw sourceError(path, err) ?? err;
    }
  }

  close(): void {
    if (this.db.inTransaction) this.db.exec('COMMIT');
    this.db.close();
  }

  /** Rows a section will read (for the progress bar). */
  count(table: NadekoTable, guildId: bigint | null = null): number {
    const name = this.tables.get(table.toLowerCase());
    if (!name) return 0;
    const where = guildId === null ? '' : ' WHERE "GuildId" = ?';
    const row = this.wrap(() => this.db.prepare(`SELECT COUNT(*) AS n FROM "${name}"${where}`).get(...(guildId === null ? [] : [guildId]))) as { n: bigint };
    return Number(row.n);
  }

  *xp(guildId: bigint | null): Generator<NadekoXpRow | Skip> {
    const s = this.schema.userXp;
    if (!s) return;
    const sql = `SELECT GuildId, UserId, Xp${s.awardedXp ? ', AwardedXp' : ''} FROM "${this.t('UserXpStats')}"${guildId === null ? '' : ' WHERE GuildId = ?'} ORDER BY GuildId, UserId`;
    const stmt = this.db.prepare(sql).raw(true);
    let lastG: bigint | null = null;
    let lastU: bigint | null = null;
    for (const r of this.iterate(stmt, guildId === null ? [] : [guildId])) {
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
    const stmt = this.db.prepare(`SELECT ${cols.join(', ')} FROM "${this.t('DiscordUser')}" ORDER BY UserId`).raw(true);
    let last: bigint | null = null;
    for (const r of this.iterate(stmt, [])) {
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
    const stmt = this.db
      .prepare(`SELECT xs.Id, ${guildExpr} AS GuildId, ${formula}, ${excluded} FROM "${this.t('XpSettings')}" xs${join}`)
      .raw(true);
    for (const r of this.iterate(stmt, [])) {
      const g = snowflake(r[1]);
      if (g === null) {
        rows.push({ skip: 'XpSettings row without a guild (GuildConfigId not in GuildConfigs)' });
        continue;
      }
      if (guildId !== null && g !== guildId) continue;
      guildOf.set(BigInt(r[0] as bigint), g);
      rows.push({ guildId: g, curve: s.formula ? { a: int(r[2]), c: int(r[3]) } : null, serverExcluded: int(r[4]) !== 0 });
    }
    return { rows, guildOf };
  }

  *exclusions(guildId: bigint | null, guildOf: Map<bigint, bigint>): Generator<NadekoExclusionRow | Skip> {
    if (this.schema.excludedItem) {
      const stmt = this.db.prepare(`SELECT XpSettingsId, ItemId, ItemType FROM "${this.t('ExcludedItem')}"`).raw(true);
      for (const r of this.iterate(stmt, [])) {
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
      const stmt = this.db.prepare(`SELECT GuildId, ItemType, ItemId FROM "${this.t('XpExcludedItem')}"${where}`).raw(true);
      for (const r of this.iterate(stmt, guildId === null ? [] : [guildId])) {
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
    const stmt = this.db
      .prepare(`SELECT XpSettingsId, Level, RoleId, ${s.remove ? 'Remove' : '0'} FROM "${this.t('XpRoleReward')}"`)
      .raw(true);
    for (const r of this.iterate(stmt, [])) {
      const g = r[0] === null ? undefined : guildOf.get(BigInt(r[0] as bigint));
      if (g === undefined) {
        if (guildId === null) yield { skip: 'reward for a guild with no settings row' };
        continue;
      }
      const role = snowflake(r[2]);
      const level = int(r[1]);
      if (role === null) yield { skip: 'role id is not a valid snowflake' };
      else if (level < 1) yield { skip: 'reward level below 1' };
      else yield { guildId: g, level, roleId: role, remove: int(r[3]) !== 0 };
    }
  }

  *currencyRewards(guildId: bigint | null, guildOf: Map<bigint, bigint>): Generator<NadekoCurrencyRewardRow | Skip> {
    if (!this.schema.currencyRewards) return;
    const stmt = this.db.prepare(`SELECT XpSettingsId, Level, Amount FROM "${this.t('XpCurrencyReward')}"`).raw(true);
    for (const r of this.iterate(stmt, [])) {
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
    const stmt = this.db.prepare(`SELECT GuildId, ChannelId, Message FROM "${this.t('Notify')}" WHERE Type = 0${where}`).raw(true);
    for (const r of this.iterate(stmt, guildId === null ? [] : [guildId])) {
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
      const stmt = this.db
        .prepare(`SELECT GuildId, ${guild.rateType ? 'RateType' : '0'}, XpAmount, Cooldown FROM "${this.t('GuildXpConfig')}"${where} ORDER BY GuildId`)
        .raw(true);
      for (const r of this.iterate(stmt, params)) {
        const g = snowflake(r[0]);
        if (g === null) yield { skip: 'guild id is not a valid snowflake' };
        else yield { guildId: g, channelId: null, rateType: int(r[1]), amount: int(r[2]), cooldownMinutes: real(r[3]) };
      }
    }
    if (channel) {
      const stmt = this.db
        .prepare(
          `SELECT GuildId, ChannelId, ${channel.rateType ? 'RateType' : '0'}, XpAmount, Cooldown FROM "${this.t('ChannelXpConfig')}"${where} ORDER BY GuildId, ChannelId`,
        )
        .raw(true);
      for (const r of this.iterate(stmt, params)) {
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
        table: 'UserNotifyBlock', columns: ['UserId', 'Type'], where: '1', params: [],
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
      const row = this.wrap(() => this.db.prepare(`SELECT COUNT(*) AS n FROM "${name}" WHERE ${c.where}`).get(...c.params)) as { n: bigint };
      const rows = Number(row.n);
      if (rows > 0) out.push({ what: c.what, rows, reason: c.reason });
    }
    return out;
  }

  *shopItems(): Generator<NadekoShopRow | Skip> {
    const s = this.schema.shop;
    if (!s) return;
    const stmt = this.db
      .prepare(`SELECT UserId, ItemType, ItemKey, IsUsing, ${s.dateAdded ? 'DateAdded' : 'NULL'} FROM "${this.t('XpShopOwnedItem')}"`)
      .raw(true);
    for (const r of this.iterate(stmt, [])) {
      const u = snowflake(r[0]);
      const key = text(r[2]);
      if (u === null) yield { skip: 'user id is not a valid snowflake' };
      else if (!key) yield { skip: 'shop item without a key' };
      else yield { userId: u, itemType: int(r[1]), itemKey: key, isUsing: int(r[3]) !== 0, dateAdded: date(r[4]) };
    }
  }

  /** Clubs with their owner's Discord id (Clubs.OwnerId is a DiscordUser row id). */
  *clubs(): Generator<NadekoClubRow | Skip> {
    const s = this.schema.clubs;
    if (!s || !this.schema.discordUser) return;
    const stmt = this.db
      .prepare(
        `SELECT c.Name, ${s.description ? 'c.Description' : 'NULL'}, c.ImageUrl, c.Xp, du.UserId, ${s.dateAdded ? 'c.DateAdded' : 'NULL'}, c.OwnerId
         FROM "${this.t('Clubs')}" c LEFT JOIN "${this.t('DiscordUser')}" du ON du.Id = c.OwnerId ORDER BY c.Id`,
      )
      .raw(true);
    for (const r of this.iterate(stmt, [])) {
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
    const stmt = this.db
      .prepare(
        `SELECT du.UserId, c.Name, du.IsClubAdmin FROM "${this.t('DiscordUser')}" du
         LEFT JOIN "${this.t('Clubs')}" c ON c.Id = du.ClubId WHERE du.ClubId IS NOT NULL`,
      )
      .raw(true);
    for (const r of this.iterate(stmt, [])) {
      const u = snowflake(r[0]);
      const name = text(r[1])?.trim();
      if (u === null) yield { skip: 'user id is not a valid snowflake' };
      else if (!name) yield { skip: 'member of a club that does not exist' };
      else yield { userId: u, clubName: name, isAdmin: int(r[2]) !== 0 };
    }
  }

  /** ClubApplicants or ClubBans: (ClubId, UserId → DiscordUser.Id). */
  *clubLinks(table: 'ClubApplicants' | 'ClubBans'): Generator<NadekoClubLinkRow | Skip> {
    const has = table === 'ClubApplicants' ? this.schema.clubApplicants : this.schema.clubBans;
    if (!has || !this.schema.clubs || !this.schema.discordUser) return;
    const stmt = this.db
      .prepare(
        `SELECT c.Name, du.UserId FROM "${this.t(table)}" l
         LEFT JOIN "${this.t('Clubs')}" c ON c.Id = l.ClubId LEFT JOIN "${this.t('DiscordUser')}" du ON du.Id = l.UserId`,
      )
      .raw(true);
    for (const r of this.iterate(stmt, [])) {
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
    const row = this.db.prepare(`SELECT MAX(MigrationId) AS m FROM "${t}"`).get() as { m: string | null };
    return row.m;
  }

  /** Lower-cased column names, or null when the table does not exist. */
  private columns(table: string): Set<string> | null {
    const name = this.tables.get(table.toLowerCase());
    if (!name) return null;
    const cols = this.db.prepare(`SELECT name FROM pragma_table_info(?)`).all(name) as { name: string }[];
    return new Set(cols.map((c) => c.name.toLowerCase()));
  }

  private t(table: string): string {
    return this.tables.get(table.toLowerCase()) ?? table;
  }

  /** Iterates a statement, turning SQLite failures (a page found corrupt mid-read) into ImportErrors. */
  private *iterate(stmt: Database.Statement, params: unknown[]): Generator<unknown[]> {
    try {
      yield* stmt.iterate(...params) as IterableIterator<unknown[]>;
    } catch (err) {
      throw sourceError(this.location, err) ?? err;
    }
  }

  private wrap<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw sourceError(this.location, err) ?? err;
    }
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

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

/** EF Core stores DateTime as TEXT ("2021-05-01 12:34:56.789"); treated as UTC. */
function date(value: unknown): number | null {
  if (typeof value !== 'string' || value === '') return null;
  const iso = value.includes('T') ? value : value.replace(' ', 'T');
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  return Number.isFinite(ms) ? ms : null;
}

function checkHeader(path: string): void {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    throw new ImportError('not_found', path);
  }
  if (size < 100) throw new ImportError(size === 0 ? 'not_sqlite' : 'corrupt', `${path} (${size} bytes)`);
  const buf = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buf, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (buf.toString('latin1') !== SQLITE_HEADER) throw new ImportError('not_sqlite', path);
}
