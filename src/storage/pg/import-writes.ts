/**
 * The import target on PostgreSQL: the same methods and rules as the SQLite target (`../import-writes.ts`, rules in
 * `../import-rules.ts`), so `npm run import` writes wherever `DATABASE_URL` points (DESIGN §8, §7.1).
 *
 * - Each `import…` call is one READ COMMITTED transaction over a batch with the import ledger, as on SQLite. It
 *   reads the ledger inside the transaction, so running it again after a serialization failure, a deadlock or a
 *   COMMIT whose answer was lost adds nothing twice: it is retried like the flush.
 * - XP and wallets (the bulk of a big import) are one statement per table over UNNEST'ed arrays, sorted by key, the
 *   flush's pattern: additive upserts, so a bot flushing into the same rows at the same time neither loses nor
 *   doubles a gain, and rows are locked in the flush's order (UserXpStats, then history, by key). A member whose
 *   source value went down needs their current row: those rows are locked (FOR UPDATE, in key order) before they
 *   are read, so no flush can commit between the read and the write.
 * - Configuration rows (a few per guild) are written row by row, each checked against the ledger first.
 * - A dry run never touches Unicornia's tables: one REPEATABLE READ transaction copies the tables the import reads
 *   into temporary tables of the same names (which come first in the search path), runs the same statements on
 *   them, and is rolled back. A running bot's rows are never locked by a dry run.
 */
import pg from 'pg';
import { type LevelCurve } from '../../levels/curve.js';
import { SOURCE_CODE, utcDay } from '../../engine/history.js';
import { foldName } from '../club-writes.js';
import type { ImportStore, ImportStoreOptions } from '../import-writes.js';
import type {
  AnnounceImport, ChannelRateImport, ClubImport, ClubLinkImport, ClubMemberImport, CurrencyRewardImport, ExclusionImport,
  GuildSettingsImport, MemberXpImport, MultiplierImport, RoleRewardImport, ShopItemImport, UserImport, XpImport,
} from '../import-writes.js';
import {
  CLUB_SKIPS, CONFIG_SKIPS, OPTED_OUT, clubLinkKeys, keyRanges, clubRenameNote, countWrite, curveFromRow, emptyTally, freeClubName, ledgerKind, lowered, note,
  skip, userChange, walletDrop, WALLET_LOG, xpChange, ImportTargetError, type BatchTally,
} from '../import-rules.js';
import type { SettingsPatch } from '../xp-writes.js';
import type { Port } from '../ports.js';
import { num } from '../ids.js';
import { pgMigrations } from './migrations.js';
import { openPg, pgSchemaVersion, withRetry, type PgClient, type PgPool } from './pool.js';
import { changes, one, rows as all, wholeArray, type Queryable } from './sql.js';
import { updateSettingsIn } from './xp-store.js';

/** Runs one batch in its own transaction (real run) or savepoint (dry run). */
type Tx = <T>(fn: (c: PgClient) => Promise<T>) => Promise<T>;

/**
 * What a dry run copies (the import reads them) and what it only needs empty (the import only adds to them). A
 * table missing here would be written for real, inside the dry run's transaction, which is rolled back anyway.
 */
const DRY_RUN_COPIED = [
  'UserXpStats', 'NadekoImportXp', 'ImportXp', 'DiscordUser', 'NadekoImportUser', 'NadekoImportItem', 'NadekoImportClub',
  'XpSettings', 'XpExcludedItem', 'XpChannelRate', 'XpMultiplier', 'XpRoleReward', 'XpCurrencyReward', 'XpShopOwnedItem',
  'Clubs', 'ClubApplicants', 'ClubBans',
] as const;
const DRY_RUN_EMPTY = ['XpHistoryDaily', 'CurrencyTransaction'] as const;

type Key = string;
const key = (g: bigint | string, u: bigint | string): Key => `${g}:${u}`;

export class PgImportStore implements Port<ImportStore> {
  private constructor(
    private readonly tx: Tx,
    private readonly end: () => Promise<void>,
    private readonly now: () => number,
    private readonly source: string,
  ) {}

