import { describe, expect, it } from 'vitest';
import { accentColorSchema, checkAccent, contrastRatio, hexToRgb, normalizeHex, relativeLuminance, type BackdropElement } from '../../src/cards/contrast.js';

const lum = (hex: string) => relativeLuminance(hexToRgb(hex));
const ratio = (a: string, b: string) => contrastRatio(lum(a), lum(b));

describe('WCAG contrast', () => {
  it.each([
    ['#000000', '#ffffff', 21],
    ['#ffffff', '#ffffff', 1],
    ['#777777', '#ffffff', 4.48],
    ['#767676', '#ffffff', 4.54],
    ['#0000ff', '#ffffff', 8.59],
    ['#ff0000', '#000000', 5.25],
  ])('given %s on %s, then the ratio is %d (published WCAG values)', (a, b, expected) => {
    expect(ratio(a, b)).toBeCloseTo(expected, 2);
    expect(ratio(b, a)).toBeCloseTo(expected, 2);
  });

  it('given accent text in the usual forms, then it is normalised to #rrggbb; other forms are refused', () => {
    expect(accentColorSchema.parse(' #F6C ')).toBe('#ff66cc');
    expect(accentColorSchema.parse('#A1b2C3')).toBe('#a1b2c3');
    for (const bad of ['ff66cc', '#ff66cc80', 'red', 'rgb(1,2,3)', '#ggg', '']) expect(accentColorSchema.safeParse(bad).success, bad).toBe(false);
    expect(normalizeHex('#abc')).toBe('#aabbcc');
  });
});

describe('checkAccent', () => {
  const dark: BackdropElement[] = [
    { name: 'level', minRatio: 3, luminances: [lum('#10121c'), lum('#1a1d2b')] },
    { name: 'bar', minRatio: 3, luminances: [lum('#3a3d4b')] },
  ];

  it('given a light accent on a dark card, then it is ok and the lowest ratio is reported', () => {
    const v = checkAccent('#FFD166', dark);
    expect(v).toMatchObject({ accent: '#ffd166', ok: true, element: 'bar', suggestion: null });
    expect(v.ratio).toBeCloseTo(ratio('#ffd166', '#3a3d4b') - 0.005, 1);
  });

  it('given a dark accent on a dark card, then it is refused with a lighter shade that passes', () => {
    const v = checkAccent('#3b1f5e', dark);
    expect(v.ok).toBe(false);
    expect(v.ratio).toBeLessThan(3);
    expect(v.suggestion).not.toBeNull();
    expect(lum(v.suggestion!)).toBeGreaterThan(lum('#3b1f5e'));
    expect(checkAccent(v.suggestion!, dark).ok).toBe(true);
  });

  it('given a backdrop with both dark and light cells, then the worst cell decides', () => {
    const mixed: BackdropElement[] = [{ name: 'rank', minRatio: 3, luminances: [lum('#000000'), lum('#ffffff')] }];
    // Mid grey keeps at least 3:1 on black (4.7) and on white (4.5); a darker grey falls below 3:1 on the black cell.
    expect(checkAccent('#777777', mixed).ok).toBe(true);
    expect(checkAccent('#444444', mixed)).toMatchObject({ ok: false, element: 'rank' });
  });

  it('given small text that needs 4.5:1, then a colour good enough for large text is refused there', () => {
    const backdrop = (minRatio: number): BackdropElement[] => [{ name: 'level', minRatio, luminances: [lum('#202020')] }];
    const accent = '#8a6d9c'; // about 3.6:1 on #202020
    expect(checkAccent(accent, backdrop(3)).ok).toBe(true);
    expect(checkAccent(accent, backdrop(4.5)).ok).toBe(false);
  });
});
