/** Multipliers through the commands (DESIGN §2.6): exact rounding, refused values, values shown as stored. */
import { afterEach, describe, expect, it } from 'vitest';
import { botWorld, type BotWorld } from '../helpers/bot.js';

let w: BotWorld | undefined;
afterEach(async () => {
  await w?.teardown();
  w = undefined;
});

describe('XP multipliers', () => {
  it('given 10 XP × rate 0.7 × channel 1.5 (10.5) then a message earns 11, and a voice minute too', async () => {
    w = await botWorld();
    expect((await w.prefix(w.admin, '!unicornia guild xprate 0.7')).content).toBe('✅ All XP is now multiplied by 0.7.');
    expect((await w.prefix(w.admin, `!unicornia guild channelmultiplier <#${w.general}> 1.5`)).content).toBe(`✅ XP in <#${w.general}> is multiplied by 1.5.`);
    await w.prefix(w.admin, `!unicornia guild channelmultiplier <#${w.lounge}> 1.5`);
    await w.prefix(w.admin, '!unicornia guild xppermessage 10');
    await w.say(w.alice, 'hello');
    expect(w.core.engine.xpOf(w.guildId, w.alice)).toBe(11);

    await w.prefix(w.admin, '!unicornia guild voicexp 10 false');
    await w.voice(w.bob, { channelId: w.lounge });
    await w.scheduler.advance(60_000);
    expect(w.core.engine.xpOf(w.guildId, w.bob)).toBe(11);

    const settings = await w.prefix(w.admin, '!unicornia guild settings');
    const fields = settings.embeds[0]!.fields!;
    expect(fields.find((f) => f.name === 'Rate')?.value).toBe('×0.7');
    expect(fields.find((f) => f.name === 'Multipliers')?.value).toBe(`<#${w.general}> ×1.5, <#${w.lounge}> ×1.5`);
  });

  it('given a rate with more than three decimals then it is refused and XP stays on', async () => {
    w = await botWorld();
    const reply = await w.prefix(w.admin, '!unicornia guild xprate 0.0000001');
    expect(reply.content).toContain('`value` takes at most three decimals (steps of 0.001); `0.0000001` cannot be stored as typed.');
    expect(reply.content).not.toContain('e-7');
    expect((await w.core.engine.rules(w.guildId)).settings.rateMilli).toBe(1000);
    const slash = await w.slash(w.admin, { name: 'unicornia', subcommandGroup: 'multipliers', subcommand: 'channel', options: { channel: w.general, multiplier: '1.2345' } });
    expect(slash.content).toContain('`multiplier` takes at most three decimals');
    expect((await w.core.engine.rules(w.guildId)).channelMultipliers.size).toBe(0);
  });

  it('given a rate above 0 that rounds every gain to 0 then it is refused; 0 itself says XP stops', async () => {
    w = await botWorld();
    expect((await w.prefix(w.admin, '!unicornia guild xprate 0.001')).content).toContain('×0.001 rounds both 1 XP per message and 1 XP per voice minute to 0, so it would change nothing but stop XP.');
    expect((await w.core.engine.rules(w.guildId)).settings.rateMilli).toBe(1000);
    expect((await w.prefix(w.admin, `!unicornia guild rolemultiplier <@&${w.guildId}> 0.4`)).content).toContain('×0.4 rounds both');
    await w.prefix(w.admin, '!unicornia guild xppermessage 10');
    expect((await w.prefix(w.admin, '!unicornia guild xprate 0.05')).content).toBe('✅ All XP is now multiplied by 0.05.'); // 10 × 0.05 = 0.5 → 1
    expect((await w.prefix(w.admin, '!unicornia guild xprate -0')).content).toBe('✅ All XP is now multiplied by 0: nobody earns XP until the rate is raised.');
    expect((await w.core.engine.rules(w.guildId)).settings.rateMilli).toBe(0);
    const settings = await w.prefix(w.admin, '!unicornia guild settings');
    expect(settings.embeds[0]!.fields!.find((f) => f.name === 'Rate')?.value).toBe('×0');
  });
});
