/**
 * Commands during shutdown (DESIGN §2.2): once the bot starts stopping, a command that arrives is answered "the
 * bot is restarting" without running, and the commands already running are waited for (within a bound) before
 * the engine closes and the final flush writes their changes.
 */
import { within } from '../util/bounded.js';

export const RESTARTING = 'The bot is restarting, so nothing was changed. Try again in a minute.';

export class CommandGate {
  private open = true;
  private readonly running = new Set<Promise<unknown>>();

  get isOpen(): boolean {
    return this.open;
  }

  /** Runs a command's work while the gate is open; tracked so shutdown can wait for it. */
  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    void work.then(
      () => this.running.delete(work),
      () => this.running.delete(work),
    );
    return work;
  }

  /** No command starts any more. */
  close(): void {
    this.open = false;
  }

  /** Waits for the running commands, at most `boundMs`; resolves with how many are still running. */
  async drain(boundMs: number): Promise<number> {
    await within(
      (async () => {
        while (this.running.size > 0) await Promise.allSettled([...this.running]);
      })(),
      boundMs,
    );
    return this.running.size;
  }
}
