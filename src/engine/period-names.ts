/**
 * The periods a board is read for, by name (DESIGN §15.2): all-time, this or last week, this or last month, and the
 * running season, resolved against a server's calendar at a wall-clock instant. Shared by the commands and the
 * web side, so `level leaderboard week` and the page's "This week" tab always name the same stored period.
 */
import { monthAt, previous, weekAt, type CalendarRules, type Span } from './calendar.js';
import type { RunningSeason } from './settings.js';

export const PERIOD_NAMES = ['alltime', 'week', 'lastweek', 'month', 'lastmonth', 'season'] as const;
export type PeriodName = (typeof PERIOD_NAMES)[number];

/** A period that is over (last week, last month): an empty board of it says nobody earned, not "yet". */
export function isPastPeriod(name: string): boolean {
  return name === 'lastweek' || name === 'lastmonth';
}

export function isPeriodName(name: string): name is PeriodName {
  return (PERIOD_NAMES as readonly string[]).includes(name);
}

/** What a period name needs of a server: its calendar and its running season (both in `GuildRules`). */
export interface PeriodRules {
  settings: CalendarRules;
  season: RunningSeason | null;
}

export interface NamedPeriod {
  name: Exclude<PeriodName, 'alltime'>;
  /** Stored period id (src/engine/calendar.ts). */
  id: number;
  /** 'this week', 'last month', 'season “Spring”'. */
  label: string;
  span: Span;
}

/** The stored period a name means at `now`: null for all-time, 'no-season' when no season runs. */
export function namedPeriod(name: PeriodName, rules: PeriodRules, now: number): NamedPeriod | null | 'no-season' {
  const cal = rules.settings;
  switch (name) {
    case 'alltime':
      return null;
    case 'week':
      return named(name, weekAt(now, cal), 'this week');
    case 'lastweek':
      return named(name, previous(weekAt(now, cal), cal), 'last week');
    case 'month':
      return named(name, monthAt(now, cal), 'this month');
    case 'lastmonth':
      return named(name, previous(monthAt(now, cal), cal), 'last month');
    case 'season': {
      const { season } = rules;
      if (!season) return 'no-season';
      return named(name, { id: season.periodId, from: season.startsAt, to: season.endsAt }, `season “${season.name}”`);
    }
  }
}

function named(name: NamedPeriod['name'], span: Span, label: string): NamedPeriod {
  return { name, id: span.id, label, span };
}
