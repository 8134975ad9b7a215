/**
 * XP decay's preview against its daily job (DESIGN §15.4), on both stores through the real core: the preview taken
 * today is exactly what 28 daily runs then do — each member's final XP, the XP lost per week (read back from the
 * history rows with source decay), the members affected and the reward roles queued for removal — with members who
 * never recorded a day of earning, members who left, exempt members and a floor; and two processes on one database
 * working on the same run, each member decayed once a day.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openCore, type XpCore } from '../../src/core.js';
import { DecayJob, previewDecay } from '../../src/jobs/decay.js';
import { SOURCE_CODE, utcDay } from '../../src/engine/history.js';
import type { PgStore, SqliteStore } from '../../src/storage/store.js';
import { ManualClock, ManualScheduler } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { STORE_KINDS } from '../storage/contract/stores.js';
import { tempDbPath } from '../helpers/temp.js';
import { pgDatabaseUrl } from '../helpers/pg.js';

const G = '1152921504606846976';
const DAY = 86_400_000;
const ROLES = ['900', '901', '902'];
const EXEMPT_ROLE = '950';

let core: XpCore | undefined;
let other: XpCore | undefined;
afterEach(async () => {
  await other?.stop();
  await core?.stop();
  core = other = undefined;
});

/** A tiny seeded generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** Raw SQL on either store (the seed rows and what no port reads), `?` placeholders. */
async function sql(c: XpCore, text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  if (c.store.kind === 'sqlite') {
    const stmt = (c.store as unknown as SqliteStore).db.prepare(text);
    return stmt.reader ? (stmt.all(...params) as Record<string, unknown>[]) : (stmt.run(...params), []);
  }
  let n = 0;
  return (await (c.store as PgStore).pool.query(text.replace(/\?/g, () => `$${++n}`), params)).rows as Record<string, unknown>[];
}

