/**
 * The Nadeko import's gaps found by importing databases built from Nadeko's own schema (issue 14 item 1): rates of
 * 0 and switched-off servers, server rates, names of what is not imported, re-imports that lower balances and
 * levels, case-twin clubs, and a WAL file in a folder the importer cannot write.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importNadeko } from '../../src/import/nadeko-import.js';
import { mapNadekoRates, RATE_SKIPS } from '../../src/import/nadeko-rates.js';
import { levelFromXp } from '../../src/levels/curve.js';
import { openDatabase } from '../../src/storage/database.js';
import { Ledger } from '../../src/storage/ledger.js';
import { XpWriteStore } from '../../src/storage/xp-writes.js';
import { importedTotal, pathMaker, query } from './helpers.js';
import { CH1, CH2, G1, G2, U1, U3, createPre53, createV5, createV6, createV7 } from './nadeko-fixtures.js';

const path = pathMaker('unicornia-nadeko-gaps-');
const NOW = Date.UTC(2026, 0, 1);
const run = (source: string, target: string, extra: Parameters<typeof importNadeko>[2] = {}) =>
  importNadeko(source, target, { now: () => NOW, busyTimeoutMs: 100, ...extra });
const root = fileURLToPath(new URL('../../', import.meta.url));

describe('Nadeko import gaps', () => {
  describe('given Nadeko 6.0 (XpSettings.ServerExcluded, GuildXpConfig without rate types, DiscordUser.NotifyOnLevelUp)', () => {
    const source = path('v6.db');
    createV6(source);
    const target = path('unicornia.db');

    it('then a server switched off stays off, a rate of 0 stops message XP, a channel rate of 0 is an exclusion, another channel rate is that channel\'s own XP and cooldown', async () => {
      const s = await run(source, target);
      expect(query(target, 'SELECT GuildId, XpEnabled, XpPerMessage, CooldownSeconds FROM XpSettings ORDER BY GuildId')).toEqual([
        { GuildId: G1, XpEnabled: 1, XpPerMessage: 0, CooldownSeconds: 60 },
        { GuildId: G2, XpEnabled: 0, XpPerMessage: 1, CooldownSeconds: 60 },
      ]);
      expect(query(target, "SELECT GuildId, ItemId FROM XpExcludedItem WHERE ItemType = 'channel'")).toEqual([{ GuildId: G1, ItemId: CH2 }]);
      expect(s.sections['XP rates']).toEqual({ read: 3, imported: 3, unchanged: 0, skipped: {} });
      // Nadeko's 7 XP every 2.5 minutes in CH1.
      expect(query(target, 'SELECT GuildId, ChannelId, XpPerMessage, CooldownSeconds FROM XpChannelRate')).toEqual([{ GuildId: G1, ChannelId: CH1, XpPerMessage: 7, CooldownSeconds: 150 }]);
      expect(s.notes).toContain('1 channel XP rate becomes per-channel XP and cooldown (see `unicornia channels list`)');
      expect(s.notImported).toEqual([
        { what: "members' level-up notification choices (DiscordUser.NotifyOnLevelUp)", rows: 1, reason: expect.stringContaining('per-member') },
        { what: 'notifications other than level-ups (Notify, Type other than 0)', rows: 1, reason: 'Unicornia announces level-ups only' },
      ]);
    });

    it('then an admin who switches XP back on in Unicornia is not undone by a re-run', async () => {
      const db = openDatabase(target);
      new XpWriteStore(db, 'bot').updateSettings(G2, { xpEnabled: true, xpPerMessage: 4 });
      db.close();
      const again = await run(source, target);
      expect(importedTotal(again)).toBe(0);
      expect(query(target, 'SELECT XpEnabled, XpPerMessage FROM XpSettings WHERE GuildId = ?', BigInt(G2))).toEqual([{ XpEnabled: 1, XpPerMessage: 4 }]);
    });
  });

  describe('given Nadeko rate rows', () => {
    const rate = (channelId: bigint | null, rateType: number, amount: number, cooldownMinutes: number) => ({
      guildId: 1n, channelId, rateType, amount, cooldownMinutes,
    });

    it('then each maps to the closest setting or exclusion, and the rest is skipped with its reason', () => {
      const { actions, notes } = mapNadekoRates([
        rate(null, 0, 20, 0.5),
        rate(null, 1, 0, 1),
        rate(null, 0, 5000, 1),
        rate(null, 0, 5, 2000),
        rate(7n, 1, 0, 1),
        rate(8n, 0, 3, 0),
        rate(8n, 1, 0, 1),
        rate(9n, 0, 3, 1),
        rate(9n, 1, 2, 1),
        rate(null, 2, 1, 1),
        rate(null, 9, 1, 1),
        { skip: 'guild id is not a valid snowflake' },
      ]);
      expect(actions).toEqual([
        { setting: { guildId: 1n, patch: { xpPerMessage: 20, cooldownSeconds: 30 } } },
        { setting: { guildId: 1n, patch: { voiceXpPerMinute: 0 } } },
        { skip: "XP per message above Unicornia's limit of 1000" },
        { skip: "cooldown above Unicornia's limit of 86400 s" },
        { exclusion: { guildId: 1n, type: 'channel', itemId: 7n } },
        { exclusion: { guildId: 1n, type: 'channel', itemId: 8n } },
        { exclusion: { guildId: 1n, type: 'channel', itemId: 8n } },
        { channelRate: { guildId: 1n, channelId: 9n, rate: { xpPerMessage: 3, cooldownSeconds: 60 } } },
        { skip: RATE_SKIPS.channelVoiceRate },
        { skip: RATE_SKIPS.image },
        { skip: 'unknown rate type 9' },
        { skip: 'guild id is not a valid snowflake' },
      ]);
      // Channel 7 only lost voice XP in Nadeko; channel 8 lost both.
      expect(notes).toEqual([
        '1 channel where Nadeko stopped only message XP or only voice XP is excluded from all XP: a Unicornia exclusion covers both',
        '1 channel XP rate becomes per-channel XP and cooldown (see `unicornia channels list`)',
      ]);
    });
  });

  describe('given Nadeko before 5.3 (UserXpStats.NotifyOnLevelUp, Clubs.MinimumLevelReq)', () => {
    it('then per-member notification choices and club level requirements are named with their counts', async () => {
      const source = path('pre53.db');
      createPre53(source);
      const s = await run(source, path('unicornia.db'));
      expect(s.notImported.map((d) => [d.what, d.rows])).toEqual([
        ['club minimum levels (Clubs.MinimumLevelReq)', 1],
        ["members' level-up notification choices per server (UserXpStats.NotifyOnLevelUp)", 1],
      ]);
    });
  });

  describe('given a re-import after Nadeko\'s balance dropped', () => {
    it('then the drop is taken off down to 0 at most, logged as taken, and never taken again', async () => {
      const source = path('v5.db');
      createV5(source);
      const target = path('unicornia.db');
      await run(source, target); // U1 holds 42
      const db = openDatabase(target);
      expect(new Ledger(db).debit(BigInt(U1), 40)).toBe(true); // spent in Unicornia: 2 left
      db.close();
      const nadeko = new Database(source);
      nadeko.prepare('UPDATE DiscordUser SET CurrencyAmount = 12 WHERE UserId = ?').run(BigInt(U1)); // Nadeko: −30
      nadeko.close();

      const s = await run(source, target);
      expect(query(target, 'SELECT CurrencyAmount FROM DiscordUser WHERE UserId = ?', BigInt(U1))).toEqual([{ CurrencyAmount: 0 }]);
      expect(query(target, "SELECT Amount FROM CurrencyTransaction WHERE UserId = ? AND Type = 'nadeko_import' ORDER BY Id", BigInt(U1))).toEqual([
        { Amount: 42 },
        { Amount: -2 },
      ]);
      expect(s.notes).toContain("wallets lowered only to 0: Nadeko's balance dropped by more than the member still holds");

      // The next run compares with Nadeko's 12, not with what Unicornia could take: nothing more is taken.
      expect(importedTotal(await run(source, target))).toBe(0);
      const later = new Database(source);
      later.prepare('UPDATE DiscordUser SET CurrencyAmount = 20 WHERE UserId = ?').run(BigInt(U1));
      later.close();
      await run(source, target);
      expect(query(target, 'SELECT CurrencyAmount FROM DiscordUser WHERE UserId = ?', BigInt(U1))).toEqual([{ CurrencyAmount: 8 }]);
    });
  });

  describe('given an older backup imported after a newer one', () => {
    it('then XP goes back and the rewarded mark comes down to the member\'s level', async () => {
      const source = path('v7.db');
      createV7(source);
      const target = path('unicornia.db');
      await run(source, target);
      expect(query(target, 'SELECT Xp, RewardedLevel FROM UserXpStats WHERE GuildId = ? AND UserId = ?', BigInt(G1), BigInt(U1))).toEqual([
        { Xp: 1000, RewardedLevel: 11 },
      ]);
      const older = new Database(source);
      older.prepare('UPDATE UserXpStats SET Xp = 300 WHERE UserId = ? AND GuildId = ?').run(BigInt(U1), BigInt(G1));
      older.close();
      await run(source, target);
      const [row] = query(target, 'SELECT Xp, RewardedLevel FROM UserXpStats WHERE GuildId = ? AND UserId = ?', BigInt(G1), BigInt(U1));
      expect(row).toEqual({ Xp: 300, RewardedLevel: levelFromXp(300) });
      expect(levelFromXp(300)).toBe(5);
    });

    it('then levels Unicornia itself paid after the import stay paid (never twice)', async () => {
      const source = path('v7.db');
      createV7(source);
      const target = path('unicornia.db');
      await run(source, target);
      const db = openDatabase(target);
      const w = new XpWriteStore(db, 'bot');
      w.flush({ seq: 1, rows: [{ guildId: G1, userId: U1, xp: 100, awarded: 0 }], voice: [], history: [], periods: [] }); // 1 100 XP: level 12
      expect(w.recordLevelUp(G1, U1, { oldLevel: 11, newLevel: 12, roleRewards: [], at: 0 }).previousMark).toBe(11);
      db.close();
      const older = new Database(source);
      older.prepare('UPDATE UserXpStats SET Xp = 300 WHERE UserId = ? AND GuildId = ?').run(BigInt(U1), BigInt(G1));
      older.close();
      await run(source, target);
      expect(query(target, 'SELECT Xp, RewardedLevel FROM UserXpStats WHERE GuildId = ? AND UserId = ?', BigInt(G1), BigInt(U1))).toEqual([
        { Xp: 400, RewardedLevel: 12 },
      ]);
    });
  });

  describe('given clubs whose names differ only by letter case', () => {
    it('then both are kept with their own XP and members, and a re-run keeps them apart', async () => {
      const source = path('v7.db');
      createV7(source);
      const target = path('unicornia.db');
      await run(source, target);
      const nadeko = new Database(source);
      nadeko.prepare("UPDATE Clubs SET Xp = 50 WHERE Name = 'unicorns'").run();
      nadeko.close();
      const again = await run(source, target);
      expect(again.sections.clubs).toMatchObject({ imported: 1, unchanged: 1 });
      expect(query(target, 'SELECT Name, Xp, (SELECT COUNT(*) FROM DiscordUser u WHERE u.ClubId = c.Id) AS Members FROM Clubs c ORDER BY Id')).toEqual([
        { Name: 'Unicorns', Xp: 1035, Members: 2 },
        { Name: 'unicorns 2', Xp: 50, Members: 1 },
      ]);
    });

    it('then a name taken by a club made in Unicornia is still skipped, not renamed', async () => {
      const source = path('v7.db');
      createV7(source);
      const target = path('unicornia.db');
      const db = openDatabase(target);
      db.prepare("INSERT INTO Clubs (Name, OwnerId, DateAdded) VALUES ('UNICORNS', ?, 0)").run(BigInt(U3));
      db.close();
      const s = await run(source, target);
      expect(s.sections.clubs.skipped).toMatchObject({ 'a club with this name already exists in Unicornia': 2 });
      expect(query(target, 'SELECT Name FROM Clubs')).toEqual([{ Name: 'UNICORNS' }]);
    });
  });

  describe('given a WAL-mode Nadeko file in a folder this user cannot write', () => {
    it('then the CLI says so clearly (not "stopped unexpectedly"), exits 1, and writes nothing', () => {
      const folder = join(path('readonly'), 'data');
      mkdirSync(folder, { recursive: true });
      const source = join(folder, 'nadekobot.db');
      createV7(source);
      const wal = new Database(source);
      wal.pragma('journal_mode = WAL');
      wal.close(); // a clean close removes -wal and -shm: SQLite must create them to read
      const target = join(path('out'), 'unicornia.db');
      chmodSync(folder, 0o555);
      try {
        // Root ignores folder permissions: run the CLI as an unprivileged user then.
        const asRoot = process.getuid?.() === 0;
        if (asRoot) chmodSync(join(target, '..', '..'), 0o777);
        const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/import/cli.ts', 'nadeko', source, '--db', target], {
          cwd: root,
          encoding: 'utf8',
          env: { ...process.env, DATABASE_PATH: '', HOME: '/tmp' },
          timeout: 60_000,
          ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
        });
        expect(r.stderr).toContain('is in WAL mode');
        expect(r.stderr).toContain('Copy the file');
        expect(r.stderr).not.toContain('stopped unexpectedly');
        expect(r.status).toBe(1);
        expect(readdirSync(folder)).toEqual(['nadekobot.db']);
        expect(existsSync(target)).toBe(false);
      } finally {
        chmodSync(folder, 0o755);
      }
    });
  });

  it('given --guild then rates of other servers are not read', async () => {
    const source = path('v7.db');
    createV7(source);
    const s = await run(source, path('unicornia.db'), { guildId: G2 });
    expect(s.sections['XP rates']).toMatchObject({ read: 3, imported: 1 });
  });
});
