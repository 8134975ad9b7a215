import { afterEach, describe, expect, it } from 'vitest';
import { G1, G2, U1, U2, msg, testCore, type TestCore } from '../helpers/core.js';
import { totalXpForLevel } from '../../src/levels/curve.js';

let core: TestCore;
afterEach(async () => {
  await core?.stop();
});

function xpWrites(c: TestCore) {
  return c.writer.xp;
}

describe('message XP (DESIGN §2.1)', () => {
  it('given bots, webhooks, system messages, DMs and commands then nothing is earned', async () => {
    core = testCore();
    const e = core.engine;
    expect(e.handleMessage(msg({ isBot: true }))).toBeNull();
    expect(e.handleMessage(msg({ isWebhookOrSystem: true }))).toBeNull();
    expect(e.handleMessage(msg({ guildId: null }))).toBeNull();
    expect(e.handleMessage(msg({ isCommand: true }))).toBeNull();
    expect(e.handleMessage(msg())).toMatchObject({ gained: 1, totalXp: 1 });
  });

  it('given the cooldown then it is per (guild, user), blocks inside 60 s and is not restarted by blocked messages', async () => {
    core = testCore();
    const e = core.engine;
    expect((await e.handleMessage(msg()))?.gained).toBe(1);
    expect((await e.handleMessage(msg({ guildId: G2 })))?.gained).toBe(1); // other guild: own cooldown
    expect((await e.handleMessage(msg({ userId: U2 })))?.gained).toBe(1); // other user: own cooldown
    core.clock.advance(59_999);
    expect(e.handleMessage(msg())).toBeNull();
    core.clock.advance(1);
    expect((await e.handleMessage(msg()))?.totalXp).toBe(2); // 60 s after the first, not after the blocked one
    expect(e.xpOf(G2, U1)).toBe(1);
  });

  it('given the guild switch off then nothing is earned', async () => {
    core = testCore();
    await xpWrites(core).updateSettings(G1, { xpEnabled: false });
    expect(core.engine.handleMessage(msg())).toBeNull();
  });

  it('given exclusions of channel, thread parent, category, role and user then nothing is earned', async () => {
    core = testCore();
    const w = xpWrites(core);
    await w.setExcluded(G1, 'channel', '11', true);
    await w.setExcluded(G1, 'channel', '22', true);
    await w.setExcluded(G1, 'channel', '33', true);
    await w.setExcluded(G1, 'role', '44', true);
    await w.setExcluded(G1, 'user', U2, true);
    const e = core.engine;
    expect(e.handleMessage(msg({ channelId: '11' }))).toBeNull();
    expect(e.handleMessage(msg({ channelId: '99', parentId: '22' }))).toBeNull();
    expect(e.handleMessage(msg({ channelId: '98', parentId: '97', categoryId: '33' }))).toBeNull();
    expect(e.handleMessage(msg({ roleIds: ['1', '44'] }))).toBeNull();
    expect(e.handleMessage(msg({ userId: U2 }))).toBeNull();
    expect((await e.handleMessage(msg({ channelId: '12', roleIds: ['1'] })))?.gained).toBe(1);
  });

  it('given XP per message, rate and channel/role multipliers then the gain is their product rounded half-up', async () => {
    core = testCore();
    const w = xpWrites(core);
    await w.updateSettings(G1, { xpPerMessage: 3, rateMilli: 1500, cooldownSeconds: 0 });
    await w.setMultiplier(G1, 'channel', '77', 2000);
    await w.setMultiplier(G1, 'role', '5', 500);
    await w.setMultiplier(G1, 'role', '6', 3000);
    const e = core.engine;
    expect((await e.handleMessage(msg()))?.gained).toBe(5); // 4.5 → 5
    expect((await e.handleMessage(msg({ channelId: '77' })))?.gained).toBe(9);
    expect((await e.handleMessage(msg({ channelId: '78', parentId: '77' })))?.gained).toBe(9); // thread inherits
    expect((await e.handleMessage(msg({ roleIds: ['5', '6'] })))?.gained).toBe(14); // best role: 13.5 → 14
    await w.updateSettings(G1, { rateMilli: 100 });
    core.engine.reloadGuild(G1);
    expect(e.handleMessage(msg())).toBeNull(); // 0.3 rounds to 0: no gain
  });

  it('given a tiny LRU then evicted users are re-read as database XP + buffered gains, exactly', async () => {
    core = testCore({ engine: { cacheSize: 2 } });
    await xpWrites(core).updateSettings(G1, { cooldownSeconds: 0 });
    const e = core.engine;
    for (let i = 0; i < 3; i++) e.handleMessage(msg());
    await core.flusher.flush();
    e.handleMessage(msg()); // 4, one buffered
    for (const u of ['1', '2', '3']) e.handleMessage(msg({ userId: u })); // evicts U1
    expect((await e.handleMessage(msg()))?.totalXp).toBe(5);
    expect(e.trackedUsers).toBe(4);
  });
});