  /**
   * Opens Unicornia's PostgreSQL database for an import (migrating it, as the bot does when it starts), or for a
   * dry run: then nothing is migrated or written (see the file comment). `label` names the database in messages
   * (the URL without its password).
   */
  static async open(url: string, label: string, options: ImportStoreOptions = {}): Promise<PgImportStore> {
    const now = options.now ?? Date.now;
    const source = options.source ?? 'nadeko';
    const lockMs = Math.max(1, Math.round(options.busyTimeoutMs ?? 5000));
    if (!options.dryRun) {
      let pool: PgPool;
      try {
        await refuseForeign(url, label);
        pool = await openPg(url, { max: 1 });
      } catch (err) {
        throw targetError(label, err);
      }
      // A row the bot holds longer than the busy timeout fails the batch as "locked", as on SQLite.
      const tx: Tx = (fn) =>
        withRetry(pool, async (c) => {
          await c.query(`SET LOCAL lock_timeout = ${lockMs}`);
          return fn(c);
        }, { idempotent: true }).catch((err: unknown) => {
          throw targetError(label, err);
        });
      return new PgImportStore(tx, () => pool.end(), now, source);
    }
    // One connection for the whole dry run, never replaced: the temporary tables live only on it.
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    pool.on('error', () => {});
    let client: PgClient;
    try {
      client = await pool.connect();
      client.on('error', () => {});
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await dryRunSchema(client, label);
    } catch (err) {
      await pool.end().catch(() => {});
      throw targetError(label, err);
    }
    const tx: Tx = async (fn) => {
      await client.query('SAVEPOINT batch');
      try {
        const out = await fn(client);
        await client.query('RELEASE SAVEPOINT batch');
        return out;
      } catch (err) {
        await client.query('ROLLBACK TO SAVEPOINT batch').catch(() => {});
        throw targetError(label, err);
      }
    };
    const end = async () => {
      await client.query('ROLLBACK').catch(() => {});
      client.release(true);
      await pool.end();
    };
    return new PgImportStore(tx, end, now, source);
  }

  close(): Promise<void> {
    return this.end();
  }

  curveOf(guildId: bigint): Promise<LevelCurve> {
    return this.tx(async (c) => (await this.curves(c, [guildId])).get(guildId)!);
  }

  importXp(rows: readonly XpImport[]): Promise<BatchTally> {
    return this.xpBatch(rows, (r) => r.awardedXp, {
      read: `SELECT l.GuildId AS g, l.UserId AS u, l.Xp AS x, l.AwardedXp AS a
             FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[]) AS k(g, lo, hi)
             JOIN NadekoImportXp l ON l.GuildId = k.g AND l.UserId BETWEEN k.lo AND k.hi`,
      write: `INSERT INTO NadekoImportXp (GuildId, UserId, Xp, AwardedXp)
              SELECT g, u, x, a FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[]) AS t(g, u, x, a) ORDER BY g, u
              ON CONFLICT (GuildId, UserId) DO UPDATE SET Xp = excluded.Xp, AwardedXp = excluded.AwardedXp`,
      params: [],
    });
  }

  importMemberXp(rows: readonly MemberXpImport[]): Promise<BatchTally> {
    return this.xpBatch(rows, () => 0, {
      read: `SELECT l.GuildId AS g, l.UserId AS u, l.Xp AS x, 0 AS a
             FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[]) AS k(g, lo, hi)
             JOIN ImportXp l ON l.Source = $4 AND l.GuildId = k.g AND l.UserId BETWEEN k.lo AND k.hi`,
      write: `INSERT INTO ImportXp (Source, GuildId, UserId, Xp)
              SELECT $5::text, g, u, x FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[]) AS t(g, u, x, a) ORDER BY g, u
              ON CONFLICT (Source, GuildId, UserId) DO UPDATE SET Xp = excluded.Xp`,
      params: [this.source],
    });
  }

