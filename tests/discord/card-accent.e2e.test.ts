/**
 * Card accent colours through the simulator with the real card pipeline: a member's own (`level card color`), the
 * server's default (`unicornia card accent`), refused when unreadable on the card (DESIGN §4.2), reset by `default`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { botWorld, type BotWorld } from '../helpers/bot.js';
import { XpCardService } from '../../src/discord/xp-card.js';
import { XpConfigHolder } from '../../src/config/xp-config.js';
import { silentLogger } from '../../src/util/logger.js';
import { memberCardRequest } from '../../src/discord/member-card.js';
import { levelStats } from '../../src/levels/curve.js';

let w: BotWorld | undefined;
afterEach(async () => {
  await w?.teardown();
  w = undefined;
});

const fetcher = { fetchImage: async () => Promise.reject(new Error('no network in tests')) };

async function world(): Promise<BotWorld> {
  const w = await botWorld({ cards: XpCardService.create(silentLogger, { fetcher, renderer: { size: 1 } }), config: await XpConfigHolder.load('xp_config.yml') });
  // The first render loads fonts and decodes the background (seconds on a loaded machine): done here, outside the
  // simulator's reply timeout.
  const user = { id: w.alice, username: 'alice', displayName: 'alice', bot: false, avatarUrl: null };
  await w.bot.app.cards!.render(await memberCardRequest(w.bot.app, w.guildId, user, { ...levelStats(0), rank: 1 }));
  return w;
}

/** The colour at the start of the progress bar (the default template's bar at scale 2, on its vertical middle). */
async function barStart(png: Buffer): Promise<number[]> {
  const img = await loadImage(png);
  const c = createCanvas(img.width, img.height);
  const g = c.getContext('2d');
  g.drawImage(img, 0, 0);
  return [...g.getImageData((28 + 6) * 2, (197 + 10) * 2, 1, 1).data].slice(0, 3);
}

const near = (a: number[], hex: string) => {
  const b = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return a.every((v, i) => Math.abs(v - b[i]!) <= 24);
};

describe('card accent colours', () => {
  it('given a readable colour then the member card is drawn with it, in every form of the command, and default resets it', async () => {
    w = await world();
    w.core.engine.adjustXp(w.guildId, w.alice, { set: 70 });
    const plain = await w.prefix(w.alice, '!level check');
    expect(near(await barStart(plain.attachments[0]!.data), '#ffa3e0')).toBe(false);

    const set = await w.prefix(w.alice, '!level card color #FFA3E0');
    expect(set.content).toMatch(/^✅ Your card's accent is now `#ffa3e0` \(contrast \d+(\.\d+)?:1\)/);
    expect(set.attachments.map((a) => a.filename)).toEqual(['level.png']);
    expect(await w.bot.app.shop.accentOf(w.alice)).toBe('#ffa3e0');
    const card = await w.prefix(w.alice, '!level check');
    expect(near(await barStart(card.attachments[0]!.data), '#ffa3e0')).toBe(true);
    // Bob's card is his own: no accent.
    expect(await w.bot.app.shop.accentOf(w.bob)).toBeNull();

    expect((await w.prefix(w.alice, '!level card colour')).content).toContain("Your card's accent is `#ffa3e0`");
    expect((await w.prefix(w.alice, '!level card color default')).content).toBe("✅ Your card uses the card's own colours again.");
    expect(await w.bot.app.shop.accentOf(w.alice)).toBeNull();
    const after = await w.prefix(w.alice, '!level check');
    expect(near(await barStart(after.attachments[0]!.data), '#ffa3e0')).toBe(false);
  });

  it('given a colour too close to the background then it is refused with the contrast and a readable shade, and nothing is saved', async () => {
    w = await world();
    const refused = await w.slash(w.alice, { name: 'level', subcommandGroup: 'card', subcommand: 'color', options: { color: '#ff66cc' } });
    expect(refused.content).toBe(
      '`#ff66cc` is too hard to read on your card: the progress bar would reach a contrast of 2.11:1, and 3:1 is needed (WCAG AA). `#ffa3e0`, a lighter shade of it, is readable. Nothing was changed.',
    );
    expect(await w.bot.app.shop.accentOf(w.alice)).toBeNull();
    const dark = await w.prefix(w.alice, '!level card color #222');
    expect(dark.content).toContain('`#222222` is too hard to read on your card: the level number would reach a contrast of 1:1');
    expect(dark.content).toContain('`#c8c8c8`, a lighter shade of it, is readable.');
    const bad = await w.prefix(w.alice, '!level card color pink');
    expect(bad.content).toBe('`pink` is not a colour: write it as #rrggbb or #rgb (e.g. #ffa3e0 or #fae), or `default`.');
    expect(await w.bot.app.shop.accentOf(w.alice)).toBeNull();
  });

  it("given a server default then members without their own use it, a member's own wins, settings shows it and default resets it", async () => {
    w = await world();
    w.core.engine.adjustXp(w.guildId, w.alice, { set: 70 });
    w.core.engine.adjustXp(w.guildId, w.bob, { set: 70 });
    expect((await w.prefix(w.admin, '!unicornia card accent #ff66cc')).content).toContain('`#ff66cc` is too hard to read on the default card');
    expect((await w.core.engine.rules(w.guildId)).settings.cardAccent).toBeNull();

    const set = await w.prefix(w.admin, '!unicornia card accent #6ACEFA');
    expect(set.content).toMatch(/^✅ XP cards here use the accent `#6acefa`/);
    expect((await w.core.engine.rules(w.guildId)).settings.cardAccent).toBe('#6acefa');
    await w.prefix(w.alice, '!level card color #ffa3e0');
    expect(near(await barStart((await w.prefix(w.alice, '!level check')).attachments[0]!.data), '#ffa3e0')).toBe(true);
    expect(near(await barStart((await w.prefix(w.bob, '!level check')).attachments[0]!.data), '#6acefa')).toBe(true);
    expect((await w.prefix(w.bob, '!level card color')).content).toBe("You have no accent of your own: your card uses the server's accent `#6acefa`.");

    const settings = await w.prefix(w.admin, '!unicornia settings');
    expect(settings.embeds[0]!.fields!.find((f) => f.name === 'Card accent')?.value).toBe('#6acefa');
    // Stored with a migration: it survives a restart.
    await w.restart();
    expect((await w.core.engine.rules(w.guildId)).settings.cardAccent).toBe('#6acefa');
    expect(await w.bot.app.shop.accentOf(w.alice)).toBe('#ffa3e0');
    await w.slash(w.admin, { name: 'unicornia', subcommandGroup: 'card', subcommand: 'accent', options: { color: 'default' } });
    expect((await w.core.engine.rules(w.guildId)).settings.cardAccent).toBeNull();
    expect((await w.prefix(w.admin, '!unicornia settings')).embeds[0]!.fields!.find((f) => f.name === 'Card accent')?.value).toBe("card's own colours");
  });

  it('given a bot without card images then a colour is refused because there is no card to colour', async () => {
    w = await botWorld();
    expect((await w.prefix(w.alice, '!level card color #ffa3e0')).content).toBe('This bot draws no card images, so there is no card to colour.');
    expect(await w.bot.app.shop.accentOf(w.alice)).toBeNull();
  });
});
