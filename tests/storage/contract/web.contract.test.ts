/**
 * The web side's storage (DESIGN §14): one contract on both stores. Pages, slugs, profiles and their privacy
 * guards, hidden members, reward roles, API keys and webhooks give the same answers on SQLite and PostgreSQL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/storage/store.js';
import type { ProfileRow } from '../../../src/storage/web-writes.js';
import { openWholeStore, STORE_KINDS, type StoreKind } from './stores.js';

// Ids past 2^53 and 2^63 - 1: exact only as strings.
const G = '1152921504606846976';
const G2 = '1152921504606846977';
const A = '9223372036854775807';
const B = '9007199254740993';
const C = '9007199254740995';

const opened: Store[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

const open = (kind: StoreKind) => openWholeStore(kind, opened);

const profile = (guildId: string, userId: string, name: string, seenAt = 1000): ProfileRow => ({ guildId, userId, name, avatarUrl: `https://cdn.discordapp.com/avatars/${userId}/x.png`, seenAt });

/** A with 1 000 XP, B 500, C 500 (C after B on the tie: a larger id), all named, on a public page. */
async function seeded(kind: StoreKind): Promise<Store> {
  const s = await open(kind);
  await s.writer.xp.flush({
    seq: 1,
    rows: [
      { guildId: G, userId: A, xp: 1000, awarded: 0 },
      { guildId: G, userId: B, xp: 500, awarded: 0 },
      { guildId: G, userId: C, xp: 500, awarded: 0 },
    ],
    voice: [],
  });
  expect(await s.writer.web.setPublic(G, true, null, { name: 'Ünicorn Farm!', iconUrl: null }, 5)).toEqual({ slug: 'unicorn-farm', taken: false });
  await s.writer.web.saveProfiles([profile(G, A, 'Zoë'), profile(G, B, 'bob'), profile(G, C, 'ＣＡＲＯＬ')], 6);
  return s;
}

