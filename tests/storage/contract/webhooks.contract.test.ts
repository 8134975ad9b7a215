/**
 * The webhook outbox (DESIGN §14.4): one contract on both stores. Events are recorded in the transaction of what
 * they report (a level-up with its payment, a role change confirmed or dropped), only for webhooks that asked for
 * them; a due delivery is taken by one lease only; failures move the next attempt; a delivered row is gone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/storage/store.js';
import { openWholeStore, STORE_KINDS, type StoreKind } from './stores.js';

const G = '1152921504606846976';
const U = '9223372036854775807';
const ROLE = '9007199254740993';

const opened: Store[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

const open = (kind: StoreKind) => openWholeStore(kind, opened);

const body = (payload: string) => JSON.parse(payload) as { id: string; type: string; guildId: string; data: Record<string, unknown> };

describe.each(STORE_KINDS)('the webhook outbox on %s', (kind) => {
  it('given a level-up with a payment and a role then level_up, currency_paid and role_reward_given are recorded for the hooks that asked', async () => {
    const s = await open(kind);
    const all = await s.writer.web.addWebhook(G, 'https://a.example/h', 's1', ['level_up', 'currency_paid', 'role_reward_given'], 1);
    await s.writer.web.addWebhook(G, 'https://b.example/h', 's2', ['role_reward_failed'], 1);
    await s.writer.xp.setCurrencyReward(G, 2, 150);
    await s.writer.xp.recordLevelUp(G, U, { oldLevel: 0, newLevel: 2, roleRewards: [{ level: 1, roleId: ROLE, remove: false }], rewardMode: 'stack', at: 1000 });
    await s.writer.xp.recordLevelUp(G, U, { oldLevel: 2, newLevel: 1, roleRewards: [], rewardMode: 'stack', at: 1001 }); // down: no level_up
    const due = await s.writer.webhooks.due(5000, 10_000_000, 10);
    expect(due.map((r) => [r.webhookId, r.guildId, r.event, r.attempts])).toEqual([
      [all, G, 'level_up', 0],
      [all, G, 'currency_paid', 0],
    ]);
    expect(due.map((r) => body(r.payload).data)).toEqual([
      { userId: U, oldLevel: 0, newLevel: 2 },
      { userId: U, amount: 150, levels: [2] },
    ]);
    expect(body(due[0]!.payload)).toMatchObject({ id: due[0]!.eventId, type: 'level_up', guildId: G });

    const [queued] = await s.reads.roles.due(5000, 0, { count: 1, ids: [0] }, 10);
    await s.writer.roles.done(queued!.id, 2000);
    const after = await s.writer.webhooks.due(5000, 10_000_000, 10);
    expect(after.map((r) => [r.event, body(r.payload).data])).toEqual([
      ['level_up', { userId: U, oldLevel: 0, newLevel: 2 }],
      ['currency_paid', { userId: U, amount: 150, levels: [2] }],
      ['role_reward_given', { userId: U, roleId: ROLE, action: 'add' }],
    ]);
  });

  it('given a dropped role change then role_reward_failed is recorded once, with the reason', async () => {
    const s = await open(kind);
    await s.writer.web.addWebhook(G, 'https://b.example/h', 's2', ['role_reward_failed'], 1);
    await s.writer.roles.queue(G, U, { add: [ROLE], remove: [] }, 'level', 1);
    const [queued] = await s.reads.roles.due(5000, 0, { count: 1, ids: [0] }, 10);
    await s.writer.roles.drop(queued!.id, G, 'role deleted', 2);
    await s.writer.roles.drop(queued!.id, G, 'role deleted', 3); // already dropped: nothing new
    const due = await s.writer.webhooks.due(5000, 10_000_000, 10);
    expect(due.map((r) => [r.event, body(r.payload).data])).toEqual([['role_reward_failed', { userId: U, roleId: ROLE, action: 'add', reason: 'role deleted' }]]);
  });

  it('given a due delivery then one lease takes it, a failure moves it, a far-future time is due, and a delivered row is gone', async () => {
    const s = await open(kind);
    await s.writer.web.addWebhook(G, 'https://a.example/h', 's', ['level_up'], 1);
    expect(await s.writer.webhooks.enqueue(G, 'level_up', { userId: U, oldLevel: 0, newLevel: 1 }, 1000)).toBe(1);
    expect(await s.writer.webhooks.enqueue(G, 'currency_paid', { userId: U }, 1000)).toBe(0); // nobody asked
    const [row] = await s.writer.webhooks.due(1000, 10_000, 10);
    expect(await s.writer.webhooks.lease(row!.id, row!.nextAttemptAt, 61_000)).toBe(true);
    expect(await s.writer.webhooks.lease(row!.id, row!.nextAttemptAt, 61_000)).toBe(false); // another process had it
    expect(await s.writer.webhooks.due(2000, 100_000, 10)).toEqual([]);
    await s.writer.webhooks.failed(row!.id, 11_000, 'answered 500');
    expect((await s.writer.webhooks.due(11_000, 100_000, 10)).map((r) => r.attempts)).toEqual([1]);
    await s.writer.webhooks.failed(row!.id, 500_000, 'answered 500');
    expect((await s.writer.webhooks.due(12_000, 100_000, 10)).map((r) => r.attempts)).toEqual([2]); // stepped-back clock: due
    await s.writer.webhooks.delivered(row!.id);
    expect(await s.writer.webhooks.pendingCount()).toBe(0);
  });
});
