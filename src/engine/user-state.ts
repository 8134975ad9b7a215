/**
 * Everything the engine keeps about one (guild, user) pair, in one object so the hot path does one Map lookup
 * per level (guild, then user) instead of building `${guild}:${user}` strings.
 */
export class UserState {
  /** Monotonic ms until which messages earn nothing. */
  cooldownUntil = Number.NEGATIVE_INFINITY;
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
  /** Voice minutes counted today (UTC day number `voiceDay`), including unflushed ones; -1 = not loaded. */
  voiceDay = -1;
  voiceMinutes = 0;
  voicePending = 0;
  voiceInflight = 0;
  /** The day `voiceInflight` belongs to. */
  voiceInflightDay = -1;

  constructor(
    readonly guildId: string,
    readonly userId: string,
  ) {}

  /** Nothing left that a fresh state would not rebuild from the database. */
  isDisposable(now: number): boolean {
    return (
      this.cachedXp < 0 &&
      !this.dirty &&
      this.inflight === 0 &&
      this.voiceInflight === 0 &&
      this.cooldownUntil <= now
    );
  }
}
