/**
 * The data of a member's `level history` chart (DESIGN §4.1, §15.1), from their stored daily history: one value
 * per UTC day and source, and the days their level went up. Pure: the command reads the window, this shapes it.
 */
import type { HistoryChartContext } from '../cards/index.js';
import type { CardTemplate } from '../cards/template.js';
import { DAY_MS } from '../engine/calendar.js';
import { SOURCE_CODE, type HistorySource } from '../engine/history.js';
import { levelFromXp, type LevelCurve } from '../levels/curve.js';
import type { MemberWindow } from '../storage/history.js';

/** The windows a member may ask for, in days. */
export const HISTORY_WINDOWS = [7, 30, 90, 365] as const;

/** Drawn sources in stacking order (message, voice, then the rest); `opening` is XP from before history, not drawn. */
const DRAWN: readonly { source: HistorySource; name: string }[] = [
  { source: 'message', name: 'Messages' },
  { source: 'voice', name: 'Voice' },
  { source: 'admin', name: 'Admin' },
  { source: 'event', name: 'Event bonus' },
  { source: 'import', name: 'Import' },
  { source: 'decay', name: 'Decay' },
];

export interface HistoryChartData {
  chart: HistoryChartContext;
  /** XP per drawn source over the window (non-zero ones), in stacking order. */
  totals: { name: string; xp: number }[];
  levelUps: number;
}

const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * `window` covers [toDay − days + 1, toDay]. Levels are walked back from the stored total: the total at the end of
 * a day minus that day's changes is the total at its start, so a day whose level at its end is above its level at
 * its start carries a level-up (with today's curve). Opening rows are not changes: the XP existed before.
 */
export function historyChartData(options: {
  window: MemberWindow;
  toDay: number;
  days: number;
  curve: LevelCurve;
  title: string;
  subtitle: string;
  template: CardTemplate;
}): HistoryChartData {
  const { window, toDay, days } = options;
  const fromDay = toDay - days + 1;
  const byDay = new Map(window.days.map((d) => [d.day, d.bySource]));
  const values = DRAWN.map(() => new Array<number>(days).fill(0));
  const levelUps: { date: string; level: number }[] = [];
  let end = window.total - window.after;
  for (let day = toDay; day >= fromDay; day--) {
    const sources = byDay.get(day);
    let net = 0;
    DRAWN.forEach((d, k) => {
      const xp = sources?.get(SOURCE_CODE[d.source]) ?? 0;
      values[k]![day - fromDay] = xp;
      net += xp;
    });
    const start = end - net;
    const level = levelFromXp(end, options.curve);
    if (level > levelFromXp(start, options.curve)) levelUps.push({ date: isoDay(day), level });
    end = start;
  }
  // Messages and voice always (an empty chart still has its legend); other sources when they have XP here.
  const shown = DRAWN.map((d, k) => ({ name: d.name, values: values[k]! })).filter((s, k) => k < 2 || s.values.some((v) => v !== 0));
  return {
    chart: {
      title: options.title,
      subtitle: options.subtitle,
      days: Array.from({ length: days }, (_, i) => isoDay(fromDay + i)),
      series: shown,
      levelUps: levelUps.reverse(),
      template: options.template,
    },
    totals: shown.map((s) => ({ name: s.name, xp: s.values.reduce((a, b) => a + b, 0) })).filter((t) => t.xp !== 0),
    levelUps: levelUps.length,
  };
}
