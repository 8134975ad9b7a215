import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { DatabasePathError, openDatabase, proveWritable, schemaVersion } from '../../src/storage/database.js';
import { migrations, LATEST_SCHEMA_VERSION } from '../../src/storage/migrations.js';
import { XpReadStore } from '../../src/storage/xp-reads.js';
import { XpWriteStore } from '../../src/storage/xp-writes.js';
import { tempDbPath } from '../helpers/temp.js';

const BIG_G = '1234567890123456789';
const BIG_U = '9223372036854775807'; // 2^63 - 1

describe('database', () => {
  it.each(['', ' ', ':memory:', 'file::memory:', 'FILE:bot.db?mode=memory'])('given the path %j (a database private to one connection) then opening refuses it', (path) => {
    expect(() => openDatabase(path)).toThrow(DatabasePathError);
  });

  it('given a connection that cannot write then the write check fails and leaves nothing behind', () => {
    const path = tempDbPath();
    openDatabase(path).close();
    const ro = new Database(path, { readonly: true });
    expect(() => proveWritable(ro)).toThrow(/readonly/);
    ro.close();
    const db = openDatabase(path); // the check itself is rolled back: no table is left
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'UnicorniaWriteCheck'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('given a new file then it is WAL, synchronous=FULL (a committed flush survives a power loss), with a busy timeout and the latest schema', () => {
    const db = openDatabase(tempDbPath());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });

  it('given a file at version 1 with data then opening migrates it in place and keeps the data', () => {
    const path = tempDbPath();
    const v1 = openDatabase(path, { migrations: migrations.slice(0, 1) });
    expect(schemaVersion(v1)).toBe(1);
    v1.prepare('INSERT INTO UserXpStats (GuildId, UserId, Xp, AwardedXp) VALUES (?, ?, 500, 7)').run(BigInt(BIG_G), BigInt(BIG_U));
    v1.close();

    const db = openDatabase(path);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    const reads = new XpReadStore(db, 'w');
    expect(reads.userRow(BIG_G, BIG_U)).toEqual({ xp: 500, awardedXp: 7, rewardedLevel: 7, hasLeft: false }); // rewards up to its level were paid before
    expect(reads.loadGuildRules(BIG_G).settings.voiceXpPerMinute).toBe(1);
    db.close();
  });

  it('given multipliers stored as REAL by version 5 then migration 6 turns them into exact thousandths', () => {
    const path = tempDbPath();
    const v5 = openDatabase(path, { migrations: migrations.slice(0, 5) });
    v5.exec(`INSERT INTO XpSettings (GuildId, XpRateMultiplier) VALUES (1, 0.7), (2, 1e-7), (3, 1.5), (4, 100)`);
    v5.exec(`INSERT INTO XpMultiplier (GuildId, ItemType, ItemId, Multiplier) VALUES (1, 'channel', 5, 1.5), (1, 'role', 6, 0.333), (1, 'role', 7, 10)`);
    v5.close();
    const db = openDatabase(path);
    const reads = new XpReadStore(db, 'w');
    expect(['1', '2', '3', '4', '9'].map((g) => reads.loadGuildRules(g).settings.rateMilli)).toEqual([700, 0, 1500, 100_000, 1000]);
    const rules = reads.loadGuildRules('1');
    expect([...rules.channelMultipliers]).toEqual([['5', 1500]]);
    expect([...rules.roleMultipliers]).toEqual([['6', 333], ['7', 10_000]]);
    expect(db.prepare("SELECT count(*) n FROM pragma_table_info('XpSettings') WHERE name = 'XpRateMultiplier'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('given snowflakes above 2^53 then they round-trip exactly through writes and reads', () => {
    const db = openDatabase(tempDbPath());
    const writes = new XpWriteStore(db, 'w');
    const reads = new XpReadStore(db, 'w');
    writes.flush({ seq: 1, rows: [{ guildId: BIG_G, userId: BIG_U, xp: 42, awarded: 0 }, { guildId: BIG_G, userId: '1234567890123456788', xp: 41, awarded: 0 }], voice: [], history: [], periods: [] });
    expect(reads.leaderboard(BIG_G, 0, 10)).toEqual([
      { userId: BIG_U, xp: 42 },
      { userId: '1234567890123456788', xp: 41 },
    ]);
    writes.setExcluded(BIG_G, 'role', '1234567890123456777', true);
    expect([...reads.loadGuildRules(BIG_G).excludedRoles]).toEqual(['1234567890123456777']);
    const raw = db.prepare('SELECT typeof(UserId) t, CAST(UserId AS TEXT) s FROM UserXpStats ORDER BY Xp DESC LIMIT 1').get();
    expect(raw).toEqual({ t: 'integer', s: BIG_U });
    db.close();
  });

  it('given ties then leaderboard and rank share one order (Xp DESC, UserId) and hide members who left', () => {
    const db = openDatabase(tempDbPath());
    const writes = new XpWriteStore(db, 'w');
    const reads = new XpReadStore(db, 'w');
    const rows = [
      ['30', 100], ['10', 100], ['20', 100], ['40', 500], ['50', 1],
    ].map(([u, xp]) => ({ guildId: '1', userId: String(u), xp: Number(xp), awarded: 0 }));
    writes.flush({ seq: 1, rows, voice: [], history: [], periods: [] });
    expect(reads.leaderboard('1', 0, 10).map((r) => r.userId)).toEqual(['40', '10', '20', '30', '50']);
    expect(['40', '10', '20', '30', '50'].map((u, i) => reads.rank('1', u, reads.userRow('1', u)!.xp) === i + 1)).toEqual([true, true, true, true, true]);
    writes.setMembership('1', '10', false, 1000);
    expect(reads.leaderboard('1', 0, 2).map((r) => r.userId)).toEqual(['40', '20']);
    expect(reads.rank('1', '30', 100)).toBe(3);
    expect(reads.memberCount('1')).toBe(4);
    const plans = Object.values(reads.explain()).flat().join('\n');
    expect(plans).toMatch(/USING (COVERING )?INDEX IX_UserXpStats_Leaderboard/);
    expect(plans).not.toMatch(/SCAN UserXpStats\b(?! USING)/);
    db.close();
  });

  it('given a flush then Xp and TotalXp are added, never overwritten', () => {
    const db = openDatabase(tempDbPath());
    const writes = new XpWriteStore(db, 'w');
    const reads = new XpReadStore(db, 'w');
    writes.flush({ seq: 1, rows: [{ guildId: '1', userId: '2', xp: 10, awarded: 0 }, { guildId: '3', userId: '2', xp: 5, awarded: 5 }], voice: [], history: [], periods: [] });
    writes.flush({ seq: 2, rows: [{ guildId: '1', userId: '2', xp: 7, awarded: 0 }], voice: [], history: [], periods: [] });
    expect(reads.userRow('1', '2')!.xp).toBe(17);
    expect(reads.userRow('3', '2')).toMatchObject({ xp: 5, awardedXp: 5 });
    expect(db.prepare('SELECT TotalXp FROM DiscordUser WHERE UserId = 2').get()).toEqual({ TotalXp: 22 });
    expect(reads.lastFlushSeq()).toBe(2);
    db.close();
  });

  it('given currency rewards then each level is paid once, with the mark moved in the same transaction', () => {
    const db = openDatabase(tempDbPath());
    const writes = new XpWriteStore(db, 'w');
    const reads = new XpReadStore(db, 'w');
    for (let l = 1; l <= 20; l++) writes.setCurrencyReward('1', l, 10 * l);
    writes.recordLevelUp('1', '2', { oldLevel: 0, newLevel: 3, roleRewards: [], at: 0 });
    const jump = writes.recordLevelUp('1', '2', { oldLevel: 0, newLevel: 19, roleRewards: [], at: 0 });
    expect(jump.previousMark).toBe(3);
    expect(jump.paid.map((p) => p.level)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(reads.balance('2')).toBe(10 * (1 + 19) * 19 / 2);
    expect(writes.recordLevelUp('1', '2', { oldLevel: 0, newLevel: 19, roleRewards: [], at: 0 })).toEqual({ previousMark: 19, paid: [], roles: { add: [], remove: [] } });
    expect(writes.recordLevelUp('1', '2', { oldLevel: 0, newLevel: 20, roleRewards: [], at: 0 }).paid.map((p) => p.level)).toEqual([20]);
    expect(reads.userRow('1', '2')!.rewardedLevel).toBe(20);
    expect(db.prepare('SELECT COUNT(*) n FROM CurrencyTransaction').get()).toEqual({ n: 3 });
    db.close();
  });

  it('given random flushes, leaves and rejoins then every rank equals the position in the leaderboard order', () => {
    const db = openDatabase(tempDbPath());
    const writes = new XpWriteStore(db, 'w');
    const reads = new XpReadStore(db, 'w');
    let seed = 3;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    for (let round = 0; round < 20; round++) {
      const rows = Array.from({ length: 50 }, () => ({ guildId: String(1 + rnd(2)), userId: String(100 + rnd(120)), xp: rnd(5) === 0 ? rnd(5000) : rnd(40), awarded: 0 }));
      writes.flush({ seq: round, rows, voice: [], history: [], periods: [] });
      for (let i = 0; i < 5; i++) writes.setMembership(String(1 + rnd(2)), String(100 + rnd(120)), rnd(2) === 0, 1000);
    }
    for (const g of ['1', '2']) {
      const all = db.prepare('SELECT CAST(UserId AS TEXT) u, Xp FROM UserXpStats WHERE GuildId = ? AND HasLeft = 0 ORDER BY Xp DESC, UserId').all(BigInt(g)) as { u: string; Xp: number }[];
      expect(reads.memberCount(g)).toBe(all.length);
      expect(reads.leaderboard(g, 0, 1000).map((r) => r.userId)).toEqual(all.map((r) => r.u));
      all.forEach((r, i) => expect(reads.rank(g, r.u, r.Xp)).toBe(i + 1));
    }
    db.close();
  });
});
