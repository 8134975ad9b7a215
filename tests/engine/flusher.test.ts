import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { G1, G2, U1, U2, msg, testCore, type TestCore } from '../helpers/core.js';
import { openDatabase } from '../../src/storage/database.js';
import { XpReadStore } from '../../src/storage/xp-reads.js';
import { EngineClosedError, XpEngine } from '../../src/engine/xp-engine.js';
import { Flusher } from '../../src/engine/flusher.js';
import type { XpWrites } from '../../src/engine/ports.js';
import { XpWriteStore } from '../../src/storage/xp-writes.js';
import { ManualClock, ManualScheduler } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { tempDbPath } from '../helpers/temp.js';
import { heldWrites } from '../helpers/held-writes.js';

let core: TestCore | undefined;
afterEach(async () => {
  await core?.stop();
  core = undefined;
});

function dbTotals(c: TestCore) {
  return c.db.prepare('SELECT CAST(GuildId AS TEXT) g, CAST(UserId AS TEXT) u, Xp FROM UserXpStats ORDER BY g, u').all();
}

describe('flush (DESIGN §2.2)', () => {
  it('given 30 s pass then buffered gains are written in one flush, additively', async () => {
    core = testCore();
    core.flusher.start();
    core.engine.handleMessage(msg());
    core.engine.handleMessage(msg({ guildId: G2 }));
    expect(dbTotals(core)).toEqual([]);
    await core.scheduler.advance(30_000);
    expect(core.reads.userRow(G1, U1)?.xp).toBe(1);
    expect(core.reads.userRow(G2, U1)?.xp).toBe(1);
    expect(core.db.prepare('SELECT TotalXp FROM DiscordUser').get()).toEqual({ TotalXp: 2 });
    expect(core.flusher.stats.flushes).toBe(1);
  });

  it('given a flush that throws then nothing is lost, it retries with backoff, logs once, and later totals are exact', async () => {
    const logs: string[] = [];
    core = testCore({ engine: { maxBufferedEntries: 1_000_000 } });
    (core.flusher as unknown as { logger: unknown }).logger = { ...silentLogger, error: (_o: unknown, m: string) => logs.push(m), info: (_o: unknown, m: string) => logs.push(m) };
    await core.writer.xp.updateSettings(G1, { cooldownSeconds: 0 });
    core.flusher.start();
    core.db.exec(`CREATE TRIGGER boom BEFORE INSERT ON UserXpStats BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;`);
    for (let i = 0; i < 5; i++) core.engine.handleMessage(msg());
    await core.scheduler.advance(30_000); // fails
    core.engine.handleMessage(msg({ userId: U2 }));
    await core.scheduler.advance(1000 + 2000 + 4000); // three retries with backoff, all failing
    expect(core.flusher.stats).toMatchObject({ failures: 4, flushes: 0 });
    expect(logs.filter((l) => l.includes('failed'))).toHaveLength(1);
    expect(core.engine.xpOf(G1, U1)).toBe(5); // the card still sees the buffered XP
    core.db.exec('DROP TRIGGER boom');
    await core.scheduler.advance(8000);
    expect(core.reads.userRow(G1, U1)?.xp).toBe(5);
    expect(core.reads.userRow(G1, U2)?.xp).toBe(1);
    expect(logs.filter((l) => l.includes('recovered'))).toHaveLength(1);
    core.engine.handleMessage(msg());
    await core.flusher.flush();
    expect(core.reads.userRow(G1, U1)?.xp).toBe(6);
  });

  it('given shutdown then everything buffered is written and the database closed', async () => {
    core = testCore();
    const path = core.db.name;
    core.engine.handleMessage(msg());
    core.engine.adjustXp(G2, U2, { add: 1234 });
    expect(await core.stop()).toBe(true);
    core = undefined;
    const db = openDatabase(path);
    const reads = new XpReadStore(db, 'other');
    expect(reads.userRow(G1, U1)?.xp).toBe(1);
    expect(reads.userRow(G2, U2)).toMatchObject({ xp: 1234, awardedXp: 1234 });
    db.close();
  });

  it('given the buffer reaches its bound then it flushes early', async () => {
    core = testCore({ engine: { maxBufferedEntries: 3 } });
    core.flusher.start();
    for (const u of ['1', '2', '3']) core.engine.handleMessage(msg({ userId: u }));
    await core.flusher.flush(); // waits for the early flush already running
    expect(core.reads.memberCount(G1)).toBe(3);
    expect(core.engine.bufferedEntries).toBe(0);
  });

  it('given a cache miss while a flush is in flight then the total neither double-counts nor drops the in-flight gains', async () => {
    const path = tempDbPath();
    const db = openDatabase(path);
    const store = new XpWriteStore(db, 'me');
    const reads = new XpReadStore(db, 'me');
    const held = heldWrites(store);
    const { writes } = held;
    const clock = new ManualClock();
    const engine = new XpEngine({ reads, writes, effects: { apply: async () => {} }, clock, logger: silentLogger, options: { cacheSize: 1 } });
    const flusher = new Flusher(engine, writes, new ManualScheduler(clock), clock, silentLogger);
    store.flush({ seq: 0, rows: [{ guildId: G1, userId: U1, xp: 100, awarded: 0 }], voice: [], history: [], periods: [] });
    engine.handleMessage(msg()); // 101, 1 buffered
    const flushing = flusher.flush();
    engine.handleMessage(msg({ userId: U2 })); // evicts U1 (cache of 1)
    expect(engine.xpOf(G1, U1)).toBe(101); // before commit: db 100 + in-flight 1
    engine.handleMessage(msg({ userId: U2, guildId: G2 }));
    held.commit();
    expect(engine.xpOf(G1, U1)).toBe(101); // committed, not acknowledged: db 101 + nothing
    clock.advance(60_000);
    engine.handleMessage(msg());
    held.ack();
    held.hold = false;
    await flushing;
    engine.handleMessage(msg({ userId: U2 }));
    expect(engine.xpOf(G1, U1)).toBe(102);
    await flusher.flush();
    expect(reads.userRow(G1, U1)?.xp).toBe(102);
    db.close();
  });

  it('given the worker writer then flushes and payments run in its thread and reads stay exact', async () => {
    core = testCore({ writer: 'worker' });
    await core.writer.xp.setCurrencyReward(G1, 1, 50);
    await core.writer.xp.updateSettings(G1, { xpPerMessage: 40 });
    core.engine.reloadGuild(G1);
    expect((await core.engine.handleMessage(msg()))?.leveledUp).toBe(true);
    await core.engine.idle();
    expect(await core.flusher.flush()).toBe(true);
    expect(core.reads.userRow(G1, U1)?.xp).toBe(40);
    expect(core.reads.balance(U1)).toBe(50);
  });

  it('given two processes flushing into one file in parallel then the totals are the exact sum', async () => {
    const path = tempDbPath();
    openDatabase(path).close();
    const script = fileURLToPath(new URL('../fixtures/flush-child.ts', import.meta.url));
    const run = (seed: number) =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', script, path, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`child ${seed} exited ${code}: ${out}`))));
      });
    await Promise.all([run(1), run(2), run(3)]);
    const db = openDatabase(path);
    // Each child: 200 flushes × 50 users × xp 1 in guild G1, plus its own guild.
    const rows = db.prepare('SELECT CAST(UserId AS TEXT) u, Xp FROM UserXpStats WHERE GuildId = ? ORDER BY UserId').all(BigInt(G1)) as { u: string; Xp: number }[];
    expect(rows).toHaveLength(50);
    expect(rows.every((r) => r.Xp === 600)).toBe(true);
    expect(db.prepare('SELECT SUM(TotalXp) s FROM DiscordUser').get()).toEqual({ s: 3 * 200 * 50 * 2 });
    db.close();
  });

  it('given a writer that commits and then dies before answering then the batch is not written twice', async () => {
    const db = openDatabase(tempDbPath());
    const store = new XpWriteStore(db, 'me');
    const reads = new XpReadStore(db, 'me');
    const writes: XpWrites = {
      flush: async (batch) => {
        store.flush(batch);
        throw new Error('storage writer thread exited with code 1');
      },
      recordLevelUp: async () => ({ previousMark: 0, paid: [], roles: { add: [], remove: [] } }),
      queueRoleChanges: async () => 0,
    };
    const clock = new ManualClock();
    const engine = new XpEngine({ reads, writes, effects: { apply: async () => {} }, clock, logger: silentLogger });
    const flusher = new Flusher(engine, writes, new ManualScheduler(clock), clock, silentLogger);
    engine.handleMessage(msg());
    expect(await flusher.flush()).toBe(true);
    expect(engine.bufferedEntries).toBe(0);
    expect(reads.userRow(G1, U1)?.xp).toBe(1);
    expect(engine.xpOf(G1, U1)).toBe(1);
    db.close();
  });

  it('given level-up effects that hang (Discord unreachable) then shutdown still saves XP, without waiting for them', async () => {
    core = testCore({ flusher: { shutdownEffectsMs: 50 } });
    const path = core.db.name;
    core.setEffects({ apply: () => new Promise(() => {}) });
    await core.writer.xp.updateSettings(G1, { xpPerMessage: 40 });
    core.engine.reloadGuild(G1);
    expect((await core.engine.handleMessage(msg()))?.leveledUp).toBe(true);
    const started = performance.now();
    expect(await core.stop()).toBe(true);
    expect(performance.now() - started).toBeLessThan(2000);
    core = undefined;
    const db = openDatabase(path);
    expect(new XpReadStore(db, 'x').userRow(G1, U1)?.xp).toBe(40);
    db.close();
  });

  function closableSetup() {
    const db = openDatabase(tempDbPath());
    const store = new XpWriteStore(db, 'me');
    const reads = new XpReadStore(db, 'me');
    const state = { closed: false, flushCalls: 0 };
    const writes: XpWrites = {
      flush: async (batch) => {
        state.flushCalls++;
        if (state.closed) throw new Error('the storage writer is closed');
        store.flush(batch);
      },
      recordLevelUp: async () => ({ previousMark: 0, paid: [], roles: { add: [], remove: [] } }),
      queueRoleChanges: async () => 0,
    };
    const clock = new ManualClock();
    const scheduler = new ManualScheduler(clock);
    const engine = new XpEngine({ reads, writes, effects: { apply: async () => {} }, clock, logger: silentLogger });
    const flusher = new Flusher(engine, writes, scheduler, clock, silentLogger, { shutdownAttempts: 2 });
    flusher.start();
    return { db, reads, state, scheduler, engine, flusher };
  }

  it('given shutdown has begun then no gain or admin change is taken, and what came before is written', async () => {
    const t = closableSetup();
    t.engine.handleMessage(msg());
    const stopping = t.flusher.stop();
    expect(t.engine.handleMessage(msg({ userId: U2 }))).toBeNull();
    expect(() => t.engine.adjustXp(G1, U2, { add: 1000 })).toThrow(EngineClosedError);
    const voice = [{ guildId: G1, afkChannelId: null, channels: [{ channelId: '1', categoryId: null, isStage: false, members: [U1, U2].map((userId) => ({ userId, roleIds: [], isBot: false, selfDeaf: false, serverDeaf: false, selfMute: false, serverMute: false, suppressed: false })) }] }];
    expect(t.engine.voiceTick(voice)).toBe(0);
    await t.flusher.flushForReads(); // a level check during shutdown
    expect(await stopping).toBe(true);
    expect(t.reads.userRow(G1, U1)?.xp).toBe(1);
    expect(t.reads.userRow(G1, U2)).toBeNull();
    t.db.close();
  });

  it('given a shutdown whose writes failed then a read afterwards does not write to the closed writer or schedule retries', async () => {
    const t = closableSetup();
    t.engine.handleMessage(msg());
    t.state.closed = true; // the writer is gone
    expect(await t.flusher.stop()).toBe(false);
    const calls = t.state.flushCalls;
    expect(t.engine.bufferedEntries).toBe(1);
    await t.flusher.flushForReads(); // a level check still answering after shutdown
    await t.flusher.flush();
    expect(t.state.flushCalls).toBe(calls);
    expect(t.scheduler.pending).toBe(0);
    t.db.close();
  });

  it('given reads that rank members then they flush first, but at most once per 5 s', async () => {
    core = testCore();
    await core.writer.xp.updateSettings(G1, { cooldownSeconds: 0 });
    core.engine.handleMessage(msg());
    await core.flusher.flushForReads();
    expect(core.flusher.stats.flushes).toBe(1);
    core.engine.handleMessage(msg());
    await core.flusher.flushForReads(); // a flush just ran: the buffer waits
    expect(core.flusher.stats.flushes).toBe(1);
    core.clock.advance(5000);
    await core.flusher.flushForReads();
    expect(core.flusher.stats.flushes).toBe(2);
    expect(core.reads.userRow(G1, U1)?.xp).toBe(2);
  });
});