  /**
   * Members' XP against a ledger: `read` gets the batch's `keyRanges` ($1 guild, $2 lowest, $3 highest user, …params;
   * it may return ledger rows of members not in the batch, which are not looked at), `write` ($1–$4 g, u, xp,
   * awarded, …params).
   */
  private xpBatch<T extends { guildId: bigint; userId: bigint; xp: number }>(
    rows: readonly T[],
    awardedOf: (r: T) => number,
    ledger: { read: string; write: string; params: unknown[] },
  ): Promise<BatchTally> {
    if (rows.length === 0) return Promise.resolve(emptyTally());
    const day = utcDay(this.now());
    return this.tx(async (c) => {
      const t = emptyTally();
      if (rows.length > 20_000) await c.query("SET LOCAL work_mem = '64MB'"); // sorts of big batches stay in memory
      const curves = await this.curves(c, [...new Set(rows.map((r) => r.guildId))]);
      const prev = new Map<Key, { xp: number; awarded: number }>();
      const ranges = keyRanges(rows);
      const byRange = [0, 1, 2].map((i) => wholeArray(ranges.map((r) => r[i]!)));
      for (const p of await all<{ g: string; u: string; x: string; a: string }>(c, ledger.read, [...byRange, ...ledger.params])) {
        prev.set(key(p.g, p.u), { xp: num(p.x), awarded: num(p.a) });
      }
      const optedOut = new Set<Key>();
      const optOutRows = await all<{ g: string; u: string }>(
        c,
        `SELECT o.GuildId AS g, o.UserId AS u FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[]) AS k(g, lo, hi)
         JOIN XpOptOut o ON o.GuildId = k.g AND o.UserId BETWEEN k.lo AND k.hi`,
        byRange,
      );
      for (const o of optOutRows) optedOut.add(key(o.g, o.u));
      const add = new Columns(5);
      const history = new Columns(3);
      const done = new Columns(4);
      const lower: { r: T; change: { before: number; now: number; dAwarded: number } }[] = [];
      for (const r of rows) {
        if (optedOut.has(key(r.guildId, r.userId))) {
          skip(t, OPTED_OUT);
          continue;
        }
        const awarded = awardedOf(r);
        const change = xpChange(prev.get(key(r.guildId, r.userId)), r.xp, awarded, curves.get(r.guildId)!);
        if (change.kind === 'unchanged') {
          t.unchanged++;
          continue;
        }
        t.imported++;
        done.push(r.guildId, r.userId, r.xp, awarded);
        if (change.kind === 'lower') lower.push({ r, change });
        else {
          add.push(r.guildId, r.userId, change.dXp, change.dAwarded, change.level);
          if (change.dXp !== 0) history.push(r.guildId, r.userId, change.dXp);
        }
      }
      const set = new Columns(5);
      if (lower.length > 0) {
        // The current rows of the members going down, locked in key order before they are read.
        const current = new Map<Key, { xp: number; awarded: number; mark: number }>();
        const locked = await all<{ g: string; u: string; x: string; a: string; r: number }>(
          c,
          `SELECT s.GuildId AS g, s.UserId AS u, s.Xp AS x, s.AwardedXp AS a, s.RewardedLevel AS r
           FROM UNNEST($1::bigint[], $2::bigint[]) AS k(g, u) JOIN UserXpStats s ON s.GuildId = k.g AND s.UserId = k.u
           ORDER BY s.GuildId, s.UserId FOR UPDATE OF s`,
          [wholeArray(lower.map((l) => l.r.guildId)), wholeArray(lower.map((l) => l.r.userId))],
        );
        for (const row of locked) current.set(key(row.g, row.u), { xp: num(row.x), awarded: num(row.a), mark: row.r });
        for (const { r, change } of lower) {
          const row = current.get(key(r.guildId, r.userId));
          const next = lowered(row, change, curves.get(r.guildId)!);
          if (next.history !== 0) history.push(r.guildId, r.userId, next.history);
          // No row yet: added like a gain (a flush may insert the row meanwhile; the additive write keeps its XP).
          if (row) set.push(r.guildId, r.userId, next.xp, next.awarded, next.mark);
          else add.push(r.guildId, r.userId, next.xp, next.awarded, next.mark);
        }
      }
      if (add.length > 0) {
        await c.query(
          `INSERT INTO UserXpStats (GuildId, UserId, Xp, AwardedXp, RewardedLevel)
           SELECT g, u, x, a, l FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::int[]) AS t(g, u, x, a, l)
           ORDER BY g, u
           ON CONFLICT (GuildId, UserId) DO UPDATE SET Xp = UserXpStats.Xp + excluded.Xp,
             AwardedXp = UserXpStats.AwardedXp + excluded.AwardedXp, RewardedLevel = GREATEST(UserXpStats.RewardedLevel, excluded.RewardedLevel)`,
          add.arrays(),
        );
      }
      if (set.length > 0) {
        await c.query(
          `UPDATE UserXpStats s SET Xp = t.x, AwardedXp = t.a, RewardedLevel = t.l
           FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::int[]) AS t(g, u, x, a, l)
           WHERE s.GuildId = t.g AND s.UserId = t.u`,
          set.arrays(),
        );
      }
      // What each member's XP changed by, as history of source import (DESIGN §15.1), in the same transaction.
      if (history.length > 0) {
        await c.query(
          `INSERT INTO XpHistoryDaily (GuildId, Day, UserId, Source, Xp)
           SELECT g, $4::int, u, $5::smallint, x FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[]) AS t(g, u, x) ORDER BY g, u
           ON CONFLICT (GuildId, Day, UserId, Source) DO UPDATE SET Xp = XpHistoryDaily.Xp + excluded.Xp`,
          [...history.arrays(), day, SOURCE_CODE.import],
        );
      }
      if (done.length > 0) await c.query(ledger.write, [...done.arrays(), ...ledger.params]);
      return t;
    });
  }

