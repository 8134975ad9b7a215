import { describe, expect, it } from 'vitest';
import { levelFromXp, levelStats, totalXpForLevel, xpForNextLevel, NADEKO_CURVE } from '../../src/levels/curve.js';

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
});
