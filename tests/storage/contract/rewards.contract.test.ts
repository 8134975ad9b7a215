/**
 * Issue 10's storage on both stores (DESIGN §7.1): reward modes and curve presets read back as written, a member
 * range in id order, and the passes over a server (GuildJob) that continue after a restart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { STORE_KINDS, openStoreUnderTest, type StoreUnderTest } from './stores.js';

const G = '1234567890123456789';
const BIG = '9223372036854775807';
const NEAR = '9007199254740993';

describe.each(STORE_KINDS)('reward modes, curves and passes on %s', (kind) => {
  let store: StoreUnderTest;
  afterEach(async () => {
    await store?.close();
  });

  it("given reward modes then a reward keeps its own mode when saved again without one, and null follows the server's", async () => {
    const s = (store = await openStoreUnderTest(kind));
    await s.xp.updateSettings(G, { rewardMode: 'replace', curve: { q: 5, a: 50, c: 50 } });
    await s.xp.setRoleReward(G, 5, BIG, false, 'stack');
    await s.xp.setRoleReward(G, 5, BIG, false); // no mode given: kept
    await s.xp.setRoleReward(G, 9, NEAR, false, 'replace');
    await s.xp.setRoleReward(G, 9, NEAR, false, null); // back to the server's
    const rules = await s.reads.loadGuildRules(G);
    expect(rules.settings).toMatchObject({ rewardMode: 'replace', curve: { q: 5, a: 50, c: 50 } });
    expect(rules.roleRewards).toEqual([
      { level: 5, roleId: BIG, remove: false, mode: 'stack' },
      { level: 9, roleId: NEAR, remove: false },
    ]);
    await s.xp.updateSettings(G, { curve: { a: 9, c: 27 } });
    expect((await s.reads.loadGuildRules(G)).settings.curve).toEqual({ a: 9, c: 27 });
  });

  it('given members then a range reads them in id order, above the cursor, with who left', async () => {
    const s = (store = await openStoreUnderTest(kind));
    await s.xp.flush({ seq: 1, rows: ['3', NEAR, '10', BIG].map((userId, i) => ({ guildId: G, userId, xp: 100 + i, awarded: 0 })), voice: [], history: [], periods: [] });
    await s.xp.setMembership(G, '10', false, 1000);
    expect(await s.reads.xpRange(G, '0', BIG, 3)).toEqual([
      { userId: '3', xp: 100, hasLeft: false },
      { userId: '10', xp: 102, hasLeft: true },
      { userId: NEAR, xp: 101, hasLeft: false },
    ]);
    expect(await s.reads.xpRange(G, NEAR, BIG, 10)).toEqual([{ userId: BIG, xp: 103, hasLeft: false }]);
  });

  it('given a pass then one runs per guild and kind, each chunk queues its roles with the cursor, and it is found again after a restart', async () => {
    const s = (store = await openStoreUnderTest(kind));
    const job = { guildId: G, kind: 'rolesync' as const, total: 3, channelId: NEAR, startedBy: BIG, startedAt: 1000, data: { today: { a: 9, c: 27 } } };
    expect(await s.jobs.start(job)).toBe(true);
    expect(await s.jobs.start({ ...job, startedAt: 2000 })).toBe(false);
    await s.jobs.advance(G, 'rolesync', NEAR, 3, { checked: 2, changed: 1, queued: 2 }, [{ userId: NEAR, roles: { add: [BIG], remove: ['42'] } }], 'sync', 1500);
    const stored = await s.jobReads.get(G, 'rolesync');
    expect(stored).toEqual({ guildId: G, kind: 'rolesync', cursor: NEAR, total: 3, checked: 2, changed: 1, queued: 2, channelId: NEAR, startedBy: BIG, startedAt: 1000, data: { today: { a: 9, c: 27 } } });
    expect((await s.roleReads.pendingFor(G, NEAR)).map((r) => [r.roleId, r.action, r.cause])).toEqual([[BIG, 'add', 'sync'], ['42', 'remove', 'sync']]);
    const shard = Number((BigInt(G) >> 22n) % 2n);
    expect((await s.jobReads.unfinished({ count: 2, ids: [shard] })).map((j) => j.kind)).toEqual(['rolesync']);
    expect(await s.jobReads.unfinished({ count: 2, ids: [1 - shard] })).toEqual([]);
    await s.jobs.finish(G, 'rolesync');
    expect(await s.jobReads.get(G, 'rolesync')).toBeNull();
  });
});