  /** Global TotalXp and wallet, by the same difference rule; a wallet change is logged as a currency transaction. */
  importUsers(rows: readonly UserImport[]): Promise<BatchTally> {
    if (rows.length === 0) return Promise.resolve(emptyTally());
    const at = this.now();
    return this.tx(async (c) => {
      const t = emptyTally();
      const prev = new Map<string, { totalXp: number; currency: number }>();
      const ledger = await all<{ u: string; x: string; c: string }>(
        c,
        'SELECT l.UserId AS u, l.TotalXp AS x, l.CurrencyAmount AS c FROM UNNEST($1::bigint[]) AS k(u) JOIN NadekoImportUser l ON l.UserId = k.u',
        [wholeArray(rows.map((r) => r.userId))],
      );
      for (const p of ledger) prev.set(p.u, { totalXp: num(p.x), currency: num(p.c) });
      const changed = rows.flatMap((r) => {
        const change = userChange(prev.get(String(r.userId)), r.totalXp, r.currency);
        if (change.kind === 'unchanged') {
          t.unchanged++;
          return [];
        }
        t.imported++;
        return [{ r, ...change }];
      });
      // Users going down: their rows locked in key order, then read (the wallet floor needs the balance).
      const signed = changed.filter((x) => x.signed).sort((a, b) => (a.r.userId < b.r.userId ? -1 : 1));
      const current = new Map<string, { totalXp: number; currency: number }>();
      if (signed.length > 0) {
        const locked = await all<{ u: string; x: string; c: string }>(
          c,
          'SELECT UserId AS u, TotalXp AS x, CurrencyAmount AS c FROM DiscordUser WHERE UserId = ANY($1::bigint[]) ORDER BY UserId FOR UPDATE',
          [wholeArray(signed.map((x) => x.r.userId))],
        );
        for (const row of locked) current.set(row.u, { totalXp: num(row.x), currency: num(row.c) });
      }
      const add = new Columns(3);
      const names: (string | null)[] = [];
      const set = new Columns(3);
      const setNames: (string | null)[] = [];
      const log = new Columns(2);
      for (const x of changed) {
        const row = current.get(String(x.r.userId));
        const dCurrency = x.dCurrency < 0 ? walletDrop(x.dCurrency, row?.currency ?? 0, t) : x.dCurrency;
        if (dCurrency !== 0) log.push(x.r.userId, dCurrency);
        if (x.signed && row) {
          set.push(x.r.userId, Math.max(0, row.totalXp + x.dXp), row.currency + dCurrency);
          setNames.push(x.r.username);
        } else {
          add.push(x.r.userId, Math.max(0, x.dXp), Math.max(0, dCurrency));
          names.push(x.r.username);
        }
      }
      if (add.length > 0) {
        await c.query(
          `INSERT INTO DiscordUser (UserId, Username, TotalXp, CurrencyAmount)
           SELECT u, n, x, m FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[], $4::text[]) AS t(u, x, m, n) ORDER BY u
           ON CONFLICT (UserId) DO UPDATE SET Username = COALESCE(DiscordUser.Username, excluded.Username),
             TotalXp = DiscordUser.TotalXp + excluded.TotalXp, CurrencyAmount = DiscordUser.CurrencyAmount + excluded.CurrencyAmount`,
          [...add.arrays(), names],
        );
      }
      if (set.length > 0) {
        await c.query(
          `UPDATE DiscordUser d SET TotalXp = t.x, CurrencyAmount = t.m, Username = COALESCE(d.Username, t.n)
           FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[], $4::text[]) AS t(u, x, m, n) WHERE d.UserId = t.u`,
          [...set.arrays(), setNames],
        );
      }
      if (log.length > 0) {
        await c.query(
          `INSERT INTO CurrencyTransaction (UserId, Amount, Type, Note, DateAdded)
           SELECT u, a, $3::text, $4::text, $5::bigint FROM UNNEST($1::bigint[], $2::bigint[]) WITH ORDINALITY AS t(u, a, n) ORDER BY n`,
          [...log.arrays(), WALLET_LOG.type, WALLET_LOG.note, at],
        );
      }
      await c.query(
        `INSERT INTO NadekoImportUser (UserId, TotalXp, CurrencyAmount)
         SELECT u, x, m FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[]) AS t(u, x, m) ORDER BY u
         ON CONFLICT (UserId) DO UPDATE SET TotalXp = excluded.TotalXp, CurrencyAmount = excluded.CurrencyAmount`,
        [wholeArray(changed.map((x) => x.r.userId)), wholeArray(changed.map((x) => x.r.totalXp)), wholeArray(changed.map((x) => x.r.currency))],
      );
      return t;
    });
  }

