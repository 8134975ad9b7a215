/**
 * `level history` through the simulator (DESIGN §4.1, §15.1): the chart arrives as an attachment drawn by the real
 * worker pool, its bars are where the member's XP was (messages and voice stacked per day, a level-up marked), an
 * empty history answers with an empty chart, and without a renderer the same numbers come as text. Both forms.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botWorld, type BotWorld } from '../helpers/bot.js';
import { XpCardService } from '../../src/discord/xp-card.js';
import { silentLogger } from '../../src/util/logger.js';
import { decode, near, type Pixels } from '../cards/helpers.js';
import { hexToRgb } from '../../src/cards/contrast.js';

const DAY = 86_400_000;

let w: BotWorld;
beforeAll(async () => {
  w = await botWorld({ cards: XpCardService.create(silentLogger, { renderer: { size: 1 } }) });
});
afterAll(async () => {
  await w?.teardown();
});

/** Image columns (x) of pixels of one colour in the plot band (below the legend, above the day labels). */
function columnsOf(px: Pixels, colour: readonly number[]): number[] {
  const xs = new Set<number>();
  for (let y = 250; y < 640; y++) for (let x = 0; x < px.width; x++) if (near(px.atPx(x, y), [...colour], 12)) xs.add(x);
  return [...xs].sort((a, b) => a - b);
}

describe('level history', () => {
  it('given messages, an admin gift with a level-up, then voice two days later, then the chart stacks each on its day and marks the level-up', async () => {
    // 1 January 2026 (the manual clock's start): three counted messages, then 40 XP from an admin (level 0 → 1).
    for (let i = 0; i < 3; i++) {
      await w.say(w.alice, `hello number ${i}`);
      w.clock.advance(61_000);
    }
    expect((await w.prefix(w.admin, `!unicornia xp add <@${w.alice}> 40`)).content).toContain('43');
    w.clock.advance(2 * DAY); // 3 January
    await w.voice(w.alice, { channelId: w.lounge });
    await w.voice(w.bob, { channelId: w.lounge });
    w.bot.voiceTick();
    w.bot.voiceTick();
    await w.voice(w.alice, { channelId: null });
    await w.voice(w.bob, { channelId: null });
    w.clock.advance(DAY); // 4 January: the window of 7 days is 29 December – 4 January

    const reply = await w.prefix(w.alice, '!level history 7');
    expect(reply.embeds[0]!.title).toBe('alice — XP in the last 7 days');
    expect(reply.embeds[0]!.description).toBe('**45 XP** (3 messages · 2 voice · 40 admin) · 1 level-up');
    expect(reply.attachments.map((a) => a.filename)).toEqual(['history.png']);
    const px = decode(reply.attachments[0]!.data);
    expect([px.width, px.height]).toEqual([1280, 720]); // 640×360 template pixels at scale 2

    const bar = w.bot.app.config.current.card.bar;
    const messages = columnsOf(px, hexToRgb(bar.fillFrom));
    const voice = columnsOf(px, hexToRgb(bar.fillTo));
    const admin = columnsOf(px, [0xff, 0xd1, 0x66]); // the third series colour
    expect(messages.length).toBeGreaterThan(10);
    expect(voice.length).toBeGreaterThan(10);
    // 1 January is the 4th of 7 bars, 3 January the 6th: message and admin share a column left of voice.
    expect(Math.max(...messages)).toBeLessThan(Math.min(...voice));
    expect(Math.abs(admin[0]! - messages[0]!)).toBeLessThan(4);
    expect(messages[0]! / px.width).toBeGreaterThan(0.45);
    expect(voice[0]! / px.width).toBeGreaterThan(0.7);
    // The level-up's white diamond (and its "Lv 1") sits over the 1 January bar, and nowhere else.
    const white = columnsOf(px, [255, 255, 255]);
    const centre = (messages[0]! + messages[messages.length - 1]!) / 2;
    expect(white.some((x) => Math.abs(x - centre) < 4)).toBe(true);
    expect(white.every((x) => x > centre - 20 && x < voice[0]! - 100)).toBe(true);
  });

  it('given a member with no XP, slash form, then an empty chart says so and has no bars', async () => {
    const reply = await w.slash(w.alice, { name: 'level', subcommand: 'history', options: { user: w.admin, days: 30 } });
    expect(reply.embeds[0]!.title).toBe('admin — XP in the last 30 days');
    expect(reply.embeds[0]!.description).toBe('No XP in these 30 days.');
    expect(reply.attachments.map((a) => a.filename)).toEqual(['history.png']);
    const px = decode(reply.attachments[0]!.data);
    expect(columnsOf(px, hexToRgb(w.bot.app.config.current.card.bar.fillFrom)).filter((x) => x > 100)).toEqual([]);
  });

  it('given a window that is not offered or a bot, then a clear answer and no chart', async () => {
    const bad = await w.prefix(w.alice, `!level history <@${w.bob}> 45`);
    expect(bad.content).toContain('`days` must be one of `7`, `30`, `90`, `365`');
    expect(bad.attachments).toEqual([]);
    const bot = await w.prefix(w.alice, `!level history <@${w.botId}>`);
    expect(bot.content).toContain("bots don't earn XP");
  });
});

describe('level history without a card renderer', () => {
  it('given history, then the same numbers come as text', async () => {
    const plain = await botWorld();
    try {
      plain.core.engine.adjustXp(plain.guildId, plain.bob, { add: 12 });
      const reply = await plain.prefix(plain.bob, '!level history');
      expect(reply.embeds[0]!.description).toBe('**12 XP** (12 admin) · 0 level-ups');
      expect(reply.attachments).toEqual([]);
    } finally {
      await plain.teardown();
    }
  });
});
