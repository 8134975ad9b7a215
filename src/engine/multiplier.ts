/**
 * XP multipliers as integers (DESIGN §2.6). A multiplier is stored and combined in thousandths ("milli"): 1.5 is
 * 1500. Binary floats cannot hold 0.7 or 1.5·0.7 exactly, so a float product like 10 × 0.7 × 1.5 comes out as
 * 10.499999999999998 and rounds the wrong way; with integers the half-up rounding the design promises is exact.
 */

/** An XP multiplier in thousandths: 1000 = ×1. Always a non-negative integer. */
export type Milli = number;

export const MILLI_ONE: Milli = 1000;

/**
 * `base` × rate × channel × role (each in thousandths), rounded half-up (x.5 goes up), computed exactly as the
 * integer fraction base·r·c·o / 1000³. Plain numbers while that product stays below 2^53 (the common case), BigInt
 * beyond. Three fixed arguments rather than a list: this runs for every counted message.
 */
export function multiplyHalfUp(base: number, rate: Milli, channel: Milli = MILLI_ONE, role: Milli = MILLI_ONE): number {
  if (rate === MILLI_ONE && channel === MILLI_ONE && role === MILLI_ONE) return base;
  const numerator = base * rate * channel * role;
  const denominator = 1e9;
  // floor((2n + d) / 2d) is n/d rounded half-up.
  const twice = 2 * numerator + denominator;
  if (Number.isSafeInteger(twice)) return floorDiv(twice, 2 * denominator);
  const n = BigInt(base) * BigInt(rate) * BigInt(channel) * BigInt(role);
  return Number((2n * n + 1_000_000_000n) / 2_000_000_000n);
}

/**
 * `multiplyHalfUp` with a fourth factor in thousandths (a stage audience's share of voice XP), exactly, in BigInt:
 * it runs once per audience member per voice minute, never on the message hot path.
 */
export function multiplyHalfUpShare(base: number, rate: Milli, channel: Milli = MILLI_ONE, role: Milli = MILLI_ONE, share: Milli = MILLI_ONE): number {
  const n = BigInt(base) * BigInt(rate) * BigInt(channel) * BigInt(role) * BigInt(share);
  const d = 1_000_000_000_000n;
  return Number((2n * n + d) / (2n * d));
}

/** floor(a / b) for non-negative safe integers, corrected for the rounding of the float division. */
function floorDiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  const r = a - q * b;
  if (r < 0) q -= 1;
  else if (r >= b) q += 1;
  return q;
}

/**
 * The thousandths a number typed by a user stands for, or null when it has more than three decimals (it would
 * be stored as something else than was typed). -0 is 0.
 */
export function toMilli(value: number): Milli | null {
  if (!Number.isFinite(value)) return null;
  const milli = Math.round(value * MILLI_ONE);
  // The decimal m/1000 and the typed decimal parse to the same double only when they are the same decimal.
  return milli / MILLI_ONE === value ? milli + 0 : null;
}

/** A multiplier as it is stored, in plain decimal: 1500 → "1.5", 1 → "0.001", 0 → "0" (never "1e-3" or "-0"). */
export function formatMilli(milli: Milli): string {
  const whole = Math.floor(milli / MILLI_ONE);
  const frac = String(milli % MILLI_ONE).padStart(3, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}
