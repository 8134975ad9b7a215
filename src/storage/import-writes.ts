/**
 * Every Unicornia write of an import (NadekoBot, or another bot's export). Each `import…` call is one IMMEDIATE
 * transaction over a batch, and moves the import ledger (migrations 4 and 9) in the same transaction as the data,
 * so an interrupted import is finished by running it again and nothing is ever counted twice (DESIGN §8):
 *
 * - XP and wallet: the ledger holds the source's values already imported; a run adds (source now − ledger) to
 *   Unicornia's value (additive, like the flush) and stores the new source value. A second run adds 0; XP earned
 *   in Unicornia in between is kept. When the source went down (an older backup), XP follows it down, the
 *   "rewarded up to level" mark follows as far as the import had raised it, and a wallet never goes below 0.
 * - Configuration rows (curve, settings, exclusions, multipliers, rewards, level-up message, shop items, club
 *   membership): imported once, recorded by source + kind + natural key; a re-run leaves them alone, so an admin's
 *   later change in Unicornia stands.
 * - Clubs: by their exact Nadeko name, with the club XP imported so far (club XP follows the XP rule).
 *
 * Ids are BigInt here (the import reads them that way); they are bound as 64-bit integers, never as JS numbers.
 */
import Database, { type Statement } from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { openDatabase, migrate, schemaVersion, type Db } from './database.js';
import { Ledger } from './ledger.js';
import { foldName } from './club-writes.js';
import { XpWriteStore, type SettingsPatch } from './xp-writes.js';
import type { LevelCurve } from '../levels/curve.js';
import {
  CLUB_SKIPS, CONFIG_SKIPS, OPTED_OUT, clubLinkKeys, keyRanges, clubRenameNote, countWrite, curveFromRow, emptyTally, freeClubName, ledgerKind, lowered, note,
  skip, userChange, walletDrop, WALLET_LOG, xpChange, type BatchTally, type XpChange,
} from './import-rules.js';
import { ImportTargetError } from './import-rules.js';
import type { ChannelRate } from '../engine/settings.js';
import { SOURCE_CODE, utcDay } from '../engine/history.js';

export interface XpImport {
  guildId: bigint;
  userId: bigint;
  /** Nadeko's server XP as Unicornia counts it (Xp + AwardedXp before Nadeko 5.3). */
  xp: number;
  awardedXp: number;
}

export interface UserImport {
  userId: bigint;
  username: string | null;
  totalXp: number;
  currency: number;
}

export type ExclusionImport = { guildId: bigint; type: 'channel' | 'role' | 'user'; itemId: bigint };
export type ChannelRateImport = { guildId: bigint; channelId: bigint; rate: ChannelRate };
export type RoleRewardImport = { guildId: bigint; level: number; roleId: bigint; remove: boolean };
export type CurrencyRewardImport = { guildId: bigint; level: number; amount: number };
export type AnnounceImport = { guildId: bigint; channelId: bigint | null; template: string | null };
/** `itemType` in Unicornia's numbering (1 = background, 2 = frame). */
export type ShopItemImport = { userId: bigint; itemType: number; itemKey: string; isUsing: boolean; dateAdded: number | null };
export type ClubImport = {
  name: string;
  description: string | null;
  imageUrl: string | null;
  xp: number;
  ownerId: bigint;
  dateAdded: number | null;
};
export type ClubMemberImport = { userId: bigint; clubName: string; isAdmin: boolean };
export type ClubLinkImport = { clubName: string; userId: bigint };
/** Settings of one guild; each field is imported once (the first run sets it, later runs leave it). */
export type GuildSettingsImport = { guildId: bigint; patch: SettingsPatch };
/** `milli`: the multiplier in thousandths (1500 = ×1.5), as Unicornia stores it. */
export type MultiplierImport = { guildId: bigint; type: 'channel' | 'role'; itemId: bigint; milli: number };
/** Another bot's member: the XP Unicornia should hold for what that bot counted (already on Unicornia's scale). */
export type MemberXpImport = { guildId: bigint; userId: bigint; xp: number };

