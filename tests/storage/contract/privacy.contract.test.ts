/**
 * Exports and erasures (DESIGN §13): one contract on both stores. The same rows give the same export file and the
 * same erasure summary on SQLite and PostgreSQL, and an erasure racing another process's flush never lets the
 * flush bring the member back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/storage/store.js';
import type { ExportRow } from '../../../src/storage/privacy-reads.js';
import type { ErasureSummary } from '../../../src/storage/privacy-writes.js';
import { STORE_KINDS, type StoreKind, openTwoProcesses } from './stores.js';

const U = '9223372036854775807';
const V = '9007199254740993';
const G1 = '1152921504606846976';
const G2 = '42';
const DAY = 20_000;

const opened: Store[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

/** Two stores on one database: two processes. */
const twoProcesses = (kind: StoreKind) => openTwoProcesses(kind, opened);

/** U has XP in two servers, voice minutes, an exclusion, an admin log row, a level reward, a wallet, an item and a club V helps run. */
async function memberWithEverything(s: Store): Promise<void> {
  const w = s.writer;
  await w.xp.flush({
    seq: 1,
    rows: [
      { guildId: G1, userId: U, xp: 500, awarded: 0 },
      { guildId: G2, userId: U, xp: 70, awarded: 0 },
      { guildId: G1, userId: V, xp: 40, awarded: 0 },
    ],
    voice: [{ guildId: G1, userId: U, day: DAY, minutes: 5 }],
    // History and period totals (DESIGN §14) are rows about the member too.
    history: [
      { guildId: G1, userId: U, day: DAY, source: 1, xp: 500 },
      { guildId: G2, userId: U, day: DAY, source: 1, xp: 70 },
      { guildId: G1, userId: V, day: DAY, source: 1, xp: 40 },
    ],
    periods: [
      { guildId: G1, userId: U, period: 10_020_458, xp: 500 },
      { guildId: G1, userId: V, period: 10_020_458, xp: 40 },
    ],
  });
  await w.xp.setExcluded(G2, 'user', U, true);
  await w.xp.updateSettings(G1, { xpPerMessage: 7 });
  await w.xp.logAdminAction({ guildId: G1, userId: U, actorId: V, action: 'add', amount: 5, at: 1 });
  await w.xp.setCurrencyReward(G1, 2, 100);
  await w.xp.recordLevelUp(G1, U, { oldLevel: 0, newLevel: 2, roleRewards: [], rewardMode: 'stack', at: 1 });
  await w.wallet.adjust(U, 1000, 'owner_give', 'a gift');
  expect(await w.shop.buy({ userId: U, itemType: 1, key: 'aurora', price: 700, equip: true, note: 'background aurora' })).toMatchObject({ ok: true });
  expect(await w.clubs.create(U, 'Owls')).toMatchObject({ ok: true });
  await w.clubs.setOpen(U, true);
  expect(await w.clubs.join(V, 'owls')).toMatchObject({ ok: true });
  expect(await w.clubs.setAdmin(U, V, true)).toEqual({ ok: true });
}

/** Wall-clock columns differ between runs; everything else must match to the value. */
function timeless(tables: Record<string, ExportRow[]>): Record<string, Record<string, string | number | null>[]> {
  const out: Record<string, Record<string, string | number | null>[]> = {};
  for (const [table, rows] of Object.entries(tables)) {
    out[table] = rows
      .map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !/^(DateAdded|UpdatedAt)$/.test(k) && !(table === 'Clubs' && k === 'Id') && !(k === 'Id' && table === 'CurrencyTransaction'))))
      .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
  }
  return out;
}

const results = new Map<string, unknown>();

