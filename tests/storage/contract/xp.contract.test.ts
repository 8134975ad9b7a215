/**
 * The XP store's contract, run on SQLite and on a real PostgreSQL server (DESIGN §7.1): totals and the flush marker,
 * exact snowflakes, leaderboard order, ranks (with unwritten totals), rules, rewards paid once, membership.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { STORE_KINDS, openStoreUnderTest, type StoreUnderTest } from './stores.js';
import type { FlushBatch } from '../../../src/engine/ports.js';
import { DAY_MS, weekAt } from '../../../src/engine/calendar.js';
import { namedPeriod } from '../../../src/engine/period-names.js';

const G = '1234567890123456789';
const G2 = '987654321098765432';
const BIG = '9223372036854775807'; // 2^63 - 1, far above 2^53
const NEAR = '9007199254740993'; // 2^53 + 1: a double would make it ...992

function batch(seq: number, rows: [string, string, number, number?][], voice: FlushBatch['voice'] = [], more: Partial<Pick<FlushBatch, 'history' | 'periods'>> = {}): FlushBatch {
  return { seq, rows: rows.map(([guildId, userId, xp, awarded]) => ({ guildId, userId, xp, awarded: awarded ?? 0 })), voice, history: more.history ?? [], periods: more.periods ?? [] };
}

describe.each(STORE_KINDS)('XP store contract on %s', (kind) => {
  let store: StoreUnderTest;
  const open = async (writerId = 'w1') => (store = await openStoreUnderTest(kind, writerId));
  afterEach(async () => {
    await store?.close();
  });

  it('given flushes then gains are added (never overwritten), the global total and voice minutes follow, and the marker moves with them', async () => {
    const s = await open();
    expect(await s.reads.storedXp(G, BIG)).toEqual({ xp: 0, flushSeq: 0 });
    await s.xp.flush(batch(1, [[G, BIG, 100, 10], [G2, BIG, 5]], [{ guildId: G, userId: BIG, day: 20000, minutes: 3 }]));
    await s.xp.flush(batch(2, [[G, BIG, -30, -30]], [{ guildId: G, userId: BIG, day: 20000, minutes: 2 }]));
    expect(await s.reads.storedXp(G, BIG)).toEqual({ xp: 70, flushSeq: 2 });
    expect(await s.reads.userRow(G, BIG)).toEqual({ xp: 70, awardedXp: -20, rewardedLevel: 0, hasLeft: false });
    expect(await s.reads.voiceMinutes(G, BIG, 20000)).toEqual({ minutes: 5, flushSeq: 2 });
    expect(await s.reads.voiceMinutes(G, BIG, 20001)).toEqual({ minutes: 0, flushSeq: 2 });
    expect(await s.reads.lastFlushSeq()).toBe(2);
  });

  it('given a batch the marker already holds (offered again after its COMMIT answer was lost) then it is not written twice', async () => {
    const s = await open();
    await s.xp.flush(batch(1, [[G, NEAR, 40]]));
    await s.xp.flush(batch(1, [[G, NEAR, 40]]));
    expect((await s.reads.storedXp(G, NEAR)).xp).toBe(40);
  });

  it('given two writers (two processes) then each has its own marker and both gains count', async () => {
    const s = await open();
    const other = s.writer('w2');
    await s.xp.flush(batch(1, [[G, BIG, 10]]));
    await other.flush(batch(1, [[G, BIG, 7]]));
    await other.flush(batch(2, [[G, BIG, 1]]));
    expect(await s.reads.storedXp(G, BIG)).toEqual({ xp: 18, flushSeq: 1 });
  });

  it('given ids above 2^53 then the leaderboard returns them exactly, ordered by XP then id, without members who left', async () => {
    const s = await open();
    await s.xp.flush(batch(1, [[G, BIG, 50], [G, NEAR, 50], [G, '3', 90], [G, '4', 10], [G2, '5', 1000]]));
    await s.xp.setMembership(G, '4', false, 1000);
    expect(await s.reads.leaderboard(G, 0, 10)).toEqual([
      { userId: '3', xp: 90 },
      { userId: NEAR, xp: 50 },
      { userId: BIG, xp: 50 },
    ]);
    expect(await s.reads.leaderboard(G, 1, 1)).toEqual([{ userId: NEAR, xp: 50 }]);
    expect(await s.reads.memberCount(G)).toBe(3);
    await s.xp.setMembership(G, '4', true, 1000);
    expect(await s.reads.memberCount(G)).toBe(4);
  });

  it('given random members then every rank equals the brute-force position, with unwritten totals and members who left', async () => {
    const s = await open();
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const members = new Map<string, number>();
    for (let i = 0; i < 300; i++) members.set(String(10n ** 17n + BigInt(rnd(1000))), rnd(3000));
    await s.xp.flush(batch(1, [...members].map(([u, xp]) => [G, u, xp])));
    const left = [...members.keys()].slice(0, 20);
    for (const u of left) await s.xp.setMembership(G, u, false, 1000);
    const unwritten = new Map([...members.keys()].slice(20, 40).map((u) => [u, rnd(5000)]));
    const totals = new Map([...members].filter(([u]) => !left.includes(u)).map(([u, xp]) => [u, unwritten.get(u) ?? xp]));
    const order = [...totals].sort((a, b) => b[1] - a[1] || (BigInt(a[0]) < BigInt(b[0]) ? -1 : 1));
    for (const [i, [u, xp]] of order.entries()) {
      if (i % 7 !== 0) continue;
      expect(await s.reads.rank(G, u, xp, unwritten)).toBe(i + 1);
    }
  });

  it('given settings, exclusions, multipliers and rewards then the guild rules read back as written', async () => {
    const s = await open();
    await s.xp.updateSettings(G, { xpPerMessage: 3, curve: { a: 10, c: 5 }, announceChannelId: BIG, announceMode: 'fixed', voiceAntiFarm: false, cardAccent: '#ffa3e0', antispamMinLength: 5, antispamSimilarity: 80, voiceMutedEarn: false, stageAudiencePercent: 40, retentionDays: 90, announceCard: true });
    await s.xp.setExcluded(G, 'channel', NEAR, true);
    await s.xp.setExcluded(G, 'role', BIG, true);
    expect(await s.xp.setExcluded(G, 'role', BIG, true)).toBe(false);
    await s.xp.setMultiplier(G, 'role', BIG, 1500);
    await s.xp.setRoleReward(G, 5, BIG, false);
    await s.xp.setRoleReward(G, 3, NEAR, true);
    await s.xp.setCurrencyReward(G, 2, 100);
    const rules = await s.reads.loadGuildRules(G);
    expect(rules.settings).toMatchObject({ xpPerMessage: 3, curve: { a: 10, c: 5 }, announceChannelId: BIG, announceMode: 'fixed', voiceAntiFarm: false, cooldownSeconds: 60, cardAccent: '#ffa3e0', antispamMinLength: 5, antispamSimilarity: 80, voiceMutedEarn: false, stageAudiencePercent: 40, retentionDays: 90, announceCard: true });
    expect([...rules.excludedChannels]).toEqual([NEAR]);
    expect([...rules.excludedRoles]).toEqual([BIG]);
    expect([...rules.roleMultipliers]).toEqual([[BIG, 1500]]);
    expect(rules.roleRewards).toEqual([
      { level: 3, roleId: NEAR, remove: true },
      { level: 5, roleId: BIG, remove: false },
    ]);
    expect(rules.currencyRewards).toEqual([{ level: 2, amount: 100 }]);
    expect(await s.xp.setCurrencyReward(G, 2, 0)).toBe(true);
    expect((await s.reads.loadGuildRules(G2)).settings.xpPerMessage).toBe(1);
  });

  it('given channel rates then they read back exactly (a null cooldown stays null), are replaced, and a reset deletes them', async () => {
    const s = await open();
    await s.xp.setChannelRate(G, BIG, { xpPerMessage: 5, cooldownSeconds: 90 });
    await s.xp.setChannelRate(G, NEAR, { xpPerMessage: 0, cooldownSeconds: null });
    await s.xp.setChannelRate(G, BIG, { xpPerMessage: 7, cooldownSeconds: null });
    const rates = (await s.reads.loadGuildRules(G)).channelRates;
    expect(new Map(rates)).toEqual(new Map([[BIG, { xpPerMessage: 7, cooldownSeconds: null }], [NEAR, { xpPerMessage: 0, cooldownSeconds: null }]]));
    expect(await s.xp.setChannelRate(G, NEAR, null)).toBe(true);
    expect(await s.xp.setChannelRate(G, NEAR, null)).toBe(false);
    expect([...(await s.reads.loadGuildRules(G)).channelRates.keys()]).toEqual([BIG]);
    expect((await s.reads.loadGuildRules(G2)).channelRates.size).toBe(0);
  });

  it('given per-level level-up texts then they read back in level order, exactly as typed, are replaced, and default deletes them', async () => {
    const s = await open();
    const typed = '🏆 {user}\n  "level" **{level}** — ünïcode ✨';
    await s.xp.setLevelUpMessage(G, 50, 'fifty');
    await s.xp.setLevelUpMessage(G, 10, 'ten');
    await s.xp.setLevelUpMessage(G, 10, typed);
    expect([...(await s.reads.loadGuildRules(G)).levelUpMessages]).toEqual([[10, typed], [50, 'fifty']]);
    expect(await s.xp.setLevelUpMessage(G, 50, null)).toBe(true);
    expect(await s.xp.setLevelUpMessage(G, 50, null)).toBe(false);
    expect([...(await s.reads.loadGuildRules(G)).levelUpMessages.keys()]).toEqual([10]);
    expect((await s.reads.loadGuildRules(G2)).levelUpMessages.size).toBe(0);
  });

  it('given a level-up recorded twice then currency is paid once, the mark moves and the roles are queued', async () => {
    const s = await open();
    await s.xp.setCurrencyReward(G, 2, 100);
    await s.xp.setCurrencyReward(G, 4, 50);
    const roleRewards = [{ level: 3, roleId: NEAR, remove: false }];
    const first = await s.xp.recordLevelUp(G, BIG, { oldLevel: 0, newLevel: 4, roleRewards, at: 1000 });
    expect(first).toEqual({ previousMark: 0, paid: [{ level: 2, amount: 100 }, { level: 4, amount: 50 }], roles: { add: [NEAR], remove: [] } });
    const again = await s.xp.recordLevelUp(G, BIG, { oldLevel: 0, newLevel: 4, roleRewards, at: 2000 });
    expect(again.paid).toEqual([]);
    expect(await s.reads.balance(BIG)).toBe(150);
    expect((await s.reads.userRow(G, BIG))?.rewardedLevel).toBe(4);
    const queued = await s.roleReads.pendingFor(G, BIG);
    expect(queued.map((q) => [q.roleId, q.action, q.nextAttemptAt])).toEqual([[NEAR, 'add', 2000]]);
  });

  it('given a complete member list then who left and who came back is brought in line', async () => {
    const s = await open();
    await s.xp.flush(batch(1, [[G, '1', 1], [G, '2', 2], [G, '3', 3]]));
    await s.xp.setMembership(G, '3', false, 1000);
    expect(await s.xp.reconcileMembers(G, ['1', '3'], 2000)).toEqual({ left: 1, back: 1 });
    expect((await s.reads.leaderboard(G, 0, 10)).map((r) => r.userId)).toEqual(['3', '1']);
  });

  it('given leaves and returns then LeftAt holds the first leave and a return clears it, live and at start-up', async () => {
    const s = await open();
    await s.xp.flush(batch(1, [[G, '1', 1], [G, '2', 2], [G, BIG, 3]]));
    await s.xp.setMembership(G, BIG, false, 1000);
    await s.xp.setMembership(G, BIG, false, 5000); // a repeated event does not restart the retention period
    await s.xp.setMembership(G, '9', false, 1000); // no row yet: one is made, hidden, with the time
    await s.xp.setMembership(G, '2', false, 1000);
    await s.xp.setMembership(G, '2', true, 2000);
    const leftAt = () => s.rows('SELECT CAST(UserId AS TEXT) AS u, HasLeft AS h, LeftAt AS t FROM UserXpStats WHERE GuildId = ? ORDER BY UserId', G);
    expect(await leftAt()).toEqual([
      { u: '1', h: 0, t: null },
      { u: '2', h: 0, t: null },
      { u: '9', h: 1, t: 1000 },
      { u: BIG, h: 1, t: 1000 },
    ]);
    expect(await s.xp.reconcileMembers(G, ['2', BIG], 7000)).toEqual({ left: 1, back: 1 });
    expect(await leftAt()).toEqual([
      { u: '1', h: 1, t: 7000 },
      { u: '2', h: 0, t: null },
      { u: '9', h: 1, t: 1000 },
      { u: BIG, h: 0, t: null },
    ]);
  });

  it('given flushes with history and period totals then both are added in the flush, not twice for a batch offered again, and period XP follows membership', async () => {
    const s = await open();
    const week = 10_020_458;
    const more = {
      history: [{ guildId: G, userId: BIG, day: 20464, source: 1, xp: 30 }, { guildId: G, userId: BIG, day: 20464, source: 3, xp: -5 }],
      periods: [{ guildId: G, userId: BIG, period: week, xp: 25 }, { guildId: G, userId: NEAR, period: week, xp: 40 }],
    };
    await s.xp.flush(batch(1, [[G, BIG, 25], [G, NEAR, 40]], [], more));
    await s.xp.flush(batch(1, [[G, BIG, 25], [G, NEAR, 40]], [], more)); // its COMMIT answer was lost: not twice
    await s.xp.flush(batch(2, [[G, BIG, 1]], [], { history: [{ guildId: G, userId: BIG, day: 20465, source: 2, xp: 1 }], periods: [{ guildId: G, userId: BIG, period: week, xp: 1 }] }));
    const history = await s.query('SELECT CAST(UserId AS TEXT) AS u, Day AS d, Source AS s, Xp AS x FROM XpHistoryDaily WHERE GuildId = $1 ORDER BY Day, Source', [G]);
    expect(history).toEqual([
      { u: BIG, d: '20464', s: '1', x: '30' },
      { u: BIG, d: '20464', s: '3', x: '-5' },
      { u: BIG, d: '20465', s: '2', x: '1' },
    ]);
    await s.xp.setMembership(G, NEAR, false, 1000);
    const periods = await s.query('SELECT CAST(UserId AS TEXT) AS u, WeekXp AS x, HasLeft AS l FROM UserXpStats WHERE GuildId = $1 AND WeekId = $2 ORDER BY WeekXp DESC', [G, week]);
    expect(periods).toEqual([
      { u: NEAR, x: '40', l: '1' },
      { u: BIG, x: '26', l: '0' },
    ]);
    // The board shows the members who have not left.
    expect(await s.periods.leaderboard(G, week, 0, 10)).toEqual([{ userId: BIG, xp: 26 }]);
    // A member's place on the board as the boards read it on a return: with the generation of the same snapshot.
    expect(await s.periodSource.boardEntry(G, BIG, week)).toEqual({ gen: 3, xp: 26 });
    expect(await s.periodSource.boardEntry(G, NEAR, week)).toEqual({ gen: 3, xp: null }); // left
    expect(await s.periodSource.boardEntry(G, BIG, week + 7)).toEqual({ gen: 3, xp: null }); // nothing that week
    // Every write that changed the server's boards counted one generation: three flushes with period XP (the batch
    // offered again wrote nothing) and the leave.
    expect(await s.query('SELECT Gen AS g FROM XpBoardGeneration WHERE GuildId = $1', [G])).toEqual([{ g: '3' }]);
    // A flush says which of its members' rows are marked as left (their period XP is on no board held in memory).
    const change = await s.xp.flush(batch(3, [[G, BIG, 1], [G, NEAR, 2]], [], { periods: [{ guildId: G, userId: BIG, period: week, xp: 1 }, { guildId: G, userId: NEAR, period: week, xp: 2 }] }));
    expect(change.hidden).toEqual([[G, NEAR]]);
  });

  it('given period XP of a newer, the same, an older and a too old period then the two newest per kind stay on the row, whatever order the flushes bring them in', async () => {
    const s = await open();
    const w = (n: number) => 10_020_000 + n * 7;
    const flush = (seq: number, entries: [number, number][]) =>
      s.xp.flush(batch(seq, [[G, BIG, 1]], [], { periods: entries.map(([period, xp]) => ({ guildId: G, userId: BIG, period, xp })) }));
    const slots = async () => (await s.query('SELECT WeekId AS c, WeekXp AS x, PrevWeekId AS p, PrevWeekXp AS px FROM UserXpStats WHERE GuildId = $1 AND UserId = $2', [G, BIG]))[0];
    await flush(1, [[w(2), 5]]);
    expect(await slots()).toEqual({ c: String(w(2)), x: '5', p: 'null', px: '0' });
    await flush(2, [[w(2), 1]]); // the same week adds
    await flush(3, [[w(1), 7]]); // an older week fills the previous slot
    expect(await slots()).toEqual({ c: String(w(2)), x: '6', p: String(w(1)), px: '7' });
    await flush(4, [[w(1), 1], [w(0), 100]]); // the previous adds; one older than both is in no board anyone reads
    expect(await slots()).toEqual({ c: String(w(2)), x: '6', p: String(w(1)), px: '8' });
    await flush(5, [[w(4), 3], [w(3), 2]]); // a flush spanning a rollover: both newer, in one batch
    expect(await slots()).toEqual({ c: String(w(4)), x: '3', p: String(w(3)), px: '2' });
    await flush(6, [[w(5), 9]]); // a new week: the current one moves to the previous slot
    expect(await slots()).toEqual({ c: String(w(5)), x: '9', p: String(w(4)), px: '3' });
    expect(await s.periods.memberXp(G, BIG, w(4))).toEqual({ xp: 3, hasLeft: false });
    expect(await s.periods.memberXp(G, BIG, w(3))).toEqual({ xp: 0, hasLeft: false });
    // Months and seasons have slots of their own.
    await flush(7, [[20_000_683, 4], [30_000_012, 6]]);
    expect(await s.query('SELECT WeekXp AS w, MonthId AS m, MonthXp AS mx, SeasonId AS s, SeasonXp AS sx FROM UserXpStats WHERE UserId = $1', [BIG])).toEqual([
      { w: '9', m: '20000683', mx: '4', s: '30000012', sx: '6' },
    ]);
  });

  it('given weeks that start on another day from mid-week on then the partial week after the change is still last week next week (it started earlier than the week it followed)', async () => {
    const s = await open();
    const monday = { timeZone: 'UTC', weekStart: 1 };
    const friday = { timeZone: 'UTC', weekStart: 5 };
    const wed = Date.UTC(2026, 11, 2, 12); // Wednesday 2 December 2026
    const flush = (seq: number, period: number, xp: number) =>
      s.xp.flush(batch(seq, [[G, BIG, xp]], [], { periods: [{ guildId: G, userId: BIG, period, xp }] }));
    await flush(1, weekAt(wed - 7 * DAY_MS, monday).id, 50); // last week, Monday weeks
    await flush(2, weekAt(wed, monday).id, 100); // this week until the change: starts Monday 30 November
    // From Wednesday on weeks start on Friday: this week started on Friday 27 November, before the week it follows.
    const afterChange = weekAt(wed, friday);
    expect(afterChange.id).toBeLessThan(weekAt(wed, monday).id);
    await flush(3, afterChange.id, 10);
    expect(await s.periods.leaderboard(G, afterChange.id, 0, 10)).toEqual([{ userId: BIG, xp: 10 }]);
    // A week later the member earns again: "last week" is the partial week after the change.
    const nextWeek = wed + 7 * DAY_MS;
    await flush(4, weekAt(nextWeek, friday).id, 5);
    const last = namedPeriod('lastweek', { settings: friday, season: null }, nextWeek);
    expect(last).toMatchObject({ id: afterChange.id });
    expect(await s.periods.leaderboard(G, afterChange.id, 0, 10)).toEqual([{ userId: BIG, xp: 10 }]);
    expect(await s.periods.leaderboard(G, weekAt(nextWeek, friday).id, 0, 10)).toEqual([{ userId: BIG, xp: 5 }]);
  });

  it('given a flush of 1 203 members with history and two periods then every row is written once, a member who left stays hidden, and the boards count the rest', async () => {
    const s = await open();
    const week = 10_020_458;
    const month = 20_000_683;
    const users = Array.from({ length: 1203 }, (_, i) => String(1_000_000_000_000_000n + BigInt(i)));
    await s.xp.flush(batch(1, [[G, users[700]!, 1]]));
    await s.xp.setMembership(G, users[700]!, false, 1000);
    const rows = users.map((u, i) => [G, u, 1 + (i % 7)] as [string, string, number]);
    await s.xp.flush(
      batch(2, rows, [], {
        history: rows.map(([guildId, userId, xp]) => ({ guildId, userId, day: 20464, source: 1, xp })),
        periods: rows.flatMap(([guildId, userId, xp]) => [week, month].map((period) => ({ guildId, userId, period, xp }))),
      }),
    );
    const sum = rows.reduce((n, r) => n + r[2], 0);
    expect(await s.query('SELECT COUNT(*) AS n, SUM(Xp) AS x FROM XpHistoryDaily WHERE GuildId = $1', [G])).toEqual([{ n: '1203', x: String(sum) }]);
    expect(await s.query('SELECT COUNT(*) AS n, SUM(WeekXp) AS x, SUM(MonthXp) AS m, SUM(HasLeft) AS l FROM UserXpStats WHERE GuildId = $1 AND WeekId = $2 AND MonthId = $3', [G, week, month])).toEqual([
      { n: '1203', x: String(sum), m: String(sum), l: '1' },
    ]);
    for (const period of [week, month]) expect(await s.periods.memberCount(G, period)).toBe(1202);
    expect(await s.periods.memberXp(G, users[1202]!, week)).toEqual({ xp: 1 + (1202 % 7), hasLeft: false });
  });

  it('given period totals and daily history then pages, ranks and counts follow XP then id without members who left, a window reads with its total, and a fold keeps the sums', async () => {
    const s = await open();
    const week = 10_020_458;
    const users = ['5', '3', NEAR, BIG, '9'];
    const xp = [40, 40, 90, 10, 25];
    await s.xp.flush(
      batch(1, users.map((u, i) => [G, u, xp[i]!] as [string, string, number]), [], {
        periods: users.map((userId, i) => ({ guildId: G, userId, period: week, xp: xp[i]! })),
        history: [
          ...users.map((userId, i) => ({ guildId: G, userId, day: 20_000, source: 1, xp: xp[i]! - 5 })),
          ...users.map((userId) => ({ guildId: G, userId, day: 20_040, source: 2, xp: 5 })),
        ],
      }),
    );
    await s.xp.setMembership(G, '9', false, 1000);
    expect(await s.periods.leaderboard(G, week, 0, 10)).toEqual([
      { userId: NEAR, xp: 90 },
      { userId: '3', xp: 40 },
      { userId: '5', xp: 40 },
      { userId: BIG, xp: 10 },
    ]);
    expect(await s.periods.leaderboard(G, week, 1, 2)).toEqual([{ userId: '3', xp: 40 }, { userId: '5', xp: 40 }]);
    expect(await Promise.all([NEAR, '3', '5', BIG].map((u) => s.periods.rank(G, u, week)))).toEqual([1, 2, 3, 4]);
    expect(await s.periods.memberCount(G, week)).toBe(4);
    expect(await s.periods.memberXp(G, '9', week)).toEqual({ xp: 25, hasLeft: true });
    // A period the member earned nothing in: 0, and still marked as left (from their row).
    expect(await s.periods.memberXp(G, '9', week + 7)).toEqual({ xp: 0, hasLeft: true });
    expect(await s.periods.memberXp(G, '404', week)).toEqual({ xp: 0, hasLeft: false });
    const window = await s.history.memberWindow(G, BIG, 20_035, 20_041);
    expect(window).toEqual({ days: [{ day: 20_040, bySource: new Map([[2, 5]]) }], total: 10, after: 0 });
    expect((await s.history.memberWindow(G, BIG, 19_999, 20_001)).after).toBe(5);
    // A retention of 35 days on day 20 050: day 20 000 is folded into its month, 20 040 stays; sums do not move.
    await s.xp.updateSettings(G, { historyRetentionDays: 35 });
    expect(await s.historyWrites.foldExpired(20_050)).toBe(1);
    expect(await s.history.memberHistory(G, BIG, 19_990, 20_045)).toEqual([{ day: 20_040, bySource: new Map([[2, 5]]) }]);
    expect(await Promise.all(users.map((u) => s.history.memberTotal(G, u)))).toEqual(xp);
    expect(await s.historyWrites.foldExpired(20_050)).toBe(0);
  });
});