export interface ImportStoreOptions {
  /** Which bot the data comes from: 'nadeko', or another bot's source name; keys the ledger. Default 'nadeko'. */
  source?: string;
  /** Work on a private copy (SQLite: in memory; PostgreSQL: temporary tables) and never write the database. Default false. */
  dryRun?: boolean;
  /** Wall clock for DateAdded columns and currency log rows. Default Date.now. */
  now?: () => number;
  /** Milliseconds to wait for the bot's write lock before failing. Default 5 000. */
  busyTimeoutMs?: number;
}

export class ImportStore {
  private readonly q: Record<string, Statement>;
  private readonly ledger: Ledger;
  private readonly settings: XpWriteStore;
  private readonly multi: Record<string, MultiRow>;
  private readonly curves = new Map<bigint, LevelCurve>();
  /** A first import has nothing to compare with: skip one lookup per row. */
  private readonly xpLedgerEmpty: boolean;
  private readonly userLedgerEmpty: boolean;

  private constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly source: string,
  ) {
    db.defaultSafeIntegers(true);
    this.ledger = new Ledger(db);
    this.settings = new XpWriteStore(db, 'import', now);
    const prep = (sql: string) => db.prepare(sql);
    this.q = {
      curve: prep('SELECT CurveA, CurveC, CurveQ FROM XpSettings WHERE GuildId = ?'),
      xpLedger: prep('SELECT UserId, Xp, AwardedXp FROM NadekoImportXp WHERE GuildId = ? AND UserId BETWEEN ? AND ?').raw(true),
      botXpLedger: prep('SELECT UserId, Xp, 0 FROM ImportXp WHERE Source = ? AND GuildId = ? AND UserId BETWEEN ? AND ?').raw(true),
      xpRow: prep('SELECT Xp, AwardedXp, RewardedLevel FROM UserXpStats WHERE GuildId = ? AND UserId = ?').raw(true),
      optedOut: prep('SELECT UserId FROM XpOptOut WHERE GuildId = ? AND UserId BETWEEN ? AND ?').pluck(),
      // The source went down since the last run: the new values are computed in JS (setXp) from the current row.
      setXp: prep(`INSERT INTO UserXpStats (GuildId, UserId, Xp, AwardedXp, RewardedLevel) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (GuildId, UserId) DO UPDATE SET Xp = excluded.Xp, AwardedXp = excluded.AwardedXp,
          RewardedLevel = excluded.RewardedLevel`),
      userLedger: prep('SELECT TotalXp, CurrencyAmount FROM NadekoImportUser WHERE UserId = ?').raw(true),
      addUserSigned: prep(`INSERT INTO DiscordUser (UserId, Username, TotalXp, CurrencyAmount) VALUES (?, ?, ?, ?)
        ON CONFLICT (UserId) DO UPDATE SET Username = coalesce(Username, excluded.Username),
          TotalXp = max(0, TotalXp + ?), CurrencyAmount = CurrencyAmount + ?`),
      hasItem: prep('SELECT 1 FROM NadekoImportItem WHERE Kind = ? AND ItemKey = ?').pluck(),
      addItem: prep('INSERT OR IGNORE INTO NadekoImportItem (Kind, ItemKey) VALUES (?, ?)'),
      ensureSettings: prep('INSERT OR IGNORE INTO XpSettings (GuildId) VALUES (?)'),
      // A Nadeko curve has no quadratic part.
      setCurve: prep('UPDATE XpSettings SET CurveA = ?, CurveC = ?, CurveQ = 0 WHERE GuildId = ?'),
      setAnnounce: prep('UPDATE XpSettings SET AnnounceMode = ?, AnnounceChannelId = ?, AnnounceTemplate = coalesce(?, AnnounceTemplate) WHERE GuildId = ?'),
      addExclusion: prep('INSERT OR IGNORE INTO XpExcludedItem (GuildId, ItemType, ItemId) VALUES (?, ?, ?)'),
      addChannelRate: prep('INSERT OR IGNORE INTO XpChannelRate (GuildId, ChannelId, XpPerMessage, CooldownSeconds) VALUES (?, ?, ?, ?)'),
      addMultiplier: prep('INSERT OR IGNORE INTO XpMultiplier (GuildId, ItemType, ItemId, Milli) VALUES (?, ?, ?, ?)'),
      addRoleReward: prep('INSERT OR IGNORE INTO XpRoleReward (GuildId, Level, RoleId, Remove) VALUES (?, ?, ?, ?)'),
      addCurrencyReward: prep('INSERT OR IGNORE INTO XpCurrencyReward (GuildId, Level, Amount) VALUES (?, ?, ?)'),
      usingItem: prep('SELECT 1 FROM XpShopOwnedItem WHERE UserId = ? AND ItemType = ? AND IsUsing = 1').pluck(),
      addShopItem: prep(`INSERT OR IGNORE INTO XpShopOwnedItem (UserId, ItemType, ItemKey, IsUsing, DateAdded)
        VALUES (?, ?, ?, ?, ?)`),
      clubLedger: prep('SELECT ClubId, Xp FROM NadekoImportClub WHERE Name = ?').raw(true),
      clubNames: prep('SELECT Id, Name FROM Clubs').raw(true),
      importedClubIds: prep('SELECT ClubId FROM NadekoImportClub').pluck(),
      clubExists: prep('SELECT 1 FROM Clubs WHERE Id = ?').pluck(),
      clubOwner: prep('SELECT OwnerId FROM Clubs WHERE Id = ?').pluck(),
      addClub: prep(`INSERT INTO Clubs (Name, Description, ImageUrl, OwnerId, Xp, DateAdded) VALUES (?, ?, ?, ?, ?, ?)`),
      addClubXp: prep('UPDATE Clubs SET Xp = max(0, Xp + ?) WHERE Id = ?'),
      setClubLedger: prep(`INSERT INTO NadekoImportClub (Name, ClubId, Xp) VALUES (?, ?, ?)
        ON CONFLICT (Name) DO UPDATE SET Xp = excluded.Xp`),
      userClub: prep('SELECT ClubId FROM DiscordUser WHERE UserId = ?').raw(true),
      joinClub: prep(`INSERT INTO DiscordUser (UserId, ClubId, IsClubAdmin) VALUES (?, ?, ?)
        ON CONFLICT (UserId) DO UPDATE SET ClubId = excluded.ClubId, IsClubAdmin = excluded.IsClubAdmin`),
      addApplicant: prep('INSERT OR IGNORE INTO ClubApplicants (ClubId, UserId, DateAdded) VALUES (?, ?, ?)'),
      addBan: prep('INSERT OR IGNORE INTO ClubBans (ClubId, UserId) VALUES (?, ?)'),
    };
    // One statement per 64 rows instead of one per row: per-statement overhead was half the cost of a big import.
    const rows = (head: string, width: number, tail: string) => new MultiRow(db, head, width, tail);
    this.multi = {
      addXp: rows(
        'INSERT INTO UserXpStats (GuildId, UserId, Xp, AwardedXp, RewardedLevel) VALUES',
        5,
        `ON CONFLICT (GuildId, UserId) DO UPDATE SET Xp = Xp + excluded.Xp, AwardedXp = AwardedXp + excluded.AwardedXp,
          RewardedLevel = max(RewardedLevel, excluded.RewardedLevel)`,
      ),
      // What each member's XP changed by, as history of source import (DESIGN §15.1).
      history: rows(
        `INSERT INTO XpHistoryDaily (GuildId, Day, UserId, Source, Xp) VALUES`,
        5,
        'ON CONFLICT (GuildId, Day, UserId, Source) DO UPDATE SET Xp = Xp + excluded.Xp',
      ),
      xpLedger: rows(
        'INSERT INTO NadekoImportXp (GuildId, UserId, Xp, AwardedXp) VALUES',
        4,
        'ON CONFLICT (GuildId, UserId) DO UPDATE SET Xp = excluded.Xp, AwardedXp = excluded.AwardedXp',
      ),
      botXpLedger: rows(
        'INSERT INTO ImportXp (Source, GuildId, UserId, Xp) VALUES',
        4,
        'ON CONFLICT (Source, GuildId, UserId) DO UPDATE SET Xp = excluded.Xp',
      ),
      addUser: rows(
        'INSERT INTO DiscordUser (UserId, Username, TotalXp, CurrencyAmount) VALUES',
        4,
        `ON CONFLICT (UserId) DO UPDATE SET Username = coalesce(Username, excluded.Username),
          TotalXp = TotalXp + excluded.TotalXp, CurrencyAmount = CurrencyAmount + excluded.CurrencyAmount`,
      ),
      userLedger: rows(
        'INSERT INTO NadekoImportUser (UserId, TotalXp, CurrencyAmount) VALUES',
        3,
        'ON CONFLICT (UserId) DO UPDATE SET TotalXp = excluded.TotalXp, CurrencyAmount = excluded.CurrencyAmount',
      ),
    };
    // Source rows are unique per key (duplicates are dropped when read), so rows this run writes are never looked up.
    this.xpLedgerEmpty =
      source === 'nadeko'
        ? db.prepare('SELECT 1 FROM NadekoImportXp LIMIT 1').get() === undefined
        : db.prepare('SELECT 1 FROM ImportXp WHERE Source = ? LIMIT 1').get(source) === undefined;
    this.userLedgerEmpty = db.prepare('SELECT 1 FROM NadekoImportUser LIMIT 1').get() === undefined;
  }

  /**
   * Opens Unicornia's database for an import (migrating it, so the ledger exists). A dry run works on an in-memory
   * copy instead: it runs exactly the same statements, so it reports exactly what a real run would do, and the
   * file (which may not even exist yet) is never written.
   */
  static open(path: string, options: ImportStoreOptions = {}): ImportStore {
    const now = options.now ?? Date.now;
    const source = options.source ?? 'nadeko';
    try {
      if (existsSync(path)) assertUnicornia(path);
      if (!options.dryRun) {
        const db = openDatabase(path, { busyTimeoutMs: options.busyTimeoutMs ?? 5000 });
        db.pragma('cache_size = -262144'); // 256 MiB of page cache: a big import touches many index pages
        // Checkpoint once at the end instead of every ~1 000 pages: batches commit faster; close() checkpoints.
        db.pragma('wal_autocheckpoint = 0');
        return new ImportStore(db, now, source);
      }
      let db: Db;
      if (existsSync(path)) {
        const file = new Database(path, { readonly: true, fileMustExist: true });
        const image = file.serialize();
        file.close();
        // A WAL-mode image cannot be deserialised as is; bytes 18–19 set back to 1 mean "rollback journal".
        image[18] = 1;
        image[19] = 1;
        db = new Database(image);
      } else {
        db = new Database(':memory:');
      }
      db.pragma('foreign_keys = ON');
      migrate(db);
      return new ImportStore(db, now, source);
    } catch (err) {
      if (err instanceof ImportTargetError) throw err;
      throw targetError(path, err);
    }
  }

  close(): void {
    if (!this.db.memory) {
      try {
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // Another process is reading: SQLite checkpoints later on its own (the bot's connection does).
      }
    }
    this.db.close();
  }

  /** The level curve Unicornia uses for a guild (Nadeko's default when the guild has no settings row). */
  curveOf(guildId: bigint): LevelCurve {
    let curve = this.curves.get(guildId);
    if (!curve) {
      const row = this.q.curve!.get(guildId) as { CurveA: bigint; CurveC: bigint; CurveQ: bigint } | undefined;
      curve = curveFromRow(row && { a: Number(row.CurveA), c: Number(row.CurveC), q: Number(row.CurveQ) });
      this.curves.set(guildId, curve);
    }
    return curve;
  }

  /**
   * Server XP. Adds (Nadeko − ledger) to Xp and AwardedXp and raises RewardedLevel to the member's imported level
   * on the guild's curve: Nadeko already paid every reward up to that level, so Unicornia must not pay them again.
   */
  importXp(rows: readonly XpImport[]): BatchTally {
    return this.xpBatch(rows, {
      awarded: (r) => r.awardedXp,
      ledger: this.multi.xpLedger!,
      record: (r) => [r.guildId, r.userId, r.xp, r.awardedXp],
      range: (g, lo, hi) => this.q.xpLedger!.all(g, lo, hi),
    });
  }

  /** Another bot's members, by the same difference rule, with the ledger keyed by source. */
  importMemberXp(rows: readonly MemberXpImport[]): BatchTally {
    return this.xpBatch(rows, {
      awarded: () => 0,
      ledger: this.multi.botXpLedger!,
      record: (r) => [this.source, r.guildId, r.userId, r.xp],
      range: (g, lo, hi) => this.q.botXpLedger!.all(this.source, g, lo, hi),
    });
  }

  /** One batch of members' XP against a ledger whose rows read as `[UserId, Xp, AwardedXp]`. */
  private xpBatch<T extends { guildId: bigint; userId: bigint; xp: number }>(
    rows: readonly T[],
    l: { awarded: (r: T) => number; ledger: MultiRow; record: (r: T) => unknown[]; range: (g: bigint, from: bigint, to: bigint) => unknown[] },
  ): BatchTally {
    let before = new Map<bigint, Map<bigint, [bigint, bigint, bigint]>>();
    let optedOut = new Set<string>();
    return this.batch(
      rows,
      (r, t) => {
        if (optedOut.has(`${r.guildId}:${r.userId}`)) return void skip(t, OPTED_OUT);
        const prev = before.get(r.guildId)?.get(r.userId);
        const change = xpChange(prev && { xp: Number(prev[1]), awarded: Number(prev[2]) }, r.xp, l.awarded(r), this.curveOf(r.guildId));
        if (change.kind === 'unchanged') return void t.unchanged++;
        this.addXp(r.guildId, r.userId, change);
        l.ledger.add(...l.record(r));
        t.imported++;
      },
      () => {
        this.multi.addXp!.flush();
        this.multi.history!.flush();
        l.ledger.flush();
      },
      () => {
        const ranges = keyRanges(rows);
        before = this.ledgerOf(ranges, l.range);
        optedOut = new Set(ranges.flatMap(([g, lo, hi]) => (this.q.optedOut!.all(g, lo, hi) as bigint[]).map((u) => `${g}:${u}`)));
      },
    );
  }

  /** The ledger rows of a batch's members, `[UserId, Xp, AwardedXp]` by guild and user, read by the batch's `keyRanges`. */
  private ledgerOf(
    ranges: readonly [bigint, bigint, bigint][],
    range: (guildId: bigint, from: bigint, to: bigint) => unknown[],
  ): Map<bigint, Map<bigint, [bigint, bigint, bigint]>> {
    const out = new Map<bigint, Map<bigint, [bigint, bigint, bigint]>>();
    if (this.xpLedgerEmpty) return out;
    for (const [g, lo, hi] of ranges) {
      let users = out.get(g);
      if (!users) out.set(g, (users = new Map()));
      for (const row of range(g, lo, hi) as [bigint, bigint, bigint][]) users.set(row[0], row);
    }
    return out;
  }

  /** Moves a member's XP by (source now − source before) (see `xpChange` and `lowered` in import-rules.ts). */
  private addXp(g: bigint, u: bigint, change: Exclude<XpChange, { kind: 'unchanged' }>): void {
    const day = utcDay(this.now());
    if (change.kind === 'add') {
      if (change.dXp !== 0) this.multi.history!.add(g, day, u, SOURCE_CODE.import, change.dXp);
      return this.multi.addXp!.add(g, u, change.dXp, change.dAwarded, change.level);
    }
    const row = this.q.xpRow!.get(g, u) as [bigint, bigint, bigint] | undefined;
    const next = lowered(row && { xp: Number(row[0]), awarded: Number(row[1]), mark: Number(row[2]) }, change, this.curveOf(g));
    if (next.history !== 0) this.multi.history!.add(g, day, u, SOURCE_CODE.import, next.history);
    this.q.setXp!.run(g, u, next.xp, next.awarded, next.mark);
  }

  /** Global TotalXp and wallet, by the same difference rule; a wallet change is logged as a currency transaction. */
  importUsers(rows: readonly UserImport[]): BatchTally {
    const at = this.now();
    const add = this.multi.addUser!;
    const ledger = this.multi.userLedger!;
    return this.batch(
      rows,
      (r, t) => {
        const prev = this.userLedgerEmpty ? undefined : (this.q.userLedger!.get(r.userId) as [bigint, bigint] | undefined);
        const change = userChange(prev && { totalXp: Number(prev[0]), currency: Number(prev[1]) }, r.totalXp, r.currency);
        if (change.kind === 'unchanged') return void t.unchanged++;
        const { dXp } = change;
        let { dCurrency } = change;
        if (!change.signed) add.add(r.userId, r.username, dXp, dCurrency);
        else {
          if (dCurrency < 0) dCurrency = walletDrop(dCurrency, this.ledger.balance(r.userId), t);
          this.q.addUserSigned!.run(r.userId, r.username, Math.max(0, dXp), Math.max(0, dCurrency), dXp, dCurrency);
        }
        if (dCurrency !== 0) this.ledger.log(r.userId, dCurrency, WALLET_LOG.type, WALLET_LOG.note, at);
        ledger.add(r.userId, r.totalXp, r.currency);
        t.imported++;
      },
      () => {
        add.flush();
        ledger.flush();
      },
    );
  }

  /** Per-guild curve constants (Nadeko 7's XpFormulaA/C). */
  importCurves(rows: readonly { guildId: bigint; a: number; c: number }[]): BatchTally {
    return this.batch(rows, (r, t) => {
      if (!this.once('curve', `${r.guildId}`)) return void t.unchanged++;
      this.q.ensureSettings!.run(r.guildId);
      this.q.setCurve!.run(r.a, r.c, r.guildId);
      this.curves.delete(r.guildId);
      t.imported++;
    });
  }

  /** Settings fields, each imported once per guild. */
  importGuildSettings(rows: readonly GuildSettingsImport[]): BatchTally {
    return this.batch(rows, (r, t) => {
      const fresh = Object.fromEntries(
        Object.entries(r.patch).filter(([field, value]) => value !== undefined && this.once('setting', `${r.guildId}:${field}`)),
      ) as SettingsPatch;
      if (Object.keys(fresh).length === 0) return void t.unchanged++;
      this.settings.updateSettings(String(r.guildId), fresh);
      t.imported++;
    });
  }

  /** Channel and role multipliers; one Unicornia already has for that channel or role stays. */
  importMultipliers(rows: readonly MultiplierImport[]): BatchTally {
    return this.batch(rows, (r, t) => {
      if (!this.once('multiplier', `${r.guildId}:${r.type}:${r.itemId}`)) return void t.unchanged++;
      const changes = this.q.addMultiplier!.run(r.guildId, r.type, r.itemId, r.milli).changes;
      countWrite(t, changes, CONFIG_SKIPS.multiplier);
    });
  }

  importExclusions(rows: readonly ExclusionImport[]): BatchTally {
    return this.batch(rows, (r, t) => {
      if (!this.once('exclusion', `${r.guildId}:${r.type}:${r.itemId}`)) return void t.unchanged++;
      countWrite(t, this.q.addExclusion!.run(r.guildId, r.type, r.itemId).changes, CONFIG_SKIPS.exclusion);
    });
  }

  /** A channel's own XP per message and cooldown; a rate Unicornia already has for that channel stays. */
  importChannelRates(rows: readonly ChannelRateImport[]): BatchTally {
    return this.batch(rows, (r, t) => {
      if (!this.once('channel_rate', `${r.guildId}:${r.channelId}`)) return void t.unchanged++;
      const changes = this.q.addChannelRate!.run(r.guildId, r.channelId, r.rate.xpPerMessage, r.rate.cooldownSeconds).changes;
      countWrite(t, changes, CONFIG_SKIPS.channelRate);
    });
  }

  importRoleRewards(rows: readonly RoleRewardImport[]): BatchTally {
    return this.batch(rows, (r, t) => {
      if (!this.once('role_reward', `${r.guildId}:${r.level}:${r.roleId}`)) return void t.unchanged++;
      const changes = this.q.addRoleReward!.run(r.guildId, r.level, r.roleId, r.remove ? 1 : 0).changes;
      countWrite(t, changes, CONFIG_SKIPS.roleReward);
    });
  }

  importCurrencyRewards(rows: readonly CurrencyRewardImport[]): BatchTally {
    return this.batch(rows, (r, t) => {
      if (!this.once('currency_reward', `${r.guildId}:${r.level}`)) return void t.unchanged++;
      const changes = this.q.addCurrencyReward!.run(r.guildId, r.level, r.amount).changes;
      countWrite(t, changes, CONFIG_SKIPS.currencyReward);
    });
  }

  /** The level-up message: a channel means 'fixed', none means the channel the member wrote in. */
  importAnnouncements(rows: readonly AnnounceImport[]): BatchTally {
    return this.batch(rows, (r, t) => {
      if (!this.once('announce', `${r.guildId}`)) return void t.unchanged++;
      this.q.ensureSettings!.run(r.guildId);
      this.q.setAnnounce!.run(r.channelId === null ? 'channel' : 'fixed', r.channelId, r.template, r.guildId);
      t.imported++;
    });
  }

  /** Owned items; an equipped item stays equipped unless the member already equipped one of that type in Unicornia. */
  importShopItems(rows: readonly ShopItemImport[]): BatchTally {
    const at = this.now();
    return this.batch(rows, (r, t) => {
      if (!this.once('shop_item', `${r.userId}:${r.itemType}:${r.itemKey}`)) return void t.unchanged++;
      const using = r.isUsing && !this.q.usingItem!.get(r.userId, r.itemType) ? 1 : 0;
      const changes = this.q.addShopItem!.run(r.userId, r.itemType, r.itemKey, using, r.dateAdded ?? at).changes;
      countWrite(t, changes, CONFIG_SKIPS.shopItem);
    });
  }

  /**
   * Clubs by their exact Nadeko name; club XP by the difference rule. Unicornia compares club names ignoring case,
   * so a Nadeko club whose name differs from an imported one only by case is renamed ("name 2") and named in the
   * notes; a name taken by a club made in Unicornia is skipped.
   */
  importClubs(rows: readonly ClubImport[]): BatchTally {
    const at = this.now();
    const taken = new Map((this.q.clubNames!.all() as [bigint, string][]).map(([id, name]) => [foldName(name), { id, name }]));
    const imported = new Set(this.q.importedClubIds!.all() as bigint[]);
    return this.batch(rows, (r, t) => {
      const prev = this.q.clubLedger!.get(r.name) as [bigint, bigint] | undefined;
      if (prev) {
        const clubId = prev[0];
        if (!this.q.clubExists!.get(clubId)) return void skip(t, CLUB_SKIPS.deleted);
        const dXp = r.xp - Number(prev[1]);
        if (dXp === 0) return void t.unchanged++;
        this.q.addClubXp!.run(dXp, clubId);
        this.q.setClubLedger!.run(r.name, clubId, r.xp);
        return void t.imported++;
      }
      let name = r.name;
      const clash = taken.get(foldName(name));
      if (clash && !imported.has(clash.id)) return void skip(t, CLUB_SKIPS.nameTaken);
      if (clash) {
        name = freeClubName(r.name, taken);
        note(t, clubRenameNote(r.name, name, clash.name));
      }
      const ownerClub = this.q.userClub!.get(r.ownerId) as [bigint | null] | undefined;
      if (ownerClub && ownerClub[0] !== null) return void skip(t, CLUB_SKIPS.ownerInClub);
      const id = BigInt(this.q.addClub!.run(name, r.description, r.imageUrl, r.ownerId, Math.max(0, r.xp), r.dateAdded ?? at).lastInsertRowid);
      this.q.setClubLedger!.run(r.name, id, r.xp);
      taken.set(foldName(name), { id, name });
      imported.add(id);
      // Unicornia's owner is a member of the club and never flagged admin (one club per user).
      this.q.joinClub!.run(r.ownerId, id, 0);
      t.imported++;
    });
  }

  /** Membership (DiscordUser.ClubId/IsClubAdmin); one club per user, so a member of another Unicornia club stays there. */
  importClubMembers(rows: readonly ClubMemberImport[]): BatchTally {
    return this.batch(rows, (r, t) => {
      if (this.q.hasItem!.get('club_member', `${r.userId}`)) return void t.unchanged++;
      const club = this.q.clubLedger!.get(r.clubName) as [bigint, bigint] | undefined;
      if (!club) return void skip(t, CLUB_SKIPS.notImported);
      const current = this.q.userClub!.get(r.userId) as [bigint | null] | undefined;
      if (current && current[0] !== null && current[0] !== club[0]) return void skip(t, CLUB_SKIPS.inOtherClub);
      const isOwner = this.q.clubOwner!.get(club[0]) === r.userId;
      this.q.joinClub!.run(r.userId, club[0], r.isAdmin && !isOwner ? 1 : 0);
      this.q.addItem!.run('club_member', `${r.userId}`);
      t.imported++;
    });
  }

  importClubApplicants(rows: readonly ClubLinkImport[]): BatchTally {
    const at = this.now();
    return this.clubLinks(rows, 'club_applicant', (club, r) => this.q.addApplicant!.run(club, r.userId, at).changes);
  }

  importClubBans(rows: readonly ClubLinkImport[]): BatchTally {
    return this.clubLinks(rows, 'club_ban', (club, r) => this.q.addBan!.run(club, r.userId).changes);
  }

  private clubLinks(rows: readonly ClubLinkImport[], kind: string, insert: (club: bigint, r: ClubLinkImport) => number): BatchTally {
    return this.batch(rows, (r, t) => {
      const keys = clubLinkKeys(r.clubName, r.userId);
      if (keys.some((k) => this.q.hasItem!.get(kind, k))) return void t.unchanged++;
      const club = this.q.clubLedger!.get(r.clubName) as [bigint, bigint] | undefined;
      if (!club || !this.q.clubExists!.get(club[0])) return void skip(t, CLUB_SKIPS.notImported);
      this.q.addItem!.run(kind, keys[0]);
      countWrite(t, insert(club[0], r), CONFIG_SKIPS.clubLink);
    });
  }

  /** Records a configuration item in the ledger; false when an earlier run already imported it. */
  private once(kind: string, key: string): boolean {
    return this.q.addItem!.run(ledgerKind(this.source, kind), key).changes > 0;
  }


  /** One IMMEDIATE transaction: `start` (reads the batch needs), `each` row, then `end` (pending multi-row writes). */
  private batch<T>(rows: readonly T[], each: (row: T, tally: BatchTally) => void, end?: () => void, start?: () => void): BatchTally {
    const tally = emptyTally();
    if (rows.length === 0) return tally;
    const run = this.db.transaction(() => {
      start?.();
      for (const r of rows) each(r, tally);
      end?.();
    });
    try {
      run.immediate();
    } catch (err) {
      this.curves.clear(); // a rolled-back curve change must not stay cached
      for (const m of Object.values(this.multi)) m.reset();
      throw targetError(this.db.name, err);
    }
    return tally;
  }
}

