import { afterEach, describe, expect, it } from 'vitest';
import { G1, U1, U2, msg, testCore, type TestCore } from '../helpers/core.js';
import { ManualClock } from '../../src/util/clock.js';
import { MONTH, WEEK, monthAt, periodId, previous, startOfLocalDay, weekAt, canonicalTimeZone } from '../../src/engine/calendar.js';

let core: TestCore | undefined;
afterEach(async () => {
  await core?.stop();
  core = undefined;
});

const HOUR = 3_600_000;
const civil = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / 86_400_000;
const berlin = { timeZone: 'Europe/Berlin', weekStart: 1 };

describe('calendar (DESIGN §15.2)', () => {
  it('given Europe/Berlin then a week starts at local Monday midnight, which is Sunday 23:00 UTC in winter', () => {
    const w = weekAt(Date.UTC(2026, 0, 7, 12), berlin); // Wednesday 7 January
    expect(w.id).toBe(periodId(WEEK, civil(2026, 1, 5)));
    expect(new Date(w.from).toISOString()).toBe('2026-01-04T23:00:00.000Z');
    expect(w.to - w.from).toBe(7 * 24 * HOUR);
    // 30 minutes after local Monday midnight is already the next week, though UTC still says Sunday.
    expect(weekAt(Date.UTC(2026, 0, 11, 23, 30), berlin).id).toBe(periodId(WEEK, civil(2026, 1, 12)));
    expect(weekAt(Date.UTC(2026, 0, 11, 22, 30), berlin).id).toBe(w.id);
  });

  it('given the spring and autumn clock changes then the weeks holding them are 167 and 169 hours long', () => {
    const spring = weekAt(Date.UTC(2026, 2, 29, 12), berlin); // Sunday 29 March 2026: 02:00 → 03:00
    expect(spring.to - spring.from).toBe(167 * HOUR);
    expect(new Date(spring.to).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    const autumn = weekAt(Date.UTC(2026, 9, 25, 12), berlin); // Sunday 25 October 2026: 03:00 → 02:00
    expect(autumn.to - autumn.from).toBe(169 * HOUR);
  });

  it('given a week start day and a zone west of UTC then weeks and months follow them', () => {
    const ny = { timeZone: 'America/New_York', weekStart: 0 };
    const w = weekAt(Date.UTC(2026, 5, 3, 12), ny); // Wednesday 3 June
    expect(w.id).toBe(periodId(WEEK, civil(2026, 5, 31)));
    expect(new Date(w.from).toISOString()).toBe('2026-05-31T04:00:00.000Z');
    const m = monthAt(Date.UTC(2026, 6, 1, 2), ny); // 1 July 02:00 UTC is still 30 June in New York
    expect(m.id).toBe(periodId(MONTH, (2026 - 1970) * 12 + 5));
    expect(previous(m, ny).id).toBe(periodId(MONTH, (2026 - 1970) * 12 + 4));
    expect(previous(w, ny).id).toBe(periodId(WEEK, civil(2026, 5, 24)));
  });

  it('given a zone whose midnight does not exist then the day starts at the first minute after it', () => {
    // America/Santiago moved its clocks from 00:00 to 01:00 on 7 September 2025.
    const start = startOfLocalDay(civil(2025, 9, 7), 'America/Santiago');
    expect(new Date(start).toISOString()).toBe('2025-09-07T04:00:00.000Z');
  });

  it('given zone names in any case then they are spelled canonically, and unknown names are refused', () => {
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    expect(canonicalTimeZone('Mars/Olympus')).toBeNull();
  });
});

describe('period boards (DESIGN §15.2)', () => {
  it('given gains across a Berlin week boundary then each lands in its own week, and the month holds both', async () => {
    const clock = new ManualClock(0, Date.UTC(2026, 0, 11, 22, 50)); // Sunday 23:50 Berlin
    core = testCore({ clock });
    await core.writer.xp.updateSettings(G1, { cooldownSeconds: 0, timeZone: 'Europe/Berlin' });
    core.engine.reloadGuild(G1);
    core.engine.handleMessage(msg());
    clock.advance(20 * 60_000); // Monday 00:10 Berlin, Sunday 23:10 UTC
    core.engine.handleMessage(msg());
    core.engine.handleMessage(msg());
    await core.flusher.flush();
    const p = core.stores.periods;
    expect((await p.memberXp(G1, U1, periodId(WEEK, civil(2026, 1, 5)))).xp).toBe(1);
    expect((await p.memberXp(G1, U1, periodId(WEEK, civil(2026, 1, 12)))).xp).toBe(2);
    expect((await p.memberXp(G1, U1, periodId(MONTH, (2026 - 1970) * 12))).xp).toBe(3);
  });

  it('given many members then pages and ranks follow XP descending then id, members who left are hidden, and they agree with a brute-force count', async () => {
    const clock = new ManualClock(0, Date.UTC(2026, 3, 8, 12));
    core = testCore({ clock, engine: { maxBufferedEntries: 1_000_000 } });
    await core.writer.xp.updateSettings(G1, { cooldownSeconds: 0 });
    const users = Array.from({ length: 60 }, (_, i) => String(100_000_000_000_000_000n + BigInt(i * 7919 % 60)));
    let seed = 9;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 600; i++) core.engine.handleMessage(msg({ userId: users[Math.floor(rnd() * users.length)]! }));
    core.engine.adjustXp(G1, users[0]!, { add: 7 });
    await core.flusher.flush();
    await core.writer.xp.setMembership(G1, users[1]!, false, 1000);
    const week = weekAt(clock.wallNow(), { timeZone: 'UTC', weekStart: 1 }).id;
    const rows = core.db
      .prepare('SELECT CAST(UserId AS TEXT) u, CASE WHEN WeekId = @w THEN WeekXp ELSE PrevWeekXp END Xp, HasLeft FROM UserXpStats WHERE WeekId = @w OR PrevWeekId = @w')
      .all({ w: week }) as { u: string; Xp: number; HasLeft: number }[];
    const expected = rows
      .filter((r) => r.HasLeft === 0)
      .sort((a, b) => b.Xp - a.Xp || (BigInt(a.u) < BigInt(b.u) ? -1 : 1))
      .map((r) => ({ userId: r.u, xp: r.Xp }));
    expect(rows.find((r) => r.u === users[1])?.HasLeft).toBe(1);
    expect(await core.stores.periods.memberCount(G1, week)).toBe(expected.length);
    const paged = (await Promise.all([0, 10, 20, 30, 40, 50].map((o) => core!.stores.periods.leaderboard(G1, week, o, 10)))).flat();
    expect(paged).toEqual(expected);
    for (const [i, r] of expected.entries()) expect(await core.stores.periods.rank(G1, r.userId, week)).toBe(i + 1);
    // Back again: shown again.
    await core.writer.xp.setMembership(G1, users[1]!, true, 1000);
    expect(await core.stores.periods.memberCount(G1, week)).toBe(expected.length + 1);
  });
});
