/** Anti-spam through the simulator (DESIGN §2.1.2): commands in both forms set the rules; chat follows them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botWorld, type BotWorld } from '../helpers/bot.js';

let w: BotWorld;
beforeAll(async () => {
  w = await botWorld();
});
afterAll(async () => {
  await w?.teardown();
});

/** XP Alice earns with one message, a day after her last (the cooldown is over). */
async function earned(content: string): Promise<number> {
  w.clock.advance(86_400_000);
  const before = await w.core.engine.xpOf(w.guildId, w.alice);
  await w.say(w.alice, content);
  return (await w.core.engine.xpOf(w.guildId, w.alice)) - before;
}

describe('anti-spam', () => {
  it('given the minimum length set by prefix then short messages earn nothing, two words or 5 characters do', async () => {
    expect((await w.prefix(w.admin, '!unicornia antispam minlength 5')).content).toContain('two words or at least 5 characters');
    expect(await earned('lol')).toBe(0);
    expect(await earned('hello')).toBe(1);
    expect(await earned('hi all')).toBe(1);
  });

  it('given the similarity set by slash then a near repeat earns nothing and settings shows both rules', async () => {
    const set = await w.slash(w.admin, { name: 'unicornia', subcommandGroup: 'antispam', subcommand: 'similarity', options: { percent: '80' } });
    expect(set.content).toContain('80 %');
    expect(await earned('anyone up for a game tonight?')).toBe(1);
    expect(await earned('Anyone up for a game tonight???')).toBe(0);
    expect(await earned('sure, give me ten minutes')).toBe(1);
    const settings = await w.prefix(w.admin, '!unicornia settings');
    expect(settings.embeds[0]!.fields!.find((f) => f.name === 'Anti-spam')!.value).toBe('min. 5 characters or two words; ≥ 80 % like the previous message ignored');
  });

  it('given bad values then the answer names the range and nothing changes', async () => {
    expect((await w.prefix(w.admin, '!unicornia antispam similarity 30')).content).toContain('0 (off) or 50–100');
    expect((await w.prefix(w.admin, '!unicornia antispam minlength 101')).content).toContain('at most 100');
    expect((await w.core.engine.rules(w.guildId)).settings).toMatchObject({ antispamMinLength: 5, antispamSimilarity: 80 });
  });

  it('given 0 then each rule is off again, and the rules survive a restart until then', async () => {
    await w.restart();
    expect((await w.core.engine.rules(w.guildId)).settings).toMatchObject({ antispamMinLength: 5, antispamSimilarity: 80 });
    await w.prefix(w.admin, '!unicornia antispam minlength 0');
    await w.slash(w.admin, { name: 'unicornia', subcommandGroup: 'antispam', subcommand: 'similarity', options: { percent: '0' } });
    expect(await earned('lol')).toBe(1);
    expect(await earned('lol')).toBe(1);
  });
});
