/** Voice and stage rules (DESIGN §2.3): muted members listen but may not earn; a stage's audience earns a share. */
import { afterEach, describe, expect, it } from 'vitest';
import { G1, U1, U2, testCore, type TestCore } from '../helpers/core.js';
import type { VoiceGuildSnapshot, VoiceMember } from '../../src/engine/events.js';

let core: TestCore;
afterEach(async () => {
  await core?.stop();
});

const U3 = '333333333333333333';
const member = (userId: string, over: Partial<VoiceMember> = {}): VoiceMember => ({
  userId,
  roleIds: [],
  isBot: false,
  selfDeaf: false,
  serverDeaf: false,
  selfMute: false,
  serverMute: false,
  suppressed: false,
  ...over,
});
const snap = (members: VoiceMember[], isStage = false): VoiceGuildSnapshot[] => [{ guildId: G1, afkChannelId: null, channels: [{ channelId: '700', categoryId: null, isStage, members }] }];
const earnedBy = (c: TestCore, ...users: string[]) => users.map((u) => c.engine.xpOf(G1, u));

describe('muted members', () => {
  it('given the default then muted members earn, and a muted member is company for the anti-farming rule', () => {
    core = testCore();
    expect(core.engine.voiceTick(snap([member(U1), member(U2, { selfMute: true })]))).toBe(2);
  });

  it('given muted members may not earn then self- and server-muted members earn nothing but still keep the others company', async () => {
    core = testCore();
    await core.writer.xp.updateSettings(G1, { voiceMutedEarn: false });
    core.engine.reloadGuild(G1);
    expect(core.engine.voiceTick(snap([member(U1), member(U2, { selfMute: true }), member(U3, { serverMute: true })]))).toBe(1);
    expect(earnedBy(core, U1, U2, U3)).toEqual([1, 0, 0]);
    expect(core.engine.voiceTick(snap([member(U1, { selfMute: true }), member(U2, { selfMute: true })]))).toBe(0);
  });
});

describe('stage channels', () => {
  it('given the default share of 0 then speakers earn and the audience earns nothing, using none of its daily cap', async () => {
    core = testCore();
    await core.writer.xp.updateSettings(G1, { voiceXpPerMinute: 10, voiceDailyCapMinutes: 1 });
    core.engine.reloadGuild(G1);
    expect(core.engine.voiceTick(snap([member(U1), member(U2, { suppressed: true }), member(U3, { suppressed: true })], true))).toBe(1);
    expect(earnedBy(core, U1, U2, U3)).toEqual([10, 0, 0]);
    await core.writer.xp.updateSettings(G1, { stageAudiencePercent: 50 });
    core.engine.reloadGuild(G1);
    core.engine.voiceTick(snap([member(U1), member(U2, { suppressed: true })], true));
    expect(earnedBy(core, U1, U2)).toEqual([10, 5]); // U1's cap of 1 minute is used; U2's was not
  });

  it('given an audience share then it multiplies with the rate and multipliers, rounded half-up exactly', async () => {
    core = testCore();
    await core.writer.xp.updateSettings(G1, { voiceXpPerMinute: 3, stageAudiencePercent: 25, rateMilli: 1000 });
    await core.writer.xp.setMultiplier(G1, 'role', '5', 1000 + 500);
    core.engine.reloadGuild(G1);
    // 3 × 1.5 × 25 % = 1.125 → 1; 3 × 25 % = 0.75 → 1; a speaker: 3.
    core.engine.voiceTick(snap([member(U1, { suppressed: true, roleIds: ['5'] }), member(U2, { suppressed: true }), member(U3)], true));
    expect(earnedBy(core, U1, U2, U3)).toEqual([1, 1, 3]);
  });

  it('given the audience alone with a speaker then the speaker has company; a muted speaker follows the muted rule', async () => {
    core = testCore();
    await core.writer.xp.updateSettings(G1, { voiceMutedEarn: false, stageAudiencePercent: 100 });
    core.engine.reloadGuild(G1);
    core.engine.voiceTick(snap([member(U1, { selfMute: true }), member(U2, { suppressed: true, selfMute: true })], true));
    expect(earnedBy(core, U1, U2)).toEqual([0, 1]); // the audience is not expected to talk
  });
});
