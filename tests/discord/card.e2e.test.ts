/**
 * `level check` with the real card pipeline: the worker-thread renderer, the image cache and the equipped
 * background from the shop, through the simulator. Images are served by an injected fetcher (no network).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { botWorld, type BotWorld } from '../helpers/bot.js';
import { XpCardService } from '../../src/discord/xp-card.js';
import { XpConfigHolder } from '../../src/config/xp-config.js';
import { silentLogger } from '../../src/util/logger.js';
import { readImageInfo } from '../../src/net/index.js';

let w: BotWorld | undefined;
afterEach(async () => {
  await w?.teardown();
  w = undefined;
});

/** A solid red 64×64 PNG: every avatar the fetcher is asked for. */
async function redAvatar(): Promise<Uint8Array> {
  const c = createCanvas(64, 64);
  const g = c.getContext('2d');
  g.fillStyle = '#ff0000';
  g.fillRect(0, 0, 64, 64);
  return new Uint8Array(await c.encode('png'));
}

async function world(): Promise<BotWorld> {
  const avatar = await redAvatar();
  const fetcher = {
    fetchImage: async (url: string | URL) => {
      if (String(url).includes('broken')) throw new Error('connection refused');
      return { bytes: avatar, type: 'png' as const, width: 64, height: 64, frames: 1, url: String(url) };
    },
  };
  return botWorld({ cards: XpCardService.create(silentLogger, { fetcher, renderer: { size: 1 } }), config: await XpConfigHolder.load('xp_config.yml') });
}

async function pixels(png: Buffer) {
  const img = await loadImage(png);
  const c = createCanvas(img.width, img.height);
  const g = c.getContext('2d');
  g.drawImage(img, 0, 0);
  return { width: img.width, at: (x: number, y: number) => [...g.getImageData(x, y, 1, 1).data] };
}

describe('level check with cards', () => {
  it('given members with different unflushed XP then the card bar follows each one, and the avatar is drawn in its circle', async () => {
    w = await world();
    // Level 1 starts at 36 XP and costs 45: 63 XP is 60 % of the bar, 45 XP is 20 %. Nothing is flushed.
    w.core.engine.adjustXp(w.guildId, w.alice, { set: 63 });
    w.core.engine.adjustXp(w.guildId, w.bob, { set: 45 });
    const a = await w.prefix(w.alice, '!level check');
    const b = await w.prefix(w.bob, '!level check');
    expect(a.attachments.map((x) => x.filename)).toEqual(['level.png']);
    const [pa, pb] = await Promise.all([pixels(a.attachments[0]!.data), pixels(b.attachments[0]!.data)]);
    expect(pa.width).toBe(1000); // 500 template pixels at the default scale 2
    const s = 2;
    const bar = { x: 28 * s, y: (197 + 10) * s, width: 444 * s }; // the default template's bar, at its vertical middle
    const diff = (x: number) => pa.at(x, bar.y).reduce((s, v, i) => s + Math.abs(v - pb.at(x, bar.y)[i]!), 0);
    expect(diff(bar.x + bar.width * 0.1)).toBeLessThan(40); // both filled
    expect(diff(bar.x + bar.width * 0.4)).toBeGreaterThan(60); // alice filled, bob not
    expect(diff(bar.x + bar.width * 0.9)).toBeLessThan(40); // neither
    const [r = 0, g = 0, bl = 0] = pa.at((28 + 56) * s, (28 + 56) * s); // the avatar circle's centre is the red avatar
    expect(r).toBeGreaterThan(200);
    expect(g + bl).toBeLessThan(60);
  });

  it('given an animated background equipped from the shop then the card is an animated GIF', async () => {
    w = await world();
    await w.prefix(w.owner, `!xpshop give <@${w.alice}> aurora`);
    await w.prefix(w.alice, '!xpshop use aurora');
    const card = await w.prefix(w.alice, '!level check');
    expect(card.attachments.map((x) => x.filename)).toEqual(['level.gif']);
    const info = readImageInfo(card.attachments[0]!.data);
    expect(info).toMatchObject({ type: 'gif', width: 1000, height: 490 });
    expect(info!.frames).toBeGreaterThan(1);
  });

  it('given a club then its name is on the card even when its icon cannot be fetched', async () => {
    w = await world();
    const plain = await w.prefix(w.alice, '!level check');
    w.core.db.prepare("INSERT INTO Clubs (Name, ImageUrl, OwnerId, DateAdded) VALUES ('Rainbow Riders', 'https://cdn.example/broken.png', ?, 0)").run(BigInt(w.alice));
    w.core.db.prepare('INSERT INTO DiscordUser (UserId, ClubId) VALUES (?, 1) ON CONFLICT DO UPDATE SET ClubId = 1').run(BigInt(w.alice));
    const withClub = await w.prefix(w.alice, '!level check');
    const [p0, p1] = await Promise.all([pixels(plain.attachments[0]!.data), pixels(withClub.attachments[0]!.data)]);
    // The club line (x 158–472, y 76–98 in template pixels, twice that at the default scale 2) changes.
    let changed = 0;
    for (let x = 160 * 2; x < 470 * 2; x += 3) for (let y = 78 * 2; y < 98 * 2; y += 2) if (p0.at(x, y).some((v, i) => Math.abs(v - p1.at(x, y)[i]!) > 40)) changed++;
    expect(changed).toBeGreaterThan(20);
  });
});
