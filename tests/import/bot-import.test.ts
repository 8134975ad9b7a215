import Database from 'better-sqlite3';
import { existsSync, readFileSync, readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importBot } from '../../src/import/bots/bot-import.js';
import { mee6LevelStart } from '../../src/import/bots/mee6.js';
import { polarisLevel, POLARIS_DEFAULT_CURVE, polarisXpFor } from '../../src/import/bots/polaris.js';
import { ImportError } from '../../src/import/errors.js';
import type { ImportOptions } from '../../src/import/options.js';
import { levelFromXp, totalXpForLevel, xpForNextLevel } from '../../src/levels/curve.js';
import { openDatabase } from '../../src/storage/database.js';
import { XpWriteStore } from '../../src/storage/xp-writes.js';
import { writeAmari, writeCsv, writeLevelUpCog, writeLevelUpRed, writeLurkr, writeMee6, writePolaris } from './bot-fixtures.js';
import { importedTotal, pathMaker, query } from './helpers.js';
import { CH1, CH2, G1, G2, ROLE1, ROLE2, U1, U2, U3, U4, createV7, dump } from './nadeko-fixtures.js';

const path = pathMaker('unicornia-bot-import-');
const run = (source: Parameters<typeof importBot>[0], input: string, target: string, extra: ImportOptions = {}) =>
  importBot(source, input, target, { busyTimeoutMs: 100, ...extra });
const xpRows = (target: string) =>
  query(target, 'SELECT GuildId, UserId, Xp, RewardedLevel FROM UserXpStats ORDER BY GuildId, UserId');

async function failure(promise: Promise<unknown>): Promise<ImportError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImportError);
  return err as ImportError;
}

/** Unicornia's XP for a level plus a fraction of the next, on the default curve. */
const sameLevel = (level: number, fraction: number) => totalXpForLevel(level) + Math.floor(fraction * xpForNextLevel(level));

