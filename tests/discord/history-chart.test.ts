import { describe, expect, it } from 'vitest';
import { historyChartData } from '../../src/discord/history-chart.js';
import { SOURCE_CODE } from '../../src/engine/history.js';
import { NADEKO_CURVE } from '../../src/levels/curve.js';
import { defaultCardTemplate } from '../../src/cards/template.js';
import { historyChartSchema } from '../../src/cards/charts/context.js';

const TODAY = 20_454; // 2026-01-01
const day = (d: number, sources: Partial<Record<keyof typeof SOURCE_CODE, number>>) => ({
  day: d,
  bySource: new Map(Object.entries(sources).map(([s, xp]) => [SOURCE_CODE[s as keyof typeof SOURCE_CODE], xp!])),
});
const data = (days: ReturnType<typeof day>[], total: number, after = 0) =>
  historyChartData({ window: { days, total, after }, toDay: TODAY, days: 7, curve: NADEKO_CURVE, title: 'm', subtitle: 's', template: defaultCardTemplate });

describe('level history data (DESIGN §15.1)', () => {
  it('given the days of a window then one value per day and source, oldest first, and the chart schema accepts it', () => {
    const d = data([day(TODAY - 6, { message: 5 }), day(TODAY, { voice: 3, event: 2 })], 10);
    expect(d.chart.days[0]).toBe('2025-12-26');
    expect(d.chart.days[6]).toBe('2026-01-01');
    expect(d.chart.series).toEqual([
      { name: 'Messages', values: [5, 0, 0, 0, 0, 0, 0] },
      { name: 'Voice', values: [0, 0, 0, 0, 0, 0, 3] },
      { name: 'Event bonus', values: [0, 0, 0, 0, 0, 0, 2] },
    ]);
    expect(d.totals).toEqual([
      { name: 'Messages', xp: 5 },
      { name: 'Voice', xp: 3 },
      { name: 'Event bonus', xp: 2 },
    ]);
    expect(() => historyChartSchema.parse(d.chart)).not.toThrow();
  });

  it('given the stored total then levels are walked back from it: a day that crosses a level is marked with the level reached', () => {
    // Level 1 at 36, 2 at 81, 3 at 135 XP. The member ends at 140 XP; the window earned 30 + 60 + 20 of it.
    const d = data([day(TODAY - 4, { message: 30 }), day(TODAY - 2, { voice: 60 }), day(TODAY, { admin: 20 })], 140);
    // Start of window: 30 XP (level 0); after day −4: 60 (1); after day −2: 120 (2); after today: 140 (3).
    expect(d.chart.levelUps).toEqual([
      { date: '2025-12-28', level: 1 },
      { date: '2025-12-30', level: 2 },
      { date: '2026-01-01', level: 3 },
    ]);
    expect(d.levelUps).toBe(3);
  });

  it('given an opening row (XP from before history) then it is neither drawn nor a level-up', () => {
    const d = data([day(TODAY - 1, { opening: 5000, message: 2 })], 5002);
    expect(d.chart.levelUps).toEqual([]);
    expect(d.totals).toEqual([{ name: 'Messages', xp: 2 }]);
  });

  it('given a loss and rows dated after the window (a clock that stepped back) then no false level-up', () => {
    // 130 XP at the end of today (level 2), plus 10 dated tomorrow: the total is 140 (level 3 only tomorrow).
    const d = data([day(TODAY - 3, { decay: -40 }), day(TODAY, { message: 10 })], 140, 10);
    expect(d.chart.levelUps).toEqual([]);
    expect(d.chart.series.map((s) => s.name)).toEqual(['Messages', 'Voice', 'Decay']);
  });
});