  importCurves(rows: readonly { guildId: bigint; a: number; c: number }[]): Promise<BatchTally> {
    return this.batch(rows, async (c, r, t) => {
      if (!(await this.once(c, 'curve', `${r.guildId}`))) return void t.unchanged++;
      await c.query('INSERT INTO XpSettings (GuildId) VALUES ($1) ON CONFLICT DO NOTHING', [String(r.guildId)]);
      // A Nadeko curve has no quadratic part.
      await c.query('UPDATE XpSettings SET CurveA = $1, CurveC = $2, CurveQ = 0 WHERE GuildId = $3', [r.a, r.c, String(r.guildId)]);
      t.imported++;
    });
  }

  importGuildSettings(rows: readonly GuildSettingsImport[]): Promise<BatchTally> {
    return this.batch(rows, async (c, r, t) => {
      const fresh: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(r.patch)) {
        if (value !== undefined && (await this.once(c, 'setting', `${r.guildId}:${field}`))) fresh[field] = value;
      }
      if (Object.keys(fresh).length === 0) return void t.unchanged++;
      await updateSettingsIn(c, String(r.guildId), fresh as SettingsPatch);
      t.imported++;
    });
  }

  importMultipliers(rows: readonly MultiplierImport[]): Promise<BatchTally> {
    return this.config(rows, 'multiplier', (r) => `${r.guildId}:${r.type}:${r.itemId}`, CONFIG_SKIPS.multiplier, (r) => [
      'INSERT INTO XpMultiplier (GuildId, ItemType, ItemId, Milli) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [String(r.guildId), r.type, String(r.itemId), r.milli],
    ]);
  }

  importExclusions(rows: readonly ExclusionImport[]): Promise<BatchTally> {
    return this.config(rows, 'exclusion', (r) => `${r.guildId}:${r.type}:${r.itemId}`, CONFIG_SKIPS.exclusion, (r) => [
      'INSERT INTO XpExcludedItem (GuildId, ItemType, ItemId) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [String(r.guildId), r.type, String(r.itemId)],
    ]);
  }

  importChannelRates(rows: readonly ChannelRateImport[]): Promise<BatchTally> {
    return this.config(rows, 'channel_rate', (r) => `${r.guildId}:${r.channelId}`, CONFIG_SKIPS.channelRate, (r) => [
      'INSERT INTO XpChannelRate (GuildId, ChannelId, XpPerMessage, CooldownSeconds) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [String(r.guildId), String(r.channelId), r.rate.xpPerMessage, r.rate.cooldownSeconds],
    ]);
  }

  importRoleRewards(rows: readonly RoleRewardImport[]): Promise<BatchTally> {
    return this.config(rows, 'role_reward', (r) => `${r.guildId}:${r.level}:${r.roleId}`, CONFIG_SKIPS.roleReward, (r) => [
      'INSERT INTO XpRoleReward (GuildId, Level, RoleId, Remove) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [String(r.guildId), r.level, String(r.roleId), r.remove ? 1 : 0],
    ]);
  }

  importCurrencyRewards(rows: readonly CurrencyRewardImport[]): Promise<BatchTally> {
    return this.config(rows, 'currency_reward', (r) => `${r.guildId}:${r.level}`, CONFIG_SKIPS.currencyReward, (r) => [
      'INSERT INTO XpCurrencyReward (GuildId, Level, Amount) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [String(r.guildId), r.level, r.amount],
    ]);
  }

  importAnnouncements(rows: readonly AnnounceImport[]): Promise<BatchTally> {
    return this.batch(rows, async (c, r, t) => {
      if (!(await this.once(c, 'announce', `${r.guildId}`))) return void t.unchanged++;
      const g = String(r.guildId);
      await c.query('INSERT INTO XpSettings (GuildId) VALUES ($1) ON CONFLICT DO NOTHING', [g]);
      await c.query('UPDATE XpSettings SET AnnounceMode = $1, AnnounceChannelId = $2, AnnounceTemplate = COALESCE($3, AnnounceTemplate) WHERE GuildId = $4', [
        r.channelId === null ? 'channel' : 'fixed',
        r.channelId === null ? null : String(r.channelId),
        r.template,
        g,
      ]);
      t.imported++;
    });
  }

  importShopItems(rows: readonly ShopItemImport[]): Promise<BatchTally> {
    const at = this.now();
    return this.batch(rows, async (c, r, t) => {
      if (!(await this.once(c, 'shop_item', `${r.userId}:${r.itemType}:${r.itemKey}`))) return void t.unchanged++;
      const u = String(r.userId);
      const busy = r.isUsing && (await one(c, 'SELECT 1 FROM XpShopOwnedItem WHERE UserId = $1 AND ItemType = $2 AND IsUsing = 1', [u, r.itemType]));
      const using = r.isUsing && !busy ? 1 : 0;
      const n = await changes(c, 'INSERT INTO XpShopOwnedItem (UserId, ItemType, ItemKey, IsUsing, DateAdded) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [
        u, r.itemType, r.itemKey, using, r.dateAdded ?? at,
      ]);
      countWrite(t, n, CONFIG_SKIPS.shopItem);
    });
  }

  importClubs(rows: readonly ClubImport[]): Promise<BatchTally> {
    const at = this.now();
    if (rows.length === 0) return Promise.resolve(emptyTally());
    return this.tx(async (c) => {
      const t = emptyTally();
      const taken = new Map((await all<{ id: string; name: string }>(c, 'SELECT Id AS id, Name AS name FROM Clubs')).map((x) => [foldName(x.name), x]));
      const imported = new Set((await all<{ id: string }>(c, 'SELECT ClubId AS id FROM NadekoImportClub')).map((x) => x.id));
      for (const r of rows) {
        const prev = await this.clubLedger(c, r.name);
        if (prev) {
          if (!(await one(c, 'SELECT 1 FROM Clubs WHERE Id = $1', [prev.id]))) {
            skip(t, CLUB_SKIPS.deleted);
            continue;
          }
          const dXp = r.xp - prev.xp;
          if (dXp === 0) {
            t.unchanged++;
            continue;
          }
          await c.query('UPDATE Clubs SET Xp = GREATEST(0, Xp + $1) WHERE Id = $2', [dXp, prev.id]);
          await this.setClubLedger(c, r.name, prev.id, r.xp);
          t.imported++;
          continue;
        }
        let name = r.name;
        const clash = taken.get(foldName(name));
        if (clash && !imported.has(clash.id)) {
          skip(t, CLUB_SKIPS.nameTaken);
          continue;
        }
        if (clash) {
          name = freeClubName(r.name, taken);
          note(t, clubRenameNote(r.name, name, clash.name));
        }
        const owner = String(r.ownerId);
        const ownerClub = await one<{ c: string | null }>(c, 'SELECT ClubId AS c FROM DiscordUser WHERE UserId = $1', [owner]);
        if (ownerClub && ownerClub.c !== null) {
          skip(t, CLUB_SKIPS.ownerInClub);
          continue;
        }
        const added = await one<{ id: string }>(
          c,
          'INSERT INTO Clubs (Name, Description, ImageUrl, OwnerId, Xp, DateAdded) VALUES ($1, $2, $3, $4, $5, $6) RETURNING Id AS id',
          [name, r.description, r.imageUrl, owner, Math.max(0, r.xp), r.dateAdded ?? at],
        );
        const id = added!.id;
        await this.setClubLedger(c, r.name, id, r.xp);
        taken.set(foldName(name), { id, name });
        imported.add(id);
        // Unicornia's owner is a member of the club and never flagged admin (one club per user).
        await this.joinClub(c, owner, id, 0);
        t.imported++;
      }
      return t;
    });
  }

  importClubMembers(rows: readonly ClubMemberImport[]): Promise<BatchTally> {
    return this.batch(rows, async (c, r, t) => {
      const u = String(r.userId);
      if (await this.hasItem(c, 'club_member', u)) return void t.unchanged++;
      const club = await this.clubLedger(c, r.clubName);
      if (!club) return void skip(t, CLUB_SKIPS.notImported);
      const current = await one<{ c: string | null }>(c, 'SELECT ClubId AS c FROM DiscordUser WHERE UserId = $1', [u]);
      if (current && current.c !== null && current.c !== club.id) return void skip(t, CLUB_SKIPS.inOtherClub);
      const owner = await one<{ o: string }>(c, 'SELECT OwnerId AS o FROM Clubs WHERE Id = $1', [club.id]);
      await this.joinClub(c, u, club.id, r.isAdmin && owner?.o !== u ? 1 : 0);
      await c.query('INSERT INTO NadekoImportItem (Kind, ItemKey) VALUES ($1, $2) ON CONFLICT DO NOTHING', ['club_member', u]);
      t.imported++;
    });
  }

  importClubApplicants(rows: readonly ClubLinkImport[]): Promise<BatchTally> {
    const at = this.now();
    return this.clubLinks(rows, 'club_applicant', 'INSERT INTO ClubApplicants (ClubId, UserId, DateAdded) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [at]);
  }

  importClubBans(rows: readonly ClubLinkImport[]): Promise<BatchTally> {
    return this.clubLinks(rows, 'club_ban', 'INSERT INTO ClubBans (ClubId, UserId) VALUES ($1, $2) ON CONFLICT DO NOTHING', []);
  }

  private clubLinks(rows: readonly ClubLinkImport[], kind: string, insert: string, extra: unknown[]): Promise<BatchTally> {
    return this.batch(rows, async (c, r, t) => {
      const keys = clubLinkKeys(r.clubName, r.userId);
      for (const k of keys) if (await this.hasItem(c, kind, k)) return void t.unchanged++;
      const club = await this.clubLedger(c, r.clubName);
      if (!club || !(await one(c, 'SELECT 1 FROM Clubs WHERE Id = $1', [club.id]))) return void skip(t, CLUB_SKIPS.notImported);
      await c.query('INSERT INTO NadekoImportItem (Kind, ItemKey) VALUES ($1, $2) ON CONFLICT DO NOTHING', [kind, keys[0]]);
      countWrite(t, await changes(c, insert, [club.id, String(r.userId), ...extra]), CONFIG_SKIPS.clubLink);
    });
  }

  /** The curves of `guilds` as the import computes levels with them. */
  private async curves(c: PgClient, guilds: readonly bigint[]): Promise<Map<bigint, LevelCurve>> {
    const found = new Map<string, { a: number; c: number; q: number }>();
    const r = await all<{ g: string; a: number; c: number; q: number }>(
      c,
      'SELECT GuildId AS g, CurveA AS a, CurveC AS c, CurveQ AS q FROM XpSettings WHERE GuildId = ANY($1::bigint[])',
      [wholeArray(guilds)],
    );
    for (const x of r) found.set(x.g, { a: Number(x.a), c: Number(x.c), q: Number(x.q) });
    return new Map(guilds.map((g) => [g, curveFromRow(found.get(String(g)))]));
  }

  /** One configuration row per ledger key: imported once, then left to the admins. */
  private config<T>(
    rows: readonly T[],
    kind: string,
    keyOf: (r: T) => string,
    reasonIfNone: string,
    insert: (r: T) => [string, unknown[]],
  ): Promise<BatchTally> {
    return this.batch(rows, async (c, r, t) => {
      if (!(await this.once(c, kind, keyOf(r)))) return void t.unchanged++;
      const [sql, params] = insert(r);
      countWrite(t, await changes(c, sql, params), reasonIfNone);
    });
  }

  /** One transaction over a batch of rows, each applied by `each` in order. */
  private batch<T>(rows: readonly T[], each: (c: PgClient, row: T, t: BatchTally) => Promise<void>): Promise<BatchTally> {
    if (rows.length === 0) return Promise.resolve(emptyTally());
    return this.tx(async (c) => {
      const t = emptyTally();
      for (const r of rows) await each(c, r, t);
      return t;
    });
  }

  /** Records a configuration item in the ledger; false when an earlier run already imported it. */
  private async once(c: PgClient, kind: string, itemKey: string): Promise<boolean> {
    const sql = 'INSERT INTO NadekoImportItem (Kind, ItemKey) VALUES ($1, $2) ON CONFLICT DO NOTHING';
    return (await changes(c, sql, [ledgerKind(this.source, kind), itemKey])) > 0;
  }

  private async hasItem(c: PgClient, kind: string, itemKey: string): Promise<boolean> {
    return (await one(c, 'SELECT 1 FROM NadekoImportItem WHERE Kind = $1 AND ItemKey = $2', [kind, itemKey])) !== undefined;
  }

  private async clubLedger(c: PgClient, name: string): Promise<{ id: string; xp: number } | undefined> {
    const r = await one<{ id: string; x: string }>(c, 'SELECT ClubId AS id, Xp AS x FROM NadekoImportClub WHERE Name = $1', [name]);
    return r && { id: r.id, xp: num(r.x) };
  }

  private async setClubLedger(c: PgClient, name: string, clubId: string, xp: number): Promise<void> {
    await c.query('INSERT INTO NadekoImportClub (Name, ClubId, Xp) VALUES ($1, $2, $3) ON CONFLICT (Name) DO UPDATE SET Xp = excluded.Xp', [name, clubId, xp]);
  }

  private async joinClub(c: PgClient, userId: string, clubId: string, admin: number): Promise<void> {
    await c.query(
      `INSERT INTO DiscordUser (UserId, ClubId, IsClubAdmin) VALUES ($1, $2, $3)
       ON CONFLICT (UserId) DO UPDATE SET ClubId = excluded.ClubId, IsClubAdmin = excluded.IsClubAdmin`,
      [userId, clubId, admin],
    );
  }
}

