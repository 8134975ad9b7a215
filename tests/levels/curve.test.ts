import { describe, expect, it } from 'vitest';
import { CURVE_PRESETS, describeCurve, levelFromXp, levelStats, presetOf, totalXpForLevel, xpForNextLevel, NADEKO_CURVE, type LevelCurve } from '../../src/levels/curve.js';

describe('level curve (DESIGN §1)', () => {
  it.each([
    [0, 0, 0, 36],
    [35, 0, 35, 36],
    [36, 1, 0, 45],
    [100, 2, 19, 54],
    [198, 4, 0, 72],
    [1000, 11, 109, 135],
    [100000, 145, 820, 1341],
  ])('given %i total XP then level %i with %i / %i', (xp, level, inLevel, needed) => {
    expect(levelStats(xp)).toMatchObject({ level, xpInLevel: inLevel, xpNeeded: needed });
  });

  it('given negative XP then it counts as level 0', () => {
    expect(levelFromXp(-50)).toBe(0);
    expect(levelStats(-50)).toMatchObject({ level: 0, xpInLevel: 0, totalXp: 0 });
  });

  it('given the default curve then T(L) = (9L² + 63L) / 2 and the step is 9L + 36', () => {
    for (let l = 0; l < 2000; l++) {
      expect(totalXpForLevel(l)).toBe((9 * l * l + 63 * l) / 2);
      expect(xpForNextLevel(l)).toBe(9 * l + 36);
    }
  });

  it('given every boundary T(L)-1 / T(L) up to level 100 000 then the level flips exactly there', () => {
    let bad = 0;
    for (let l = 1; l <= 100_000; l++) {
      const t = totalXpForLevel(l);
      if (levelFromXp(t) !== l || levelFromXp(t - 1) !== l - 1) bad++;
    }
    expect(bad).toBe(0);
  });

  it('given custom constants then the level agrees with a plain iterative definition', () => {
    const iterative = (xp: number, a: number, c: number) => {
      let level = 0;
      let need = a + c;
      let left = xp;
      while (left >= need) {
        left -= need;
        level++;
        need = a * (level + 1) + c;
      }
      return level;
    };
    for (const [a, c] of [[9, 27], [1, 0], [100, 500], [3, 7], [50, 0], [1, 500]] as const) {
      for (let xp = 0; xp < 20_000; xp += 7) expect(levelFromXp(xp, { a, c })).toBe(iterative(xp, a, c));
      // Large totals: the float estimate is corrected against the exact T.
      for (const xp of [1e9, 123_456_789_012, 2 ** 50]) {
        const l = levelFromXp(xp, { a, c });
        expect(totalXpForLevel(l, { a, c })).toBeLessThanOrEqual(xp);
        expect(totalXpForLevel(l + 1, { a, c })).toBeGreaterThan(xp);
      }
    }
  });

  it('given huge totals then T(level) ≤ xp < T(level + 1)', () => {
    for (const xp of [1e12, 987_654_321_987, 2 ** 52, 2 ** 53 - 1]) {
      const l = levelFromXp(xp, NADEKO_CURVE);
      expect(totalXpForLevel(l)).toBeLessThanOrEqual(xp);
      expect(totalXpForLevel(l + 1)).toBeGreaterThan(xp);
    }
  });

  describe('presets', () => {
    /** Level by walking the published step formula one level at a time. */
    const walk = (xp: number, step: (l: number) => number) => {
      let level = 0;
      let left = xp;
      while (left >= step(level)) left -= step(level++);
      return level;
    };

    it.each([
      ['mee6', (l: number) => 5 * l * l + 50 * l + 100],
      ['linear', () => 100],
      ['nadeko', (l: number) => 9 * l + 36],
    ] as const)('given the %s preset then every level agrees with its published step formula', (name, step) => {
      const curve = CURVE_PRESETS[name];
      for (let l = 0; l < 300; l++) expect(xpForNextLevel(l, curve)).toBe(step(l));
      for (let xp = 0; xp < 200_000; xp += 13) expect(levelFromXp(xp, curve)).toBe(walk(xp, step));
    });

    it('given MEE6 then the documented totals hold (level 1 at 100, level 2 at 255, level 10 at 4 675)', () => {
      expect([1, 2, 10].map((l) => totalXpForLevel(l, CURVE_PRESETS.mee6))).toEqual([100, 255, 4675]);
    });

    it('given every boundary and huge totals then the level flips exactly there, on every preset', () => {
      for (const curve of Object.values(CURVE_PRESETS) as LevelCurve[]) {
        for (let l = 1; l <= 20_000; l++) {
          const t = totalXpForLevel(l, curve);
          expect(levelFromXp(t, curve) === l && levelFromXp(t - 1, curve) === l - 1).toBe(true);
        }
        for (const xp of [1e12, 987_654_321_987, 2 ** 52, 2 ** 53 - 1]) {
          const l = levelFromXp(xp, curve);
          expect(totalXpForLevel(l, curve)).toBeLessThanOrEqual(xp);
          expect(totalXpForLevel(l + 1, curve)).toBeGreaterThan(xp);
        }
      }
    });

    it('given a curve then it is named by its preset and its step formula', () => {
      expect(describeCurve(NADEKO_CURVE)).toBe('Nadeko (9L + 36 XP per level)');
      expect(describeCurve(CURVE_PRESETS.mee6)).toBe('MEE6 (5L² + 50L + 100 XP per level)');
      expect(describeCurve(CURVE_PRESETS.linear)).toBe('linear (100 XP per level)');
      expect(describeCurve({ a: 10, c: 20 })).toBe('custom a=10, c=20 (10L + 30 XP per level)');
      expect(presetOf({ a: 9, c: 27, q: 0 })).toBe('nadeko');
    });
  });
});
