/**
 * The retention rule (DESIGN §13): in a server with `unicornia data retention <days>`, the data of members who left
 * more than that many days ago is erased, through the same erasure as `level optout erase` (one server, one member,
 * recorded so no buffer or flush in flight brings anything back). They start from zero if they return.
 *
 * A sweep is due once a day. Every process checks hourly; the first to find it due takes it for an hour (a row in
 * BotState), so one process sweeps at a time, a restart does not make it run again, and a sweep cut short by a
 * crash is taken again when its hour ends. Each erasure checks, in its own transaction, that the member is still
 * gone and left before the cutoff: a sweep that runs twice, or a member who rejoined a moment ago, erases nothing.
 */
import { DAY_MS } from '../engine/calendar.js';
import type { Clock, Scheduler } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type { XpCore } from '../core.js';
import type { PrivacyService } from './privacy-service.js';
import { PeriodicCheck } from '../util/periodic.js';

/** How often each process looks whether the daily sweep is due. */
export const RETENTION_CHECK_MS = 3_600_000;
/** How long a sweep may run before another process may take it over. */
const SWEEP_LEASE_MS = 3_600_000;
/** Members read per query while sweeping a server. */
const PAGE = 500;

export interface RetentionSweep {
  /** Servers with a retention rule. */
  guilds: number;
  /** Members erased. */
  erased: number;
}

export interface RetentionDeps {
  core: XpCore;
  clock: Clock;
  scheduler: Scheduler;
  logger: Logger;
  privacy: PrivacyService;
}

export class RetentionJob {
  private readonly periodic: PeriodicCheck<RetentionSweep | null>;

  constructor(private readonly deps: RetentionDeps) {
    this.periodic = new PeriodicCheck(deps.scheduler, RETENTION_CHECK_MS, () => this.claimAndSweep());
  }

  /** Looks now, then every hour. */
  start(): void {
    this.periodic.start();
  }

  /** No new sweep; a running one stops after the member it is erasing. */
  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /** Sweeps if the daily sweep is due and no other process has it; null when it did not sweep. */
  tick(): Promise<RetentionSweep | null> {
    return this.periodic.tick();
  }

  private get stopping(): boolean {
    return this.periodic.stopping;
  }

  private async claimAndSweep(): Promise<RetentionSweep | null> {
    const { core, clock, logger } = this.deps;
    try {
      const at = clock.wallNow();
      if (!(await core.writer.privacy.claimRetentionSweep(at, SWEEP_LEASE_MS))) return null;
      const sweep = await this.sweep(at);
      // A sweep stopped by a shutdown keeps its lease: the next process start (or another process) finishes it.
      if (this.stopping) return sweep;
      await core.writer.privacy.retentionSweepDone(at + DAY_MS);
      if (sweep.erased > 0) logger.info(sweep, 'retention: erased the data of members who left');
      return sweep;
    } catch (error) {
      logger.warn({ err: error }, 'retention sweep failed; it is taken again within the hour');
      return null;
    }
  }

  private async sweep(at: number): Promise<RetentionSweep> {
    const { core, privacy } = this.deps;
    const guilds = await core.stores.privacy.retentionGuilds();
    let erased = 0;
    for (const { guildId, days } of guilds) {
      // Members marked as left before leave times were kept start their period now.
      await core.writer.privacy.stampLeaves(guildId, at);
      const leftBy = at - days * DAY_MS;
      let after = '0';
      for (;;) {
        const ids = await core.stores.privacy.leftBy(guildId, leftBy, after, PAGE);
        for (const userId of ids) {
          if (this.stopping) return { guilds: guilds.length, erased };
          if (await privacy.eraseIfLeft(guildId, userId, leftBy)) erased++;
        }
        if (ids.length < PAGE) break;
        after = ids[ids.length - 1]!;
      }
    }
    return { guilds: guilds.length, erased };
  }
}
