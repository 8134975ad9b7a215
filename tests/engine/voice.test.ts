import { afterEach, describe, expect, it } from 'vitest';
import { G1, U1, U2, testCore, type TestCore } from '../helpers/core.js';
import type { VoiceGuildSnapshot, VoiceMember } from '../../src/engine/events.js';

let core: TestCore;
afterEach(async () => {
  await core?.stop();
});

const member = (userId: string, over: Partial<VoiceMember> = {}): VoiceMember => ({ userId, roleIds: [], isBot: false, selfDeaf: false, serverDeaf: false, selfMute: false, serverMute: false, suppressed: false, ...over });
const U3 = '333333333333333333';
const snap = (members: VoiceMember[], channelId = '700', over: Partial<VoiceGuildSnapshot> = {}): VoiceGuildSnapshot[] => [
  { guildId: G1, afkChannelId: '999', channels: [{ channelId, categoryId: '800', isStage: false, members }], ...over },
];

describe('voice XP (DESIGN §2.3)', () => {
  it('given two listening members then each earns voice XP per tick through the cache and buffer', async () => {
    core = testCore();
    expect(core.engine.voiceTick(snap([member(U1), member(U2)]))).toBe(2);
    expect(core.engine.xpOf(G1, U1)).toBe(1);
    await core.flusher.flush();
    expect(core.reads.userRow(G1, U2)?.xp).toBe(1);
  });

  it('given deafened members, bots, the AFK channel and members alone then nobody earns', () => {
    core = testCore();
    const e = core.engine;
    expect(e.voiceTick(snap([member(U1), member(U2, { selfDeaf: true })]))).toBe(0); // U1 alone with a deafened member
    expect(e.voiceTick(snap([member(U1), member(U2, { serverDeaf: true })]))).toBe(0);
    expect(e.voiceTick(snap([member(U1), member(U2, { isBot: true })]))).toBe(0);
    expect(e.voiceTick(snap([member(U1), member(U2)], '999'))).toBe(0); // AFK channel
    expect(e.voiceTick(snap([member(U1), member(U2), member(U3, { selfDeaf: true })]))).toBe(2);
  });

  it('given anti-farming off then a member alone earns', async () => {
    core = testCore();
    await core.writer.xp.updateSettings(G1, { voiceAntiFarm: false });
    expect(core.engine.voiceTick(snap([member(U1)]))).toBe(1);
  });

  it('given excluded channel, category, role or user then they earn nothing', async () => {
    core = testCore();
    await core.writer.xp.setExcluded(G1, 'channel', '800', true); // the category
    expect(core.engine.voiceTick(snap([member(U1), member(U2)]))).toBe(0);
    await core.writer.xp.setExcluded(G1, 'channel', '800', false);
    await core.writer.xp.setExcluded(G1, 'role', '5', true);
    await core.writer.xp.setExcluded(G1, 'user', U3, true);
    core.engine.reloadGuild(G1);
    expect(core.engine.voiceTick(snap([member(U1, { roleIds: ['5'] }), member(U2), member(U3)]))).toBe(1);
  });

  it('given a level-up from voice then rewards are paid and the effect fires', async () => {
    core = testCore();
    await core.writer.xp.updateSettings(G1, { voiceXpPerMinute: 36 });
    await core.writer.xp.setCurrencyReward(G1, 1, 7);
    core.engine.voiceTick(snap([member(U1), member(U2)]));
    await core.engine.idle();
    expect(core.effects.map((e) => [e.userId, e.newLevel, e.source, e.currencyPaid])).toEqual([
      [U1, 1, 'voice', 7],
      [U2, 1, 'voice', 7],
    ]);
  });

  it('given a daily cap then minutes past it earn nothing, and the count survives a restart', async () => {
    core = testCore();
    const path = core.db.name;
    await core.writer.xp.updateSettings(G1, { voiceDailyCapMinutes: 3 });
    for (let i = 0; i < 2; i++) core.engine.voiceTick(snap([member(U1), member(U2)]));
    await core.stop();
    core = testCore({ dbPath: path, clock: core.clock });
    for (let i = 0; i < 3; i++) core.engine.voiceTick(snap([member(U1), member(U2)]));
    expect(core.engine.xpOf(G1, U1)).toBe(3);
    core.clock.advance(86_400_000); // next day
    core.engine.voiceTick(snap([member(U1), member(U2)]));
    expect(core.engine.xpOf(G1, U1)).toBe(4);
  });

  it('given minutes just before midnight that are not written yet then they count for that day, not the next', async () => {
    core = testCore();
    await core.writer.xp.updateSettings(G1, { voiceDailyCapMinutes: 10 });
    const toMidnight = 86_400_000 - (core.clock.wallNow() % 86_400_000);
    core.clock.advance(toMidnight - 5 * 60_000);
    for (let i = 0; i < 5; i++) {
      core.engine.voiceTick(snap([member(U1), member(U2)]));
      core.clock.advance(60_000);
    }
    for (let i = 0; i < 12; i++) core.engine.voiceTick(snap([member(U1), member(U2)])); // the new day: 10 more
    expect(core.engine.xpOf(G1, U1)).toBe(15);
    await core.flusher.flush();
    const days = core.db.prepare('SELECT Day, Minutes FROM VoiceXpDaily WHERE UserId = ? ORDER BY Day').all(BigInt(U1)) as { Day: number; Minutes: number }[];
    expect(days.map((d) => d.Minutes)).toEqual([5, 10]);
    expect(days[1]!.Day - days[0]!.Day).toBe(1);
  });
});
