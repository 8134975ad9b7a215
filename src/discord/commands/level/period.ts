/**
 * The `period` option of `level leaderboard` and `level check` (DESIGN §15.2): all-time (the default, today's
 * boards) or a week, month or season, resolved against the server's calendar at the wall clock's now.
 */
import type { CommandContext } from '../types.js';
import { monthAt, previous, weekAt, type Span } from '../../../engine/calendar.js';
import { UserError } from '../errors.js';

export const PERIODS = ['alltime', 'week', 'lastweek', 'month', 'lastmonth', 'season'] as const;
export type PeriodName = (typeof PERIODS)[number];

export const PERIOD_OPTION = {
  name: 'period',
  type: 'string',
  description: 'alltime (default), week, lastweek, month, lastmonth or season',
  choices: PERIODS,
} as const;

export interface ResolvedPeriod {
  /** Stored period id. */
  id: number;
  /** 'this week', 'last month', 'season "Spring"'. */
  label: string;
  span: Span;
}

/** Null for all-time. */
export async function resolvePeriod(ctx: CommandContext, guildId: string, name: string | undefined): Promise<ResolvedPeriod | null> {
  if (name === undefined || name === 'alltime') return null;
  const rules = await ctx.app.core.engine.rules(guildId);
  const { settings } = rules;
  const now = ctx.app.clock.wallNow();
  switch (name as PeriodName) {
    case 'week':
      return { ...spanOf(weekAt(now, settings)), label: 'this week' };
    case 'lastweek':
      return { ...spanOf(previous(weekAt(now, settings), settings)), label: 'last week' };
    case 'month':
      return { ...spanOf(monthAt(now, settings)), label: 'this month' };
    case 'lastmonth':
      return { ...spanOf(previous(monthAt(now, settings), settings)), label: 'last month' };
    default: {
      const { season } = rules;
      if (!season) throw new UserError('bad_argument', 'No season is running in this server. Admins start one with `unicornia season start`.');
      return { id: season.periodId, label: `season “${season.name}”`, span: { id: season.periodId, from: season.startsAt, to: season.endsAt ?? Number.MAX_SAFE_INTEGER } };
    }
  }
}

function spanOf(span: Span): { id: number; span: Span } {
  return { id: span.id, span };
}
