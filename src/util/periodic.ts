/**
 * A check that runs now and then every `intervalMs` on the injected scheduler, one at a time: a tick asked for while
 * one runs gets that one. `stop` cancels the timer, raises `stopping` (the check reads it between its steps and
 * returns early) and waits for the check under way. The daily jobs (retention sweep, XP decay) look hourly this way.
 */
import type { Scheduler } from './clock.js';

export class PeriodicCheck<T> {
  private timer: { cancel(): void } | null = null;
  private running: Promise<T> | null = null;
  /** Set by `stop`, cleared by `start`. */
  stopping = false;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly intervalMs: number,
    private readonly check: () => Promise<T>,
  ) {}

  /** Looks now, then every interval. */
  start(): void {
    this.stopping = false;
    this.timer = this.scheduler.every(this.intervalMs, async () => {
      await this.tick();
    });
    void this.tick();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.timer?.cancel();
    this.timer = null;
    await this.running;
  }

  /** Runs the check, or answers with the one under way. */
  tick(): Promise<T> {
    this.running ??= this.check().finally(() => {
      this.running = null;
    });
    return this.running;
  }
}
