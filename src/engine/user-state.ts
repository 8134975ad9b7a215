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
   * written (DESIGN §15.1). Together they always sum to `pending` and `inflight`.
   */
  hist: Map<number, number> | null = null;
  histInflight: Map<number, number> | null = null;
  /** Buffered XP per period id (week, month, season; DESIGN §15.2), and that of the flush being written. */
  periods: Map<number, number> | null = null;
  periodsInflight: Map<number, number> | null = null;

  constructor(
    readonly guildId: string,
    readonly userId: string,
  ) {}

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
