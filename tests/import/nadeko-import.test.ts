import Database from 'better-sqlite3';
import { existsSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/import/errors.js';
import { importNadeko } from '../../src/import/nadeko-import.js';
import { skippedCount, type ImportSummary } from '../../src/import/summary.js';
import { openDatabase } from '../../src/storage/database.js';
import { XpWriteStore } from '../../src/storage/xp-writes.js';
import { levelFromXp } from '../../src/levels/curve.js';
import { importedTotal, open, pathMaker, rows } from './helpers.js';
import {
  CH1, CH2, CH3, G1, G2, ROLE1, ROLE2, U1, U2, U3, U4,
  createForeign, createPre53, createV5, createV6, createV7, dump,
} from './nadeko-fixtures.js';

const path = pathMaker('unicornia-import-');
const NOW = Date.UTC(2026, 0, 1);
const run = (source: string, target: string, extra: Parameters<typeof importNadeko>[2] = {}) =>
  importNadeko(source, target, { now: () => NOW, busyTimeoutMs: 100, ...extra });

describe('NadekoBot import', () => {
  describe('given a Nadeko 7 file (XpSettings.GuildId, formula columns, XpExcludedItem, Notify)', () => {
    const source = path('v7.db');
    createV7(source);
    const target = path('unicornia.db');
    let first: ImportSummary;

    it('then every value arrives exactly, with ids above 2^53 intact and levels on each guild\'s curve', async () => {
      first = await run(source, target);
      expect(first.details[0]).toContain('Nadeko 7');
      const db = open(target);

      expect(rows(db, 'SELECT GuildId, CurveA, CurveC FROM XpSettings ORDER BY GuildId')).toEqual([
        expect.objectContaining({ GuildId: G1, CurveA: 9, CurveC: 27 }),
        expect.objectContaining({ GuildId: G2, CurveA: 20, CurveC: 100 }),
      ]);
      const custom = { a: 20, c: 100 };
      expect(levelFromXp(5000, custom)).toBe(17);
      expect(rows(db, 'SELECT GuildId, UserId, Xp, AwardedXp, RewardedLevel, HasLeft FROM UserXpStats ORDER BY GuildId, UserId')).toEqual([
        { GuildId: G1, UserId: U2, Xp: 35, AwardedXp: 0, RewardedLevel: 0, HasLeft: 0 },
        { GuildId: G1, UserId: U1, Xp: 1000, AwardedXp: 0, RewardedLevel: 11, HasLeft: 0 },
        { GuildId: G2, UserId: U3, Xp: 5000, AwardedXp: 0, RewardedLevel: 17, HasLeft: 0 },
        { GuildId: G2, UserId: U1, Xp: 0, AwardedXp: 0, RewardedLevel: 0, HasLeft: 0 },
      ]);
      expect(first.sections['server XP']).toMatchObject({ read: 5, imported: 4, skipped: { 'user id is not a valid snowflake': 1 } });

      expect(rows(db, 'SELECT UserId, Username, TotalXp, CurrencyAmount, ClubId, IsClubAdmin FROM DiscordUser ORDER BY UserId')).toEqual([
        { UserId: U3, Username: 'carol', TotalXp: 5000, CurrencyAmount: 123, ClubId: null, IsClubAdmin: 0 },
        { UserId: U4, Username: 'dave', TotalXp: 0, CurrencyAmount: 7, ClubId: '2', IsClubAdmin: 0 },
        { UserId: U2, Username: 'bob', TotalXp: 35, CurrencyAmount: 0, ClubId: '1', IsClubAdmin: 1 },
        { UserId: U1, Username: 'alice', TotalXp: 1000, CurrencyAmount: 5000, ClubId: '1', IsClubAdmin: 0 },
      ]);
      expect(rows(db, 'SELECT UserId, Amount, Type, DateAdded FROM CurrencyTransaction ORDER BY UserId')).toEqual([
        { UserId: U3, Amount: 123, Type: 'nadeko_import', DateAdded: NOW },
        { UserId: U4, Amount: 7, Type: 'nadeko_import', DateAdded: NOW },
        { UserId: U1, Amount: 5000, Type: 'nadeko_import', DateAdded: NOW },
      ]);

      // XpExcludedItem, plus the channels Nadeko 7 gave a rate or a cooldown of 0 (CH1 text, CH2 text and voice).
      expect(rows(db, 'SELECT GuildId, ItemType, ItemId FROM XpExcludedItem ORDER BY ItemType, ItemId')).toEqual([
        { GuildId: G1, ItemType: 'channel', ItemId: CH1 },
        { GuildId: G1, ItemType: 'channel', ItemId: CH2 },
        { GuildId: G1, ItemType: 'role', ItemId: ROLE2 },
        { GuildId: G1, ItemType: 'user', ItemId: U4 },
      ]);
      expect(first.sections.exclusions.skipped).toEqual({ 'unknown exclusion type 7': 1 });
      // Server rates into the closest settings, CH3's own rate into its per-channel XP (25 XP every 2 minutes); what
      // has no Unicornia equivalent is named with its count.
      expect(rows(db, 'SELECT GuildId, XpEnabled, XpPerMessage, CooldownSeconds, VoiceXpPerMinute FROM XpSettings ORDER BY GuildId')).toEqual([
        { GuildId: G1, XpEnabled: 1, XpPerMessage: 5, CooldownSeconds: 90, VoiceXpPerMinute: 3 },
        { GuildId: G2, XpEnabled: 1, XpPerMessage: 0, CooldownSeconds: 60, VoiceXpPerMinute: 1 },
      ]);
      expect(rows(db, 'SELECT ChannelId, XpPerMessage, CooldownSeconds FROM XpChannelRate')).toEqual([{ ChannelId: CH3, XpPerMessage: 25, CooldownSeconds: 120 }]);
      expect(first.sections['XP rates']).toEqual({
        read: 9,
        imported: 6,
        unchanged: 1, // CH2's voice row: the channel is already excluded by its text row
        skipped: {
          'XP for images (rate type 2): Unicornia gives no XP for images': 2,
        },
      });
      expect(first.notes).toContain(
        '1 channel where Nadeko stopped only message XP or only voice XP is excluded from all XP: a Unicornia exclusion covers both',
      );
      expect(first.notImported).toEqual([
        { what: 'club banners (Clubs.BannerUrl)', rows: 1, reason: expect.stringContaining('no banner') },
        { what: "members' blocked notifications (UserNotifyBlock)", rows: 2, reason: expect.stringContaining('per-member') },
        { what: 'notifications other than level-ups (Notify, Type other than 0)', rows: 1, reason: 'Unicornia announces level-ups only' },
        { what: 'custom XP card templates (GuildXpConfig.XpTemplateUrl)', rows: 1, reason: expect.stringContaining('xp_config.yml') },
      ]);
      expect(rows(db, 'SELECT GuildId, Level, RoleId, Remove FROM XpRoleReward ORDER BY Level')).toEqual([
        { GuildId: G1, Level: 5, RoleId: ROLE1, Remove: 0 },
        { GuildId: G1, Level: 10, RoleId: ROLE1, Remove: 1 },
      ]);
      expect(first.sections['role rewards'].skipped).toEqual({ 'reward for a guild with no settings row': 1 });
      expect(rows(db, 'SELECT GuildId, Level, Amount FROM XpCurrencyReward ORDER BY Level')).toEqual([
        { GuildId: G1, Level: 2, Amount: 100 },
        { GuildId: G2, Level: 4, Amount: 250 },
      ]);

      expect(rows(db, 'SELECT GuildId, AnnounceMode, AnnounceChannelId, AnnounceTemplate FROM XpSettings ORDER BY GuildId')).toEqual([
        { GuildId: G1, AnnounceMode: 'fixed', AnnounceChannelId: CH1, AnnounceTemplate: 'GG {user}, you reached level {level} in {guild}! Rank %xp.rank%' },
        { GuildId: G2, AnnounceMode: 'channel', AnnounceChannelId: null, AnnounceTemplate: '{username} is now level {level}' },
      ]);
      expect(first.notes.join('\n')).toContain('%xp.rank%');

      expect(rows(db, 'SELECT UserId, ItemType, ItemKey, IsUsing, DateAdded FROM XpShopOwnedItem ORDER BY UserId, ItemType, ItemKey')).toEqual([
        { UserId: U2, ItemType: 1, ItemKey: 'sea', IsUsing: 0, DateAdded: NOW },
        { UserId: U1, ItemType: 1, ItemKey: 'forest', IsUsing: 1, DateAdded: Date.UTC(2024, 1, 3, 4, 5, 6) },
        { UserId: U1, ItemType: 2, ItemKey: 'gold-frame', IsUsing: 1, DateAdded: NOW },
      ]);
      expect(first.sections['shop items'].skipped).toEqual({ 'the free default background needs no row': 1 });

      // Two Nadeko clubs whose names differ only by case stay two clubs, each with its own XP; the second is renamed.
      expect(rows(db, 'SELECT Id, Name, Description, ImageUrl, OwnerId, Xp, DateAdded FROM Clubs ORDER BY Id')).toEqual([
        { Id: '1', Name: 'Unicorns', Description: 'We like horns', ImageUrl: 'https://example.com/u.png', OwnerId: U1, Xp: 1035, DateAdded: Date.UTC(2023, 4, 1, 12) },
        { Id: '2', Name: 'unicorns 2', Description: 'lower case, another club', ImageUrl: null, OwnerId: U4, Xp: 7, DateAdded: NOW },
      ]);
      expect(first.notes).toContain('club "unicorns" imported as "unicorns 2": Unicornia club names ignore letter case and "Unicorns" was imported first');
      expect(first.sections.clubs.skipped).toEqual({ 'club owner not found': 1 });
      expect(first.sections['club members'].skipped).toEqual({ 'the club was not imported': 1 });
      expect(rows(db, 'SELECT ClubId, UserId, DateAdded FROM ClubApplicants')).toEqual([{ ClubId: '1', UserId: U4, DateAdded: NOW }]);
      expect(rows(db, 'SELECT ClubId, UserId FROM ClubBans')).toEqual([{ ClubId: '1', UserId: U3 }]);
      db.close();
    });

    it('then the rewards Nadeko already paid are not paid again at the next level-up', () => {
      const db = openDatabase(target);
      const writes = new XpWriteStore(db, 'test');
      // U3 sits at level 17 in G2, whose currency reward is at level 4: crossing 17 → 18 pays nothing.
      expect(writes.recordLevelUp(G2, U3, { oldLevel: 17, newLevel: 18, roleRewards: [], at: 0 })).toMatchObject({ previousMark: 17, paid: [] });
      db.close();
    });

    it('then a second run changes nothing', async () => {
      const before = dump(open(target));
      const again = await run(source, target);
      expect(importedTotal(again)).toBe(0);
      expect(again.sections['server XP']).toMatchObject({ read: 5, imported: 0, unchanged: 4 });
      expect(dump(open(target))).toEqual(before);
    });

    it('then a later run adds only what Nadeko gained since, and keeps XP earned in Unicornia meanwhile', async () => {
      const db = openDatabase(target);
      new XpWriteStore(db, 'bot').flush({ seq: 1, rows: [{ guildId: G1, userId: U1, xp: 10, awarded: 0 }], voice: [], history: [], periods: [] });
      db.close();
      const nadeko = new Database(source);
      nadeko.prepare('UPDATE UserXpStats SET Xp = 1100 WHERE UserId = ? AND GuildId = ?').run(BigInt(U1), BigInt(G1));
      nadeko.prepare('UPDATE DiscordUser SET CurrencyAmount = CurrencyAmount + 500, TotalXp = TotalXp + 100 WHERE UserId = ?').run(BigInt(U1));
      nadeko.close();

      const later = await run(source, target);
      expect(later.sections['server XP']).toMatchObject({ imported: 1, unchanged: 3 });
      expect(later.sections.users).toMatchObject({ imported: 1, unchanged: 3 });
      const u = open(target);
      expect(rows(u, 'SELECT Xp, RewardedLevel FROM UserXpStats WHERE GuildId = ? AND UserId = ?', BigInt(G1), BigInt(U1))).toEqual([
        { Xp: 1110, RewardedLevel: levelFromXp(1100) },
      ]);
      expect(rows(u, 'SELECT TotalXp, CurrencyAmount FROM DiscordUser WHERE UserId = ?', BigInt(U1))).toEqual([{ TotalXp: 1110, CurrencyAmount: 5500 }]);
      expect(rows(u, 'SELECT Amount FROM CurrencyTransaction WHERE UserId = ? ORDER BY Id', BigInt(U1))).toEqual([{ Amount: 5000 }, { Amount: 500 }]);
      u.close();
    });

    it('then an admin\'s change in Unicornia after the import is not undone by a re-run', async () => {
      const db = openDatabase(target);
      new XpWriteStore(db, 'bot').setRoleReward(G1, 5, ROLE1, null);
      db.close();
      await run(source, target);
      expect(rows(open(target), 'SELECT Level FROM XpRoleReward WHERE GuildId = ?', BigInt(G1))).toEqual([{ Level: 10 }]);
    });
  });

  describe('given a Nadeko 6 file (XpSettings.GuildId next to GuildConfigId, no formula, Notify.ChannelId 0)', () => {
    it('then a settings row still at GuildId 0 is found through GuildConfigs, levels use the default curve, 0 means the origin channel', async () => {
      const source = path('v6.db');
      createV6(source);
      const target = path('unicornia.db');
      const s = await run(source, target);
      expect(s.details[0]).toContain('Nadeko 6+');
      expect(s.details[0]).not.toContain('Nadeko 7');
      expect(s.sections['XP settings'].skipped).toEqual({ 'no curve before Nadeko 7 (the default curve applies)': 2 });
      const db = open(target);
      expect(rows(db, 'SELECT GuildId, UserId, Xp, RewardedLevel FROM UserXpStats WHERE GuildId = ? ORDER BY UserId', BigInt(G2))).toEqual([
        { GuildId: G2, UserId: U3, Xp: 5000, RewardedLevel: levelFromXp(5000) },
        { GuildId: G2, UserId: U1, Xp: 0, RewardedLevel: 0 },
      ]);
      expect(rows(db, 'SELECT GuildId, Level, Amount FROM XpCurrencyReward ORDER BY Level')).toEqual([
        { GuildId: G1, Level: 2, Amount: 100 },
        { GuildId: G2, Level: 4, Amount: 250 },
      ]);
      expect(rows(db, 'SELECT GuildId, CurveA, CurveC, AnnounceMode, AnnounceChannelId FROM XpSettings ORDER BY GuildId')).toEqual([
        { GuildId: G1, CurveA: 9, CurveC: 27, AnnounceMode: 'fixed', AnnounceChannelId: CH1 },
        { GuildId: G2, CurveA: 9, CurveC: 27, AnnounceMode: 'channel', AnnounceChannelId: null },
      ]);
      db.close();
    });
  });

  describe('given a Nadeko 5 file (XpSettings.GuildConfigId → GuildConfigs, ExcludedItem)', () => {
    it('then settings are found through GuildConfigs and every value arrives', async () => {
      const source = path('v5.db');
      createV5(source);
      const target = path('unicornia.db');
      const s = await run(source, target);
      expect(s.details[0]).toContain('Nadeko 5 or older');
      expect(s.sections['XP settings'].skipped).toEqual({
        'no curve before Nadeko 7 (the default curve applies)': 2,
        'XpSettings row without a guild (GuildConfigId not in GuildConfigs)': 1,
      });
      const db = open(target);
      expect(rows(db, 'SELECT GuildId, UserId, Xp, AwardedXp, RewardedLevel FROM UserXpStats ORDER BY GuildId')).toEqual([
        { GuildId: G1, UserId: U1, Xp: 198, AwardedXp: 0, RewardedLevel: 4 },
        { GuildId: G2, UserId: U2, Xp: 100_000, AwardedXp: 0, RewardedLevel: 145 },
      ]);
      expect(rows(db, 'SELECT GuildId, ItemType, ItemId FROM XpExcludedItem ORDER BY GuildId')).toEqual([
        { GuildId: G1, ItemType: 'channel', ItemId: CH1 },
        { GuildId: G2, ItemType: 'role', ItemId: ROLE1 },
      ]);
      expect(s.sections.exclusions.skipped).toEqual({ 'exclusion for a guild with no settings row': 1 });
      expect(rows(db, 'SELECT GuildId, Level, RoleId, Remove FROM XpRoleReward')).toEqual([{ GuildId: G2, Level: 20, RoleId: ROLE2, Remove: 0 }]);
      expect(rows(db, 'SELECT GuildId, Level, Amount FROM XpCurrencyReward')).toEqual([{ GuildId: G1, Level: 1, Amount: 50 }]);
      expect(s.sections['currency rewards'].skipped).toEqual({ 'reward for a guild with no settings row': 1 });
      expect(rows(db, 'SELECT UserId, TotalXp, CurrencyAmount, ClubId FROM DiscordUser ORDER BY UserId')).toEqual([
        { UserId: U2, TotalXp: 100_000, CurrencyAmount: 9_000_000_000, ClubId: '1' },
        { UserId: U1, TotalXp: 198, CurrencyAmount: 42, ClubId: null },
      ]);
      expect(rows(db, 'SELECT Name, OwnerId, Xp, Description FROM Clubs')).toEqual([{ Name: 'Bobs', OwnerId: U2, Xp: 100_000, Description: 'bob only' }]);
      expect(rows(db, 'SELECT UserId, ItemType, ItemKey, IsUsing FROM XpShopOwnedItem')).toEqual([{ UserId: U2, ItemType: 1, ItemKey: 'night', IsUsing: 1 }]);
      // No Notify table: Unicornia's announcement defaults stay.
      expect(rows(db, 'SELECT AnnounceMode, AnnounceTemplate FROM XpSettings')).toEqual([]);
      db.close();

      const before = dump(open(target));
      expect(importedTotal(await run(source, target))).toBe(0);
      expect(dump(open(target))).toEqual(before);

      // Nadeko went down since (an admin removed XP, the member spent currency): the difference is taken off.
      const nadeko = new Database(source);
      nadeko.prepare('UPDATE UserXpStats SET Xp = 100 WHERE UserId = ?').run(BigInt(U1));
      nadeko.prepare('UPDATE DiscordUser SET CurrencyAmount = 10 WHERE UserId = ?').run(BigInt(U1));
      nadeko.close();
      await run(source, target);
      const after = open(target);
      // The mark the import had raised to level 4 comes down with the level (2): Nadeko's newer state is undone.
      expect(rows(after, 'SELECT Xp, RewardedLevel FROM UserXpStats WHERE UserId = ?', BigInt(U1))).toEqual([{ Xp: 100, RewardedLevel: 2 }]);
      expect(rows(after, 'SELECT CurrencyAmount FROM DiscordUser WHERE UserId = ?', BigInt(U1))).toEqual([{ CurrencyAmount: 10 }]);
      expect(rows(after, 'SELECT Amount FROM CurrencyTransaction WHERE UserId = ? ORDER BY Id', BigInt(U1))).toEqual([{ Amount: 42 }, { Amount: -32 }]);
      after.close();
    });
  });

  describe('given a Nadeko file from before 5.3 (UserXpStats.AwardedXp)', () => {
    it('then Unicornia Xp = Xp + AwardedXp, AwardedXp is kept, and the level counts both', async () => {
      const source = path('pre53.db');
      createPre53(source);
      const target = path('unicornia.db');
      const s = await run(source, target);
      expect(s.details[0]).toContain('before 5.3');
      const db = open(target);
      expect(rows(db, 'SELECT GuildId, UserId, Xp, AwardedXp, RewardedLevel FROM UserXpStats ORDER BY UserId')).toEqual([
        { GuildId: G2, UserId: U3, Xp: 35, AwardedXp: 0, RewardedLevel: 0 },
        { GuildId: G2, UserId: U1, Xp: 198, AwardedXp: 48, RewardedLevel: 4 },
      ]);
      expect(rows(db, 'SELECT GuildId, ItemType, ItemId FROM XpExcludedItem')).toEqual([{ GuildId: G2, ItemType: 'channel', ItemId: CH2 }]);
      expect(rows(db, 'SELECT GuildId, Level, RoleId, Remove FROM XpRoleReward')).toEqual([{ GuildId: G2, Level: 3, RoleId: ROLE1, Remove: 0 }]);
      expect(rows(db, 'SELECT Name, OwnerId, Xp, Description FROM Clubs')).toEqual([{ Name: 'Old Guard', OwnerId: U1, Xp: 198, Description: null }]);
      expect(rows(db, 'SELECT UserId, ClubId, IsClubAdmin, CurrencyAmount FROM DiscordUser WHERE UserId = ?', BigInt(U1))).toEqual([
        // Nadeko flagged the owner admin; in Unicornia the owner is a member never flagged admin.
        { UserId: U1, ClubId: '1', IsClubAdmin: 0, CurrencyAmount: 1234 },
      ]);
      expect(rows(db, 'SELECT UserId FROM ClubApplicants')).toEqual([{ UserId: U3 }]);
      db.close();

      // The level-4 currency reward (1 000) was paid by Nadeko: crossing into level 5 must not pay it again.
      const w = openDatabase(target);
      expect(new XpWriteStore(w, 't').recordLevelUp(G2, U1, { oldLevel: 4, newLevel: 5, roleRewards: [], at: 0 }).paid).toEqual([]);
      w.close();
    });
  });

  describe('given a file with duplicate rows (old Nadeko had no unique index on some tables)', () => {
    it('then the first row of a key counts and the duplicates are skipped, not added', async () => {
      const source = path('dupes.db');
      createPre53(source);
      const nadeko = new Database(source);
      nadeko.prepare('INSERT INTO UserXpStats (UserId, GuildId, Xp, AwardedXp, NotifyOnLevelUp) VALUES (?, ?, 150, 48, 0)').run(BigInt(U1), BigInt(G2));
      nadeko.prepare('INSERT INTO DiscordUser (Id, UserId, Username, TotalXp, CurrencyAmount) VALUES (50, ?, ?, 198, 1234)').run(BigInt(U1), 'alice');
      nadeko.close();
      const target = path('unicornia.db');
      const s = await run(source, target);
      expect(s.sections['server XP'].skipped).toEqual({ 'duplicate row for the same guild and user': 1 });
      expect(s.sections.users.skipped).toEqual({ 'duplicate row for the same user': 1 });
      const db = open(target);
      expect(rows(db, 'SELECT Xp FROM UserXpStats WHERE UserId = ?', BigInt(U1))).toEqual([{ Xp: 198 }]);
      expect(rows(db, 'SELECT CurrencyAmount FROM DiscordUser WHERE UserId = ?', BigInt(U1))).toEqual([{ CurrencyAmount: 1234 }]);
      db.close();
    });
  });

  describe('given --guild', () => {
    it('then only that guild\'s guild-scoped rows are imported, and users, shop items and clubs still are', async () => {
      const source = path('v7.db');
      createV7(source);
      const target = path('unicornia.db');
      const s = await run(source, target, { guildId: G2 });
      const db = open(target);
      expect(rows(db, 'SELECT DISTINCT GuildId FROM UserXpStats')).toEqual([{ GuildId: G2 }]);
      expect(rows(db, 'SELECT GuildId FROM XpSettings')).toEqual([{ GuildId: G2 }]);
      expect(rows(db, 'SELECT GuildId FROM XpCurrencyReward')).toEqual([{ GuildId: G2 }]);
      expect(rows(db, 'SELECT COUNT(*) AS n FROM XpRoleReward')).toEqual([{ n: 0 }]);
      expect(s.sections['role rewards'].skipped).toEqual({});
      expect(rows(db, 'SELECT COUNT(*) AS n FROM DiscordUser')).toEqual([{ n: 4 }]);
      expect(rows(db, 'SELECT COUNT(*) AS n FROM Clubs')).toEqual([{ n: 2 }]);
      db.close();
    });
  });

  describe('given --dry-run', () => {
    it('then a missing Unicornia database is not created, and the summary matches what a real run does', async () => {
      const source = path('v7.db');
      createV7(source);
      const target = path('unicornia.db');
      const dry = await run(source, target, { dryRun: true });
      expect(existsSync(target)).toBe(false);
      expect(dry.dryRun).toBe(true);
      const real = await run(source, target);
      expect({ ...dry.sections }).toEqual({ ...real.sections });
    });

    it('then an existing Unicornia database (WAL mode) is not written at all', async () => {
      const source = path('pre53.db');
      createPre53(source);
      const target = path('unicornia.db');
      const db = openDatabase(target);
      new XpWriteStore(db, 'bot').flush({ seq: 1, rows: [{ guildId: G2, userId: U1, xp: 5, awarded: 0 }], voice: [], history: [], periods: [] });
      db.close();
      const bytes = readFileSync(target);
      const s = await run(source, target, { dryRun: true });
      expect(s.sections['server XP'].imported).toBe(2);
      expect(readFileSync(target).equals(bytes)).toBe(true);
      expect(existsSync(`${target}-wal`) ? statSync(`${target}-wal`).size : 0).toBe(0);
      expect(rows(open(target), 'SELECT Xp FROM UserXpStats')).toEqual([{ Xp: 5 }]);
    });
  });

  describe('given a file that cannot be imported', () => {
    async function failsWith(source: string, code: string, extra: Parameters<typeof importNadeko>[2] = {}): Promise<string> {
      const target = path('unicornia.db');
      const err = await run(source, target, extra).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ImportError);
      expect((err as ImportError).code).toBe(code);
      expect(existsSync(target)).toBe(false);
      return (err as ImportError).message;
    }

    it('then a missing file says so', async () => {
      expect(await failsWith(path('nope.db'), 'not_found')).toMatch(/does not exist/);
    });

    it('then a text file is not SQLite', async () => {
      const p = path('notes.txt');
      writeFileSync(p, 'hello, this is not a database\n'.repeat(20));
      expect(await failsWith(p, 'not_sqlite')).toMatch(/not an SQLite database/);
    });

    it('then an empty file is not SQLite', async () => {
      const p = path('empty.db');
      writeFileSync(p, '');
      await failsWith(p, 'not_sqlite');
    });

    it('then an SQLite file of another program is not NadekoBot\'s', async () => {
      const p = path('foreign.db');
      createForeign(p);
      expect(await failsWith(p, 'not_nadeko')).toMatch(/not NadekoBot's/);
    });

    it('then Unicornia\'s own database passed as the source is named as such', async () => {
      const p = path('unicornia-as-source.db');
      openDatabase(p).close();
      expect(await failsWith(p, 'not_nadeko')).toMatch(/Unicornia's own database/);
    });

    it('then a truncated file is reported as damaged and nothing is written', async () => {
      const p = path('truncated.db');
      createV7(p);
      truncateSync(p, Math.floor(statSync(p).size / 2));
      expect(await failsWith(p, 'corrupt')).toMatch(/damaged/);
    });

    it('then a corrupt file is reported as damaged and nothing is written', async () => {
      const p = path('corrupt.db');
      createV7(p);
      const bytes = readFileSync(p);
      const pageSize = bytes.readUInt16BE(16);
      bytes.fill(0xa5, pageSize * 2, pageSize * 6); // scribble over b-tree pages, keep the header
      writeFileSync(p, bytes);
      expect(await failsWith(p, 'corrupt')).toMatch(/damaged/);
    });

    it('then a file locked by a running NadekoBot says to stop it, and nothing is written', async () => {
      const p = path('locked.db');
      createV7(p);
      const nadeko = new Database(p);
      nadeko.exec('BEGIN EXCLUSIVE');
      try {
        expect(await failsWith(p, 'locked', { busyTimeoutMs: 50 })).toMatch(/NadekoBot still running/);
      } finally {
        nadeko.exec('ROLLBACK');
        nadeko.close();
      }
    });

    it('then a Unicornia database kept locked by another writer fails with a message that says a re-run is safe', async () => {
      const source = path('v7.db');
      createV7(source);
      const target = path('unicornia.db');
      openDatabase(target).close();
      const bot = new Database(target);
      bot.exec('BEGIN IMMEDIATE');
      try {
        const err = await run(source, target).catch((e: unknown) => e);
        expect((err as ImportError).code).toBe('target_locked');
        expect((err as ImportError).message).toMatch(/never counts anything twice/);
      } finally {
        bot.exec('ROLLBACK');
        bot.close();
      }
      expect(rows(open(target), 'SELECT COUNT(*) AS n FROM UserXpStats')).toEqual([{ n: 0 }]);
    });

    it('then the same file as source and target is refused', async () => {
      const p = path('v7.db');
      createV7(p);
      const err = await run(p, p).catch((e: unknown) => e);
      expect((err as ImportError).code).toBe('target_is_source');
    });
  });

  it('given skipped rows then the summary counts them per reason', async () => {
    const source = path('v7.db');
    createV7(source);
    const s = await run(source, path('unicornia.db'));
    const skipped = Object.values(s.sections).reduce((a, t) => a + skippedCount(t), 0);
    expect(skipped).toBe(8);
  });
});
