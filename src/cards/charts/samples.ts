/**
 * Sample chart data for `npm run card -- --chart …` and the benchmarks: the curve comparison from real curve
 * constants, and a member's history from a seeded generator (busy, empty, or a single day).
 */
import { totalXpForLevel, xpForNextLevel, type LevelCurve } from '../../levels/curve.js';
import type { CardTemplate } from '../template.js';
import type { CurveChartContext, HistoryChartContext } from './context.js';

export function sampleCurveChart(today: LevelCurve, proposed: LevelCurve, options: { levels: number; total: boolean; template: CardTemplate }): CurveChartContext {
  const levels = Array.from({ length: options.levels + 1 }, (_, l) => l);
  const value = (curve: LevelCurve) => (options.total ? levels.map((l) => totalXpForLevel(l, curve)) : levels.map((l) => xpForNextLevel(l, curve)));
  const name = (curve: LevelCurve) => `a ${curve.a}, c ${curve.c}`;
  return {
    title: 'Level curve preview',
    subtitle: options.total ? 'Total XP needed to reach each level' : 'XP needed to go from each level to the next',
    yLabel: options.total ? 'TOTAL XP' : 'XP TO NEXT LEVEL',
    xLabel: 'Level',
    labels: levels.map(String),
    series: [
      { name: `Today (${name(today)})`, values: value(today) },
      { name: `Proposed (${name(proposed)})`, values: value(proposed) },
    ],
    template: options.template,
  };
}

export type HistorySample = 'busy' | 'empty' | 'one-day';

/** `days` UTC days ending on `end`, oldest first. */
export function dayWindow(end: Date, days: number): string[] {
  const last = Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), end.getUTCDate());
  return Array.from({ length: days }, (_, i) => new Date(last - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

export function sampleHistoryChart(options: { days: number; sample: HistorySample; name: string; end: Date; template: CardTemplate; seed?: number }): HistoryChartContext {
  const days = dayWindow(options.end, options.days);
  let seed = options.seed ?? 7;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) >>> 0) / 2 ** 32;
  const last = days.length - 1;
  const active = (i: number) => options.sample === 'busy' || (options.sample === 'one-day' && i === last);
  const message = days.map((_, i) => (active(i) && random() > 0.15 ? Math.round(20 + random() * 110) : 0));
  const voice = days.map((_, i) => (active(i) && random() > 0.45 ? Math.round(random() * 220) : 0));
  const bonus = days.map((_, i) => (options.sample === 'busy' && random() > 0.9 ? Math.round(random() * 90) : 0));
  const levelUps =
    options.sample === 'empty' ? [] : options.sample === 'one-day' ? [{ date: days[last]!, level: 1 }] : days.filter((_, i) => i % Math.max(3, Math.floor(days.length / 6)) === 2).map((date, k) => ({ date, level: 20 + k }));
  return {
    title: options.name,
    subtitle: `Last ${options.days === 1 ? 'day' : `${options.days} days`} (UTC)`,
    days,
    series: [
      { name: 'Messages', values: message },
      { name: 'Voice', values: voice },
      ...(options.sample === 'busy' ? [{ name: 'Event bonus', values: bonus }] : []),
    ],
    levelUps,
    template: options.template,
  };
}
