/**
 * An XpWrites over a real store whose flushes can be held open, to test a flush in flight: first before its
 * commit, then committed but not yet acknowledged (a writer thread that committed and has not answered yet).
 */
import type { FlushBatch, XpWrites } from '../../src/engine/ports.js';
import type { XpWriteStore } from '../../src/storage/xp-writes.js';

export interface HeldWrites {
  writes: XpWrites;
  /** Commits the held flush (the caller still waits for its answer). */
  commit(): void;
  /** Answers the held flush. */
  ack(): void;
  /** Whether the next flushes are held (default true); false writes them at once. */
  hold: boolean;
}

export function heldWrites(store: XpWriteStore): HeldWrites {
  const h: HeldWrites = {
    hold: true,
    commit: () => {},
    ack: () => {},
    writes: {
      flush: (batch: FlushBatch) =>
        h.hold
          ? new Promise<void>((resolve) => {
              h.commit = () => store.flush(batch);
              h.ack = resolve;
            })
          : Promise.resolve(store.flush(batch)),
      recordLevelUp: async () => ({ previousMark: 0, paid: [], roles: { add: [], remove: [] } }),
      queueRoleChanges: async () => 0,
    },
  };
  return h;
}
