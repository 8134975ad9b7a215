import { describe, expect, it } from 'vitest';
import { cleanText, ellipsize, formatNumber } from '../../src/cards/format.js';
import { CardTemplateError, cardTemplateSchema, defaultCardTemplate, MAX_CARD_PIXELS, parseCardTemplate } from '../../src/cards/template.js';

describe('card template', () => {
  it('given nothing, then every field has its default (a 500×245 card)', () => {
    const t = parseCardTemplate(undefined);
    expect(t).toEqual(defaultCardTemplate);
    expect([t.width, t.height]).toEqual([500, 245]);
    expect(t.name.show).toBe(true);
  });

  it('given a partial section, then only the given fields change', () => {
    const t = parseCardTemplate({ name: { color: '#ffd700', font: { size: 30 } }, bar: { height: 12 } });
    expect(t.name.color).toBe('#ffd700');
    expect(t.name.font).toEqual({ family: 'Unicornia Sans', size: 30, weight: 'normal' });
    expect(t.name.x).toBe(defaultCardTemplate.name.x);
    expect(t.bar.height).toBe(12);
    expect(t.bar.width).toBe(defaultCardTemplate.bar.width);
  });

  it('given a wrong field, then the error names its path from card:', () => {
    let error: unknown;
    try {
      parseCardTemplate({ bar: { height: 'tall' }, level: { value: { color: 'not a colour!' } }, width: 99999 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CardTemplateError);
    const issues = (error as CardTemplateError).issues.join('\n');
    expect(issues).toMatch(/^card\.bar\.height: /m);
    expect(issues).toMatch(/^card\.level\.value\.color: must be a CSS colour/m);
    expect(issues).toMatch(/^card\.width: /m);
    expect((error as CardTemplateError).code).toBe('invalid_card_template');
  });

  it('given an unknown key (a typo), then it is refused rather than ignored', () => {
    const r = cardTemplateSchema.safeParse({ avatar: { sise: 90 } });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['avatar']);
    expect(r.error!.issues[0]!.message).toMatch(/sise/);
  });

  it('given colours in the usual CSS forms, then they are accepted', () => {
    for (const color of ['#fff', '#ffffff80', 'rgba(0, 0, 0, 0.5)', 'hsl(280 60% 50%)', 'white', 'transparent']) {
      expect(cardTemplateSchema.safeParse({ panel: { color } }).success, color).toBe(true);
    }
  });
});

describe('card template: scale', () => {
  it('given no scale, then cards are drawn at 2× (the same 500 × 245 layout)', () => {
    expect(parseCardTemplate({}).scale).toBe(2);
    expect(parseCardTemplate({ scale: 1 }).scale).toBe(1);
    expect(parseCardTemplate({ scale: 1.5 }).scale).toBe(1.5);
  });

  it('given a scale outside 1–3, then it is refused naming card.scale', () => {
    for (const scale of [0, 0.5, 3.5, 'big']) expect(() => parseCardTemplate({ scale })).toThrow(/card\.scale: /);
  });

  it('given a big card and no scale, then the default scale is lowered to stay within the pixel limit', () => {
    const big = parseCardTemplate({ width: 1600, height: 1000 });
    expect(big.scale).toBe(1.08); // 1600 × (1000 + the 56-pixel level-up banner) × 1.08² ≤ 2 000 000
    const mid = parseCardTemplate({ width: 1000, height: 600 });
    expect(mid.scale).toBeGreaterThan(1);
    for (const t of [big, mid]) expect(Math.round(t.width * t.scale) * Math.round((t.height + t.levelUp.height) * t.scale)).toBeLessThanOrEqual(MAX_CARD_PIXELS);
  });

  it('given a big card with an explicit scale past the pixel limit, then the error says the largest scale that fits', () => {
    expect(() => parseCardTemplate({ width: 1600, height: 1000, scale: 2 })).toThrow(/card\.scale: 1600×1056 \(the level-up card\) at scale 2 is 6,758,400 pixels; at most 2,000,000 \(scale ≤ 1\.08/);
  });
});

describe('text helpers', () => {
  it('given numbers, then thousands are separated', () => {
    expect([formatNumber(0), formatNumber(9999), formatNumber(100_000), formatNumber(450_224_973), formatNumber(NaN)]).toEqual(['0', '9,999', '100,000', '450,224,973', '0']);
  });

  it('given a long emoji name, then the ellipsis never splits a grapheme', () => {
    const family = '👨‍👩‍👧';
    const cut = ellipsize(family.repeat(10), 35, (s) => [...s].length);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.slice(0, -1).split(family).every((part) => part === '')).toBe(true);
  });

  it('given control characters, bidi overrides and a huge name, then they are cleaned and bounded', () => {
    expect(cleanText('a\u202Eb\u0007c  \n d')).toBe('abc d');
    expect(cleanText('🦄'.repeat(1000)).length).toBeLessThanOrEqual(300);
  });
});
