/**
 * Nadeko's level curve (DESIGN §1). Pure integer math, no imports.
 *
 * The cost of going from level L to L+1 is `a·(L+1) + c`; Nadeko's defaults a = 9, c = 27 give `9L + 36`.
 * Total XP to reach level L is therefore T(L) = a·L(L+1)/2 + c·L, which is `(9L² + 63L) / 2` by default.
 * Every result is exact for totals below 2^53: the level is estimated with a float square root and then
 * corrected against T, which is computed exactly.
 */
export interface LevelCurve {
  /** Per-level growth, 1–100. Nadeko default 9. */
  readonly a: number;
  /** Constant part of each level's cost, 0–500. Nadeko default 27. */
  readonly c: number;
}

export const NADEKO_CURVE: LevelCurve = Object.freeze({ a: 9, c: 27 });

export const CURVE_LIMITS = Object.freeze({ aMin: 1, aMax: 100, cMin: 0, cMax: 500 });

/** XP needed to go from `level` to `level + 1`. */
export function xpForNextLevel(level: number, curve: LevelCurve = NADEKO_CURVE): number {
  return curve.a * (level + 1) + curve.c;
}

/** Total XP at which `level` starts. a·L(L+1) is always even, so the division is exact. */
export function totalXpForLevel(level: number, curve: LevelCurve = NADEKO_CURVE): number {
  if (level <= 0) return 0;
  return (curve.a * level * (level + 1)) / 2 + curve.c * level;
}

/** The largest level L with T(L) ≤ xp; negative XP counts as 0. */
export function levelFromXp(xp: number, curve: LevelCurve = NADEKO_CURVE): number {
  if (!(xp > 0)) return 0;
  const { a, c } = curve;
  // Solve a/2·L² + (a/2 + c)·L − xp = 0 for L, then fix the float estimate by at most a step or two.
  const b = a / 2 + c;
  let level = Math.floor((-b + Math.sqrt(b * b + 2 * a * xp)) / a);
  if (level < 0) level = 0;
  while (level > 0 && totalXpForLevel(level, curve) > xp) level--;
  while (totalXpForLevel(level + 1, curve) <= xp) level++;
  return level;
}

export interface LevelStats {
  level: number;
  /** XP earned inside the current level. */
  xpInLevel: number;
  /** XP the current level costs in total (the bar's denominator). */
  xpNeeded: number;
  totalXp: number;
  /** Total XP at which the next level starts. */
  nextLevelAt: number;
}

export function levelStats(totalXp: number, curve: LevelCurve = NADEKO_CURVE): LevelStats {
  const xp = Math.max(0, totalXp);
  const level = levelFromXp(xp, curve);
  const start = totalXpForLevel(level, curve);
  const xpNeeded = xpForNextLevel(level, curve);
  return { level, xpInLevel: xp - start, xpNeeded, totalXp: xp, nextLevelAt: start + xpNeeded };
}
