import { describe, expect, it } from 'vitest';
import { cleanText, ellipsize, formatNumber } from '../../src/cards/format.js';
import { CardTemplateError, cardTemplateSchema, defaultCardTemplate, parseCardTemplate } from '../../src/cards/template.js';

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
