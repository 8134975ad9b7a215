/**
 * Which board a page or API request asks for (DESIGN §15.2): the `period` parameter resolved with the server's
 * calendar and running season, and the tabs a page offers. Unknown names, and `season` with none running, are
 * "no such board" (a page's 404, the API's 400).
 */
import { PERIOD_NAMES, isPeriodName, namedPeriod, type NamedPeriod } from '../engine/period-names.js';
import type { PeriodTab } from './html.js';
import type { WebPeriods } from './ports.js';

const TAB_LABELS: Record<Exclude<(typeof PERIOD_NAMES)[number], 'season'>, string> = {
  alltime: 'All time',
  week: 'This week',
  lastweek: 'Last week',
  month: 'This month',
  lastmonth: 'Last month',
};

export interface BoardPeriod {
  /** Null: the all-time board. */
  chosen: (NamedPeriod & { tab: PeriodTab }) | null;
  /** Every board this server has now, all-time first; empty without a calendar (no `WebPeriods`). */
  tabs: PeriodTab[];
}

/** The board `name` (absent: all-time) means now, or null when there is no such board. */
export async function boardPeriod(periods: WebPeriods | undefined, guildId: string, name: string | undefined): Promise<BoardPeriod | null> {
  if (name === undefined || name === 'alltime') {
    return { chosen: null, tabs: periods ? await tabs(periods, guildId) : [] };
  }
  if (!periods || !isPeriodName(name)) return null;
  const rules = await periods.rules(guildId);
  const now = periods.now();
  const all = tabsOf(rules.season?.name ?? null);
  const chosen = namedPeriod(name, rules, now);
  if (chosen === null || chosen === 'no-season') return null;
  return { chosen: { ...chosen, tab: all.find((t) => t.name === name)! }, tabs: all };
}

async function tabs(periods: WebPeriods, guildId: string): Promise<PeriodTab[]> {
  return tabsOf((await periods.rules(guildId)).season?.name ?? null);
}

function tabsOf(season: string | null): PeriodTab[] {
  const list: PeriodTab[] = Object.entries(TAB_LABELS).map(([name, label]) => ({ name, label, within: label.toLowerCase() }));
  if (season !== null) list.push({ name: 'season', label: `Season “${season}”`, within: `in season “${season}”` });
  return list;
}
