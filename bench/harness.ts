/**
 * The shape every benchmark file exports, and the helpers they share.
 * A suite returns metrics in the format benchmark trackers read: `{ name, unit, value }`.
 */
export interface Metric {
  name: string;
  unit: string;
  value: number;
}

export interface BenchSuite {
  /** Matched against the `npm run bench -- <filter>` argument (substring of the suite name). */
  name: string;
  run(log: (line: string) => void): Promise<Metric[]>;
}

/** Median of a list of numbers (the list is copied, not sorted in place). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Round to a fixed number of decimals for printing and for the results file. */
export function round(value: number, decimals = 2): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** Median wall time in ms of `n` calls of a synchronous `fn` (a query, say). */
export function medianTime(fn: () => unknown, n: number): number {
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

/** `medianTime` for a call that answers with a promise: each call's time runs until it settles. */
export async function medianTimeAsync(fn: () => Promise<unknown>, n: number): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}
