/**
 * The engine on an asynchronous store (PostgreSQL, DESIGN §2.1): a cache miss waits for its read without blocking
 * other members, and the member's events run in arrival order when it comes (cooldowns from their arrival).
 */
import { describe, expect, it } from 'vitest';
import { XpEngine } from '../../src/engine/xp-engine.js';
import type { StoredXp, XpReads } from '../../src/engine/ports.js';
import { rulesFromRows } from '../../src/storage/xp-reads.js';
import { ManualClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { U1, U2, msg } from '../helpers/core.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('engine with asynchronous reads', () => {
  it('given a miss then the member waits (others do not), and their events run in arrival order once the read arrives', async () => {
    const clock = new ManualClock();
    const slow = deferred<StoredXp>();
    const reads: XpReads = {
      loadGuildRules: async () => rulesFromRows({ settings: undefined, exclusions: [], multipliers: [], channelRates: [], roleRewards: [], currencyRewards: [], optOuts: [], levelUpMessages: [] }),
      storedXp: (_g, u) => (u === U1 ? slow.promise : Promise.resolve({ xp: 10, flushSeq: 0 })),
      voiceMinutes: async () => ({ minutes: 0, flushSeq: 0 }),
      lastFlushSeq: async () => 0,
      erasuresSince: async () => [],
      lastErasureId: async () => 0,
    };
    const engine = new XpEngine({
      reads,
      writes: { flush: async () => {}, recordLevelUp: async () => ({ previousMark: 0, paid: [], roles: { add: [], remove: [] } }), queueRoleChanges: async () => 0 },
      effects: { apply: async () => {} },
      clock,
      logger: silentLogger,
      flushSeq: 0,
      erasureSeen: 0,
    });
    const first = engine.handleMessage(msg());
    clock.advance(30_000);
    const blocked = engine.handleMessage(msg());
    clock.advance(30_000);
    const third = engine.handleMessage(msg());
    // Another member is not held up by U1's read.
    expect(await engine.handleMessage(msg({ userId: U2 }))).toMatchObject({ gained: 1, totalXp: 11 });
    let settled = false;
    void Promise.resolve(first).then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(settled).toBe(false);
    slow.resolve({ xp: 100, flushSeq: 0 });
    expect(await first).toMatchObject({ gained: 1, totalXp: 101 });
    expect(await blocked).toBeNull(); // 30 s after the first: inside its cooldown
    expect(await third).toMatchObject({ gained: 1, totalXp: 102 }); // 60 s after the first's arrival
    expect(engine.takeBatch()?.rows.map((r) => [r.userId, r.xp]).sort()).toEqual([[U1, 2], [U2, 1]].sort());
  });

  it("given an erasure while a server's rules are being read then the events that waited for them store nothing of the member", async () => {
    const rules = deferred<ReturnType<typeof rulesFromRows>>();
    const reads: XpReads = {
      loadGuildRules: () => rules.promise,
      storedXp: async () => ({ xp: 10, flushSeq: 0 }),
      voiceMinutes: async () => ({ minutes: 0, flushSeq: 0 }),
      lastFlushSeq: async () => 0,
      erasuresSince: async () => [],
      lastErasureId: async () => 0,
    };
    const engine = new XpEngine({
      reads,
      writes: { flush: async () => {}, recordLevelUp: async () => ({ previousMark: 0, paid: [], roles: { add: [], remove: [] } }), queueRoleChanges: async () => 0 },
      effects: { apply: async () => {} },
      clock: new ManualClock(),
      logger: silentLogger,
      flushSeq: 0,
      erasureSeen: 0,
    });
    const erased = engine.handleMessage(msg());
    const kept = engine.handleMessage(msg({ userId: U2 }));
    engine.forget(null, U1); // privacy delete of U1 while the server's rules are in flight
    rules.resolve(rulesFromRows({ settings: undefined, exclusions: [], multipliers: [], channelRates: [], roleRewards: [], currencyRewards: [], optOuts: [], levelUpMessages: [] }));
    await Promise.all([erased, kept]);
    expect(engine.takeBatch()?.rows.map((r) => [r.userId, r.xp])).toEqual([[U2, 1]]);
    // Later messages count again.
    expect(await engine.handleMessage(msg())).toMatchObject({ gained: 1, totalXp: 11 });
  });
});
