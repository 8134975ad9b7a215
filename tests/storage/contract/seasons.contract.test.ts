/**
 * Seasons (DESIGN §15.3): one contract on both stores. One running season per guild; a close moves through its
 * steps once each (a repeated step changes nothing), the archive in chunks ranks members in the board's order with
 * members who left kept unranked, winner roles are taken from the last season's winners first and queued once with
 * the season_closed event, a rollover's successor starts in the step that begins the close, and one process holds
 * a close at a time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openPgStore, openSqliteStore, type Store } from '../../../src/storage/store.js';
import { periodId, SEASON } from '../../../src/engine/calendar.js';
import type { NewSeason } from '../../../src/seasons/season.js';
import { openWholeStore, STORE_KINDS, type StoreKind } from './stores.js';
import { tempDbPath } from '../../helpers/temp.js';
import { pgDatabaseUrl } from '../../helpers/pg.js';

const G = '1152921504606846976';
const ROLE = '9007199254740993';
const ROLE2 = '9007199254740995';
const u = (i: number) => String(2n ** 62n + BigInt(i));
const SHARDS = { count: 1, ids: [0] };

const opened: Store[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

const newSeason = (over: Partial<NewSeason> = {}): NewSeason => ({
  guildId: G,
  name: 'Spring',
  startsAt: 1000,
  endsAt: 5000,
  rollover: 'none',
  winnerCount: 0,
  winnerRoleId: null,
  resetLevels: false,
  channelId: '77',
  startedBy: '88',
  ...over,
});

let seq = 0;
/** Gains of the season's period (and all-time XP), as a flush writes them. */
async function earn(s: Store, seasonId: number, xp: Record<number, number>): Promise<void> {
  const entries = Object.entries(xp).map(([i, v]) => ({ userId: u(Number(i)), xp: v }));
  await s.writer.xp.flush({
    seq: ++seq,
    rows: entries.map((e) => ({ guildId: G, userId: e.userId, xp: e.xp, awarded: 0 })),
    voice: [],
    periods: entries.map((e) => ({ guildId: G, userId: e.userId, period: periodId(SEASON, seasonId), xp: e.xp })),
  });
}

async function closeAll(s: Store, id: number, chunk: number): Promise<number> {
  let steps = 0;
  for (;;) {
    steps++;
    if ((await s.writer.seasons.archiveChunk(id, chunk)).done) return steps;
  }
}

