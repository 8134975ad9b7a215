/**
 * Per-channel XP through the simulator (DESIGN §2.1): Nadeko's `.xprate` in Nadeko's units, threads and forum
 * posts following their parent's rate and exclusions, what `settings` and `exclusions` show, bad input refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelType } from 'discord.js';
import { botWorld, type BotWorld } from '../helpers/bot.js';

let w: BotWorld;
let forum: string;
let post: string;
let thread: string;
let quietForum: string;
let quietPost: string;
beforeAll(async () => {
  w = await botWorld();
  forum = w.sim.createChannel(w.guildId, { name: 'ideas', type: ChannelType.GuildForum, parentId: w.category }).id;
  post = w.sim.createChannel(w.guildId, { name: 'a post', type: ChannelType.PublicThread, parentId: forum }).id;
  thread = w.sim.createChannel(w.guildId, { name: 'a thread', type: ChannelType.PublicThread, parentId: w.general }).id;
  quietForum = w.sim.createChannel(w.guildId, { name: 'quiet', type: ChannelType.GuildForum }).id;
  quietPost = w.sim.createChannel(w.guildId, { name: 'a quiet post', type: ChannelType.PublicThread, parentId: quietForum }).id;
});
afterAll(async () => {
  await w?.teardown();
});

/** XP Alice earns with one message in `channelId`, 24 hours after her last (every cooldown is over). */
async function earned(channelId: string): Promise<number> {
  w.clock.advance(86_400_000);
  const before = await w.core.engine.xpOf(w.guildId, w.alice);
  await w.say(w.alice, 'hello there, how is everyone', channelId);
  return (await w.core.engine.xpOf(w.guildId, w.alice)) - before;
}

describe('per-channel XP', () => {
  it("given Nadeko's .xprate with minutes then the rate is stored in seconds and a cooldown of 0 means no XP, as in Nadeko", async () => {
    const set = await w.prefix(w.admin, `!xprate <#${w.general}> 4 1.5`);
    expect(set.content).toContain('4 XP per message, cooldown 90 s');
    expect((await w.core.engine.rules(w.guildId)).channelRates.get(w.general)).toEqual({ xpPerMessage: 4, cooldownSeconds: 90 });
    const off = await w.prefix(w.admin, `!xprate <#${forum}> 5 0`);
    expect(off.content).toContain('earn no XP');
    expect((await w.core.engine.rules(w.guildId)).channelRates.get(forum)).toEqual({ xpPerMessage: 0, cooldownSeconds: null });
    // Unicornia's own form: the same cooldown of 0 means no cooldown.
    await w.prefix(w.admin, `!unicornia channels rate <#${forum}> 6 0`);
    expect((await w.core.engine.rules(w.guildId)).channelRates.get(forum)).toEqual({ xpPerMessage: 6, cooldownSeconds: 0 });
  });

  it('given rates on a channel and a forum then a thread and a forum post earn their parent\'s rate', async () => {
    expect(await earned(w.general)).toBe(4);
    expect(await earned(thread)).toBe(4);
    expect(await earned(post)).toBe(6);
    await w.prefix(w.admin, `!unicornia channels rate <#${quietForum}> 0`);
    expect(await earned(quietPost)).toBe(0);
    await w.prefix(w.admin, `!xpratereset <#${quietForum}>`);
    expect(await earned(quietPost)).toBe(1);
  });

  it("given an excluded forum or thread parent then its posts and threads earn nothing", async () => {
    await w.prefix(w.admin, `!unicornia exclusions addchannel <#${quietForum}>`);
    expect(await earned(quietPost)).toBe(0);
    await w.prefix(w.admin, `!unicornia exclusions addchannel <#${w.general}>`);
    expect(await earned(thread)).toBe(0);
    await w.prefix(w.admin, `!unicornia exclusions removechannel <#${w.general}>`);
    await w.prefix(w.admin, `!unicornia exclusions removechannel <#${quietForum}>`);
    expect(await earned(thread)).toBe(4);
  });

  it('given a rate of 0 then exclusions and settings list it; the other rates too', async () => {
    await w.prefix(w.admin, `!unicornia channels rate <#${quietForum}> 0`);
    const exclusions = await w.prefix(w.admin, '!unicornia exclusions list');
    const rates = exclusions.embeds[0]!.fields!.find((f) => f.name.startsWith('XP per channel'))!.value;
    expect(rates).toContain(`<#${quietForum}>: no XP`);
    expect(rates).toContain(`<#${w.general}>: 4 XP per message, cooldown 90 s`);
    const settings = await w.prefix(w.admin, '!unicornia settings');
    expect(settings.embeds[0]!.fields!.find((f) => f.name === 'XP per channel')!.value).toContain(`<#${forum}>: 6 XP per message, cooldown 0 s`);
  });

  it('given bad input then a clear answer names the allowed range and nothing changes', async () => {
    const before = JSON.stringify([...(await w.core.engine.rules(w.guildId)).channelRates]);
    expect((await w.prefix(w.admin, `!unicornia channels rate <#${w.general}> 1001`)).content).toContain('at most 1000');
    expect((await w.prefix(w.admin, `!unicornia channels rate <#${w.general}> 5 1.5`)).content).toContain('whole number of seconds, 0–86400');
    expect((await w.prefix(w.admin, `!xprate <#${w.general}> 5 1441`)).content).toContain('minutes here (as in Nadeko): 0–1440');
    expect((await w.prefix(w.admin, '!xprate 5 1')).content).toContain("can't find the channel");
    const slash = await w.slash(w.admin, { name: 'unicornia', subcommandGroup: 'channels', subcommand: 'rate', options: { channel: w.general, xp: '5', cooldown: '2.5' } });
    expect(slash.content).toContain('whole number of seconds');
    expect((await w.prefix(w.alice, `!xprate <#${w.general}> 50 1`)).content).not.toContain('✅');
    expect(JSON.stringify([...(await w.core.engine.rules(w.guildId)).channelRates])).toBe(before);
  });

  it('given the rates then they are in the database and survive a restart', async () => {
    await w.restart();
    expect((await w.core.engine.rules(w.guildId)).channelRates.get(w.general)).toEqual({ xpPerMessage: 4, cooldownSeconds: 90 });
  });
});
