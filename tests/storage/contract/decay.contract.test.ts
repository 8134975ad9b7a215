/**
 * XP decay's storage (DESIGN §15.4), one contract on both stores: the flush keeps each member's last day of earning,
 * the policy is saved with the day it was turned on, exempt roles, and the daily run — claimed once per day, each
 * chunk's XP, history (source decay), global total, queued roles and cursor in one transaction, never twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PgStore, SqliteStore, Store } from '../../../src/storage/store.js';
import type { DecayChange } from '../../../src/engine/decay.js';
import { SOURCE_CODE } from '../../../src/engine/history.js';
import { openWholeStore, STORE_KINDS, type StoreKind } from './stores.js';

const G = '1152921504606846976'; // shard 0 of 1
const A = '9223372036854775807';
const B = '9007199254740993';
const C = '42';
const ALL = { count: 1, ids: [0] };

const opened: Store[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

/** DiscordUser.TotalXp, the member's XP over every server (no port reads it alone). */
async function totalXp(s: Store, userId: string): Promise<number> {
  if (s.kind === 'sqlite') return Number(((s as SqliteStore).db.prepare('SELECT TotalXp FROM DiscordUser WHERE UserId = ?').get(BigInt(userId)) as { TotalXp: number }).TotalXp);
  return Number((await (s as PgStore).pool.query('SELECT TotalXp AS t FROM DiscordUser WHERE UserId = $1', [userId])).rows[0].t);
}

function change(userId: string, fromXp: number, toXp: number, remove: string[] = []): DecayChange {
  return { userId, fromXp, toXp, fromLevel: 0, toLevel: 0, roles: { add: [], remove } };
}

