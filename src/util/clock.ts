/**
 * Time is injected so tests can drive 30 s flushes and 60 s voice ticks instantly.
 * `now()` is monotonic milliseconds (cooldowns must not jump with the wall clock);
 * `wallNow()` is the Unix epoch in milliseconds (dates stored in the database, daily caps).
 */
export interface Clock {
  now(): number;
  wallNow(): number;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
};

/** A clock that moves only when told to. */
export class ManualClock implements Clock {
  constructor(
    private mono = 0,
    private wall = Date.UTC(2026, 0, 1),
  ) {}
  now(): number {
    return this.mono;
  }
  wallNow(): number {
    return this.wall;
  }
  advance(ms: number): void {
    this.mono += ms;
    this.wall += ms;
  }

  /** Steps the wall clock alone, back or forward, as NTP or a resumed VM does; monotonic time is unaffected. */
  stepWall(ms: number): void {
    this.wall += ms;
  }
}

/**
 * Repeating timers, injected for the same reason as the clock. The system one uses setInterval (unref'd, so a
 * pending tick never keeps the process alive); the manual one fires when the test advances it.
 */
export interface Scheduler {
  every(ms: number, task: () => void | Promise<void>): { cancel(): void };
  /** Runs `task` once after `ms`. */
  after(ms: number, task: () => void | Promise<void>): { cancel(): void };
}

export const systemScheduler: Scheduler = {
  every(ms, task) {
    const handle = setInterval(() => void task(), ms);
    handle.unref();
    return { cancel: () => clearInterval(handle) };
  },
  after(ms, task) {
    const handle = setTimeout(() => void task(), ms);
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
};

interface ManualTimer {
  /** 0 for a one-shot timer. */
  interval: number;
  due: number;
  task: () => void | Promise<void>;
  cancelled: boolean;
}

export class ManualScheduler implements Scheduler {
  private timers: ManualTimer[] = [];
  constructor(readonly clock: ManualClock) {}

  every(ms: number, task: () => void | Promise<void>): { cancel(): void } {
    return this.add(ms, ms, task);
  }

  after(ms: number, task: () => void | Promise<void>): { cancel(): void } {
    return this.add(ms, 0, task);
  }

  private add(delay: number, interval: number, task: () => void | Promise<void>): { cancel(): void } {
    const timer: ManualTimer = { interval, due: this.clock.now() + delay, task, cancelled: false };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
        this.timers = this.timers.filter((t) => t !== timer);
      },
    };
  }

  /** Timers not yet fired or cancelled (tests check that nothing is left scheduled). */
  get pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  /** Advance the clock by `ms`, running every timer that falls due, in time order, awaiting each. */
  async advance(ms: number): Promise<void> {
    const end = this.clock.now() + ms;
    for (;;) {
      const next = this.timers.filter((t) => !t.cancelled && t.due <= end).sort((a, b) => a.due - b.due)[0];
      if (!next) break;
      this.clock.advance(next.due - this.clock.now());
      if (next.interval > 0) next.due += next.interval;
      else this.timers = this.timers.filter((t) => t !== next);
      await next.task();
    }
    this.clock.advance(end - this.clock.now());
  }
}