describe('imports from other bots', () => {
  describe('given a folder of MEE6 leaderboard pages (two servers, U1 in both, ids above 2^53)', () => {
    const input = writeMee6(path('mee6'));
    const u1g1 = mee6LevelStart(7) + 139;
    const u1g2 = mee6LevelStart(30) + 1000;
    const u2 = mee6LevelStart(2);

    it('then a dry run writes nothing and shows how many members change level either way', async () => {
      const target = path('unicornia.db');
      const s = await run('mee6', input, target, { dryRun: true });
      expect(existsSync(target)).toBe(false);
      // Keep XP: U1 in G1 (MEE6 7 → 19), U2 (2 → 4) and U1 in G2 (30 → 73) go up; U3 (0 with 40 XP: level 1) too.
      expect(levelFromXp(u1g1)).toBe(19);
      expect(s.levels).toEqual({ keep: null, members: 4, xpMode: { up: 4, down: 0 }, levelMode: { xpChanged: 4 }, noLevel: 0 });
      expect(s.sections['server XP']).toEqual({
        read: 6, imported: 4, unchanged: 0,
        skipped: { 'duplicate row for the same guild and user': 1, 'user id is not a valid snowflake': 1 },
      });
    });

    it('then --keep xp brings the XP as it is, role rewards, the rate, and marks rewards as paid', async () => {
      const target = path('unicornia.db');
      const s = await run('mee6', input, target, { keep: 'xp' });
      expect(xpRows(target)).toEqual([
        { GuildId: G1, UserId: U3, Xp: 40, RewardedLevel: 1 },
        { GuildId: G1, UserId: U2, Xp: u2, RewardedLevel: levelFromXp(u2) },
        { GuildId: G1, UserId: U1, Xp: u1g1, RewardedLevel: 19 },
        { GuildId: G2, UserId: U1, Xp: u1g2, RewardedLevel: levelFromXp(u1g2) },
      ]);
      expect(query(target, 'SELECT GuildId, Level, RoleId, Remove FROM XpRoleReward ORDER BY GuildId, Level')).toEqual([
        { GuildId: G1, Level: 5, RoleId: ROLE1, Remove: 0 },
        { GuildId: G1, Level: 10, RoleId: ROLE2, Remove: 0 },
        { GuildId: G2, Level: 5, RoleId: ROLE1, Remove: 0 },
        { GuildId: G2, Level: 10, RoleId: ROLE2, Remove: 0 },
      ]);
      expect(query(target, 'SELECT GuildId, XpRateMilli FROM XpSettings')).toEqual([{ GuildId: G1, XpRateMilli: 1500 }]);
      expect(s.notImported.map((d) => [d.what, d.rows])).toEqual([
        ['message counts (players[].message_count)', 5], // rows of the files, the duplicate and the bad id included
        ["MEE6's XP per message (xp_per_message)", 2],
      ]);

      // The same pages again: nothing changes.
      const before = dump(new Database(target, { readonly: true }));
      const again = await run('mee6', input, target, { keep: 'xp' });
      expect(importedTotal(again)).toBe(0);
      expect(dump(new Database(target, { readonly: true }))).toEqual(before);
    });

    it('then --keep level gives each member the XP of the same level and the same part of the next', async () => {
      const target = path('unicornia.db');
      await run('mee6', input, target, { keep: 'level' });
      const fraction = (into: number, level: number) => into / (5 * level * level + 50 * level + 100);
      expect(xpRows(target)).toEqual([
        { GuildId: G1, UserId: U3, Xp: sameLevel(0, fraction(40, 0)), RewardedLevel: 0 },
        { GuildId: G1, UserId: U2, Xp: sameLevel(2, 0), RewardedLevel: 2 },
        { GuildId: G1, UserId: U1, Xp: sameLevel(7, fraction(139, 7)), RewardedLevel: 7 },
        { GuildId: G2, UserId: U1, Xp: sameLevel(30, fraction(1000, 30)), RewardedLevel: 30 },
      ]);
    });

    it('then a later download adds only what MEE6 counted since, and keeps XP earned in Unicornia', async () => {
      const target = path('unicornia.db');
      await run('mee6', input, target, { keep: 'xp' });
      const db = openDatabase(target);
      new XpWriteStore(db, 'bot').flush({ seq: 1, rows: [{ guildId: G1, userId: U3, xp: 7, awarded: 0 }], voice: [], history: [], periods: [] });
      db.close();
      const later = path('mee6-later');
      writeMee6(later);
      const page = join(later, 'g1-page-1.json');
      writeFileSync(page, readFileSync(page, 'utf8').replace('"xp": 40', '"xp": 90').replace('40,', '90,'));
      const s = await run('mee6', later, target, { keep: 'xp' });
      expect(s.sections['server XP']).toMatchObject({ imported: 1, unchanged: 3 });
      expect(query(target, 'SELECT Xp FROM UserXpStats WHERE GuildId = ? AND UserId = ?', BigInt(G1), BigInt(U3))).toEqual([{ Xp: 97 }]);
    });

    it('then --guild imports one server only', async () => {
      const target = path('unicornia.db');
      await run('mee6', input, target, { keep: 'xp', guildId: G2 });
      expect(query(target, 'SELECT DISTINCT GuildId FROM UserXpStats')).toEqual([{ GuildId: G2 }]);
      expect(query(target, 'SELECT DISTINCT GuildId FROM XpRoleReward')).toEqual([{ GuildId: G2 }]);
    });

    it('then a Nadeko import of the same members is a separate ledger: both add up', async () => {
      const nadeko = path('v7.db');
      createV7(nadeko);
      const target = path('unicornia.db');
      const { importNadeko } = await import('../../src/import/nadeko-import.js');
      await importNadeko(nadeko, target, { busyTimeoutMs: 100 });
      await run('mee6', input, target, { keep: 'xp' });
      expect(query(target, 'SELECT Xp FROM UserXpStats WHERE GuildId = ? AND UserId = ?', BigInt(G1), BigInt(U1))).toEqual([{ Xp: 1000 + u1g1 }]);
    });
  });

  describe('given a Polaris export', () => {
    const input = writePolaris(path('polaris.json'));

    it('then without --guild it says the file names no server, and writes nothing', async () => {
      const target = path('unicornia.db');
      const err = await failure(run('polaris', input, target, { keep: 'xp' }));
      expect(err.code).toBe('needs_guild');
      expect(err.message).toMatch(/--guild/);
      expect(existsSync(target)).toBe(false);
    });

    it('then members, settings, multipliers (0 excludes), and rewards (a role not kept is removed at the next reward) arrive', async () => {
      const target = path('unicornia.db');
      const s = await run('polaris', input, target, { keep: 'level', guildId: G1 });
      expect(polarisLevel(2000, POLARIS_DEFAULT_CURVE)).toBe(5);
      const f = (2000 - polarisXpFor(5, POLARIS_DEFAULT_CURVE)) / (polarisXpFor(6, POLARIS_DEFAULT_CURVE) - polarisXpFor(5, POLARIS_DEFAULT_CURVE));
      expect(xpRows(target)).toEqual([
        { GuildId: G1, UserId: U2, Xp: sameLevel(0, 99 / 200), RewardedLevel: 0 },
        { GuildId: G1, UserId: U1, Xp: sameLevel(5, f), RewardedLevel: 5 },
      ]);
      expect(s.sections['server XP'].skipped).toEqual({ 'user id is not a valid snowflake': 1 });
      expect(query(target, 'SELECT XpEnabled, CooldownSeconds, AnnounceMode, AnnounceChannelId FROM XpSettings')).toEqual([
        { XpEnabled: 1, CooldownSeconds: 45, AnnounceMode: 'fixed', AnnounceChannelId: CH1 },
      ]);
      expect(query(target, 'SELECT ItemType, ItemId, Milli FROM XpMultiplier ORDER BY ItemType')).toEqual([
        { ItemType: 'channel', ItemId: CH1, Milli: 500 },
        { ItemType: 'role', ItemId: ROLE1, Milli: 2000 },
      ]);
      expect(s.sections.multipliers.skipped).toEqual({ "multiplier above Unicornia's limit of 10": 1 });
      expect(query(target, 'SELECT ItemType, ItemId FROM XpExcludedItem')).toEqual([{ ItemType: 'role', ItemId: ROLE2 }]);
      expect(query(target, 'SELECT Level, RoleId, Remove FROM XpRoleReward ORDER BY Level, Remove')).toEqual([
        { Level: 5, RoleId: ROLE1, Remove: 0 },
        { Level: 10, RoleId: ROLE2, Remove: 0 },
        { Level: 10, RoleId: ROLE1, Remove: 1 },
      ]);
      expect(s.notImported.map((d) => d.what)).toEqual([
        'members hidden from the leaderboard (users[].hidden)',
        'the level-up message (settings.levelUp.message)',
        'XP per message (settings.gain.min/max)',
        'reward roles excluded from syncing (rewards[].noSync)',
      ]);
    });
  });

  describe('given vrt LevelUp data', () => {
    it("then Red's config JSON (ids as bare numbers above 2^53) arrives exactly, on LevelUp's curve", async () => {
      const input = writeLevelUpRed(path('settings.json'));
      expect(readFileSync(input, 'utf8')).toContain(`"5": ${ROLE1}`); // a bare number, as Red writes it
      const target = path('unicornia.db');
      const s = await run('levelup', input, target, { keep: 'xp' });
      expect(xpRows(target)).toEqual([
        { GuildId: G1, UserId: U3, Xp: 99, RewardedLevel: levelFromXp(99) },
        { GuildId: G1, UserId: U1, Xp: 2500, RewardedLevel: levelFromXp(2500) },
        { GuildId: G2, UserId: U1, Xp: 400, RewardedLevel: levelFromXp(400) },
      ]);
      // LevelUp's levels: ⌊√(2500 / 100)⌋ = 5, ⌊√0.99⌋ = 0, and (400 / 50)^(1/1.5) = 3.9999999999999996 → 3, as the cog says.
      expect(s.levels).toMatchObject({ members: 3, xpMode: { up: 3, down: 0 } });
      expect(query(target, 'SELECT GuildId, ItemType, ItemId FROM XpExcludedItem ORDER BY ItemType')).toEqual([
        { GuildId: G1, ItemType: 'channel', ItemId: CH1 },
        { GuildId: G1, ItemType: 'role', ItemId: ROLE2 },
        { GuildId: G1, ItemType: 'user', ItemId: U4 },
      ]);
      expect(query(target, 'SELECT GuildId, Level, RoleId, Remove FROM XpRoleReward ORDER BY Level, Remove')).toEqual([
        { GuildId: G1, Level: 5, RoleId: ROLE1, Remove: 0 },
        { GuildId: G1, Level: 10, RoleId: ROLE2, Remove: 0 },
        { GuildId: G1, Level: 10, RoleId: ROLE1, Remove: 1 }, // autoremove
      ]);
      expect(query(target, 'SELECT GuildId, CooldownSeconds, VoiceAntiFarm, AnnounceMode, AnnounceChannelId FROM XpSettings ORDER BY GuildId')).toEqual([
        { GuildId: G1, CooldownSeconds: 30, VoiceAntiFarm: 0, AnnounceMode: 'channel', AnnounceChannelId: null },
        { GuildId: G2, CooldownSeconds: 60, VoiceAntiFarm: 1, AnnounceMode: 'fixed', AnnounceChannelId: CH2 },
      ]);
      expect(s.notImported.map((d) => [d.what, d.rows])).toEqual([
        ['prestige levels (users[].prestige)', 1],
        ['XP per message and per voice minute (xp, voicexp)', 1],
        ['role and channel XP bonuses (rolebonus, channelbonus)', 1],
      ]);
    });

    it("then the cog's own JSON (LevelUp 4, defaults left out) arrives too", async () => {
      const input = writeLevelUpCog(path('LevelUp.json'));
      const target = path('unicornia.db');
      await run('levelup', input, target, { keep: 'level' });
      // ⌊√(1200 / 200)⌋ = 2; level 2 starts at 800, level 3 at 1 800.
      expect(xpRows(target)).toEqual([{ GuildId: G1, UserId: U2, Xp: sameLevel(2, 0.4), RewardedLevel: 2 }]);
      expect(query(target, 'SELECT XpEnabled, VoiceAntiFarm, AnnounceMode FROM XpSettings')).toEqual([
        { XpEnabled: 1, VoiceAntiFarm: 0, AnnounceMode: 'dm' },
      ]);
    });
  });

  describe('given Lurkr leaderboard pages', () => {
    it("then members keep their level and part of it on Lurkr's curve, with multipliers and role rewards", async () => {
      const input = writeLurkr(path('lurkr'));
      const target = path('unicornia.db');
      const s = await run('lurkr', input, target, { keep: 'level' });
      expect(xpRows(target)).toEqual([
        { GuildId: G1, UserId: U2, Xp: sameLevel(0, 0.1), RewardedLevel: 0 },
        { GuildId: G1, UserId: U1, Xp: sameLevel(4, 50 / 350), RewardedLevel: 4 },
      ]);
      expect(query(target, 'SELECT ItemType, ItemId, Milli FROM XpMultiplier ORDER BY ItemType')).toEqual([
        { ItemType: 'channel', ItemId: CH1, Milli: 2000 },
        { ItemType: 'role', ItemId: ROLE1, Milli: 1500 },
      ]);
      expect(query(target, 'SELECT XpRateMilli FROM XpSettings')).toEqual([{ XpRateMilli: 2000 }]);
      expect(query(target, 'SELECT Level, RoleId FROM XpRoleReward')).toEqual([{ Level: 5, RoleId: ROLE2 }]);
      expect(s.notImported.map((d) => [d.what, d.rows])).toEqual([['message counts (levels[].messageCount)', 2]]);
    });
  });

  describe('given an Amari leaderboard page', () => {
    it('then --guild names the server, and members who keep their level start at its beginning', async () => {
      const input = writeAmari(path('amari.json'));
      const target = path('unicornia.db');
      expect((await failure(run('amari', input, target, { keep: 'xp' }))).code).toBe('needs_guild');
      const s = await run('amari', input, target, { keep: 'level', guildId: G2 });
      expect(xpRows(target)).toEqual([
        { GuildId: G2, UserId: U3, Xp: totalXpForLevel(1), RewardedLevel: 1 },
        { GuildId: G2, UserId: U1, Xp: totalXpForLevel(14), RewardedLevel: 14 },
      ]);
      expect(s.notes).toContain("Amari's level curve is not public: with --keep level a member starts at the beginning of their level");
      expect(s.notImported.map((d) => [d.what, d.rows])).toEqual([['weekly XP (data[].weeklyExp)', 1]]);
    });
  });

  describe('given a CSV file', () => {
    it('then each line is a member; bad values are skipped with why; a level column allows --keep level', async () => {
      const input = writeCsv(path('xp.csv'));
      const target = path('unicornia.db');
      const s = await run('csv', input, target, { keep: 'level' });
      expect(xpRows(target)).toEqual([
        { GuildId: G1, UserId: U1, Xp: totalXpForLevel(11), RewardedLevel: 11 },
        { GuildId: G2, UserId: U1, Xp: 0, RewardedLevel: 0 },
      ]);
      expect(s.sections['server XP'].skipped).toEqual({ 'XP is not a number of 0 or more': 1, 'no level in the file (--keep level needs one)': 1 });
      expect(s.levels).toMatchObject({ members: 2, noLevel: 1 });
    });

    it('then without a level column --keep level is refused before anything is written', async () => {
      const input = writeCsv(path('xp.csv'), `${G1},${U1},1000\n${G1},${U2},5\n`);
      const target = path('unicornia.db');
      expect((await failure(run('csv', input, target, { keep: 'level' }))).code).toBe('no_level');
      expect(existsSync(target)).toBe(false);
      await run('csv', input, target, { keep: 'xp' });
      expect(xpRows(target).map((r) => r['Xp'])).toEqual([5, 1000]);
    });

    it('then a line with the wrong number of fields refuses the file, naming the line', async () => {
      const input = writeCsv(path('bad.csv'), `guild_id,user_id,xp\n${G1},${U1},10\n${G1},${U2}\n`);
      const err = await failure(run('csv', input, path('unicornia.db'), { keep: 'xp' }));
      expect(err.code).toBe('bad_csv');
      expect(err.message).toContain('line 3 has 2 fields where the first line has 3');
    });
  });

  describe('given a file that cannot be imported', () => {
    it('then a corrupt (cut short) JSON file is refused and nothing is written', async () => {
      const dir = writeMee6(path('mee6'));
      const page = join(dir, 'g2-page-0.json');
      const text = readFileSync(page, 'utf8');
      writeFileSync(page, text.slice(0, text.length / 2));
      const target = path('unicornia.db');
      const err = await failure(run('mee6', dir, target, { keep: 'xp' }));
      expect(err.code).toBe('bad_json');
      expect(err.message).toContain('g2-page-0.json is not valid JSON');
      expect(existsSync(target)).toBe(false);
    });

    it('then a file of another bot is refused with the command that imports it', async () => {
      const lurkrDir = writeLurkr(path('lurkr'));
      const err = await failure(run('mee6', lurkrDir, path('unicornia.db'), { keep: 'xp' }));
      expect(err.code).toBe('wrong_source');
      expect(err.message).toContain("looks like a Lurkr leaderboard page (JSON of api.lurkr.gg/levels/<server id>), not MEE6's data");
      expect(err.message).toContain(`npm run import -- lurkr ${lurkrDir}`);

      const csvFile = writeCsv(path('xp.csv'));
      expect((await failure(run('polaris', csvFile, path('unicornia.db'), { keep: 'xp', guildId: G1 }))).message).toContain('npm run import -- csv');
      const polarisFile = writePolaris(path('polaris.json'));
      expect((await failure(run('csv', polarisFile, path('unicornia.db'), { keep: 'xp' }))).message).toContain('npm run import -- polaris');
      const nadeko = path('nadekobot.db');
      createV7(nadeko);
      const sqlite = await failure(run('amari', nadeko, path('unicornia.db'), { keep: 'xp', guildId: G1 }));
      expect(sqlite.message).toContain('is an SQLite database');
      expect(sqlite.message).toContain('npm run import -- nadeko');
    });

    // Every source, not only MEE6: a file cut short, and another bot's file given to it.
    const sources = [
      { source: 'mee6', write: (p: string) => join(writeMee6(p), 'g2-page-0.json'), guild: false },
      { source: 'polaris', write: writePolaris, guild: true },
      { source: 'levelup', write: writeLevelUpRed, guild: false },
      { source: 'lurkr', write: (p: string) => join(writeLurkr(p), readdirSync(p).sort()[0]!), guild: false },
      { source: 'amari', write: writeAmari, guild: true },
      { source: 'csv', write: writeCsv, guild: false },
    ] as const;
    for (const [i, { source, write, guild }] of sources.entries()) {
      it(`then a ${source} file cut short, or another bot's file, is refused naming the right command, and nothing is written`, async () => {
        const file = write(path(`${source}-input`));
        const text = readFileSync(file, 'utf8');
        // A CSV cut in the middle of a line leaves a line with too few fields; JSON cut in half does not parse.
        writeFileSync(file, text.slice(0, Math.floor(text.length / 2)).replace(/,[^,\n]*$/, ','));
        const target = path('unicornia.db');
        const options = { keep: 'xp' as const, guildId: guild ? G1 : null };
        const cut = await failure(run(source, file, target, options));
        expect(cut.code, source).toBe(source === 'csv' ? 'bad_csv' : 'bad_json');
        expect(existsSync(target)).toBe(false);

        const other = sources[(i + 1) % sources.length]!;
        const foreign = other.write(path(`${other.source}-as-${source}`));
        const wrong = await failure(run(source, foreign, target, options));
        expect(wrong.code, `${other.source} given to ${source}`).toBe('wrong_source');
        expect(wrong.message).toContain(`npm run import -- ${other.source}`);
        expect(existsSync(target)).toBe(false);
      });
    }

    it('then JSON of no known shape says what was expected, naming the field', async () => {
      const file = path('page.json');
      writeFileSync(file, JSON.stringify({ players: [{ id: U1, xp: 'lots', level: 1 }] }));
      const err = await failure(run('mee6', file, path('unicornia.db'), { keep: 'xp' }));
      expect(err.code).toBe('not_format');
      expect(err.message).toContain('players[0].xp');
    });

    it('then a folder without files of the right kind, a missing path and a real run without --keep are refused', async () => {
      const empty = path('empty');
      mkdirSync(empty);
      expect((await failure(run('mee6', empty, path('u.db'), { keep: 'xp' }))).message).toContain('a folder without .json files');
      expect((await failure(run('mee6', path('missing'), path('u.db'), { keep: 'xp' }))).code).toBe('input_not_found');
      expect((await failure(run('mee6', writeMee6(path('mee6')), path('u.db')))).code).toBe('needs_keep');
    });
  });
});
