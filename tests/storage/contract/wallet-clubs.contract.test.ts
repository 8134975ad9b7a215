/**
 * Shop, wallet, clubs, shard claims and bot state: one contract on both stores (DESIGN §6, §7.1, §12). Races are
 * run between two writers (two connections or two pools, as two processes would be).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/storage/store.js';
import { STORE_KINDS, type StoreKind, openTwoProcesses } from './stores.js';

const U = '9223372036854775807';
const V = '9007199254740993';

const opened: Store[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

/** Two stores on one database: two processes. */
const twoProcesses = (kind: StoreKind) => openTwoProcesses(kind, opened, 'worker');

describe.each(STORE_KINDS)('wallet, shop and clubs contract on %s', (kind) => {
  it('given two processes buying the same item for one wallet at once then it is charged once', async () => {
    const [a, b] = await twoProcesses(kind);
    await a.writer.wallet.adjust(U, 1000, 'owner_give', null);
    const buy = (s: Store) => s.writer.shop.buy({ userId: U, itemType: 1, key: 'aurora', price: 700, equip: true, note: 'background aurora' });
    const results = await Promise.all([buy(a), buy(b), buy(a), buy(b)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await a.reads.wallet.balance(U)).toBe(300);
    expect(await b.reads.shop.equipped(U, 1)).toBe('aurora');
    expect((await a.reads.wallet.history(U)).map((t) => t.amount)).toEqual([-700, 1000]);
    expect(await a.writer.wallet.adjust(U, -301, 'owner_take', null)).toEqual({ ok: false, reason: 'insufficient_funds', balance: 300 });
  });

  it('given two processes joining clubs for one user at once then the user ends in exactly one club', async () => {
    const [a, b] = await twoProcesses(kind);
    expect(await a.writer.clubs.create(V, 'Night Owls')).toMatchObject({ ok: true });
    expect(await a.writer.clubs.create(U, 'night owls')).toEqual({ ok: false, reason: 'name_taken' });
    expect(await b.writer.clubs.setOpen(V, true)).toEqual({ ok: true });
    await a.writer.clubs.create('42', 'Larks');
    await a.writer.clubs.setOpen('42', true);
    const joins = await Promise.all([a.writer.clubs.join(U, 'NIGHT OWLS'), b.writer.clubs.join(U, 'larks'), b.writer.clubs.join(U, 'night owls')]);
    expect(joins.filter((j) => j.ok)).toHaveLength(1);
    const club = await b.reads.clubs.clubOfUser(U);
    expect(club?.members).toBe(2);
    expect((await a.reads.clubs.members(club!.id)).map((m) => m.userId).sort()).toEqual([club!.ownerId, U].sort());
    expect(await a.writer.clubs.kick(V, U)).toEqual(club!.ownerId === V ? { ok: true } : { ok: false, reason: 'not_member' });
  });

  it('given a shard claim then another holder of overlapping shards is refused until it is released, and bot state round-trips', async () => {
    const [a, b] = await twoProcesses(kind);
    const holder = (id: string) => ({ id, host: 'other-host', pid: 1 });
    expect(await a.writer.claims.claim(holder('p1'), { count: 2, ids: [0] }, 1000, 61_000)).toEqual({ ok: true });
    const refused = await b.writer.claims.claim(holder('p2'), { count: 4, ids: [2] }, 2000, 62_000);
    expect(refused).toMatchObject({ ok: false, conflict: { shardCount: 2, shardId: 0, holder: { id: 'p1' } } });
    expect(await b.writer.claims.claim(holder('p2'), { count: 4, ids: [1, 3] }, 2000, 62_000)).toEqual({ ok: true });
    await a.writer.claims.release('p1');
    expect(await b.writer.claims.claim(holder('p2'), { count: 4, ids: [2] }, 3000, 63_000)).toEqual({ ok: true });
    await a.writer.state.set('devGuild', V);
    expect(await b.writer.state.get('devGuild')).toBe(V);
  });
});
