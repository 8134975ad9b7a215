/**
 * A check that runs now and then every `intervalMs` on the injected scheduler, one at a time: a tick asked for while
 * one runs gets that one; a `rerun` asked for while one runs gets one more after it (requests meanwhile share it),
 * for a caller that just changed what the check reads. `stop` cancels the timer, raises `stopping` (the check reads
 * it between its steps and returns early; no rerun starts after it) and waits for the check under way. The daily
 * jobs (retention sweep, XP decay) look hourly this way, the season closer every minute, the XP event announcer
 * every few seconds.
 */
import type { Scheduler } from './clock.js';

export class PeriodicCheck<T> {
  private timer: { cancel(): void } | null = null;
  private running: Promise<T> | null = null;
  private rerunAsked = false;
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
    this.running ??= this.loop().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /**
   * A check that starts after this call: one now, or one more after the one under way. Resolves with its result
   * (a command that started an XP event awaits the announcement's check).
   */
  rerun(): Promise<T> {
    if (this.running) this.rerunAsked = true;
    return this.tick();
  }

  private async loop(): Promise<T> {
    let result: T;
    do {
      this.rerunAsked = false;
      result = await this.check();
    } while (this.rerunAsked && !this.stopping);
    return result;
  }
}
