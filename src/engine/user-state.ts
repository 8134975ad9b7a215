import { addTo, historyKey, SOURCE_CODE } from './history.js';

/**
 * A stretch of wall-clock time in which a guild's gains share their UTC day and their periods (DESIGN §15.1,
 * §15.2): computed once per guild when the clock leaves the previous one, so a gain does no date arithmetic.
 */
export interface GainSpan {
  /** First wall-clock instant inside (UTC ms). */
  from: number;
  /** First instant after. */
  to: number;
  /** The UTC day (days since the epoch). */
  day: number;
  /** The week, month and (if one runs) season ids a gain counts in. */
  periodIds: readonly number[];
}

/**
 * Everything the engine keeps about one (guild, user) pair, in one object so the hot path does one Map lookup
 * per level (guild, then user) instead of building `${guild}:${user}` strings.
 */
export class UserState {
  /** Monotonic ms of the last counted message; the cooldown of the channel a message is in counts from it. */
  lastCountedAt = Number.NEGATIVE_INFINITY;
  /** Anti-spam: the keys of the member's previous message past the cooldown (DESIGN §2.1.2); null = none yet. */
  lastText: Uint16Array | null = null;
  /** Total XP including buffered and in-flight gains; -1 when not cached (evicted from the LRU or never read). */
  cachedXp = -1;
  level = 0;
  levelStart = 0;
  nextLevelAt = 0;
  /** Buffered gains not yet handed to a flush. */
  pending = 0;
  pendingAwarded = 0;
  /** Gains handed to the flush that is being written, and that flush's sequence number. */
  inflight = 0;
  inflightAwarded = 0;
  inflightSeq = 0;
  /** Listed in the engine's dirty list (pending gains or voice minutes). */
  dirty = false;
  /** The UTC day (days since the epoch) `voiceMinutes` counts; -1 = none loaded. */
  voiceDay = -1;
  /** Voice minutes of `voiceDay`: stored plus unwritten (DESIGN §2.8). */
  voiceMinutes = 0;
  /** Voice minutes per day not yet handed to a flush, and those of the flush being written (DESIGN §2.8). */
  voicePending: Map<number, number> | null = null;
  voiceInflight: Map<number, number> | null = null;
  /** Erased (DESIGN §13): dropped from the engine; nothing of it is flushed, merged back or paid any more. */
  erased = false;
  /**
   * Buffered XP per (UTC day, source) — `historyKey` — not yet handed to a flush, and that of the flush being
   * written (DESIGN §15.1). With `acc` below they always sum to `pending` and `inflight`.
   */
  hist: Map<number, number> | null = null;
  histInflight: Map<number, number> | null = null;
  /** Buffered XP per period id (week, month, season; DESIGN §15.2), and that of the flush being written. */
  periods: Map<number, number> | null = null;
  periodsInflight: Map<number, number> | null = null;
  /**
   * The newest gains, not yet in `hist` and `periods`: `accHist` XP of source `accSource` and `accEvent` XP of
   * XP-event bonus (DESIGN §15.5) on `accSpan`'s day, and `accPeriods` XP counted in `accSpan`'s periods. A
   * member's gains in one flush interval nearly always share the day, the source and the periods, so the hot path
   * adds numbers instead of updating maps; `foldGains` moves them into the maps when the key changes and before a
   * flush takes the buffer.
   */
  accSpan: GainSpan | null = null;
  accSource = 0;
  accHist = 0;
  accEvent = 0;
  accPeriods = 0;

  constructor(
    readonly guildId: string,
    readonly userId: string,
  ) {}

  /**
   * Adds a gain of `amount` of source code `source` and its XP-event `bonus` under `span`; with `onPeriods` both
   * count on period boards.
   */
  addGain(span: GainSpan, source: number, amount: number, bonus: number, onPeriods: boolean): void {
    if (this.accSpan !== span || this.accSource !== source) {
      this.foldGains();
      this.accSpan = span;
      this.accSource = source;
    }
    this.accHist += amount;
    this.accEvent += bonus;
    if (onPeriods) this.accPeriods += amount + bonus;
  }

  /** Moves the newest gains into the per-(day, source) and per-period maps. */
  foldGains(): void {
    const span = this.accSpan;
    if (span === null) return;
    if (this.accHist !== 0) this.hist = addTo(this.hist, historyKey(span.day, this.accSource), this.accHist);
    if (this.accEvent !== 0) this.hist = addTo(this.hist, historyKey(span.day, SOURCE_CODE.event), this.accEvent);
    if (this.accPeriods !== 0) for (const id of span.periodIds) this.periods = addTo(this.periods, id, this.accPeriods);
    this.accSpan = null;
    this.accHist = this.accEvent = this.accPeriods = 0;
  }

  /** Drops every buffered gain's history and periods (an erasure). */
  dropGains(): void {
    this.hist = this.periods = this.accSpan = null;
    this.accHist = this.accEvent = this.accPeriods = 0;
  }

  /**
   * Nothing left that a fresh state would not rebuild from the database. `cooldownMs`: the guild's longest message
   * cooldown (a fresh state would let the member earn at once).
   */
  isDisposable(now: number, cooldownMs: number): boolean {
    return (
      this.cachedXp < 0 &&
      !this.dirty &&
      this.inflight === 0 &&
      this.voiceInflight === null &&
      this.histInflight === null &&
      this.periodsInflight === null &&
      this.lastCountedAt + cooldownMs <= now
    );
  }
}
