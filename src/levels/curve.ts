/**
 * Level curves (DESIGN §1). Pure integer math, no imports.
 *
 * Going from level L to L+1 costs `q·L² + a·(L+1) + c` XP. Nadeko's curve is q = 0 with a = 9, c = 27 (`9L + 36`);
 * a server may pick other constants, or a preset: MEE6 (`5L² + 50L + 100`: q = 5, a = 50, c = 50) or linear (the
 * same XP for every level: q = 0, a = 0, c = 100). Total XP to reach level L is therefore
 * T(L) = q·(L−1)L(2L−1)/6 + a·L(L+1)/2 + c·L. Every result is exact for totals below 2^53: the level is estimated
 * with floats and then corrected against T, which is computed exactly.
 */
export interface LevelCurve {
  /** Per-level growth. Nadeko default 9; 1–100 for custom constants (0 only in the linear preset). */
  readonly a: number;
  /** Constant part of each level's cost, 0–500. Nadeko default 27. */
  readonly c: number;
  /** Quadratic growth (MEE6's 5); absent or 0 for Nadeko-style curves. */
  readonly q?: number;
}

export const NADEKO_CURVE: LevelCurve = Object.freeze({ a: 9, c: 27 });

/** The presets `curve preset` offers, with their published formulas. */
export const CURVE_PRESETS = Object.freeze({
  nadeko: Object.freeze({ a: 9, c: 27 }),
  mee6: Object.freeze({ q: 5, a: 50, c: 50 }),
  linear: Object.freeze({ a: 0, c: 100 }),
}) satisfies Readonly<Record<string, LevelCurve>>;

export type CurvePreset = keyof typeof CURVE_PRESETS;

/** Bounds of custom constants (`curve set a c`); the presets are fixed and need none. */
export const CURVE_LIMITS = Object.freeze({ aMin: 1, aMax: 100, cMin: 0, cMax: 500 });

/** XP needed to go from `level` to `level + 1`. */
export function xpForNextLevel(level: number, curve: LevelCurve = NADEKO_CURVE): number {
  return (curve.q ?? 0) * level * level + curve.a * (level + 1) + curve.c;
}

/** Total XP at which `level` starts. (L−1)L(2L−1) is divisible by 6 and L(L+1) by 2, so both divisions are exact. */
export function totalXpForLevel(level: number, curve: LevelCurve = NADEKO_CURVE): number {
  if (level <= 0) return 0;
  const q = curve.q ?? 0;
  const square = q === 0 ? 0 : (q * (level - 1) * level * (2 * level - 1)) / 6;
  return square + (curve.a * level * (level + 1)) / 2 + curve.c * level;
}

/** The largest level L with T(L) ≤ xp; negative XP counts as 0. */
export function levelFromXp(xp: number, curve: LevelCurve = NADEKO_CURVE): number {
  if (!(xp > 0)) return 0;
  let level = estimate(xp, curve);
  if (level < 0) level = 0;
  while (level > 0 && totalXpForLevel(level, curve) > xp) level--;
  while (totalXpForLevel(level + 1, curve) <= xp) level++;
  return level;
}

/** A float estimate of the level, within a step or two of it (the caller corrects it against T). */
function estimate(xp: number, curve: LevelCurve): number {
  const q = curve.q ?? 0;
  const { a, c } = curve;
  if (q === 0) {
    // Solve a/2·L² + (a/2 + c)·L − xp = 0 (linear when a = 0).
    const b = a / 2 + c;
    return a === 0 ? Math.floor(xp / c) : Math.floor((-b + Math.sqrt(b * b + 2 * a * xp)) / a);
  }
  // T is increasing and convex here: a few Newton steps from above the root land next to it.
  let l = Math.cbrt((3 * xp) / q) + 1;
  for (let i = 0; i < 8; i++) {
    const t = (q * (l - 1) * l * (2 * l - 1)) / 6 + (a * l * (l + 1)) / 2 + c * l - xp;
    const slope = (q * (6 * l * l - 6 * l + 1)) / 6 + a * l + a / 2 + c;
    const next = l - t / slope;
    if (Math.abs(next - l) < 0.5) return Math.floor(next);
    l = next;
  }
  return Math.floor(l);
}

/** Which preset a curve is, or null for custom constants. */
export function presetOf(curve: LevelCurve): CurvePreset | null {
  for (const [name, p] of Object.entries(CURVE_PRESETS) as [CurvePreset, LevelCurve][]) {
    if (p.a === curve.a && p.c === curve.c && (p.q ?? 0) === (curve.q ?? 0)) return name;
  }
  return null;
}

/** The cost of a level step as a formula: `9L + 36`, `5L² + 50L + 100`, `100`. */
export function stepFormula(curve: LevelCurve): string {
  const q = curve.q ?? 0;
  const terms: string[] = [];
  if (q !== 0) terms.push(`${q}L²`);
  if (curve.a !== 0) terms.push(`${curve.a}L`);
  const constant = curve.a + curve.c;
  if (constant !== 0 || terms.length === 0) terms.push(String(constant));
  return terms.join(' + ');
}

/** How a curve reads to an admin: `Nadeko (9L + 36 XP per level)`, `custom a=10, c=20 (10L + 30 XP per level)`. */
export function describeCurve(curve: LevelCurve): string {
  const preset = presetOf(curve);
  const name = preset === null ? `custom a=${curve.a}, c=${curve.c}` : { nadeko: 'Nadeko', mee6: 'MEE6', linear: 'linear' }[preset];
  return `${name} (${stepFormula(curve)} XP per level)`;
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
