/**
 * Ranks with unwritten changes (DESIGN §7): a member is never ranked behind their own stored row, and others'
 * buffered gains and losses count with their real totals, in both directions.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { G1, testCore, type TestCore } from '../helpers/core.js';
import { memberLevel } from '../../src/discord/commands/level/level-info.js';
import type { AppContext } from '../../src/app.js';

let core: TestCore;
afterEach(async () => {
  await core?.stop();
});

const [ALICE, BOB, CAROL, DAVE] = ['100000000000000001', '100000000000000002', '100000000000000003', '100000000000000004'];

/** Stored: alice 1000, bob 500, carol 300, dave 200; then a flush, so reads within 5 s do not flush again. */
async function seeded(): Promise<{ rank: (userId: string) => Promise<number> }> {
  core = testCore();
  for (const [id, xp] of [[ALICE, 1000], [BOB, 500], [CAROL, 300], [DAVE, 200]] as const) core.engine.adjustXp(G1, id, { set: xp });
  await core.engine.idle();
  await core.flusher.flush();
  const app = { core } as unknown as AppContext;
  return { rank: async (userId) => (await memberLevel(app, G1, userId)).rank };
}

describe('rank with unwritten changes', () => {
  it('given the leader lowered by an admin but still first then they are rank 1, not behind their own old row', async () => {
    const { rank } = await seeded();
    core.engine.adjustXp(G1, ALICE, { set: 600 });
    expect(core.reads.userRow(G1, ALICE)?.xp).toBe(1000); // not written yet
    expect(await rank(ALICE)).toBe(1);
    expect(await rank(BOB)).toBe(2);
  });

  it('given a member with a buffered gain or loss of their own then their rank follows their real total', async () => {
    const { rank } = await seeded();
    core.engine.adjustXp(G1, DAVE, { add: 1000 }); // 1200: first
    expect(await rank(DAVE)).toBe(1);
    core.engine.adjustXp(G1, DAVE, { add: -1100 }); // 100: last
    expect(await rank(DAVE)).toBe(4);
    core.engine.adjustXp(G1, DAVE, { add: 200 }); // 300: tied with carol, the smaller id goes first
    expect(await rank(DAVE)).toBe(4);
    expect(await rank(CAROL)).toBe(3);
  });

  it('given others with buffered gains and losses then they are ranked by their real totals', async () => {
    const { rank } = await seeded();
    core.engine.adjustXp(G1, BOB, { set: 100 }); // bob falls behind carol and dave
    core.engine.adjustXp(G1, DAVE, { add: 900 }); // dave rises to 1100, ahead of alice
    expect(await rank(CAROL)).toBe(3); // dave, alice
    expect(await rank(ALICE)).toBe(2);
    expect(await rank(BOB)).toBe(4);
    expect(await rank(DAVE)).toBe(1);
    await core.flusher.flush(); // written: the same ranks from the stored rows alone
    expect(await Promise.all([DAVE, ALICE, CAROL, BOB].map(rank))).toEqual([1, 2, 3, 4]);
  });

  it('given a member who left with a buffered change then they count neither as stored nor as buffered', async () => {
    const { rank } = await seeded();
    core.engine.adjustXp(G1, ALICE, { set: 50 });
    await core.writer.xp.setMembership(G1, ALICE, false, 1000);
    expect(await rank(BOB)).toBe(1);
  });
});
