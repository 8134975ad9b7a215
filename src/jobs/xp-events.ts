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
import { PeriodicCheck } from '../util/periodic.js';

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
  private readonly periodic: PeriodicCheck<void>;

  constructor(private readonly deps: XpEventAnnouncerDeps) {
    this.periodic = new PeriodicCheck(deps.scheduler, XP_EVENT_CHECK_MS, () => this.run());
  }

  start(): void {
    this.periodic.start();
  }

  /** Stops the timer and waits for a check under way; what was not claimed yet is announced at the next start. */
  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /**
   * Announces what is due now, in a check that starts after this call (commands await it, so their announcement
   * follows their reply); after `stop`, a check asked for (a command finishing during shutdown) does nothing.
   */
  check(): Promise<void> {
    return this.periodic.rerun();
  }

  private async run(): Promise<void> {
    if (this.periodic.stopping) return;
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