/**
 * Writes rows through one `INSERT … VALUES (…), (…) …` statement per CHUNK rows, and the rest one by one.
 * Only for statements whose upsert reads nothing but `excluded.*`. flush() runs before the transaction ends.
 */
class MultiRow {
  static readonly CHUNK = 64;
  private readonly many: Statement;
  private readonly one: Statement;
  private params: unknown[] = [];

  constructor(
    db: Db,
    head: string,
    private readonly width: number,
    tail: string,
  ) {
    const tuple = `(${Array(width).fill('?').join(', ')})`;
    this.many = db.prepare(`${head} ${Array(MultiRow.CHUNK).fill(tuple).join(', ')} ${tail}`);
    this.one = db.prepare(`${head} ${tuple} ${tail}`);
  }

  add(...values: unknown[]): void {
    for (const v of values) this.params.push(v);
    if (this.params.length === this.width * MultiRow.CHUNK) {
      this.many.run(this.params);
      this.params = [];
    }
  }

  flush(): void {
    for (let i = 0; i < this.params.length; i += this.width) this.one.run(this.params.slice(i, i + this.width));
    this.params = [];
  }

  reset(): void {
    this.params = [];
  }
}

/** A file that exists must be an SQLite database that is Unicornia's (or empty), never someone else's. */
function assertUnicornia(path: string): void {
  const buf = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  let read: number;
  try {
    read = readSync(fd, buf, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (read === 0) return;
  const header = buf.subarray(0, read).toString('latin1');
  if (header !== 'SQLite format 3\0') throw new ImportTargetError('unusable', `${path} is not an SQLite database`);
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]).map((n) => n.toLowerCase());
    if (schemaVersion(db) === 0 && tables.length > 0) {
      throw new ImportTargetError('unusable', `${path} holds tables but is not a Unicornia database (did you swap the two paths?)`);
    }
  } finally {
    db.close();
  }
}

function targetError(path: string, err: unknown): Error {
  if (err instanceof ImportTargetError) return err;
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new ImportTargetError('locked', path, { cause: err });
  if (code.startsWith('SQLITE_')) {
    return new ImportTargetError('unusable', `${path}: ${err instanceof Error ? err.message : code}`, { cause: err });
  }
  return err instanceof Error ? err : new Error(String(err));
}
