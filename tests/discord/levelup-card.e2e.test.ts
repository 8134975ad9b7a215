/**
 * The level-up card (`levelup card`, DESIGN §4.1) through the simulator: with it on, the level-up message carries the
 * member's XP card under the "level up" banner, drawn by the real worker-pool renderer, as plain text and as an
 * embed (its image), and the preview shows the same; when the card cannot be drawn the message still goes, without it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { botWorld, type BotWorld } from '../helpers/bot.js';
import { XpCardService } from '../../src/discord/xp-card.js';
import { XpConfigHolder } from '../../src/config/xp-config.js';
import { silentLogger } from '../../src/util/logger.js';
import { readImageInfo } from '../../src/net/index.js';
import { memberCardRequest } from '../../src/discord/member-card.js';
import { levelStats } from '../../src/levels/curve.js';
import type { CardService } from '../../src/app.js';

let w: BotWorld | undefined;
afterEach(async () => {
  await w?.teardown();
  w = undefined;
});

const fetcher = { fetchImage: () => Promise.reject(new Error('no network in tests')) };
const next = (w: BotWorld) => w.sim.nextMessage(w.general, { authorId: w.botId });

describe('the level-up card', () => {
  it('given the card on then level-ups carry the card with its banner, as text and as an embed, the preview too; default turns it off', async () => {
    w = await botWorld({ cards: XpCardService.create(silentLogger, { fetcher, renderer: { size: 1 } }), config: await XpConfigHolder.load('xp_config.yml') });
    // The first render loads fonts (seconds on a loaded machine): done here, outside the simulator's reply timeout.
    const alice = { id: w.alice, username: 'alice', displayName: 'alice', bot: false, avatarUrl: null };
    await w.bot.app.cards!.render(await memberCardRequest(w.bot.app, w.guildId, alice, { ...levelStats(0), rank: 1 }));
    expect((await w.prefix(w.admin, '!levelup card on')).content).toMatch(/^✅ Level-up messages carry the member's XP card under a "level up" banner/);
    await w.prefix(w.admin, '!unicornia xp permessage 40');

    let posted = next(w);
    await w.say(w.alice, 'hi');
    const text = await posted;
    expect(text.content).toBe(`🎉 <@${w.alice}> reached level **1**!`);
    expect(text.attachments.map((a) => a.filename)).toEqual(['levelup.png']);
    // The card under the banner band: the template's card height plus the banner's, at the template's scale.
    const t = w.bot.app.config.current.card;
    expect(readImageInfo(text.attachments[0]!.data)).toMatchObject({ width: t.width * t.scale, height: (t.height + t.levelUp.height) * t.scale });

    await w.prefix(w.admin, '!levelup style embed');
    posted = next(w);
    await w.say(w.bob, 'hi');
    const embed = await posted;
    expect(embed.embeds[0]).toMatchObject({ description: `🎉 <@${w.bob}> reached level **1**!`, image: { url: 'attachment://levelup.png' } });
    expect(embed.attachments.map((a) => a.filename)).toEqual(['levelup.png']);

    const preview = await w.slash(w.admin, { name: 'levelup', subcommand: 'preview', options: { level: 3 } });
    expect(preview.embeds[0]).toMatchObject({ description: `🎉 <@${w.admin}> reached level **3**!`, image: { url: 'attachment://levelup.png' } });
    expect(preview.attachments.map((a) => a.filename)).toEqual(['levelup.png']);
    const field = async () => (await w!.prefix(w!.admin, '!unicornia settings')).embeds[0]!.fields!.find((f) => f.name === 'Level-up messages')?.value;
    expect(await field()).toMatch(/, with the level-up card$/);
    await w.restart();
    expect((await w.core.engine.rules(w.guildId)).settings.announceCard).toBe(true);

    expect((await w.prefix(w.admin, '!levelup card default')).content).toBe('✅ Level-up messages go without a card image.');
    posted = next(w);
    await w.say(w.admin, 'hi');
    const plain = await posted;
    expect(plain.embeds[0]!.image).toBeUndefined();
    expect(plain.attachments).toEqual([]);
    expect(await field()).not.toContain('card');
  });

  it('given a card that cannot be drawn (the renderer fails or is busy) then the level-up message still goes, without it', async () => {
    let calls = 0;
    const failing: CardService = {
      render: async () => {
        calls++;
        if (calls === 1) throw new Error('worker crashed');
        return null; // the pool was busy or timed out
      },
      curveChart: async () => null,
      historyChart: async () => null,
      close: async () => {},
    };
    w = await botWorld({ cards: failing });
    await w.prefix(w.admin, '!levelup card on');
    await w.prefix(w.admin, '!unicornia xp permessage 40');
    for (const member of [w.alice, w.bob]) {
      const posted = next(w);
      await w.say(member, 'hi');
      const m = await posted;
      expect(m.content).toBe(`🎉 <@${member}> reached level **1**!`);
      expect(m.attachments).toEqual([]);
    }
    expect(calls).toBe(2);
  });
});