describe.each(STORE_KINDS)('decay preview and job on %s', (kind) => {
  it.each([false, true])('given random members then the preview taken today is what 28 daily runs do (today\'s run under way: %s)', async (underWay) => {
    const clock = new ManualClock(0, Date.UTC(2026, 3, 1, 12));
    const scheduler = new ManualScheduler(clock);
    core = await openCore({ dbPath: tempDbPath(), ...(kind === 'postgres' ? { databaseUrl: await pgDatabaseUrl() } : {}), clock, scheduler, logger: silentLogger, writer: 'inline' });
    const c = core;
    const today = utcDay(clock.wallNow());
    const r = rng(42);
    const members = Array.from({ length: 150 }, (_, i) => ({
      id: String(1000 + i),
      xp: Math.floor(r() * 4000),
      last: r() < 0.15 ? null : today - Math.floor(r() * 30),
      left: r() < 0.1,
    }));
    for (const m of members) {
      await sql(c, 'INSERT INTO UserXpStats (GuildId, UserId, Xp, LastEarnedDay, HasLeft) VALUES (?, ?, ?, ?, ?)', [G, m.id, m.xp, m.last, m.left ? 1 : 0]);
      await sql(c, 'INSERT INTO DiscordUser (UserId, TotalXp) VALUES (?, ?)', [m.id, m.xp]);
    }
    await c.writer.xp.setRoleReward(G, 3, ROLES[0]!, false);
    await c.writer.xp.setRoleReward(G, 8, ROLES[1]!, false);
    await c.writer.xp.setRoleReward(G, 15, ROLES[2]!, false);
    await c.writer.decay.setExempt(G, EXEMPT_ROLE, true);
    const exempt = new Set(members.filter((_, i) => i % 9 === 0).map((m) => m.id));
    const exemptMembers = async (_g: string, roles: readonly string[]) => (roles.includes(EXEMPT_ROLE) ? exempt : new Set<string>());
    await c.writer.decay.savePolicy(G, { decayEnabled: true, decayAfterDays: 7, decayAmount: 12, decayUnit: 'percent', decayPer: 'day', decayFloorLevel: 2 }, today);
    await c.engine.reloadGuild(G);

    // Under way: today's run stops after its first chunk that queued roles (a shutdown), before the preview.
    let stopAfterChunk = underWay;
    const job: DecayJob = new DecayJob({
      core: c,
      clock,
      scheduler,
      logger: silentLogger,
      exemptMembers,
      shards: () => ({ count: 1, ids: [0] }),
      rolesQueued: () => {
        if (stopAfterChunk) void job.stop();
        stopAfterChunk = false;
      },
      chunk: 40,
    });
    if (underWay) {
      expect(await job.tick()).toEqual([]);
      const run = await c.stores.decay.run(G);
      expect(run).toMatchObject({ runDay: today, doneDay: null });
      expect(run!.decayed).toBeGreaterThan(0);
    }
    // What the store holds when the preview is taken: the preview speaks of what comes after.
    const base = await stored(c);
    const lostBefore = await decayLost(c, today);
    const removedBefore = await removals(c);
    const preview = (await previewDecay(c, exemptMembers, G, today, { top: 1000 }))!;
    expect(preview.members).toBe(members.length);
    expect(preview.affected).toBeGreaterThan(20);

    if (underWay) job.start(); // the next start: it continues after the chunk
    for (let d = 0; d < 28; d++) {
      expect((await job.tick()).map((x) => x.day)).toEqual([today + d]);
      clock.advance(DAY);
    }
    await job.stop();

    const after = await stored(c);
    const changed = members.filter((m) => after.get(m.id) !== base.get(m.id));
    expect(preview.affected).toBe(changed.length);
    expect(new Map(preview.top.map((l) => [l.userId, l.toXp]))).toEqual(new Map(changed.map((m) => [m.id, after.get(m.id)])));
    for (const m of members) if (exempt.has(m.id)) expect(after.get(m.id)).toBe(m.xp);
    // XP lost per week, as the history rows with source decay say.
    const lost = await decayLost(c, today);
    expect(preview.xpPerWeek).toEqual(lost.map((x, w) => x - lostBefore[w]!));
    // The global totals moved with them.
    for (const row of await sql(c, 'SELECT UserId AS u, TotalXp AS t FROM DiscordUser')) expect(Number(row.t)).toBe(after.get(String(row.u)));
    // Reward roles queued for removal (members who left get none): those before the preview and those it announced.
    const removed = await removals(c);
    for (const [role, n] of preview.rolesRemoved) removedBefore.set(role, (removedBefore.get(role) ?? 0) + n);
    expect(removed).toEqual(removedBefore);
    expect(preview.rolesRemoved.size).toBeGreaterThan(0);
  });
});

describe.each(STORE_KINDS)('a decay run left from an earlier day on %s', (kind) => {
  it('given a run cut short two days ago then the next check finishes it and runs today\'s, each day once', async () => {
    const clock = new ManualClock(0, Date.UTC(2026, 3, 1, 12));
    const scheduler = new ManualScheduler(clock);
    core = await openCore({ dbPath: tempDbPath(), ...(kind === 'postgres' ? { databaseUrl: await pgDatabaseUrl() } : {}), clock, scheduler, logger: silentLogger, writer: 'inline' });
    const c = core;
    const today = utcDay(clock.wallNow());
    for (const id of ['10', '20', '30']) await sql(c, 'INSERT INTO UserXpStats (GuildId, UserId, Xp, LastEarnedDay) VALUES (?, ?, 10000, ?)', [G, id, today - 30]);
    await c.writer.decay.savePolicy(G, { decayEnabled: true, decayAfterDays: 7, decayAmount: 100, decayUnit: 'xp', decayPer: 'day' }, today - 3);
    // Two days ago a process claimed its run, decayed member 10 and died.
    expect(await c.writer.decay.claim(G, today - 2, 1)).toBe(true);
    const change = { userId: '10', fromXp: 10000, toXp: 9900, fromLevel: 0, toLevel: 0, roles: { add: [], remove: [] } };
    expect(await c.writer.decay.applyChunk(G, today - 2, '0', '10', [change], 2)).toEqual(['10']);
    const job = new DecayJob({ core: c, clock, scheduler, logger: silentLogger, exemptMembers: async () => new Set(), shards: () => ({ count: 1, ids: [0] }), rolesQueued: () => {} });
    expect((await job.tick()).map((r) => [r.day, r.decayed])).toEqual([
      [today - 2, 3],
      [today, 3],
    ]);
    // Two days ago once for everyone (the first run ever covers its own day), yesterday and today in today's run.
    expect(await stored(c)).toEqual(new Map([['10', 9700], ['20', 9700], ['30', 9700]]));
    expect(await job.tick()).toEqual([]);
  });
});