describe.each(STORE_KINDS)('seasons on %s', (kind) => {
  const open = () => openWholeStore(kind, opened);

  it('given a running season then a second start is refused with it, and end and cancel act on the running one only', async () => {
    const s = await open();
    const first = await s.writer.seasons.start(newSeason());
    expect(first.season).toMatchObject({ number: 1, name: 'Spring', state: 'running', channelId: '77', resetLevels: false });
    const again = await s.writer.seasons.start(newSeason({ name: 'Other' }));
    expect(again.season).toBeNull();
    expect(again.running?.id).toBe(first.season!.id);
    expect(await s.writer.seasons.endNow(G, 3000)).toMatchObject({ endsAt: 3000, rollover: 'none' });
    expect(await s.writer.seasons.endNow(G, 4000)).toMatchObject({ endsAt: 3000 }); // an earlier end stays
    expect(await s.writer.seasons.cancel(G, 3500)).toMatchObject({ state: 'cancelled', closedAt: 3500 });
    expect(await s.writer.seasons.cancel(G, 3600)).toBeNull();
    const next = await s.writer.seasons.start(newSeason({ name: 'Summer' }));
    expect(next.season).toMatchObject({ number: 2, name: 'Summer' });
    expect((await s.reads.seasons.list(G, 0, 10)).seasons.map((x) => x.name)).toEqual(['Summer']); // cancelled ones are not listed
  });

  it('given an ended season then it is claimed by one process at a time, and the lease passes once it ends', async () => {
    const s = await open();
    const { season } = await s.writer.seasons.start(newSeason());
    expect(await s.writer.seasons.claim(season!.id, 'p1', 4000, 1000)).toBeNull(); // not ended yet
    expect(await s.writer.seasons.claim(season!.id, 'p1', 5000, 1000)).not.toBeNull();
    expect(await s.writer.seasons.claim(season!.id, 'p2', 5500, 1000)).toBeNull();
    expect(await s.writer.seasons.claim(season!.id, 'p1', 5500, 1000)).not.toBeNull(); // renewed by its holder
    expect(await s.writer.seasons.claim(season!.id, 'p2', 6500, 1000)).not.toBeNull(); // p1's lease ended
    expect(await s.reads.seasons.due(SHARDS, 6500)).toHaveLength(1);
    expect(await s.reads.seasons.due({ count: 2, ids: [1] }, 6500)).toHaveLength(0); // G is on shard 0 of 2
  });

  it('given members and a chunk of 2 then the archive ranks them in board order, left members unranked, each chunk once', async () => {
    const s = await open();
    const { season } = await s.writer.seasons.start(newSeason());
    const id = season!.id;
    await earn(s, id, { 1: 50, 2: 80, 3: 50, 4: 10, 5: 50, 6: 30 });
    await s.writer.xp.setMembership(G, u(6), false, 2000);
    expect(await s.writer.seasons.archiveChunk(id, 2)).toEqual({ ranked: 0, done: true }); // still running: nothing
    expect(await s.writer.seasons.beginClose(id, null)).toBe(true);
    expect(await s.writer.seasons.beginClose(id, null)).toBe(false);
    expect(await closeAll(s, id, 2)).toBe(3);
    expect(await s.writer.seasons.archiveChunk(id, 2)).toEqual({ ranked: 5, done: true }); // repeated: nothing more
    const lines = await s.reads.seasons.standings(G, id, 0, 100);
    expect(lines).toEqual([
      { userId: u(2), xp: 80, rank: 1 },
      { userId: u(1), xp: 50, rank: 2 },
      { userId: u(3), xp: 50, rank: 3 },
      { userId: u(5), xp: 50, rank: 4 },
      { userId: u(4), xp: 10, rank: 5 },
    ]);
    expect(await s.reads.seasons.standings(G, id, 3, 1)).toEqual([{ userId: u(5), xp: 50, rank: 4 }]);
    expect(await s.reads.seasons.standing(G, id, u(6))).toEqual({ userId: u(6), xp: 30, rank: null });
    expect(await s.reads.seasons.get(id)).toMatchObject({ state: 'archived', ranked: 5, leftMembers: 1, totalXp: 270 });
  });

  it('given members leaving and coming back while a close runs then each is archived once: ranked where a chunk took them, else unranked', async () => {
    const s = await open();
    const { season } = await s.writer.seasons.start(newSeason());
    const id = season!.id;
    await earn(s, id, { 1: 90, 2: 80, 3: 70, 4: 60, 5: 50 });
    await s.writer.xp.setMembership(G, u(5), false, 2000);
    expect(await s.writer.seasons.beginClose(id, null)).toBe(true);
    expect(await s.writer.seasons.archiveChunk(id, 2)).toEqual({ ranked: 2, done: false });
    // Ranked in the first chunk, then gone; and one who had left comes back.
    await s.writer.xp.setMembership(G, u(1), false, 3000);
    await s.writer.xp.setMembership(G, u(5), true, 3000);
    expect(await closeAll(s, id, 2)).toBeGreaterThan(0);
    const all = await Promise.all([1, 2, 3, 4, 5].map((i) => s.reads.seasons.standing(G, id, u(i))));
    expect(all.map((x) => x?.rank ?? null).slice(0, 2)).toEqual([1, 2]);
    expect(all.every((x) => x !== null)).toBe(true);
    expect(await s.reads.seasons.get(id)).toMatchObject({ state: 'archived', totalXp: 350 });
  });

  it('given a member erased while a close runs then no later chunk writes their line back (privacy delete, DESIGN §13)', async () => {
    const s = await open();
    const { season } = await s.writer.seasons.start(newSeason());
    const id = season!.id;
    await earn(s, id, { 1: 90, 2: 80, 3: 70, 4: 60, 5: 50 });
    expect(await s.writer.seasons.beginClose(id, null)).toBe(true);
    expect(await s.writer.seasons.archiveChunk(id, 2)).toEqual({ ranked: 2, done: false });
    await s.writer.privacy.eraseMember(u(4), 3000);
    expect(await closeAll(s, id, 2)).toBeGreaterThan(0);
    expect(await s.reads.seasons.standing(G, id, u(4))).toBeNull();
    expect((await s.reads.seasons.standings(G, id, 0, 100)).map((l) => [l.userId, l.rank])).toEqual([
      [u(1), 1],
      [u(2), 2],
      [u(3), 3],
      [u(5), 4],
    ]);
    expect(await s.reads.seasons.get(id)).toMatchObject({ state: 'archived', ranked: 4, totalXp: 290 });
  });

  it('given two seasons with winner roles then the role moves from the last winners to the new ones, queued once with season_closed', async () => {
    const s = await open();
    const hook = await s.writer.web.addWebhook(G, 'https://a.example/h', 'sec', ['season_closed'], 1);
    const close = async (id: number, at: number) => {
      await s.writer.seasons.beginClose(id, null);
      await closeAll(s, id, 1000);
      const summary = await s.writer.seasons.queueWinners(id, at);
      expect(await s.writer.seasons.queueWinners(id, at + 1)).toBeNull(); // once
      expect(await s.writer.seasons.finish(id, at)).toBe(true);
      return summary;
    };
    const one = (await s.writer.seasons.start(newSeason({ winnerCount: 2, winnerRoleId: ROLE }))).season!;
    await earn(s, one.id, { 1: 90, 2: 80, 3: 70 });
    const first = await close(one.id, 6000);
    expect(first?.winners).toEqual({ roleId: ROLE, userIds: [u(1), u(2)], removedFrom: [] });
    const queued = async () =>
      (await s.reads.roles.due(10_000_000, 0, SHARDS, 100)).map((r) => `${r.userId === u(1) ? 1 : r.userId === u(2) ? 2 : 3}:${r.action}:${r.roleId === ROLE ? 'R' : 'R2'}:${r.cause}`).sort();
    expect(await queued()).toEqual(['1:add:R:season', '2:add:R:season']);
    for (const r of await s.reads.roles.due(10_000_000, 0, SHARDS, 100)) await s.writer.roles.done(r.id, 6500);

    const two = (await s.writer.seasons.start(newSeason({ name: 'Summer', startsAt: 6000, endsAt: 9000, winnerCount: 2, winnerRoleId: ROLE }))).season!;
    await earn(s, two.id, { 2: 50, 3: 60 });
    const second = await close(two.id, 9500);
    // 2 wins again and keeps the role without a call; 1 loses it; 3 gets it.
    expect(second?.winners).toEqual({ roleId: ROLE, userIds: [u(3), u(2)], removedFrom: [u(1)] });
    expect(await queued()).toEqual(['1:remove:R:season', '3:add:R:season']);
    expect(second).toMatchObject({ members: 2, leftMembers: 0, totalXp: 110, top: [{ rank: 1, userId: u(3), xp: 60 }, { rank: 2, userId: u(2), xp: 50 }] });

    const events = (await s.writer.webhooks.due(10_000_000, 10_000_000_000, 10)).filter((r) => r.webhookId === hook);
    expect(events.map((e) => e.event)).toEqual(['season_closed', 'season_closed']);
    const data = JSON.parse(events[1]!.payload).data;
    expect(data).toEqual({
      season: { number: 2, name: 'Summer', startsAt: new Date(6000).toISOString(), endsAt: new Date(9000).toISOString() },
      members: 2,
      leftMembers: 0,
      totalXp: 110,
      top: [{ rank: 1, userId: u(3), xp: 60 }, { rank: 2, userId: u(2), xp: 50 }],
      winners: { roleId: ROLE, userIds: [u(3), u(2)], removedFrom: [u(1)] },
    });

    // A third season that gives another role: the last winners lose the old one.
    const three = (await s.writer.seasons.start(newSeason({ name: 'Autumn', startsAt: 9000, endsAt: 12_000, winnerCount: 1, winnerRoleId: ROLE2 }))).season!;
    for (const r of await s.reads.roles.due(10_000_000, 0, SHARDS, 100)) await s.writer.roles.done(r.id, 9600);
    await earn(s, three.id, { 3: 5 });
    expect((await close(three.id, 12_500))?.winners).toEqual({ roleId: ROLE2, userIds: [u(3)], removedFrom: [u(2), u(3)] });
    expect(await queued()).toEqual(['2:remove:R:season', '3:add:R2:season', '3:remove:R:season']);
  });

  it('given a rollover season then its successor starts in the step that begins the close, numbered and named on', async () => {
    const s = await open();
    const { season } = await s.writer.seasons.start(newSeason({ rollover: 'weekly', winnerCount: 3, winnerRoleId: ROLE }));
    const next = { ...newSeason({ name: 'Spring 2', startsAt: 5000, endsAt: 9000, rollover: 'weekly', winnerCount: 3, winnerRoleId: ROLE }), startedBy: null };
    expect(await s.writer.seasons.beginClose(season!.id, next)).toBe(true);
    expect(await s.writer.seasons.beginClose(season!.id, next)).toBe(false); // no second successor
    expect(await s.reads.seasons.running(G)).toMatchObject({ number: 2, name: 'Spring 2', startsAt: 5000, endsAt: 9000, rollover: 'weekly', winnerRoleId: ROLE });
    expect((await s.reads.seasons.list(G, 0, 10)).total).toBe(2);
    expect(await s.reads.seasons.nextEnd(SHARDS)).toBe(9000);
  });

  it('given two processes running every step of the same close at once then it is archived once, with one summary and one set of roles', async () => {
    // Two stores on one database: two processes, each with its own connections.
    const where = kind === 'sqlite' ? tempDbPath() : await pgDatabaseUrl();
    const both = (writerId: string) => (kind === 'sqlite' ? (openSqliteStore(where, writerId, 'inline') as unknown as Store) : openPgStore(where, writerId));
    const s = await both('p1');
    const t = await both('p2');
    opened.push(s, t);
    await s.writer.web.addWebhook(G, 'https://a.example/h', 'sec', ['season_closed'], 1);
    const { season } = await s.writer.seasons.start(newSeason({ winnerCount: 3, winnerRoleId: ROLE }));
    const id = season!.id;
    await earn(s, id, Object.fromEntries(Array.from({ length: 40 }, (_, i) => [i + 1, 10 + (i % 7)])));
    const run = async (x: Store) => {
      await x.writer.seasons.beginClose(id, null);
      for (let i = 0; i < 50 && !(await x.writer.seasons.archiveChunk(id, 7)).done; i++);
      return x.writer.seasons.queueWinners(id, 9000);
    };
    const [a, b] = await Promise.all([run(s), run(t)]);
    expect([a, b].filter((x) => x !== null)).toHaveLength(1);
    expect((await s.reads.seasons.standings(G, id, 0, 100)).map((l) => l.rank)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await s.reads.seasons.get(id)).toMatchObject({ state: 'rolesqueued', ranked: 40, totalXp: 515 });
    expect(await s.reads.roles.due(10_000_000, 0, SHARDS, 100)).toHaveLength(3);
    expect((await s.writer.webhooks.due(10_000_000, 10_000_000_000, 10)).map((e) => e.event)).toEqual(['season_closed']);
  });
});