describe('level-ups and rewards (DESIGN §2.4)', () => {
  it('given a jump 3 → 19 then levels 4..19 are paid once each and the highest crossed level decides each role', async () => {
    core = testCore();
    const w = xpWrites(core);
    for (let l = 1; l <= 30; l++) await w.setCurrencyReward(G1, l, l);
    await w.setRoleReward(G1, 4, '400', false);
    await w.setRoleReward(G1, 10, '400', true);
    await w.setRoleReward(G1, 12, '1200', false);
    await w.setRoleReward(G1, 25, '2500', false);
    core.engine.adjustXp(G1, U1, { set: totalXpForLevel(3) });
    await core.engine.idle();
    core.effects.length = 0;
    const r = core.engine.adjustXp(G1, U1, { set: totalXpForLevel(19) + 5 });
    expect(r).toMatchObject({ level: 19, leveledUp: true });
    await core.engine.idle();
    expect(core.effects).toHaveLength(1);
    expect(core.effects[0]).toMatchObject({ oldLevel: 3, newLevel: 19, rolesToAdd: ['1200'], rolesToRemove: ['400'], currencyPaid: (4 + 19) * 8, source: 'admin' });
    expect(core.reads.balance(U1)).toBe(1 + 2 + 3 + (4 + 19) * 8);
  });

  it('given a failing announcement then XP stays and the next message does not repay', async () => {
    core = testCore();
    await xpWrites(core).setCurrencyReward(G1, 1, 100);
    await xpWrites(core).updateSettings(G1, { xpPerMessage: 40, cooldownSeconds: 0 });
    core.failEffects = true;
    expect(core.engine.handleMessage(msg())).toMatchObject({ level: 1, leveledUp: true });
    await core.engine.idle();
    core.failEffects = false;
    expect(core.engine.handleMessage(msg())).toMatchObject({ totalXp: 80, leveledUp: false });
    await core.engine.idle();
    expect(core.reads.balance(U1)).toBe(100);
    expect(core.effects).toHaveLength(1);
  });

  it('given a crash after a paid level-up (process state dropped, XP unflushed) then re-earning never repays', async () => {
    core = testCore();
    const path = core.db.name;
    await xpWrites(core).setCurrencyReward(G1, 1, 100);
    await xpWrites(core).updateSettings(G1, { xpPerMessage: 40 });
    core.engine.handleMessage(msg());
    await core.engine.idle();
    expect(core.reads.balance(U1)).toBe(100);
    // Crash: no final flush; the 40 XP are lost but the payment and its mark are committed.
    core.writer.close();
    core.db.close();

    core = testCore({ dbPath: path });
    expect(core.engine.xpOf(G1, U1)).toBe(0);
    core.engine.handleMessage(msg());
    await core.engine.idle();
    expect(core.effects[0]).toMatchObject({ newLevel: 1, currencyPaid: 0 });
    expect(core.reads.balance(U1)).toBe(100);
  });

  it('given admin add/set/reset then they fire level-ups, are audited in AwardedXp and reach the database', async () => {
    core = testCore();
    const e = core.engine;
    e.handleMessage(msg());
    expect(e.adjustXp(G1, U1, { add: 99 })).toMatchObject({ totalXp: 100, level: 2, leveledUp: true });
    expect(e.adjustXp(G1, U1, { set: 40 })).toMatchObject({ totalXp: 40, level: 1, leveledUp: false });
    expect(e.adjustXp(G1, U1, { add: -1000 })).toMatchObject({ totalXp: 0, level: 0 });
    await core.flusher.flush();
    expect(core.reads.userRow(G1, U1)).toMatchObject({ xp: 0, awardedXp: -1 });
    await e.idle();
    expect(core.effects.map((x) => [x.oldLevel, x.newLevel])).toEqual([[0, 2]]);
  });

  it('given a per-guild curve then levels follow its constants', async () => {
    core = testCore();
    await xpWrites(core).updateSettings(G1, { curve: { a: 1, c: 0 }, xpPerMessage: 3 });
    expect(core.engine.handleMessage(msg())).toMatchObject({ totalXp: 3, level: 2 }); // T(2) = 3
  });
});
