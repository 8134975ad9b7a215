/**
 * Issue 11's calendar test: the simulator drives a server in America/New_York (weeks from Sunday) through five weeks
 * and across a month's end, with a daylight-saving change (8 March 2026: that week lasts 167 hours) and weekly
 * rolling seasons with a winner role; one season ends while the bot is stopped and is closed once at the next
 * start. After every step the boards (week, last week, month, season), the archives of closed seasons and the holders
 * of the winner role are compared with a brute-force computation from the list of messages sent, which classifies
 * each message by its local date alone (Intl), independently of the bot's calendar code.
 *
 * The model is a list of events and functions over it; a later XP source (decay) adds its events and its rule for
 * which boards they count on (`counts`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { botWorld, type BotWorld } from '../helpers/bot.js';

const ZONE = 'America/New_York';
const DAY = 86_400_000;
const XP = 10;

/** One change of a member's XP the bot was asked to make, at a wall-clock instant. */
interface ModelEvent {
  at: number;
  userId: string;
  xp: number;
  /** What the change is; only these count on period boards (DESIGN §15.2). */
  kind: 'message';
}

const counts = (e: ModelEvent) => e.kind === 'message';

/** The local calendar date of an instant in the zone, by Intl alone. */
function localDate(ms: number): { y: number; m: number; d: number; weekday: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: ZONE, year: 'numeric', month: 'numeric', day: 'numeric', weekday: 'short' })
      .formatToParts(ms)
      .map((p) => [p.type, p.value]),
  );
  return { y: Number(parts.year), m: Number(parts.month), d: Number(parts.day), weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday!) };
}

/** The local Sunday that starts the week of an instant, as a day number. */
function weekOf(ms: number): number {
  const l = localDate(ms);
  return Date.UTC(l.y, l.m - 1, l.d) / DAY - l.weekday;
}

function monthOf(ms: number): number {
  const l = localDate(ms);
  return l.y * 12 + l.m;
}

type Line = [userId: string, xp: number];

/** A board: XP per member over the events `inside` picks, XP descending then user id, members with XP only. */
function board(events: readonly ModelEvent[], inside: (e: ModelEvent) => boolean): Line[] {
  const sums = new Map<string, number>();
  for (const e of events) if (counts(e) && inside(e)) sums.set(e.userId, (sums.get(e.userId) ?? 0) + e.xp);
  return [...sums]
    .filter(([, xp]) => xp > 0)
    .sort((a, b) => b[1] - a[1] || (BigInt(a[0]) < BigInt(b[0]) ? -1 : 1));
}

