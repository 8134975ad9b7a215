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
    const px = decode(out.bytes, 2);
    expect([px.width, px.height]).toEqual([1000, 490]); // 500 × 245 at the default scale 2
    // Rounded corners are transparent; the middle is opaque.
    expect(px.at(0, 0)[3]).toBe(0);
    expect(px.at(250, 120)[3]).toBe(255);
  });

  it.each([0, 0.25, 0.5, 0.8, 1])('given progress %d, then the bar fill covers that share of the bar', (progress) => {
    const t = plain({ bar: { fillFrom: '#ff0000', fillTo: '#ff0000', trackColor: '#0000ff' }, xpText: { show: false }, total: { show: false } });
    const px = decode(painter.paint(context({ template: t, xpInLevel: progress * 1000, xpNeeded: 1000 })).bytes, t.scale);
    const b = t.bar;
    const y = (b.y + b.height / 2) * t.scale;
    let red = 0;
    let blue = 0;
    for (let x = b.x * t.scale; x < (b.x + b.width) * t.scale; x++) {
      const [r, , bl] = px.atPx(x, y);
      if (r > 200 && bl < 60) red++;
      else if (bl > 200 && r < 60) blue++;
    }
    expect(Math.abs(red - progress * b.width * t.scale)).toBeLessThanOrEqual(4);
    expect(red + blue).toBeGreaterThanOrEqual((b.width - 4) * t.scale);
  });

  it('given an avatar, then it is drawn inside its circle only', () => {
    const t = plain({ avatar: { ringWidth: 0 } });
    const px = decode(painter.paint(context({ template: t, avatar: solidPng(128, 128, '#00ff00') })).bytes, t.scale);
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
    const px = decode(painter.paint(context({ template: t, avatar: null, displayName: 'zed' })).bytes, t.scale);
    const a = t.avatar;
    expect(near(px.at(a.x + 12, a.y + a.size / 2), [255, 0, 255])).toBe(true);
    expect(near(px.at(a.x + 2, a.y + 2), [128, 128, 128])).toBe(true);
  });

  it('given emoji in the name, then their glyphs are in colour (and plain text is not)', () => {
    const t = plain({ avatar: { show: false }, name: { shadow: false, color: '#ffffff' } });
    const count = (name: string) => {
      const px = decode(painter.paint(context({ template: t, displayName: name })).bytes, t.scale);
      let saturated = 0;
      for (let y = t.name.y - 30; y < t.name.y + 8; y++) for (let x = t.name.x; x < t.name.x + t.name.maxWidth; x++) if (isSaturated(px.at(x, y))) saturated++;
      return saturated;
    };
    expect(count('🦄🌈🍉')).toBeGreaterThan(200);
    expect(count('Plain text')).toBe(0);
  });

  /** Leftmost and rightmost inked column between template rows y0 and y1, in template coordinates. */
  function inkColumns(px: ReturnType<typeof decode>, y0: number, y1: number, isInk: (p: number[]) => boolean): { min: number; max: number } {
    let min = Infinity;
    let max = -Infinity;
    for (let y = Math.max(0, Math.floor(y0 * px.scale)); y < Math.min(px.height, y1 * px.scale); y++) {
      for (let x = 0; x < px.width; x++) {
        if (isInk(px.atPx(x, y))) {
          min = Math.min(min, x / px.scale);
          max = Math.max(max, x / px.scale);
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
    const px = decode(painter.paint(context({ template: t, displayName: name })).bytes, t.scale);
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
      t.scale,
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
    const px = decode(painter.paint(context({ template: t, clubName: 'Night Owls', clubIcon: Buffer.from('not an image') })).bytes, t.scale);
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
    const px = decode(painter.paint(context({ template: t, background: c.encodeSync('png'), backgroundKey: 'clear' })).bytes, t.scale);
    expect(near(px.at(5, 120), [0, 255, 0])).toBe(true);
  });

  it('given broken image bytes everywhere, then the card still renders with placeholders', () => {
    const junk = new Uint8Array([1, 2, 3, 4, 5]);
    const out = painter.paint(context({ avatar: junk, clubIcon: junk, clubName: 'Club', background: junk, backgroundKey: 'junk' }));
    expect(out.format).toBe('png');
    expect(decode(out.bytes).width).toBe(1000);
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

describe('CardPainter: text stays in its box', () => {
  const zalgo = (base: string) =>
    [...base].map((c, i) => c + Array.from({ length: 40 }, (_, k) => String.fromCodePoint(k % 2 ? 0x0316 + ((i + k) % 20) : 0x0300 + ((i + k) % 20))).join('')).join('');

  it('given a name with stacked combining marks (Zalgo), then nothing is drawn above or below its box, and level and rank are untouched', () => {
    const t = plain({
      avatar: { show: false },
      name: { color: '#ff0000', shadow: false },
      club: { name: { show: false } },
      level: { label: { show: false }, value: { show: false } },
      rank: { label: { show: false }, value: { show: false } },
      bar: { show: false },
      xpText: { show: false },
      total: { show: false },
    });
    const px = decode(painter.paint(context({ template: t, displayName: zalgo('Zalgo') })).bytes, t.scale);
    const isRed = (p: number[]) => p[0]! > 160 && p[1]! < 110 && p[2]! < 110;
    const n = t.name;
    let inside = 0;
    let outside = 0;
    for (let y = 0; y < px.height; y++) {
      for (let x = 0; x < px.width; x++) {
        if (!isRed(px.atPx(x, y))) continue;
        const ty = y / t.scale;
        if (ty >= n.y - n.font.size * 1.15 - 0.5 && ty <= n.y + n.font.size * 0.35 + 0.5) inside++;
        else outside++;
      }
    }
    expect(inside).toBeGreaterThan(100);
    expect(outside).toBe(0);
  });

  it('given Zalgo marks in the club name, then they stay in the club line', () => {
    const t = plain({ avatar: { show: false }, name: { show: false }, club: { name: { color: '#ff0000', shadow: false } } });
    const px = decode(painter.paint(context({ template: t, clubName: zalgo('Owls') })).bytes, t.scale);
    const c = t.club.name;
    for (let y = 0; y < px.height; y++) {
      const ty = y / t.scale;
      if (ty >= c.y - c.font.size * 1.15 - 0.5 && ty <= c.y + c.font.size * 0.35 + 0.5) continue;
      for (let x = 0; x < px.width; x++) expect(px.atPx(x, y)[0] > 160 && px.atPx(x, y)[1] < 110, `red at ${x},${y}`).toBe(false);
    }
  });

  it('given a Zalgo first letter and no avatar, then the placeholder initial keeps only a couple of marks', () => {
    const t = plain({ avatar: { ringWidth: 0, placeholderColor: '#0000ff' }, name: { show: false } });
    const px = decode(painter.paint(context({ template: t, displayName: zalgo('Z') })).bytes, t.scale);
    const a = t.avatar;
    // 40 stacked marks would reach the top and bottom of the circle; two stay near the letter.
    for (const y of [a.y + 6, a.y + a.size - 6]) expect(near(px.at(a.x + a.size / 2, y), [0, 0, 255], 40), `y ${y}`).toBe(true);
  });
});

describe('CardPainter: pixel density', () => {
  it('given scale 1, 2 and 3, then the same layout is drawn at that many pixels per template pixel', () => {
    for (const scale of [1, 2, 3]) {
      const t = plain({ scale, bar: { fillFrom: '#ff0000', fillTo: '#ff0000', trackColor: '#0000ff' }, xpText: { show: false }, total: { show: false } });
      const out = painter.paint(context({ template: t, xpInLevel: 500, xpNeeded: 1000 }));
      expect([out.width, out.height]).toEqual([500 * scale, 245 * scale]);
      const px = decode(out.bytes, scale);
      const b = t.bar;
      const y = b.y + b.height / 2;
      expect(near(px.at(b.x + b.width * 0.25, y), [255, 0, 0])).toBe(true);
      expect(near(px.at(b.x + b.width * 0.75, y), [0, 0, 255])).toBe(true);
      // The fill ends at half the bar, to the image pixel.
      let red = 0;
      for (let x = b.x * scale; x < (b.x + b.width) * scale; x++) if (px.atPx(x, y * scale)[0] > 200) red++;
      expect(Math.abs(red - (b.width / 2) * scale)).toBeLessThanOrEqual(scale);
    }
  });
});

describe('CardPainter: accent colour', () => {
  /** Dark flat card: the panel is off, so what the accent is compared with is exactly this grey. */
  const darkCard = (extra: Parameters<typeof template>[0] = {}) =>
    template({
      cornerRadius: 0,
      background: { colorFrom: '#202020', colorTo: '#202020', dim: 'transparent' },
      panel: { show: false },
      level: { value: { shadow: false } },
      rank: { value: { shadow: false } },
      ...extra,
    });

  /** The most common clearly-coloured pixel inside a template box. */
  function inkColour(px: ReturnType<typeof decode>, x0: number, y0: number, x1: number, y1: number): number[] | null {
    const counts = new Map<string, number>();
    for (let y = y0 * px.scale; y < y1 * px.scale; y++) {
      for (let x = x0 * px.scale; x < x1 * px.scale; x++) {
        const p = px.atPx(x, y);
        if (Math.max(p[0], p[1], p[2]) < 80) continue; // the dark background
        const key = p.slice(0, 3).join(',');
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    const top = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
    return top ? top[0].split(',').map(Number) : null;
  }

  it('given a readable accent, then level, rank, ring and bar take it, and the verdict says so', () => {
    const t = darkCard();
    const out = painter.paint(context({ template: t, accent: '#FFD166', xpInLevel: 100, xpNeeded: 100 }));
    expect(out.accent).toMatchObject({ accent: '#ffd166', ok: true, suggestion: null });
    expect(out.accent!.ratio).toBeGreaterThanOrEqual(3);
    const px = decode(out.bytes, t.scale);
    const v = t.level.value;
    expect(near(inkColour(px, v.x, v.y - 24, v.x + 80, v.y)!, [255, 209, 102], 6)).toBe(true);
    const r = t.rank.value;
    expect(near(inkColour(px, r.x, r.y - 24, r.x + 80, r.y)!, [255, 209, 102], 6)).toBe(true);
    expect(near(px.at(t.bar.x + 6, t.bar.y + t.bar.height / 2), [255, 209, 102], 12)).toBe(true);
    const a = t.avatar;
    expect(near(px.at(a.x + a.size / 2, a.y - a.ringWidth / 2), [255, 209, 102], 12)).toBe(true);
  });

  it('given an accent too dark for the card, then the template colours are drawn and the verdict suggests a shade that passes', () => {
    const t = darkCard();
    const out = painter.paint(context({ template: t, accent: '#3b1f5e' }));
    expect(out.accent).toMatchObject({ accent: '#3b1f5e', ok: false });
    expect(out.accent!.ratio).toBeLessThan(3);
    const px = decode(out.bytes, t.scale);
    const v = t.level.value;
    expect(near(inkColour(px, v.x, v.y - 24, v.x + 80, v.y)!, [255, 255, 255], 6)).toBe(true); // the template's white
    const again = painter.paint(context({ template: t, accent: out.accent!.suggestion! }));
    expect(again.accent!.ok).toBe(true);
  });

  it('given the same accent on a light background, then it is judged against that background', () => {
    const light = darkCard({ background: { colorFrom: '#f4f4f4', colorTo: '#f4f4f4', dim: 'transparent' } });
    expect(painter.paint(context({ template: light, accent: '#ffd166' })).accent).toMatchObject({ ok: false });
    expect(painter.paint(context({ template: light, accent: '#5a189a' })).accent).toMatchObject({ ok: true });
  });

  it('given no accent, then the verdict is null and the template colours are drawn', () => {
    const out = painter.paint(context({ template: darkCard() }));
    expect(out.accent).toBeNull();
  });

  it('given an accent on an animated card, then every frame shows it and the verdict covers every frame', () => {
    const t = template({ level: { value: { shadow: false } } });
    const out = painter.paint(context({ template: t, accent: '#ffd166', background: aurora, backgroundKey: 'aurora', avatar: solidPng(64, 64, '#00ff00') }));
    expect(out.format).toBe('gif');
    expect(out.accent!.ok).toBe(true);
    const { frames } = decodeGif(out.bytes, t.scale);
    const a = t.avatar;
    for (const f of frames) {
      expect(near(f.at(a.x + a.size / 2, a.y + a.size / 2), [0, 255, 0], 24)).toBe(true); // the overlay, on every frame
      expect(near(f.at(a.x + a.size / 2, a.y - a.ringWidth / 2), [255, 209, 102], 24)).toBe(true);
    }
  });
});

describe('CardPainter: level-up card', () => {
  it('given levelUp, then the image is the card under a banner: same card, moved down by the banner, and the banner text drawn', () => {
    const t = plain({ bar: { fillFrom: '#ff0000', fillTo: '#ff0000', trackColor: '#0000ff' }, levelUp: { color: '#00ff00' } });
    const plainCard = painter.paint(context({ template: t, xpInLevel: 50, xpNeeded: 100, level: 10 }));
    const out = painter.paint(context({ template: t, xpInLevel: 50, xpNeeded: 100, level: 10, levelUp: { oldLevel: 9 } }));
    const top = t.levelUp.height;
    expect([out.width, out.height]).toEqual([plainCard.width, plainCard.height + top * t.scale]);
    const a = decode(plainCard.bytes, t.scale);
    const b = decode(out.bytes, t.scale);
    // Every pixel of the card part is the plain card's pixel, `top` lower.
    let differing = 0;
    for (let y = 0; y < a.height; y += 3) for (let x = 0; x < a.width; x += 3) if (!near(a.atPx(x, y), b.atPx(x, y + top * t.scale), 3)) differing++;
    expect(differing).toBe(0);
    // The banner holds the green text, centred, and nothing else green.
    const green = inkBox(b, 0, top, (p) => p[1]! > 180 && p[0]! < 120 && p[2]! < 120);
    expect(green.count).toBeGreaterThan(300);
    expect(Math.abs((green.minX + green.maxX) / 2 - t.width / 2)).toBeLessThan(4);
  });

  it('given a long banner text, then it shrinks or ends in an ellipsis inside the band', () => {
    const t = plain({ levelUp: { text: 'LEVEL UP AGAIN {oldlevel} → {level} WOW', color: '#00ff00', font: { size: 40, weight: 'bold' } } });
    const out = decode(painter.paint(context({ template: t, level: 1234, levelUp: { oldLevel: 1233 } })).bytes, t.scale);
    const green = inkBox(out, 0, t.levelUp.height, (p) => p[1]! > 180 && p[0]! < 120 && p[2]! < 120);
    expect(green.count).toBeGreaterThan(300);
    expect(green.minX).toBeGreaterThan(10);
    expect(green.maxX).toBeLessThan(t.width - 10);
  });

  it('given levelUp on an animated background, then every frame has the banner', () => {
    const t = template({ levelUp: { color: '#00ff00' } });
    const out = painter.paint(context({ template: t, background: aurora, backgroundKey: 'aurora', levelUp: { oldLevel: 11 } }));
    expect(out.format).toBe('gif');
    expect(out.height).toBe((t.height + t.levelUp.height) * t.scale);
    for (const f of decodeGif(out.bytes, t.scale).frames) expect(inkBox(f, 0, t.levelUp.height, (p) => p[1]! > 180 && p[0]! < 140 && p[2]! < 140).count).toBeGreaterThan(200);
  });
});

/** Count and horizontal extent (template pixels) of the pixels matching `isInk` between template rows y0 and y1. */
function inkBox(px: ReturnType<typeof decode>, y0: number, y1: number, isInk: (p: number[]) => boolean): { count: number; minX: number; maxX: number } {
  let count = 0;
  let minX = Infinity;
  let maxX = -Infinity;
  for (let y = y0 * px.scale; y < y1 * px.scale; y++) {
    for (let x = 0; x < px.width; x++) {
      if (!isInk(px.atPx(x, y))) continue;
      count++;
      minX = Math.min(minX, x / px.scale);
      maxX = Math.max(maxX, x / px.scale);
    }
  }
  return { count, minX, maxX };
}
