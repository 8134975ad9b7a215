import { afterEach, describe, expect, it } from 'vitest';
import { G1, G2, U1, U2, msg, testCore, type TestCore } from '../helpers/core.js';
import { ManualClock } from '../../src/util/clock.js';
import { tempDbPath } from '../helpers/temp.js';
import Database from 'better-sqlite3';
import { openDatabase } from '../../src/storage/database.js';
import { migrations } from '../../src/storage/migrations.js';
import { HistoryReads, HistoryWrites } from '../../src/storage/history.js';
import { SOURCE_CODE, utcDay } from '../../src/engine/history.js';
import type { VoiceGuildSnapshot } from '../../src/engine/events.js';

let core: TestCore | undefined;
afterEach(async () => {
  await core?.stop();
  core = undefined;
});

const DAY = 86_400_000;
const U3 = '333333333333333333';
const USERS = [U1, U2, U3];
const GUILDS = [G1, G2];

/** Stored totals and history sums (daily + folded) per guild:user, from the file. */
function storedVsHistory(c: TestCore): { totals: Record<string, number>; history: Record<string, number> } {
  const totals: Record<string, number> = {};
  const history: Record<string, number> = {};
  for (const r of c.db.prepare('SELECT CAST(GuildId AS TEXT) g, CAST(UserId AS TEXT) u, Xp FROM UserXpStats').all() as { g: string; u: string; Xp: number }[]) {
    if (r.Xp !== 0) totals[`${r.g}:${r.u}`] = r.Xp;
  }
  const sums = c.db
    .prepare(`SELECT g, u, SUM(Xp) Xp FROM (
        SELECT CAST(GuildId AS TEXT) g, CAST(UserId AS TEXT) u, Xp FROM XpHistoryDaily
        UNION ALL SELECT CAST(GuildId AS TEXT), CAST(UserId AS TEXT), Xp FROM XpHistoryMonthly) GROUP BY g, u`)
    .all() as { g: string; u: string; Xp: number }[];
  for (const r of sums) if (r.Xp !== 0) history[`${r.g}:${r.u}`] = r.Xp;
  return { totals, history };
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('XP history (DESIGN §15.1)', () => {
  it('given message, voice and admin XP on two days then each is written under its UTC day and source', async () => {
    const clock = new ManualClock(0, Date.UTC(2026, 2, 1, 23, 59, 0));
    core = testCore({ clock });
    await core.writer.xp.updateSettings(G1, { cooldownSeconds: 0, voiceAntiFarm: false });
    core.engine.handleMessage(msg());
    core.engine.handleMessage(msg());
    core.engine.adjustXp(G1, U1, { add: 10 });
    clock.advance(60_000); // 2 March, 00:00 UTC
    core.engine.handleMessage(msg());
    const voice: VoiceGuildSnapshot[] = [{ guildId: G1, afkChannelId: null, channels: [{ channelId: '7', categoryId: null, isStage: false, members: [{ userId: U1, roleIds: [], isBot: false, selfDeaf: false, serverDeaf: false, selfMute: false, serverMute: false, suppressed: false }] }] }];
    core.engine.voiceTick(voice);
    core.engine.adjustXp(G1, U1, { add: -3 });
    await core.flusher.flush();
    const day1 = utcDay(Date.UTC(2026, 2, 1));
    const history = new HistoryReads(core.db).memberHistory(G1, U1, day1, day1 + 1);
    expect(history.map((h) => ({ day: h.day, sources: Object.fromEntries(h.bySource) }))).toEqual([
      { day: day1, sources: { [SOURCE_CODE.message]: 2, [SOURCE_CODE.admin]: 10 } },
      { day: day1 + 1, sources: { [SOURCE_CODE.message]: 1, [SOURCE_CODE.voice]: 1, [SOURCE_CODE.admin]: -3 } },
    ]);
    expect(core.reads.userRow(G1, U1)?.xp).toBe(11);
  });

  it('given a database from before history then its XP is one opening row per member', () => {
    const path = tempDbPath();
    // A file at schema 22 (before history), with XP in it, then opened by this version.
    const old = new Database(path);
    for (const m of migrations.filter((x) => x.version <= 22)) old.exec(m.sql);
    old.pragma('user_version = 22');
    old.prepare('INSERT INTO UserXpStats (GuildId, UserId, Xp) VALUES (?, ?, ?)').run(BigInt(G1), BigInt(U1), 500);
    old.close();
    const db = openDatabase(path);
    expect(db.prepare('SELECT Source, Xp FROM XpHistoryDaily').all()).toEqual([{ Source: SOURCE_CODE.opening, Xp: 500 }]);
    db.close();
  });

  it('given random messages, voice, admin changes, day changes, clock steps, failed flushes, kills, restarts and folds then history always sums to the totals', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const random = rng(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
      const path = tempDbPath();
      const clock = new ManualClock(0, Date.UTC(2026, 0, 30, 20));
      const open = async () => {
        const c = testCore({ dbPath: path, clock, engine: { maxBufferedEntries: 1_000_000 } });
        for (const g of GUILDS) await c.writer.xp.updateSettings(g, { cooldownSeconds: 0, voiceAntiFarm: false });
        return c;
      };
      core = await open();
      let failing = false;
      for (let step = 0; step < 400; step++) {
        const r = random();
        const g = pick(GUILDS);
        const u = pick(USERS);
        if (r < 0.4) core.engine.handleMessage(msg({ guildId: g, userId: u }));
        else if (r < 0.5) core.engine.voiceTick([{ guildId: g, afkChannelId: null, channels: [{ channelId: '7', categoryId: null, isStage: false, members: USERS.map((userId) => ({ userId, roleIds: [], isBot: false, selfDeaf: false, serverDeaf: false, selfMute: false, serverMute: false, suppressed: false })) }] }]);
        else if (r < 0.58) core.engine.adjustXp(g, u, random() < 0.5 ? { add: Math.floor(random() * 200) - 100 } : { set: Math.floor(random() * 300) });
        else if (r < 0.68) clock.advance(Math.floor(random() * 8 * 3600_000)); // hours pass: UTC days roll over
        else if (r < 0.71) clock.stepWall((random() < 0.5 ? -1 : 1) * DAY); // the wall clock steps a day (DESIGN §2.8)
        else if (r < 0.8) {
          // A flush that fails inside its transaction, after the totals were upserted: nothing of it may stay.
          if (!failing && random() < 0.3) {
            core.db.exec(`CREATE TRIGGER boom BEFORE INSERT ON XpHistoryDaily BEGIN SELECT RAISE(ABORT, 'disk full'); END;`);
            failing = true;
          } else if (failing) {
            core.db.exec('DROP TRIGGER boom');
            failing = false;
          }
          await core.flusher.flush();
        } else if (r < 0.84) {
          if (failing) {
            core.db.exec('DROP TRIGGER boom');
            failing = false;
          }
          if (random() < 0.5) {
            await core.stop(); // a clean restart: everything buffered is written
          } else {
            // A kill: buffered XP is lost, from the totals and the history alike.
            await core.engine.idle();
            await core.writer.close();
            core.db.close();
          }
          core = await open();
        } else if (r < 0.87) {
          await core.writer.xp.updateSettings(g, { historyRetentionDays: 1 + Math.floor(random() * 3) });
          core.engine.reloadGuild(g);
          await core.writer.history.foldExpired(utcDay(clock.wallNow()));
        } else await core.engine.idle();
        if (!failing) {
          const s = storedVsHistory(core);
          expect(s.history, `seed ${seed}, step ${step}`).toEqual(s.totals);
        }
      }
      if (failing) core.db.exec('DROP TRIGGER boom');
      await core.flusher.flush();
      const end = storedVsHistory(core);
      expect(end.history).toEqual(end.totals);
      expect(Object.keys(end.totals).length).toBeGreaterThan(0);
      expect(core.db.prepare('SELECT COUNT(*) n FROM XpHistoryMonthly').get()).not.toEqual({ n: 0 }); // folds happened
      await core.stop();
      core = undefined;
    }
  });

  it('given a retention of 30 days then older days become monthly sums and the totals per member do not move', async () => {
    const clock = new ManualClock(0, Date.UTC(2026, 0, 1, 12));
    core = testCore({ clock });
    await core.writer.xp.updateSettings(G1, { cooldownSeconds: 0 });
    for (let d = 0; d < 70; d++) {
      core.engine.handleMessage(msg());
      core.engine.handleMessage(msg({ userId: U2 }));
      clock.advance(DAY);
    }
    await core.flusher.flush();
    const writes = new HistoryWrites(core.db);
    expect(writes.foldExpired(utcDay(clock.wallNow()))).toBe(0); // retention 0 keeps every day
    await core.writer.xp.updateSettings(G1, { historyRetentionDays: 30 });
    const today = utcDay(clock.wallNow());
    expect(writes.foldExpired(today)).toBe(40);
    const days = core.db.prepare('SELECT MIN(Day) lo, COUNT(DISTINCT Day) n FROM XpHistoryDaily').get();
    expect(days).toEqual({ lo: today - 30, n: 30 });
    const months = core.db.prepare('SELECT Month, Xp FROM XpHistoryMonthly WHERE UserId = ? ORDER BY Month').all(BigInt(U1));
    expect(months).toEqual([
      { Month: (2026 - 1970) * 12, Xp: 31 },
      { Month: (2026 - 1970) * 12 + 1, Xp: 9 },
    ]);
    const reads = new HistoryReads(core.db);
    expect(reads.memberTotal(G1, U1)).toBe(70);
    expect(reads.memberTotal(G1, U2)).toBe(70);
    expect(writes.foldExpired(today)).toBe(0); // nothing twice
  });
});
