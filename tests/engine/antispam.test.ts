/** Anti-spam rules of message XP (DESIGN §2.1.2): the pure rules, then the engine's use of them. */
import type { GainResult } from '../../src/engine/xp-engine.js';
import { afterEach, describe, expect, it } from 'vitest';
import { G1, msg, testCore, type TestCore } from '../helpers/core.js';
import { longEnough, similarAtLeast, textKeys } from '../../src/engine/antispam.js';

const similarity = (a: string, b: string) => {
  const ka = textKeys(a);
  const kb = textKeys(b);
  for (let p = 100; p > 0; p--) if (similarAtLeast(ka, kb, p)) return p;
  return 0;
};

describe('the rules', () => {
  it.each([
    ['lol', 5, false],
    ['hello', 5, true],
    ['hi all', 5, true], // two words
    ['  hi  ', 5, false], // spaces around one word are not two words
    ['😂😂😂😂', 5, false], // four characters, eight UTF-16 units
    ['😂😂😂😂😂', 5, true],
    ['', 1, false],
    ['a\nb', 5, true],
  ])('given %j and a minimum of %i then it counts: %s', (text, min, counts) => {
    expect(longEnough(text, min)).toBe(counts);
  });

  it('given texts that differ only in case, spacing, punctuation and repeated letters then they are the same text', () => {
    expect(similarity('Good morning, everyone!!', 'good   morning everyone')).toBe(100);
    expect(similarity('LOOOOOL', 'lol')).toBe(100);
    expect(similarity('ПРИВЕТ всем', 'привет всем')).toBe(100);
  });

  it('given near repeats and different messages then the similarity tells them apart', () => {
    expect(similarity('has anyone tried the new patch yet', 'has anyone tried the new patch yet?? lol')).toBeGreaterThanOrEqual(80);
    expect(similarity('good morning everyone', 'see you all tomorrow evening')).toBeLessThan(50); // below every threshold allowed
    expect(similarity('a', 'a')).toBe(100);
    expect(similarity('a', 'b')).toBe(0);
  });

  it('given empty text (an image, or no Message Content intent) then it is never similar to anything', () => {
    expect(similarity('', '')).toBe(0);
    expect(similarity('!!!', '...')).toBe(0);
  });
});

let core: TestCore;
afterEach(async () => {
  await core?.stop();
});

describe('the engine', () => {
  it('given a minimum length then a short message earns nothing and does not start the cooldown', async () => {
    core = testCore();
    await core.writer.xp.updateSettings(G1, { antispamMinLength: 5 });
    core.engine.reloadGuild(G1);
    expect(core.engine.handleMessage(msg({ content: 'ok' }))).toBeNull();
    expect((await core.engine.handleMessage(msg({ content: 'okay then' })))?.gained).toBe(1);
  });

  it("given a similarity threshold then a repeat of the member's previous message past the cooldown earns nothing, in that server only", async () => {
    core = testCore();
    await core.writer.xp.updateSettings(G1, { antispamSimilarity: 80 });
    core.engine.reloadGuild(G1);
    const e = core.engine;
    const at = (content: string, guildId = G1) => {
      core.clock.advance(60_000);
      return (e.handleMessage(msg({ content, guildId })) as GainResult | null)?.gained ?? 0;
    };
    expect(at('good morning everyone')).toBe(1);
    expect(at('Good morning, everyone!!!')).toBe(0);
    expect(at('good morning everyone')).toBe(0); // compared with the previous one, which was ignored
    expect(at('good morning everyone', '987654321098765432')).toBe(1); // another server has its own previous message
    expect(at('what are we playing tonight?')).toBe(1);
    expect(at('good morning everyone')).toBe(1);
  });

  it('given both rules off then the text is never read', async () => {
    core = testCore();
    const trap = msg();
    Object.defineProperty(trap, 'content', { get: () => { throw new Error('content read with anti-spam off'); } });
    expect((await core.engine.handleMessage(trap))?.gained).toBe(1);
  });
});
