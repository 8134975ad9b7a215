/**
 * The XP event announcer (DESIGN §15.5): every few seconds on the injected scheduler, and at once after a command
 * started or cancelled an event, it looks for starts and ends that are due in the guilds of this process's shards,
 * claims each (a compare-and-set on the event's mark, so a restart or another process never announces it again),
 * drops an ended event from the guild's cached rules and sends the announcement. The engine does not wait for it:
 * the bonus follows the wall clock at each gain.
 */
import type { Clock, Scheduler } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type { Awaitable } from '../engine/ports.js';
import type { Remote } from '../storage/write-modules.js';
import type { XpEventAnnouncement, XpEventStore } from '../storage/xp-events.js';
import type { ShardFilter } from '../storage/role-queue.js';

/** How often due announcements are looked for: a start or an end is announced at most this late. */
export const XP_EVENT_CHECK_MS = 10_000;

export interface XpEventAnnouncerDeps {
  events: Remote<XpEventStore>;
  clock: Clock;
  scheduler: Scheduler;
  logger: Logger;
  /** The shards whose guilds this process announces for. */
  shards(): ShardFilter;
  /** Re-reads a guild's rules (an event whose end was claimed leaves them). */
  reload(guildId: string): Awaitable<void>;
  /** Sends one announcement (a failure is logged; it is not sent again). */
  announce(a: XpEventAnnouncement): Promise<void>;
}

export class XpEventAnnouncer {
  private timer: { cancel(): void } | null = null;
  /** The check under way; a check asked for meanwhile runs after it. */
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly deps: XpEventAnnouncerDeps) {}

  /** Set by `stop`: a check asked for later (a command finishing during shutdown) does nothing. */
  private stopped = false;

  start(): void {
    this.stopped = false;
    this.timer ??= this.deps.scheduler.every(XP_EVENT_CHECK_MS, () => this.check());
    void this.check();
  }

  /** Stops the timer and waits for a check under way; what was not claimed yet is announced at the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
    await this.running;
  }

  /** Announces what is due now; resolves when done (commands await it, so their announcement follows their reply). */
  check(): Promise<void> {
    this.running = this.running.then(() => this.run());
    return this.running;
  }

  private async run(): Promise<void> {
    if (this.stopped) return;
    const { deps } = this;
    let due: XpEventAnnouncement[];
    try {
      due = await deps.events.due(deps.clock.wallNow(), deps.shards());
    } catch (error) {
      deps.logger.warn({ err: error }, 'could not read due XP event announcements; the next check retries');
      return;
    }
    for (const a of due) {
      const where = { guildId: a.event.guildId, event: a.event.id };
      let claimed: boolean;
      try {
        claimed = await deps.events.claim(a.event.id, a.kind);
      } catch (error) {
        deps.logger.warn({ err: error, ...where }, 'could not claim an XP event announcement; the next check retries');
        continue;
      }
      if (!claimed) continue; // announced by another process or before a restart
      // The engine stops giving the bonus at the end by itself; reloading only lets the guild's slot go back to null.
      if (a.kind === 'end') await Promise.resolve(deps.reload(a.event.guildId)).catch((error: unknown) => deps.logger.warn({ err: error, ...where }, 'could not reload rules after an XP event ended'));
      // Claimed before sending: at most once. A failed send is logged, not repeated (a repeat could be a double).
      await deps.announce(a).catch((error: unknown) => deps.logger.warn({ err: error, ...where }, `could not announce an XP event's ${a.kind}`));
    }
  }
}