const lines = (m: { content?: string | null; embeds?: { description?: string }[] }): Line[] =>
  [...(m.embeds?.[0]?.description ?? '').matchAll(/\*\*#\d+\*\* <@(\d+)> — ([\d,]+) XP/g)].map((x) => [x[1]!, Number(x[2]!.replace(/,/g, ''))]);

let w: BotWorld | null = null;
afterEach(async () => {
  await w?.teardown();
  w = null;
});

describe('weeks, months and seasons over five weeks of a server in New York', () => {
  it('given messages around week, month and daylight-saving boundaries then every board, archive and winner role matches the brute force', async () => {
    w = await botWorld();
    const world = w;
    const champ = world.sim.createRole(world.guildId, { name: 'Champ', position: 1 }).id;
    const members = [world.alice, world.bob, world.owner];
    const events: ModelEvent[] = [];

    // Monday 23 February 2026, 12:00 in New York (17:00 UTC).
    world.clock.stepWall(Date.UTC(2026, 1, 23, 17) - world.clock.wallNow());
    expect((await world.prefix(world.admin, `!unicornia settings calendar ${ZONE} sunday`)).content).toMatch(/America\/New_York, weeks start sunday/);
    expect((await world.prefix(world.admin, `!unicornia xp permessage ${XP}`)).content).toMatch(/✅/);
    expect((await world.prefix(world.admin, `!unicornia season start Week weekly 1 <@&${champ}>`)).content).toMatch(/Season 1 “Week” started/);
    const seasonStart = world.clock.wallNow();

    /** Moves the wall clock to `at` (a minute of it on the scheduler, so timers and cooldowns run). */
    const until = async (at: number) => {
      const step = at - world.clock.wallNow() - 60_000;
      expect(step).toBeGreaterThanOrEqual(0);
      world.clock.stepWall(step);
      await world.scheduler.advance(60_000);
      await world.bot.app.seasons.check();
    };
    const say = async (userId: string) => {
      await world.scheduler.advance(61_000); // past the member's cooldown
      await world.say(userId, 'hello there, how is everyone');
      events.push({ at: world.clock.wallNow(), userId, xp: XP, kind: 'message' });
    };

    const seasonOf = (ms: number) => 1 + (weekOf(ms) - weekOf(seasonStart)) / 7;
    const check = async (label: string) => {
      await world.core.flusher.flush();
      const now = world.clock.wallNow();
      const expected = {
        week: board(events, (e) => weekOf(e.at) === weekOf(now)),
        lastweek: board(events, (e) => weekOf(e.at) === weekOf(now) - 7),
        month: board(events, (e) => monthOf(e.at) === monthOf(now)),
        lastmonth: board(events, (e) => monthOf(e.at) === monthOf(now) - 1),
        season: board(events, (e) => seasonOf(e.at) === seasonOf(now)),
      };
      for (const [period, want] of Object.entries(expected)) {
        const got = lines(await world.prefix(world.admin, `!lb 1 ${period}`));
        expect(got, `${label}: ${period}`).toEqual(want.slice(0, 10));
      }
      // Every season before the current one is closed, archived as the brute force ranks it, and its winner holds the
      // role (taken from the last one first).
      const current = seasonOf(now);
      const stored = world.core.db.prepare('SELECT Number, State FROM XpSeason ORDER BY Number').all() as { Number: number; State: string }[];
      expect(stored, label).toEqual(Array.from({ length: current }, (_, i) => ({ Number: i + 1, State: i + 1 < current ? 'closed' : 'running' })));
      let lastWinner: string | null = null;
      for (let n = 1; n < current; n++) {
        const want = board(events, (e) => seasonOf(e.at) === n);
        const archived = world.core.db
          .prepare('SELECT CAST(st.UserId AS TEXT) AS u, st.Xp AS xp FROM XpSeasonStanding st JOIN XpSeason s ON s.Id = st.SeasonId WHERE s.Number = ? ORDER BY st.Rank')
          .all(n) as { u: string; xp: number }[];
        expect(archived.map((a) => [a.u, a.xp]), `${label}: season ${n}`).toEqual(want);
        lastWinner = want[0]?.[0] ?? null;
      }
      await world.sim.waitUntil(() => members.every((m) => world.sim.memberRoles(world.guildId, m).includes(champ) === (m === lastWinner)) || undefined, { description: `${label}: winner role` });
    };

    // Week of 22 Feb (season 1, started Monday): February.
    const t = (iso: string) => Date.parse(iso);
    await until(t('2026-02-24T15:00:00Z'));
    await say(world.alice);
    await say(world.bob);
    await until(t('2026-02-26T23:00:00Z'));
    await say(world.bob);
    await check('Thursday of the first week');
    // 28 Feb 23:30 in New York is 1 March 04:30 UTC: still February and still the first week.
    await until(t('2026-03-01T04:30:00Z'));
    await say(world.alice);
    await say(world.alice);
    // 1 March 00:30 in New York: a new week (season 2) and March.
    await until(t('2026-03-01T05:30:00Z'));
    await say(world.owner);
    await check('just after the first week and February ended');
    await until(t('2026-03-04T18:00:00Z'));
    await say(world.bob);
    await say(world.owner);
    await check('mid-week in March');
    // The week of 8 March holds the daylight-saving change (2:00 → 3:00 on the 8th): it ends on 15 March at 00:00
    // EDT = 04:00 UTC, 167 hours after it began at 05:00 UTC on the 8th.
    await until(t('2026-03-08T05:30:00Z'));
    await say(world.alice);
    await until(t('2026-03-08T08:00:00Z')); // 4:00 EDT, just after the change
    await say(world.bob);
    await until(t('2026-03-15T03:30:00Z')); // Saturday 23:30 EDT: still that week
    await say(world.bob);
    await say(world.owner);
    await check('the last hour of the 167-hour week');
    await until(t('2026-03-15T04:30:00Z')); // Sunday 00:30 EDT: the next week
    await say(world.alice);
    await check('just after the 167-hour week');
    // The bot is stopped over the end of the week of 15 March (22 March 00:00 EDT): the next start closes it once.
    await until(t('2026-03-20T16:00:00Z'));
    await say(world.owner);
    await say(world.owner);
    await world.bot.stop();
    world.clock.stepWall(t('2026-03-23T14:00:00Z') - world.clock.wallNow());
    await world.restart({ alreadyStopped: true });
    await world.bot.app.seasons.check();
    await check('after a start that closed the season which ended while the bot was stopped');
    await until(t('2026-03-24T12:00:00Z'));
    await say(world.bob);
    await until(t('2026-03-31T12:00:00Z'));
    await say(world.alice);
    await check('the end of March');
    const announced = world.sim.messagesIn(world.general).filter((m) => m.authorId === world.botId && (m.content ?? '').startsWith('🏆'));
    expect(announced.map((m) => /Season (\d+)/.exec(m.content ?? '')?.[1])).toEqual(['1', '2', '3', '4', '5']);
  });

  it('given weeks moved to start on Friday on a Wednesday then a week later "last week" is the partial week since the change, held or built again after a restart, in both forms', async () => {
    w = await botWorld();
    const world = w;
    // Wednesday 2 December 2026, 12:00 UTC; weeks start on Monday (30 November).
    world.clock.stepWall(Date.UTC(2026, 11, 2, 12) - world.clock.wallNow());
    expect((await world.prefix(world.admin, `!unicornia xp permessage ${XP}`)).content).toMatch(/✅/);
    const say = async (userId: string) => {
      await world.scheduler.advance(61_000); // past the member's cooldown
      await world.say(userId, 'hello there, how is everyone');
    };
    await say(world.alice);
    await world.core.flusher.flush();
    // From now on weeks start on Friday: this week began on Friday 27 November, before the Monday week it follows.
    expect((await world.prefix(world.admin, '!unicornia settings calendar UTC friday')).content).toMatch(/weeks start friday/);
    await say(world.alice);
    await say(world.bob);
    await say(world.bob);
    await world.core.flusher.flush();
    const thisWeek: Line[] = [[world.bob, 20], [world.alice, XP]];
    expect(lines(await world.prefix(world.admin, '!lb 1 week'))).toEqual(thisWeek);
    // A week later both speak once more: last week is the one since the change, whole.
    world.clock.stepWall(7 * DAY);
    await say(world.alice);
    await say(world.bob);
    await world.core.flusher.flush();
    expect(lines(await world.prefix(world.admin, '!lb 1 lastweek')), 'prefix').toEqual(thisWeek);
    // The board read before was held and moved in place; after a restart it is built from the members' rows.
    await world.restart();
    expect(lines(await world.prefix(world.admin, '!lb 1 lastweek')), 'prefix, after a restart').toEqual(thisWeek);
    expect(lines(await world.slash(world.admin, { name: 'level', subcommand: 'leaderboard', options: { period: 'lastweek' } })), 'slash').toEqual(thisWeek);
    const tied = [world.alice, world.bob].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    expect(lines(await world.prefix(world.admin, '!lb 1 week'))).toEqual(tied.map((u): Line => [u, XP]));
  });
});