describe.each(STORE_KINDS)('decay runs of two processes on %s', (kind) => {
  it('given a second process joining a run under way, day after day, then every member is decayed once per day', async () => {
    const clock = new ManualClock(0, Date.UTC(2026, 3, 1, 12));
    const scheduler = new ManualScheduler(clock);
    const dbPath = tempDbPath();
    const url = kind === 'postgres' ? await pgDatabaseUrl() : undefined;
    const open = () => openCore({ dbPath, ...(url ? { databaseUrl: url } : {}), clock, scheduler, logger: silentLogger, writer: 'inline' });
    core = await open();
    other = await open();
    const today = utcDay(clock.wallNow());
    const ids = Array.from({ length: 120 }, (_, i) => String(5000 + i));
    for (const id of ids) await sql(core, 'INSERT INTO UserXpStats (GuildId, UserId, Xp, LastEarnedDay) VALUES (?, ?, 100000, ?)', [G, id, today - 30]);
    // A reward role at every level the members pass on the way down: every chunk queues role changes.
    for (let level = 130; level <= 150; level++) await core.writer.xp.setRoleReward(G, level, String(800 + level), false);
    await core.writer.decay.savePolicy(G, { decayEnabled: true, decayAfterDays: 7, decayAmount: 1500, decayUnit: 'xp', decayPer: 'day' }, today);
    const none = async () => new Set<string>();
    // Process B starts its check while A is in the middle of the day's run (after A's first chunk): it finds the run
    // under way and works on it too, chunk against chunk.
    let joined: Promise<unknown> | null = null;
    const b = new DecayJob({ core: other, clock, scheduler, logger: silentLogger, exemptMembers: none, shards: () => ({ count: 1, ids: [0] }), rolesQueued: () => {}, chunk: 7 });
    const a = new DecayJob({
      core,
      clock,
      scheduler,
      logger: silentLogger,
      exemptMembers: none,
      shards: () => ({ count: 1, ids: [0] }),
      rolesQueued: () => {
        joined ??= b.tick();
      },
      chunk: 7,
    });
    for (let d = 0; d < 3; d++) {
      joined = null;
      const ra = await a.tick();
      const rb = ((await joined) ?? []) as unknown[];
      expect(joined).not.toBeNull();
      expect(ra.length + rb.length).toBeGreaterThan(0);
      clock.advance(DAY);
    }
    for (const [id, xp] of await stored(core)) expect(xp, id).toBe(100000 - 3 * 1500);
    expect(await decayLost(core, today)).toEqual([3 * 1500 * ids.length, 0, 0, 0]);
  });
});

async function stored(c: XpCore): Promise<Map<string, number>> {
  return new Map((await sql(c, 'SELECT UserId AS u, Xp AS x FROM UserXpStats WHERE GuildId = ?', [G])).map((r) => [String(r.u), Number(r.x)]));
}

/** XP taken by decay in each of the four weeks from `today`, from the history rows with source decay. */
async function decayLost(c: XpCore, today: number): Promise<number[]> {
  const weeks = [0, 0, 0, 0];
  for (const row of await sql(c, 'SELECT Day AS d, Xp AS x FROM XpHistoryDaily WHERE GuildId = ? AND Source = ?', [G, SOURCE_CODE.decay])) {
    weeks[Math.floor((Number(row.d) - today) / 7)]! -= Number(row.x);
  }
  return weeks;
}

/** Role → members with a queued removal of it. */
async function removals(c: XpCore): Promise<Map<string, number>> {
  const removed = new Map<string, number>();
  for (const row of await sql(c, "SELECT RoleId AS r FROM RoleChangeQueue WHERE GuildId = ? AND Action = 'remove'", [G])) {
    removed.set(String(row.r), (removed.get(String(row.r)) ?? 0) + 1);
  }
  return removed;
}