describe.each(STORE_KINDS)('web storage on %s', (kind) => {
  it('given a server then it is private until turned on; slugs are made from the name, numbered, chosen, and refused when taken', async () => {
    const s = await open(kind);
    expect(await s.reads.web.guild(G)).toMatchObject({ guildId: G, isPublic: false, slug: null, name: '' });
    expect(await s.reads.web.guild('unicorn-farm')).toBeNull();
    expect(await s.writer.web.setPublic(G, true, null, { name: 'Unicorn Farm', iconUrl: 'https://cdn.discordapp.com/icons/1/a.png' }, 1)).toEqual({ slug: 'unicorn-farm', taken: false });
    expect(await s.writer.web.setPublic(G2, true, null, { name: 'Unicorn  farm', iconUrl: null }, 1)).toEqual({ slug: 'unicorn-farm-2', taken: false });
    expect(await s.writer.web.setPublic(G2, true, 'unicorn-farm', null, 2)).toEqual({ slug: 'unicorn-farm-2', taken: true });
    expect(await s.writer.web.setPublic(G2, true, 'farm', null, 2)).toEqual({ slug: 'farm', taken: false });
    expect(await s.reads.web.guild('UNICORN-FARM')).toMatchObject({ guildId: G, isPublic: true, name: 'Unicorn Farm', iconUrl: 'https://cdn.discordapp.com/icons/1/a.png' });
    expect(await s.reads.web.guild('farm')).toMatchObject({ guildId: G2, name: 'Unicorn  farm' });
    expect(await s.writer.web.setPublic(G, false, null, null, 3)).toEqual({ slug: 'unicorn-farm', taken: false });
    expect(await s.reads.web.guild(G)).toMatchObject({ isPublic: false, slug: 'unicorn-farm', name: 'Unicorn Farm' });
    expect((await s.writer.web.webGuildIds()).sort()).toEqual([G, G2]);
  });

  it('given members then the board is in the one order with names, ranks and hidden members, and search folds case and accents', async () => {
    const s = await seeded(kind);
    expect(await s.writer.web.setHidden(B, true, 7)).toBe(true);
    expect(await s.writer.web.setHidden(B, true, 8)).toBe(false);
    expect(await s.reads.web.memberCount(G)).toBe(3);
    const board = await s.reads.web.board(G, 0, 10);
    expect(board.map((m) => [m.rank, m.userId, m.xp, m.name, m.hidden])).toEqual([
      [1, A, 1000, 'Zoë', false],
      [2, B, 500, null, true],
      [3, C, 500, 'ＣＡＲＯＬ', false],
    ]);
    expect(board[1]!.avatarUrl).toBeNull();
    expect((await s.reads.web.board(G, 1, 1)).map((m) => [m.rank, m.userId])).toEqual([[2, B]]);
    expect(await s.reads.web.member(G, C)).toMatchObject({ rank: 3, userId: C, xp: 500, name: 'ＣＡＲＯＬ' });
    expect(await s.reads.web.member(G, '1')).toBeNull();
    expect((await s.reads.web.search(G, 'zoe', 10)).map((m) => [m.rank, m.userId])).toEqual([[1, A]]);
    expect((await s.reads.web.search(G, 'carol', 10)).map((m) => m.userId)).toEqual([C]);
    expect(await s.reads.web.search(G, 'bob', 10)).toEqual([]); // hidden: never found
    expect(await s.reads.web.search(G, '%', 10)).toEqual([]); // a wildcard is a character here
    expect(await s.writer.web.setHidden(B, false, 9)).toBe(true);
    expect((await s.reads.web.search(G, 'BOB', 10)).map((m) => m.userId)).toEqual([B]);
  });

  it("given a period's totals then its board, count, member and search rank the period's XP with each member's all-time XP beside", async () => {
    const s = await seeded(kind);
    const WEEK = 10_020_458;
    // C earned most this week, A a little; B nothing (no row); another period's row must not show.
    await s.writer.xp.flush({
      seq: 2,
      rows: [],
      voice: [],
      history: [],
      periods: [
        { guildId: G, userId: C, period: WEEK, xp: 70 },
        { guildId: G, userId: A, period: WEEK, xp: 20 },
        { guildId: G, userId: B, period: WEEK + 7, xp: 999 },
      ],
    });
    expect(await s.writer.web.setHidden(A, true, 7)).toBe(true);
    expect(await s.reads.web.memberCount(G, WEEK)).toBe(2);
    const board = await s.reads.web.board(G, 0, 10, WEEK);
    expect(board.map((m) => [m.rank, m.userId, m.xp, m.totalXp, m.name, m.hidden])).toEqual([
      [1, C, 70, 500, 'ＣＡＲＯＬ', false],
      [2, A, 20, 1000, null, true],
    ]);
    expect((await s.reads.web.board(G, 1, 5, WEEK)).map((m) => m.userId)).toEqual([A]);
    expect(await s.reads.web.member(G, A, WEEK)).toMatchObject({ rank: 2, xp: 20, totalXp: 1000, hidden: true });
    expect(await s.reads.web.member(G, B, WEEK)).toBeNull();
    expect((await s.reads.web.search(G, 'carol', 10, WEEK)).map((m) => [m.rank, m.userId, m.xp])).toEqual([[1, C, 70]]);
    expect(await s.reads.web.search(G, 'zoe', 10, WEEK)).toEqual([]); // hidden
    expect(await s.reads.web.search(G, 'bob', 10, WEEK)).toEqual([]); // nothing this week
    // The all-time board is unchanged, and says so in totalXp.
    expect((await s.reads.web.board(G, 0, 1)).map((m) => [m.userId, m.xp, m.totalXp])).toEqual([[A, 1000, 1000]]);
  });

  it('given profiles then only a public page keeps them, never for a member who opted out or after an erasure, and off deletes them', async () => {
    const s = await seeded(kind);
    await s.writer.web.saveProfiles([profile(G2, A, 'elsewhere')], 10); // G2 has no page
    await s.writer.privacy.setOptOut(G, B, true, 10);
    await s.writer.web.saveProfiles([profile(G, B, 'bob renamed', 11)], 11);
    await s.writer.privacy.eraseMember(C, 20);
    await s.writer.web.saveProfiles([profile(G, C, 'seen before the erasure', 19), profile(G, A, 'Zoë 2', 21)], 22);
    const names = async () => (await s.reads.web.board(G, 0, 10)).map((m) => [m.userId, m.name]);
    expect(await names()).toEqual([
      [A, 'Zoë 2'],
      [B, 'bob'],
    ]);
    expect(await s.reads.privacy.memberRows(A)).not.toHaveProperty('MemberProfile.1');
    await s.writer.web.saveProfiles([profile(G, C, 'seen after the erasure', 30)], 30);
    expect((await s.reads.privacy.memberRows(C)).MemberProfile).toEqual([expect.objectContaining({ GuildId: G, UserId: C, Name: 'seen after the erasure' })]);
    await s.writer.web.setPublic(G, false, null, null, 40);
    expect((await s.reads.privacy.guildRows(G)).MemberProfile).toBeUndefined();
  });

  it('given reward roles then they come with the copied names and colours, unknown roles without', async () => {
    const s = await seeded(kind);
    await s.writer.xp.setRoleReward(G, 5, '11', false);
    await s.writer.xp.setRoleReward(G, 10, '12', true);
    expect(await s.writer.web.saveGuild(G, { name: 'Renamed', iconUrl: null, roles: [{ id: '11', name: 'Gold', color: 0xf1c40f }] }, 50)).toBe(true);
    expect(await s.writer.web.saveGuild(G2, { name: 'No page', iconUrl: null, roles: [] }, 50)).toBe(false);
    expect(await s.reads.web.rewardRoles(G)).toEqual([
      { level: 5, roleId: '11', name: 'Gold', color: 0xf1c40f, remove: false },
      { level: 10, roleId: '12', name: null, color: 0, remove: true },
    ]);
    expect(await s.reads.web.guild(G)).toMatchObject({ name: 'Renamed' });
  });

  it('given API keys and webhooks then keys are found by hash for their server only, listed, revoked; webhooks listed and removed', async () => {
    const s = await seeded(kind);
    const one = await s.writer.web.createApiKey(G, 'hash-1', 'unk_abcd', A, 60);
    const two = await s.writer.web.createApiKey(G2, 'hash-2', 'unk_efgh', B, 61);
    expect(await s.reads.web.apiKeyGuild('hash-1')).toBe(G);
    expect(await s.reads.web.apiKeyGuild('hash-2')).toBe(G2);
    expect(await s.writer.web.listApiKeys(G)).toEqual([{ id: one, hint: 'unk_abcd', createdBy: A, createdAt: 60 }]);
    expect(await s.writer.web.revokeApiKey(G, two)).toBe(false); // another server's key
    expect(await s.writer.web.revokeApiKey(G, one)).toBe(true);
    expect(await s.reads.web.apiKeyGuild('hash-1')).toBeNull();
    const hook = await s.writer.web.addWebhook(G, 'https://example.com/h', 'secret', ['level_up', 'currency_paid'], 70);
    expect(await s.writer.web.listWebhooks(G)).toEqual([{ id: hook, url: 'https://example.com/h', events: ['level_up', 'currency_paid'], createdAt: 70 }]);
    expect(await s.writer.web.removeWebhook(G2, hook)).toBe(false);
    expect(await s.writer.web.removeWebhook(G, hook)).toBe(true);
    expect(await s.writer.web.listWebhooks(G)).toEqual([]);
    // Exports never hold a key's hash.
    expect((await s.reads.privacy.guildRows(G2)).WebApiKey).toEqual([expect.not.objectContaining({ Hash: expect.anything() })]);
  });
});
