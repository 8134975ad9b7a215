/**
 * The history retention job (DESIGN §15.1): every hour, daily history rows older than a guild's retention are
 * folded into monthly sums. A fold is idempotent (folded days are gone from the daily table), so an hourly check
 * catches up after downtime and costs one small query when nothing is due.
 */
import type { Clock, Scheduler } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type { Writer } from '../storage/write-modules.js';
import { utcDay } from '../engine/history.js';

export const RETENTION_CHECK_MS = 3_600_000;

export function startHistoryRetention(writer: Writer, clock: Clock, scheduler: Scheduler, logger: Logger): { cancel(): void } {
  const run = async () => {
    try {
      const days = await writer.history.foldExpired(utcDay(clock.wallNow()));
      if (days > 0) logger.info({ days }, 'daily XP history past its retention folded into monthly sums');
    } catch (error) {
      logger.warn({ err: error }, 'could not fold old XP history; the next check retries');
    }
  };
  void run();
  return scheduler.every(RETENTION_CHECK_MS, run);
}