/** Column arrays of a multi-row statement, each sent as one `$n::…[]` literal. */
class Columns {
  private readonly cols: (bigint | number)[][];
  length = 0;

  constructor(width: number) {
    this.cols = Array.from({ length: width }, () => []);
  }

  push(...values: (bigint | number)[]): void {
    for (let i = 0; i < values.length; i++) this.cols[i]!.push(values[i]!);
    this.length++;
  }

  arrays(): string[] {
    return this.cols.map((col) => wholeArray(col));
  }
}

/**
 * The dry run's private schema: an empty database (or one a version behind) gets the migrations inside the
 * transaction; then the import's tables are shadowed by temporary copies (see DRY_RUN_COPIED).
 */
async function dryRunSchema(c: PgClient, label: string): Promise<void> {
  const schema = (await one<{ s: string }>(c, 'SELECT current_schema() AS s'))!.s;
  const hasSchemaTable = (await one<{ t: string | null }>(c, "SELECT to_regclass('unicorniaschema')::text AS t"))!.t !== null;
  if (!hasSchemaTable) {
    await assertNotForeign(c, label);
    await c.query('CREATE TABLE UnicorniaSchema (Version INTEGER PRIMARY KEY, AppliedAt BIGINT NOT NULL)');
  }
  const version = await pgSchemaVersion(c);
  for (const m of pgMigrations) if (m.version > version) await c.query(m.sql);
  const quoted = (name: string) => `${schema}.${name}`;
  for (const table of DRY_RUN_COPIED) {
    await c.query(`CREATE TEMP TABLE ${table} (LIKE ${quoted(table)} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS INCLUDING INDEXES) ON COMMIT DROP`);
    await c.query(`INSERT INTO pg_temp.${table} OVERRIDING SYSTEM VALUE SELECT * FROM ${quoted(table)}`);
  }
  for (const table of DRY_RUN_EMPTY) {
    await c.query(`CREATE TEMP TABLE ${table} (LIKE ${quoted(table)} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS INCLUDING INDEXES) ON COMMIT DROP`);
  }
  // A copied club keeps its id: new clubs are numbered after the highest, as in the real table.
  await c.query("SELECT setval(pg_get_serial_sequence('pg_temp.clubs', 'id'), COALESCE(MAX(Id), 0) + 1, false) FROM pg_temp.Clubs");
}

