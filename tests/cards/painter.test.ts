import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCanvas } from '@napi-rs/canvas';
import { CardPainter } from '../../src/cards/painter.js';
import { defaultCardTemplate } from '../../src/cards/template.js';
import { context, decode, decodeGif, gif, isSaturated, near, solidPng, template } from './helpers.js';

const painter = new CardPainter();
const aurora = readFileSync(new URL('../../assets/backgrounds/aurora.gif', import.meta.url));
const defaultBg = readFileSync(new URL('../../assets/backgrounds/default.png', import.meta.url));

/** A flat grey card without panel or shadows: anything coloured on it was drawn by the element under test. */
const plain = (extra: Parameters<typeof template>[0] = {}) =>
  template({
    cornerRadius: 0,
    background: { colorFrom: '#808080', colorTo: '#808080', dim: 'transparent' },
    panel: { show: false },
    ...extra,
  });

describe('CardPainter: still cards', () => {
  it('given a still background, then the card is a PNG of the template size', () => {
    const out = painter.paint(context({ background: defaultBg, backgroundKey: 'default' }));
    expect(out.format).toBe('png');
    expect([...out.bytes.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    const px = decode(out.bytes);
    expect([px.width, px.height]).toEqual([500, 245]);
    // Rounded corners are transparent; the middle is opaque.
    expect(px.at(0, 0)[3]).toBe(0);
    expect(px.at(250, 120)[3]).toBe(255);
  });

  it.each([0, 0.25, 0.5, 0.8, 1])('given progress %d, then the bar fill covers that share of the bar', (progress) => {
    const t = plain({ bar: { fillFrom: '#ff0000', fillTo: '#ff0000', trackColor: '#0000ff' }, xpText: { show: false }, total: { show: false } });
    const px = decode(painter.paint(context({ template: t, xpInLevel: progress * 1000, xpNeeded: 1000 })).bytes);
    const b = t.bar;
    const y = b.y + b.height / 2;
    let red = 0;
    let blue = 0;
    for (let x = b.x; x < b.x + b.width; x++) {
      const [r, , bl] = px.at(x, y);
      if (r > 200 && bl < 60) red++;
      else if (bl > 200 && r < 60) blue++;
    }
    expect(Math.abs(red - progress * b.width)).toBeLessThanOrEqual(2);
    expect(red + blue).toBeGreaterThanOrEqual(b.width - 4);
  });

  it('given an avatar, then it is drawn inside its circle only', () => {
    const t = plain({ avatar: { ringWidth: 0 } });
    const px = decode(painter.paint(context({ template: t, avatar: solidPng(128, 128, '#00ff00') })).bytes);
    const a = t.avatar;
    const r = a.size / 2;
    const green = [0, 255, 0];
    const grey = [128, 128, 128];
    expect(near(px.at(a.x + r, a.y + r), green)).toBe(true); // centre
    expect(near(px.at(a.x + r, a.y + 3), green)).toBe(true); // just inside the top
    expect(near(px.at(a.x + 3, a.y + r), green)).toBe(true); // just inside the left
    for (const [x, y] of [
      [a.x + 2, a.y + 2],
      [a.x + a.size - 3, a.y + 2],
      [a.x + 2, a.y + a.size - 3],
      [a.x + a.size - 3, a.y + a.size - 3],
    ] as const) {
      expect(near(px.at(x, y), grey), `corner ${x},${y}`).toBe(true); // the square's corners show the background
    }
  });

  it('given no avatar, then a placeholder circle is drawn', () => {
    const t = plain({ avatar: { ringWidth: 0, placeholderColor: '#ff00ff' } });
    const px = decode(painter.paint(context({ template: t, avatar: null, displayName: 'zed' })).bytes);
    const a = t.avatar;
    expect(near(px.at(a.x + 12, a.y + a.size / 2), [255, 0, 255])).toBe(true);
    expect(near(px.at(a.x + 2, a.y + 2), [128, 128, 128])).toBe(true);
  });

  it('given emoji in the name, then their glyphs are in colour (and plain text is not)', () => {
    const t = plain({ avatar: { show: false }, name: { shadow: false, color: '#ffffff' } });
    const count = (name: string) => {
      const px = decode(painter.paint(context({ template: t, displayName: name })).bytes);
      let saturated = 0;
      for (let y = t.name.y - 30; y < t.name.y + 8; y++) for (let x = t.name.x; x < t.name.x + t.name.maxWidth; x++) if (isSaturated(px.at(x, y))) saturated++;
      return saturated;
    };
    expect(count('🦄🌈🍉')).toBeGreaterThan(200);
    expect(count('Plain text')).toBe(0);
  });

  function inkColumns(px: ReturnType<typeof decode>, y0: number, y1: number, isInk: (p: number[]) => boolean): { min: number; max: number } {
    let min = Infinity;
    let max = -Infinity;
    for (let y = y0; y < y1; y++) {
      for (let x = 0; x < px.width; x++) {
        if (isInk(px.at(x, y))) {
          min = Math.min(min, x);
          max = Math.max(max, x);
        }
      }
    }
    return { min, max };
  }

  it.each([
    ['32 wide characters', 'W'.repeat(32)],
    ['32 four-byte emoji', '🦄'.repeat(32)],
    ['CJK', '猫'.repeat(32)],
    ['mixed scripts', 'Ünïcörn 🦄 猫 ☆ Вика Σ ñ '.repeat(3)],
  ])('given a name of %s, then it stays inside its box (ellipsis)', (_label, name) => {
    const t = plain({ avatar: { show: false }, name: { shadow: false, color: '#ff0000' }, club: { name: { show: false } } });
    const px = decode(painter.paint(context({ template: t, displayName: name })).bytes);
    const ink = inkColumns(px, t.name.y - 36, t.name.y + 10, (p) => !near(p, [128, 128, 128], 30));
    expect(ink.min).toBeGreaterThanOrEqual(t.name.x - 1);
    expect(ink.max).toBeLessThanOrEqual(t.name.x + t.name.maxWidth + 1);
  });

  it('given level 9 999, rank 100 000 and huge XP, then level, rank, XP and total do not overlap', () => {
    const t = plain({
      avatar: { show: false },
      level: { label: { show: false }, value: { color: '#ff0000', shadow: false } },
      rank: { label: { show: false }, value: { color: '#00ff00', shadow: false } },
      xpText: { color: '#0000ff', shadow: false },
      total: { color: '#ffff00', shadow: false },
      bar: { show: false },
    });
    const px = decode(
      painter.paint(context({ template: t, level: 9999, rank: 100_000, xpInLevel: 90_035, xpNeeded: 90_036, totalXp: 450_224_999 })).bytes,
    );
    const isRed = (p: number[]) => p[0]! > 150 && p[1]! < 90 && p[2]! < 90;
    const isGreen = (p: number[]) => p[1]! > 150 && p[0]! < 90 && p[2]! < 90;
    const isBlue = (p: number[]) => p[2]! > 150 && p[0]! < 90 && p[1]! < 90;
    const isYellow = (p: number[]) => p[0]! > 150 && p[1]! > 150 && p[2]! < 90;
    const level = inkColumns(px, t.level.value.y - 40, t.level.value.y + 10, isRed);
    const rank = inkColumns(px, t.rank.value.y - 40, t.rank.value.y + 10, isGreen);
    const xp = inkColumns(px, t.xpText.y - 20, t.xpText.y + 6, isBlue);
    const total = inkColumns(px, t.total.y - 20, t.total.y + 6, isYellow);
    for (const box of [level, rank, xp, total]) expect(Number.isFinite(box.min)).toBe(true);
    expect(level.max).toBeLessThan(rank.min);
    expect(total.max).toBeLessThan(xp.min);
    expect(rank.max).toBeLessThanOrEqual(t.rank.value.x + t.rank.value.maxWidth + 1);
    expect(xp.max).toBeLessThanOrEqual(t.xpText.x + 1);
  });

  it('given a club without its icon, then the club name is still shown, in the icon place', () => {
    const t = plain({ avatar: { show: false }, club: { name: { color: '#ff0000', shadow: false } } });
    const px = decode(painter.paint(context({ template: t, clubName: 'Night Owls', clubIcon: Buffer.from('not an image') })).bytes);
    const ink = inkColumns(px, t.club.name.y - 16, t.club.name.y + 4, (p) => p[0]! > 150 && p[1]! < 90);
    expect(Number.isFinite(ink.min)).toBe(true);
    expect(ink.min).toBeLessThan(t.club.name.x); // moved left to where the icon would be
  });

  it('given a template font file that does not exist, then the bundled fonts are used', () => {
    const t = template({ fonts: [{ family: 'Missing Font', path: 'nowhere/missing.ttf' }], name: { font: { family: 'Missing Font', size: 28 } } });
    expect(painter.paint(context({ template: t, displayName: 'Still readable 🦄' })).format).toBe('png');
  });

  it('given a background with transparent parts, then the template gradient shows through', () => {
    const c = createCanvas(100, 50); // fully transparent PNG
    const t = plain({ background: { colorFrom: '#00ff00', colorTo: '#00ff00', dim: 'transparent' } });
    const px = decode(painter.paint(context({ template: t, background: c.encodeSync('png'), backgroundKey: 'clear' })).bytes);
    expect(near(px.at(5, 120), [0, 255, 0])).toBe(true);
  });

  it('given broken image bytes everywhere, then the card still renders with placeholders', () => {
    const junk = new Uint8Array([1, 2, 3, 4, 5]);
    const out = painter.paint(context({ avatar: junk, clubIcon: junk, clubName: 'Club', background: junk, backgroundKey: 'junk' }));
    expect(out.format).toBe('png');
    expect(decode(out.bytes).width).toBe(500);
  });
});

describe('CardPainter: animated cards', () => {
  it("given an animated GIF background, then the card is a GIF with the background's frames and each frame's delay", () => {
    const out = painter.paint(context({ background: aurora, backgroundKey: 'aurora' }));
    expect(out.format).toBe('gif');
    const { frames, delays } = decodeGif(out.bytes);
    expect(frames).toHaveLength(20);
    expect(delays).toEqual(Array.from({ length: 20 }, (_, i) => 6 + (i % 5) * 2));
    // The overlay is on every frame: the bar track and the name area differ from the bare background in all frames.
    const t = defaultCardTemplate;
    for (const f of frames) expect(f.at(t.panel.x + 40, t.panel.y + 40)[3]).toBe(255);
    expect(out.bytes.length).toBeLessThan(4_000_000);
  });

  it('given more frames than the cap, then frames are merged and the loop keeps its total time', () => {
    const bg = gif(30, (i) => (i % 3) + 2);
    const out = painter.paint(context({ background: bg, backgroundKey: 'thirty', template: template({ maxFrames: 10 }) }));
    const { delays } = decodeGif(out.bytes);
    expect(delays).toHaveLength(10);
    const total = Array.from({ length: 30 }, (_, i) => (i % 3) + 2).reduce((a, b) => a + b, 0);
    expect(delays.reduce((a, b) => a + b, 0)).toBe(total);
  });

  it('given a tight output limit, then the GIF gets fewer frames or smaller, not an error', () => {
    const small = new CardPainter({ maxOutputBytes: 60_000 });
    const out = small.paint(context({ background: aurora, backgroundKey: 'aurora' }));
    expect(out.format).toBe('gif');
    expect(out.bytes.length).toBeLessThanOrEqual(60_000);
    const { delays } = decodeGif(out.bytes);
    expect(delays.reduce((a, b) => a + b, 0)).toBe(Array.from({ length: 20 }, (_, i) => 6 + (i % 5) * 2).reduce((a, b) => a + b, 0));
  });

  it('given a one-frame GIF, then the card is a still PNG', () => {
    const out = painter.paint(context({ background: gif(1, () => 10), backgroundKey: 'one' }));
    expect(out.format).toBe('png');
  });
});
