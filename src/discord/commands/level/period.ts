/**
 * The `period` option of `level leaderboard` and `level check` (DESIGN §15.2): all-time (the default, today's
 * boards) or a week, month or season, resolved against the server's calendar at the wall clock's now.
 */
import type { CommandContext } from '../types.js';
import { PERIOD_NAMES, isPeriodName, namedPeriod, type NamedPeriod } from '../../../engine/period-names.js';
import { UserError } from '../errors.js';

export const PERIOD_OPTION = {
  name: 'period',
  type: 'string',
  description: 'alltime (default), week, lastweek, month, lastmonth or season',
  choices: PERIOD_NAMES,
} as const;

export type ResolvedPeriod = NamedPeriod;

/** Null for all-time. The option's choices are checked before a handler runs; `name` is one of them. */
export async function resolvePeriod(ctx: CommandContext, guildId: string, name: string | undefined): Promise<ResolvedPeriod | null> {
  if (name === undefined || !isPeriodName(name)) return null;
  const period = namedPeriod(name, await ctx.app.core.engine.rules(guildId), ctx.app.clock.wallNow());
  if (period === 'no-season') throw new UserError('bad_argument', 'No season is running in this server. Admins start one with `unicornia season start`.');
  return period;
}
