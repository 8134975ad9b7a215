/**
 * Writes the engine's buffer to storage (DESIGN §2.2): every `intervalMs`, early when the buffer is full, and at
 * shutdown. One flush at a time. A failed flush merges its rows back into the buffer and is retried with
 * exponential backoff; the failure is logged once per streak, and the recovery once.
 */
import type { Logger } from '../util/logger.js';
import type { Clock, Scheduler } from '../util/clock.js';
import { isPromise, type FlushBatch, type XpWrites } from './ports.js';
import type { XpEngine } from './xp-engine.js';
import { within } from '../util/bounded.js';

export interface FlusherOptions {
  /** Milliseconds between flushes. Default 30 000. */
  intervalMs: number;
  /** First retry delay after a failure; doubles per failure up to `intervalMs`. Default 1 000. */
  retryBaseMs: number;
  /** Attempts of the final flush at shutdown. Default 5. */
  shutdownAttempts: number;
  /** How long shutdown waits for level-up effects (Discord calls) after the first flush. Default 5 000. */
  shutdownEffectsMs: number;
}

export const DEFAULT_FLUSHER_OPTIONS: Readonly<FlusherOptions> = Object.freeze({
  intervalMs: 30_000,
  retryBaseMs: 1000,
  shutdownAttempts: 5,
  shutdownEffectsMs: 5000,
});

export class Flusher {
  readonly options: FlusherOptions;
  private timer: { cancel(): void } | null = null;
  private retry: { cancel(): void } | null = null;
  private running: Promise<boolean> | null = null;
  private failures = 0;
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  /** Set when `stop` begins: reads no longer flush and failures schedule no retry (stop retries itself). */
  private stopping = false;
  /** Set when `stop` has finished: the writer may be closed, so nothing is written any more. */
  private stopped = false;
  /** Figures for logs and the bench. */
  readonly stats = { flushes: 0, failures: 0, rows: 0, lastMs: 0 };
  /** Told of every flush that wrote something: its duration in ms and whether it committed (metrics). */
  onFlushed: (ms: number, ok: boolean) => void = () => {};

  constructor(
    private readonly engine: XpEngine,
    private readonly writes: XpWrites,
    private readonly scheduler: Scheduler,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: Partial<FlusherOptions> = {},
  ) {
    this.options = { ...DEFAULT_FLUSHER_OPTIONS, ...options };
  }

  start(): void {
    // Tasks return the flush's promise so a manual scheduler in tests can await it.
    this.timer ??= this.scheduler.every(this.options.intervalMs, async () => void (await this.flush()));
    this.engine.onBufferFull = () => void this.flush();
  }

  /**
   * Flushes the buffer now (waiting for a flush already running first). Resolves true when everything buffered
   * at the call was written, false when the write failed (the rows are back in the buffer).
   */
  async flush(): Promise<boolean> {
    while (this.running) await this.running;
    if (this.stopped) return this.engine.bufferedEntries === 0;
    this.running = this.writeOnce();
    try {
      return await this.running;
    } finally {
      this.running = null;
    }
  }

  private async writeOnce(): Promise<boolean> {
    // Forgets what was erased elsewhere first; on SQLite at once, so the batch is taken before flush() returns.
    const applied = this.engine.applyErasures();
    if (isPromise(applied)) await applied;
    const batch = this.engine.takeBatch();
    if (!batch) return true;
    const started = performance.now();
    try {
      await this.writes.flush(batch);
    } catch (error) {
      // The writer may have committed and then died before answering: the flush marker says which.
      if (await this.engine.isCommitted(batch)) return this.committed(batch, started);
      this.engine.settleBatch(batch, false);
      this.failures++;
      this.stats.failures++;
      this.onFlushed(performance.now() - started, false);
      if (this.failures === 1) {
        this.logger.error({ err: error, rows: batch.rows.length }, 'XP flush failed; the gains stay buffered and the flush is retried');
      }
      this.scheduleRetry();
      return false;
    }
    return this.committed(batch, started);
  }

  private committed(batch: FlushBatch, started: number): boolean {
    this.engine.settleBatch(batch, true);
    this.lastFlushAt = this.clock.now();
    this.stats.flushes++;
    this.stats.rows += batch.rows.length;
    this.stats.lastMs = performance.now() - started;
    this.onFlushed(this.stats.lastMs, true);
    if (this.failures > 0) {
      this.logger.info({ failedAttempts: this.failures }, 'XP flush recovered');
      this.failures = 0;
    }
    this.engine.sweep();
    return true;
  }

  /**
   * For reads that rank members against each other (level check, leaderboards): writes the buffer first unless
   * a flush finished less than `maxAgeMs` ago, so ranks are at most that stale while a busy server's many reads do
   * not turn the 30 s write-back into a write per command. Never throws (a failed write keeps its rows buffered).
   */
  async flushForReads(maxAgeMs = 5000): Promise<void> {
    // During shutdown the final flush writes everything; a read must not start writes of its own (DESIGN §2.2).
    if (this.stopping) return;
    if (this.engine.bufferedEntries === 0 && !this.running) return;
    if (this.clock.now() - this.lastFlushAt < maxAgeMs) return;
    await this.flush();
  }

  /** True while the last flush failed and its retry has not succeeded yet (health checks). */
  get failing(): boolean {
    return this.failures > 0;
  }

  private cancelRetry(): void {
    this.retry?.cancel();
    this.retry = null;
  }

  private scheduleRetry(): void {
    this.cancelRetry();
    if (this.stopping) return;
    const delay = Math.min(this.options.intervalMs, this.options.retryBaseMs * 2 ** (this.failures - 1));
    this.retry = this.scheduler.after(delay, async () => {
      this.retry = null;
      await this.flush();
    });
  }

  /**
   * Closes the engine (no gain or admin change is taken any more), stops the timers and writes what is left,
   * retrying a few times. XP is written first, before waiting (at most `shutdownEffectsMs`) for level-up effects,
   * which talk to Discord and may be slow: a process manager's stop timeout must not cost XP. Resolves false if
   * XP could not be saved. Afterwards nothing is written (the writer is about to close).
   */
  async stop(): Promise<boolean> {
    this.engine.close();
    this.stopping = true;
    this.timer?.cancel();
    this.timer = null;
    this.cancelRetry();
    try {
      await this.flushAll();
      await within(this.engine.idle(), this.options.shutdownEffectsMs);
      return await this.flushAll();
    } finally {
      this.stopped = true;
    }
  }

  private async flushAll(): Promise<boolean> {
    for (let attempt = 1; attempt <= this.options.shutdownAttempts; attempt++) {
      if ((await this.flush()) && this.engine.bufferedEntries === 0) return true;
      this.cancelRetry();
    }
    this.logger.error({ entries: this.engine.bufferedEntries }, 'XP could not be saved at shutdown');
    return false;
  }
}
