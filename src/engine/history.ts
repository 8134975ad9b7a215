/**
 * XP history (DESIGN §15.1): every change of a member's XP is also counted per (guild, member, UTC day, source),
 * written in the same flush transaction as the totals, so a member's history sums to the change of their total.
 * Plain data only: the engine buffers amounts under a numeric key, storage writes them.
 */
import { DAY_MS } from './calendar.js';

/** Where an XP change came from. `opening` is the one row per member holding the XP that existed before history. */
export const HISTORY_SOURCES = ['opening', 'message', 'voice', 'admin', 'import', 'decay', 'event'] as const;
export type HistorySource = (typeof HISTORY_SOURCES)[number];

/** The stored code of each source (XpHistoryDaily.Source); never renumber a shipped code. */
export const SOURCE_CODE: Readonly<Record<HistorySource, number>> = Object.freeze({
  opening: 0,
  message: 1,
  voice: 2,
  admin: 3,
  import: 4,
  decay: 5,
  event: 6,
});

/** Days since the Unix epoch (UTC) of a wall-clock instant. */
export function utcDay(wallMs: number): number {
  return Math.floor(wallMs / DAY_MS);
}

/** The engine's buffer key of (day, `SOURCE_CODE`): one number, so a Map holds it without building strings. */
export function historyKey(day: number, source: number): number {
  return day * 8 + source;
}

export function splitHistoryKey(key: number): { day: number; source: number } {
  const source = ((key % 8) + 8) % 8;
  return { day: (key - source) / 8, source };
}

/** One flushed history amount. */
export interface HistoryRow {
  guildId: string;
  userId: string;
  /** UTC days since the epoch. */
  day: number;
  /** `SOURCE_CODE` of the source. */
  source: number;
  xp: number;
}

/** Adds `amount` under `key` in a per-member buffer map (created on first use). */
export function addTo(map: Map<number, number> | null, key: number, amount: number): Map<number, number> {
  const m = map ?? new Map<number, number>();
  m.set(key, (m.get(key) ?? 0) + amount);
  return m;
}

/** Merges `from` into `into` (a failed flush's amounts back into the buffer). */
export function mergeInto(into: Map<number, number> | null, from: ReadonlyMap<number, number>): Map<number, number> {
  const m = into ?? new Map<number, number>();
  for (const [k, v] of from) m.set(k, (m.get(k) ?? 0) + v);
  return m;
}