describe.each(STORE_KINDS)('decay storage on %s', (kind: StoreKind) => {
  it('given flushes then the last day of earning is the latest day seen; a row without one keeps it', async () => {
    const s = await openWholeStore(kind, opened);
    await s.writer.xp.flush({ seq: 1, rows: [{ guildId: G, userId: A, xp: 10, awarded: 0, earnedDay: 20_000 }, { guildId: G, userId: B, xp: 5, awarded: 5 }], voice: [] });
    await s.writer.xp.flush({ seq: 2, rows: [{ guildId: G, userId: A, xp: 1, awarded: 0, earnedDay: 19_990 }], voice: [] }); // a clock that stepped back
    await s.writer.xp.flush({ seq: 3, rows: [{ guildId: G, userId: A, xp: 3, awarded: 3 }], voice: [] });
    expect(await s.reads.decay.members(G, '0', 10)).toEqual([
      { userId: B, xp: 5, lastEarnedDay: null, hasLeft: false },
      { userId: A, xp: 14, lastEarnedDay: 20_000, hasLeft: false },
    ]);
    await s.writer.xp.flush({ seq: 4, rows: [{ guildId: G, userId: A, xp: 1, awarded: 0, earnedDay: 20_003 }], voice: [] });
    expect((await s.reads.decay.members(G, B, 10))[0]).toEqual({ userId: A, xp: 15, lastEarnedDay: 20_003, hasLeft: false });
  });

  it('given the policy saved then turning it on stamps the day once, and turning it off and on starts the runs afresh', async () => {
    const s = await openWholeStore(kind, opened);
    expect(await s.writer.decay.savePolicy(G, { decayEnabled: true, decayAfterDays: 14, decayAmount: 50, decayUnit: 'xp', decayPer: 'day' }, 20_000)).toBe(false);
    let settings = (await s.reads.xp.loadGuildRules(G)).settings;
    expect(settings).toMatchObject({ decayEnabled: true, decayAfterDays: 14, decayAmount: 50, decayUnit: 'xp', decayPer: 'day', decayFloorLevel: 0, decaySinceDay: 20_000 });
    expect(await s.writer.decay.savePolicy(G, { decayEnabled: true, decayAmount: 60, decayFloorLevel: 3 }, 20_005)).toBe(true);
    settings = (await s.reads.xp.loadGuildRules(G)).settings;
    expect(settings).toMatchObject({ decayAmount: 60, decayFloorLevel: 3, decaySinceDay: 20_000 });
    expect(await s.writer.decay.claim(G, 20_005, 1)).toBe(true);
    expect(await s.writer.decay.applyChunk(G, 20_005, '0', C, [], 2)).toEqual([]);
    await s.writer.decay.finish(G, 20_005, 3);
    expect(await s.reads.decay.run(G)).toMatchObject({ doneDay: 20_005, runDay: null });
    await s.writer.decay.savePolicy(G, { decayEnabled: false }, 20_006);
    expect((await s.reads.decay.due(ALL, 20_007)).map((d) => d.guildId)).toEqual([]);
    await s.writer.decay.savePolicy(G, { decayEnabled: true }, 20_010);
    expect((await s.reads.xp.loadGuildRules(G)).settings.decaySinceDay).toBe(20_010);
    // No catch-up of the days it was off: the next run starts from nothing done.
    expect(await s.reads.decay.run(G)).toMatchObject({ doneDay: null, runDay: null });
  });

  it('given exempt roles then they are added once, listed and removed', async () => {
    const s = await openWholeStore(kind, opened);
    expect(await s.writer.decay.setExempt(G, A, true)).toBe(true);
    expect(await s.writer.decay.setExempt(G, A, true)).toBe(false);
    expect(await s.writer.decay.setExempt(G, B, true)).toBe(true);
    expect(await s.reads.decay.exemptRoles(G)).toEqual([B, A]);
    expect(await s.writer.decay.setExempt(G, A, false)).toBe(true);
    expect(await s.writer.decay.setExempt(G, A, false)).toBe(false);
    expect(await s.reads.decay.exemptRoles(G)).toEqual([B]);
  });

  it('given a run then it is claimed once per day, each chunk is applied once with its history, total and roles, and a moved total is left alone', async () => {
    const s = await openWholeStore(kind, opened);
    await s.writer.xp.flush({ seq: 1, rows: [{ guildId: G, userId: A, xp: 1000, awarded: 0 }, { guildId: G, userId: B, xp: 500, awarded: 0 }, { guildId: G, userId: C, xp: 300, awarded: 0 }], voice: [] });
    await s.writer.decay.savePolicy(G, { decayEnabled: true }, 20_000);
    expect(await s.reads.decay.due(ALL, 20_001)).toEqual([{ guildId: G, runDay: null }]);
    expect(await s.writer.decay.claim(G, 20_001, 1)).toBe(true);
    expect(await s.writer.decay.claim(G, 20_001, 2)).toBe(false);
    expect(await s.reads.decay.due(ALL, 20_001)).toEqual([{ guildId: G, runDay: 20_001 }]);
    // C's total moved since it was read (300 → 300 expected 299): left alone.
    const first = await s.writer.decay.applyChunk(G, 20_001, '0', B, [change(C, 299, 200), change(B, 500, 450, ['77'])], 3);
    expect(first).toEqual([B]);
    // The same chunk again (a retry after a lost answer, another process): the cursor has moved, nothing is written.
    expect(await s.writer.decay.applyChunk(G, 20_001, '0', B, [change(B, 500, 450, ['77'])], 4)).toBeNull();
    expect(await s.writer.decay.applyChunk(G, 20_001, B, A, [change(A, 1000, 900)], 5)).toEqual([A]);
    expect(await s.reads.decay.run(G)).toEqual({ doneDay: null, runDay: 20_001, cursor: A, decayed: 2, xpLost: 150 });
    await s.writer.decay.finish(G, 20_001, 6);
    expect(await s.reads.decay.run(G)).toEqual({ doneDay: 20_001, runDay: null, cursor: A, decayed: 2, xpLost: 150 });
    expect(await s.writer.decay.claim(G, 20_001, 7)).toBe(false);
    expect(await s.reads.decay.due(ALL, 20_001)).toEqual([]);

    expect((await s.reads.xp.storedXp(G, A)).xp).toBe(900);
    expect((await s.reads.xp.storedXp(G, B)).xp).toBe(450);
    expect((await s.reads.xp.storedXp(G, C)).xp).toBe(300);
    // History says where it went (source decay), and still sums to the totals.
    const day = await s.reads.history.memberHistory(G, B, 20_001, 20_001);
    expect(day).toEqual([{ day: 20_001, bySource: new Map([[SOURCE_CODE.decay, -50]]) }]);
    // The global total follows; the reward role waits in the role-change queue.
    expect(await totalXp(s, B)).toBe(450);
    expect(await totalXp(s, C)).toBe(300);
    const queued = await s.reads.roles.pendingFor(G, B);
    expect(queued.map((r) => [r.roleId, r.action, r.cause])).toEqual([['77', 'remove', 'level']]);
    // The next day is a new run.
    expect(await s.writer.decay.claim(G, 20_002, 8)).toBe(true);
  });
});
