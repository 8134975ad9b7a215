/**
 * Which board a page or API request names (DESIGN §15.2): the same stored periods as `level leaderboard <period>`,
 * a season tab only while one runs, and no board for unknown names or without a calendar.
 */
import { describe, expect, it } from 'vitest';
import { boardPeriod } from '../../src/web/periods.js';
import { periodId, SEASON, WEEK } from '../../src/engine/calendar.js';
import type { WebPeriods } from '../../src/web/ports.js';
import type { RunningSeason } from '../../src/engine/settings.js';

// Tuesday 10 March 2026, 02:00 UTC: still Monday 9 March in Los Angeles, whose weeks here start on Sunday.
const NOW = Date.UTC(2026, 2, 10, 2);
const spring: RunningSeason = { id: 7, number: 2, name: 'Spring', periodId: periodId(SEASON, 7), startsAt: Date.UTC(2026, 2, 1), endsAt: Date.UTC(2026, 5, 1) };
const periods = (season: RunningSeason | null): WebPeriods => ({ rules: () => ({ settings: { timeZone: 'America/Los_Angeles', weekStart: 0 }, season }), now: () => NOW });

describe('board periods of the web side', () => {
  it('given a running season then the tabs end with it and ?period=season is its stored period', async () => {
    const board = await boardPeriod(periods(spring), '1', 'season');
    expect(board?.tabs.map((t) => t.label)).toEqual(['All time', 'This week', 'Last week', 'This month', 'Last month', 'Season “Spring”']);
    expect(board?.chosen).toMatchObject({ id: spring.periodId, span: { from: spring.startsAt, to: spring.endsAt }, tab: { within: 'in season “Spring”' } });
  });

  it("given the server's zone and week start then this week is the local week, last week the one before", async () => {
    // Sunday 8 March 2026 local; Los Angeles is on daylight time from that day (UTC-7).
    const week = await boardPeriod(periods(null), '1', 'week');
    expect(week?.chosen).toMatchObject({ id: periodId(WEEK, Date.UTC(2026, 2, 8) / 86_400_000), span: { from: Date.UTC(2026, 2, 8, 8), to: Date.UTC(2026, 2, 15, 7) } });
    const last = await boardPeriod(periods(null), '1', 'lastweek');
    expect(last?.chosen?.span).toEqual({ id: periodId(WEEK, Date.UTC(2026, 2, 1) / 86_400_000), from: Date.UTC(2026, 2, 1, 8), to: Date.UTC(2026, 2, 8, 8) });
  });

  it('given no season, an unknown name or no calendar then there is no such board; all-time always is', async () => {
    expect((await boardPeriod(periods(null), '1', undefined))?.tabs.map((t) => t.name)).toEqual(['alltime', 'week', 'lastweek', 'month', 'lastmonth']);
    expect(await boardPeriod(periods(null), '1', 'season')).toBeNull();
    expect(await boardPeriod(periods(null), '1', 'fortnight')).toBeNull();
    expect(await boardPeriod(undefined, '1', 'week')).toBeNull();
    expect(await boardPeriod(undefined, '1', 'alltime')).toEqual({ chosen: null, tabs: [] });
  });
});
