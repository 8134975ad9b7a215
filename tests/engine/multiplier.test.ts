/**
 * Multipliers in integer thousandths (DESIGN §2.6): the documented half-up rounding checked against exact
 * rational arithmetic (BigInt) over the grid the commands accept — rate 0–100, channel and role 0–10, in steps
 * of 0.001, XP per message and per voice minute 0–1000.
 */
import { describe, expect, it } from 'vitest';
import { formatMilli, multiplyHalfUp, toMilli } from '../../src/engine/multiplier.js';

/** base·r·c·o / 1000³ rounded half-up, from the quotient and remainder of exact integers. */
function exact(base: number, r: number, c = 1000, o = 1000): number {
  const n = BigInt(base) * BigInt(r) * BigInt(c) * BigInt(o);
  const d = 1_000_000_000n;
  return Number(n / d + (2n * (n % d) >= d ? 1n : 0n));
}

/** What the engine computed before: the float product of the decimal multipliers times the base, then floor(x + 0.5). */
function floatProduct(base: number, r: number, c = 1000, o = 1000): number {
  let m = r / 1000;
  if (c !== 1000) m *= c / 1000;
  if (o !== 1000) m *= o / 1000;
  return Math.floor(base * m + 0.5);
}

/** A small deterministic generator (mulberry32), so a failure names a reproducible case. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mismatches(cases: Iterable<[number, number, number, number]>, f: (b: number, r: number, c: number, o: number) => number): string[] {
  const bad: string[] = [];
  for (const [b, r, c, o] of cases) {
    if (f(b, r, c, o) !== exact(b, r, c, o)) bad.push(`${b} × ${formatMilli(r)} × ${formatMilli(c)} × ${formatMilli(o)}`);
    if (bad.length >= 5) break;
  }
  return bad;
}

function* rateAxis(): Generator<[number, number, number, number]> {
  for (const base of [1, 3, 7, 10, 33, 999, 1000]) for (let r = 0; r <= 100_000; r++) yield [base, r, 1000, 1000];
}
function* channelAndRoleAxes(): Generator<[number, number, number, number]> {
  for (const [base, rate] of [[10, 700], [1, 1500], [1000, 100_000], [7, 333]] as const) {
    for (let c = 0; c <= 10_000; c++) yield [base, rate, c, 1000];
    for (let o = 0; o <= 10_000; o++) yield [base, rate, 1500, o];
  }
}
function* sampled(n: number): Generator<[number, number, number, number]> {
  const next = random(15);
  const int = (max: number) => Math.floor(next() * (max + 1));
  for (let i = 0; i < n; i++) yield [int(1000), int(100_000), int(10_000), int(10_000)];
}

describe('exact half-up multiplication (DESIGN §2.6)', () => {
  it('given the issue case 10 XP × rate 0.7 × channel 1.5 = 10.5 then it earns 11 (the float product says 10.499…)', () => {
    expect(10 * (0.7 * 1.5)).toBe(10.499999999999998);
    expect(multiplyHalfUp(10, 700, 1500)).toBe(11);
    expect(multiplyHalfUp(10, 700, 1500, 1000)).toBe(11);
  });

  it('given every rate on the grid with several bases then the result equals exact rational rounding', () => {
    expect(mismatches(rateAxis(), (b, r) => multiplyHalfUp(b, r))).toEqual([]);
  });

  it('given every channel and role multiplier on the grid then the result equals exact rational rounding', () => {
    expect(mismatches(channelAndRoleAxes(), multiplyHalfUp)).toEqual([]);
  });

  it('given a million combinations drawn over the whole grid, extremes included, then every one is exact', () => {
    expect(mismatches(sampled(1_000_000), multiplyHalfUp)).toEqual([]);
    const extremes: [number, number, number, number][] = [];
    for (const b of [0, 1, 999, 1000]) for (const r of [0, 1, 99_999, 100_000]) for (const c of [0, 1, 9999, 10_000]) for (const o of [0, 1, 500, 9999, 10_000]) extremes.push([b, r, c, o]);
    expect(mismatches(extremes, multiplyHalfUp)).toEqual([]);
    expect(multiplyHalfUp(1000, 100_000, 10_000, 10_000)).toBe(10_000_000); // past 2^53: the BigInt path
  });

  it('given the same grid then the old float product is wrong somewhere (this test can fail)', () => {
    expect(mismatches(channelAndRoleAxes(), floatProduct).length).toBeGreaterThan(0);
  });
});

describe('multipliers typed by admins', () => {
  it('given up to three decimals then they are stored exactly; more decimals, NaN and infinities are refused', () => {
    expect(toMilli(0.7)).toBe(700);
    expect(toMilli(1.5)).toBe(1500);
    expect(toMilli(99.999)).toBe(99_999);
    expect(toMilli(0.001)).toBe(1);
    expect(Object.is(toMilli(-0), 0)).toBe(true);
    for (const v of [0.0000001, 0.0005, 1.0005, 2.3456, Number.NaN, Number.POSITIVE_INFINITY]) expect(toMilli(v), String(v)).toBeNull();
    for (let m = 0; m <= 100_000; m++) expect(toMilli(Number(formatMilli(m)))).toBe(m);
  });

  it('given stored thousandths then they are shown as plain decimals, never with exponents or -0', () => {
    expect([0, 1, 10, 100, 700, 1000, 1500, 1050, 99_999, 100_000].map(formatMilli)).toEqual(['0', '0.001', '0.01', '0.1', '0.7', '1', '1.5', '1.05', '99.999', '100']);
  });
});