/** A database with tables but no Unicornia schema is someone else's: never written to. */
async function refuseForeign(url: string, label: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  pool.on('error', () => {});
  try {
    if ((await one<{ t: string | null }>(pool, "SELECT to_regclass('unicorniaschema')::text AS t"))!.t === null) await assertNotForeign(pool, label);
  } finally {
    await pool.end();
  }
}

async function assertNotForeign(c: Queryable, label: string): Promise<void> {
  const n = await one<{ n: string }>(c, 'SELECT count(*) AS n FROM pg_tables WHERE schemaname = current_schema()');
  if (num(n!.n) > 0) throw new ImportTargetError('unusable', `${label} holds tables but is not a Unicornia database (did you swap the two paths?)`);
}

/** A failure as the operator should read it: which database, and what to do (the password never shown). */
function targetError(label: string, err: unknown): Error {
  if (err instanceof ImportTargetError) return err;
  const e = err as { code?: string; message?: string } | null;
  const code = e?.code ?? '';
  const message = e?.message ?? String(err);
  if (code === '55P03') return new ImportTargetError('locked', label, { cause: err });
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ImportTargetError('unusable', `cannot connect to ${label} (is PostgreSQL running there, and are the host and port right?)`, { cause: err });
  }
  if (code === '28P01' || code === '28000') return new ImportTargetError('unusable', `${label} refused the login: check the user name and password`, { cause: err });
  if (code === '3D000') return new ImportTargetError('unusable', `${label}: ${message}; create the database first`, { cause: err });
  if (/^(08|42|53|22|23)/.test(code)) return new ImportTargetError('unusable', `${label}: ${message}`, { cause: err });
  return err instanceof Error ? err : new Error(String(err));
}