describe.each(STORE_KINDS)('privacy contract on %s', (kind) => {
  it('given a member with rows in every kind of table then the export holds them, ids as strings', async () => {
    const [a] = await twoProcesses(kind);
    await memberWithEverything(a);
    const tables = await a.reads.privacy.memberRows(U);
    expect(Object.keys(tables).sort()).toEqual(
      ['Clubs', 'CurrencyTransaction', 'DiscordUser', 'UserXpStats', 'VoiceXpDaily', 'XpAdminAction', 'XpExcludedItem', 'XpHistoryDaily', 'XpShopOwnedItem'].sort(),
    );
    expect(tables.XpHistoryDaily!.map((r) => [r.GuildId, r.Xp]).sort()).toEqual([
      [G1, 500],
      [G2, 70],
    ]);
    expect(tables.UserXpStats!.map((r) => [r.GuildId, r.UserId, r.Xp, r.RewardedLevel]).sort()).toEqual([
      [G1, U, 500, 2],
      [G2, U, 70, 0],
    ]);
    expect(tables.DiscordUser![0]).toMatchObject({ UserId: U, TotalXp: 570, CurrencyAmount: 400 });
    expect(tables.CurrencyTransaction!.map((r) => r.Amount as number).sort((x, y) => x - y)).toEqual([-700, 100, 1000]);
    const server = await a.reads.privacy.guildRows(G1);
    expect(server.UserXpStats!.map((r) => r.UserId).sort()).toEqual([U, V].sort());
    expect(server.XpSettings![0]).toMatchObject({ GuildId: G1, XpPerMessage: 7 });
    results.set(`${kind}:export`, { member: timeless(tables), server: timeless(server) });
    if (results.has('sqlite:export') && results.has('postgres:export')) expect(results.get('postgres:export')).toEqual(results.get('sqlite:export'));
  });

  it('given a member erased everywhere then nothing about them is left but their objection, the club is handed over and the ledger still adds up', async () => {
    const [a, b] = await twoProcesses(kind);
    await memberWithEverything(a);
    expect(await a.writer.privacy.setOptOut(G2, U, true, 5)).toBe(true);
    expect(await b.writer.privacy.setOptOut(G2, U, true, 6)).toBe(false);
    const summary = await b.writer.privacy.eraseMember(U, Date.now());
    expect(summary).toEqual<ErasureSummary>({
      deleted: { DiscordUser: 1, UserXpStats: 2, XpExcludedItem: 1, VoiceXpDaily: 1, XpShopOwnedItem: 1, XpHistoryDaily: 2 },
      anonymised: { CurrencyTransaction: 3, XpAdminAction: 1 },
      clubsHandedOver: [{ name: 'Owls', newOwnerId: V }],
      clubsDisbanded: [],
    });
    expect(Object.keys(await a.reads.privacy.memberRows(U))).toEqual(['XpOptOut']);
    const club = await a.reads.clubs.clubOfUser(V);
    expect(club).toMatchObject({ name: 'Owls', ownerId: V, members: 1 });
    // The anonymous rows sum to zero: the erased balance left with one 'erased' row.
    const anon = (await a.reads.privacy.memberRows('0')).CurrencyTransaction!;
    expect(anon.map((r) => r.Amount as number).sort((x, y) => x - y)).toEqual([-700, -400, 100, 1000]);
    expect((await a.reads.privacy.memberRows('0')).XpAdminAction![0]).toMatchObject({ UserId: '0', ActorId: V, Amount: 5 });
    expect(await a.reads.xp.erasuresSince(0)).toEqual([{ id: expect.any(Number), guildId: null, userId: U }]);
    expect(await b.writer.privacy.setOptOut(G2, U, false, 7)).toBe(true);
    expect(await a.reads.privacy.memberRows(U)).toEqual({});
  });

  it('given a server erased then its rows go, and its XP leaves the members\u2019 global totals', async () => {
    const [a, b] = await twoProcesses(kind);
    await memberWithEverything(a);
    const summary = await b.writer.privacy.eraseGuild(G1, Date.now());
    expect(summary).toEqual<ErasureSummary>({
      deleted: { UserXpStats: 2, XpSettings: 1, XpCurrencyReward: 1, VoiceXpDaily: 1, XpAdminAction: 1, XpRankBucket: expect.any(Number), XpHistoryDaily: 2, XpBoardGeneration: 1 },
      anonymised: {},
      clubsHandedOver: [],
      clubsDisbanded: [],
    });
    expect(await a.reads.privacy.guildRows(G1)).toEqual({});
    const member = await a.reads.privacy.memberRows(U);
    expect(member.DiscordUser![0]).toMatchObject({ TotalXp: 70, CurrencyAmount: 400 });
    expect(member.UserXpStats!.map((r) => r.GuildId)).toEqual([G2]);
    expect((await a.reads.privacy.memberRows(V)).DiscordUser![0]).toMatchObject({ TotalXp: 0 });
  });

  it('given a member erased in one server then the other server keeps them and their total drops by that server\u2019s XP', async () => {
    const [a, b] = await twoProcesses(kind);
    await memberWithEverything(a);
    const summary = await b.writer.privacy.eraseMemberInGuild(G1, U, Date.now());
    expect(summary).toEqual<ErasureSummary>({
      deleted: { UserXpStats: 1, VoiceXpDaily: 1, XpHistoryDaily: 1 },
      anonymised: { XpAdminAction: 1 },
      clubsHandedOver: [],
      clubsDisbanded: [],
    });
    const member = await a.reads.privacy.memberRows(U);
    expect(member.UserXpStats!.map((r) => [r.GuildId, r.Xp])).toEqual([[G2, 70]]);
    expect(member.DiscordUser![0]).toMatchObject({ TotalXp: 70 });
    expect(await a.reads.xp.erasuresSince(0)).toEqual([{ id: expect.any(Number), guildId: G1, userId: U }]);
  });

  it('given members who opted out then leaving marks a row they have (hidden, retention applies) and makes none for one without', async () => {
    const [a] = await twoProcesses(kind);
    await memberWithEverything(a);
    await a.writer.privacy.setOptOut(G1, U, true, 1);
    await a.writer.privacy.setOptOut(G2, V, true, 1);
    await a.writer.xp.setMembership(G1, U, false, 1000);
    await a.writer.xp.setMembership(G2, V, false, 1000);
    const byGuild = Object.fromEntries((await a.reads.privacy.memberRows(U)).UserXpStats!.map((r) => [r.GuildId, [r.HasLeft, r.LeftAt]]));
    expect(byGuild).toEqual({ [G1]: [1, 1000], [G2]: [0, null] });
    expect((await a.reads.privacy.memberRows(V)).UserXpStats!.map((r) => r.GuildId)).toEqual([G1]);
    expect(await a.reads.privacy.leftBy(G1, 1000, '0', 10)).toEqual([U]);
  });

  it('given the retention rule then only members still gone since the cutoff are erased, once, and one process takes each sweep', async () => {
    const [a, b] = await twoProcesses(kind);
    await memberWithEverything(a);
    await a.writer.xp.updateSettings(G1, { retentionDays: 30 });
    expect(await a.reads.privacy.retentionGuilds()).toEqual([{ guildId: G1, days: 30 }]);
    await a.writer.xp.setMembership(G1, U, false, 1000);
    await a.writer.xp.setMembership(G1, V, false, 1000);
    await a.writer.xp.setMembership(G1, V, true, 1500); // back: kept
    expect(await a.reads.privacy.leftBy(G1, 999, '0', 10)).toEqual([]);
    expect(await a.reads.privacy.leftBy(G1, 1000, '0', 10)).toEqual([U]);
    expect(await a.reads.privacy.leftBy(G1, 1000, U, 10)).toEqual([]);
    expect(await b.writer.privacy.eraseIfLeft(G1, V, 5000, 6000)).toBeNull();
    const [first, second] = await Promise.all([a.writer.privacy.eraseIfLeft(G1, U, 5000, 6000), b.writer.privacy.eraseIfLeft(G1, U, 5000, 6000)]);
    expect([first, second].filter((x) => x !== null)).toEqual([{ deleted: { UserXpStats: 1, VoiceXpDaily: 1, XpHistoryDaily: 1 }, anonymised: { XpAdminAction: 1 }, clubsHandedOver: [], clubsDisbanded: [] }]);
    expect(await a.reads.xp.erasuresSince(0)).toEqual([{ id: expect.any(Number), guildId: G1, userId: U }]);
    expect((await a.reads.privacy.memberRows(U)).UserXpStats!.map((r) => r.GuildId)).toEqual([G2]);
    expect((await a.reads.privacy.memberRows(V)).UserXpStats!).toEqual([expect.objectContaining({ GuildId: G1, HasLeft: 0, LeftAt: null })]);

    // A row marked as left without a time gets one; the sweep's due time moves by compare-and-set.
    await a.writer.xp.setMembership(G1, V, false, 7000);
    expect(await a.writer.privacy.stampLeaves(G1, 8000)).toBe(0);
    const claims = await Promise.all([a.writer.privacy.claimRetentionSweep(10_000, 3600), b.writer.privacy.claimRetentionSweep(10_000, 3600)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await a.writer.privacy.claimRetentionSweep(13_599, 3600)).toBe(false); // leased
    expect(await b.writer.privacy.claimRetentionSweep(13_600, 3600)).toBe(true); // the lease ran out
    await b.writer.privacy.retentionSweepDone(100_000);
    expect(await a.writer.privacy.claimRetentionSweep(99_999, 3600)).toBe(false);
    expect(await a.writer.privacy.claimRetentionSweep(100_000, 3600)).toBe(true);
  });

  it.each([
    ['the member everywhere', (s: Store) => s.writer.privacy.eraseMember(U, Date.now())],
    ['the member in the server', (s: Store) => s.writer.privacy.eraseMemberInGuild(G1, U, Date.now())],
    ['the server', (s: Store) => s.writer.privacy.eraseGuild(G1, Date.now())],
  ] as const)('given %s erased then a level-up another process computed before the erasure writes nothing back', async (_name, erase) => {
    const [a, b] = await twoProcesses(kind);
    await a.writer.xp.setCurrencyReward(G1, 2, 100);
    await a.writer.xp.flush({ seq: 1, rows: [{ guildId: G1, userId: U, xp: 500, awarded: 0 }], voice: [], history: [], periods: [] });
    const levelUp = { oldLevel: 0, newLevel: 2, roleRewards: [{ level: 2, roleId: V, remove: false }], at: 1 };
    // A's engine computed the level-up when it had seen no erasure; B erased before A recorded it.
    const seen = (await a.reads.xp.lastErasureId()) as number;
    await erase(b);
    const record = await a.writer.xp.recordLevelUp(G1, U, { ...levelUp, erasureSeen: seen });
    const left = await a.reads.privacy.memberRows(U);
    expect(left.UserXpStats ?? [], 'XP row and reward mark').toEqual([]);
    expect(left.CurrencyTransaction ?? [], 'ledger').toEqual([]);
    expect(left.RoleChangeQueue ?? [], 'reward roles').toEqual([]);
    expect(await a.reads.xp.balance(U), 'wallet').toBe(0);
    expect(record).toEqual({ previousMark: 0, paid: [], roles: { add: [], remove: [] }, erased: true });
    // Only the erasures after the engine's view count: a level-up computed after it (the member came back) is paid.
    const after = (await a.reads.xp.lastErasureId()) as number;
    const again = await a.writer.xp.recordLevelUp(G1, U, { ...levelUp, erasureSeen: after });
    expect(again.erased).toBeUndefined();
    expect(again.roles.add).toEqual([V]);
    expect((await a.reads.privacy.memberRows(U)).UserXpStats!.map((r) => [r.GuildId, r.RewardedLevel])).toEqual([[G1, 2]]);
  });

  it('given erasures racing another process\u2019s level-ups of the member then no level-up brings the member back', async () => {
    const [a, b] = await twoProcesses(kind);
    await a.writer.xp.setCurrencyReward(G1, 2, 100);
    for (let round = 0; round < 25; round++) {
      // A computed the level-up before it knew of this round's erasure.
      const seen = (await a.reads.xp.lastErasureId()) as number;
      const levelUp = { oldLevel: 0, newLevel: 2, roleRewards: [], at: 1, erasureSeen: seen };
      await Promise.all([a.writer.xp.recordLevelUp(G1, U, levelUp), b.writer.privacy.eraseMember(U, Date.now())]);
      expect(await a.reads.privacy.memberRows(U), `round ${round}`).toEqual({});
    }
  });

  it('given erasures racing another process\u2019s flushes of the member then no flush brings the member back', async () => {
    const [a, b] = await twoProcesses(kind);
    let seq = 0;
    for (let round = 0; round < 25; round++) {
      // B took its batch before it knew of this round's erasure (erasureSeen is the last one it saw).
      const seen = (await b.reads.xp.lastErasureId()) as number;
      const batch = { seq: ++seq, rows: [{ guildId: G1, userId: U, xp: 10, awarded: 0 }, { guildId: G1, userId: V, xp: 1, awarded: 0 }], voice: [], history: [], periods: [], erasureSeen: seen };
      await Promise.all([b.writer.xp.flush(batch), a.writer.privacy.eraseMember(U, Date.now())]);
      expect(await a.reads.xp.storedXp(G1, U), `round ${round}`).toMatchObject({ xp: 0 });
    }
    expect((await a.reads.xp.storedXp(G1, V)).xp).toBe(25);
  });
});
