/**
 * Voice and stage rules through the simulator (DESIGN §2.3): muted members, a stage's speakers and audience, the
 * commands that set them in both forms, and what `settings` shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelType } from 'discord.js';
import { botWorld, type BotWorld } from '../helpers/bot.js';

let w: BotWorld;
let stage: string;
let carol: string;
beforeAll(async () => {
  w = await botWorld();
  stage = w.sim.createChannel(w.guildId, { name: 'Town hall', type: ChannelType.GuildStageVoice, parentId: w.category }).id;
  carol = w.sim.createUser({ username: 'carol' }).id;
  w.sim.addMember(w.guildId, carol);
});
afterAll(async () => {
  await w?.teardown();
});

const xp = (...users: string[]) => users.map((u) => w.core.engine.xpOf(w.guildId, u) as number);

/** One voice minute; returns what each user earned in it. */
async function minute(...users: string[]): Promise<number[]> {
  const before = xp(...users);
  await w.scheduler.advance(60_000);
  return xp(...users).map((v, i) => v - before[i]!);
}

describe('voice rules', () => {
  it('given muted members and the default then they earn; with `voice muted off` they keep others company but earn nothing', async () => {
    await w.voice(w.alice, { channelId: w.lounge });
    await w.voice(w.bob, { channelId: w.lounge, selfMute: true });
    expect(await minute(w.alice, w.bob)).toEqual([1, 1]);
    expect((await w.prefix(w.admin, '!unicornia voice muted off')).content).toContain('Muted members earn no voice XP');
    expect(await minute(w.alice, w.bob)).toEqual([1, 0]);
    await w.voice(w.bob, { channelId: w.lounge, selfMute: false, mute: true }); // server-muted by a moderator
    expect(await minute(w.alice, w.bob)).toEqual([1, 0]);
    await w.slash(w.admin, { name: 'unicornia', subcommandGroup: 'voice', subcommand: 'muted', options: { enabled: 'true' } });
    expect(await minute(w.alice, w.bob)).toEqual([1, 1]);
    await w.voice(w.alice, { channelId: null });
    await w.voice(w.bob, { channelId: null });
  });

  it('given a stage then the audience earns nothing by default, speakers earn, and an audience share pays its part', async () => {
    await w.voice(w.alice, { channelId: stage });
    await w.voice(w.bob, { channelId: stage });
    await w.voice(carol, { channelId: stage });
    expect(await minute(w.alice, w.bob, carol)).toEqual([0, 0, 0]); // everyone joined as audience
    await w.voice(w.alice, { channelId: stage, suppress: false }); // invited to speak
    expect(await minute(w.alice, w.bob, carol)).toEqual([1, 0, 0]);
    await w.prefix(w.admin, '!unicornia voice xp 10');
    const set = await w.slash(w.admin, { name: 'unicornia', subcommandGroup: 'voice', subcommand: 'stageaudience', options: { value: '25' } });
    expect(set.content).toContain('25 %');
    expect(await minute(w.alice, w.bob, carol)).toEqual([10, 3, 3]); // 2.5 rounds half-up
    const settings = await w.prefix(w.admin, '!unicornia settings');
    expect(settings.embeds[0]!.fields!.find((f) => f.name === 'Voice')!.value).toContain('muted earn, stage audience 25 %');
  });

  it('given bad values then the answer names the range and nothing changes', async () => {
    expect((await w.prefix(w.admin, '!unicornia voice stageaudience 101')).content).toContain('at most 100');
    expect((await w.prefix(w.admin, '!unicornia voice muted maybe')).content).toContain('true or false');
    expect((await w.core.engine.rules(w.guildId)).settings).toMatchObject({ voiceMutedEarn: true, stageAudiencePercent: 25 });
  });
});
