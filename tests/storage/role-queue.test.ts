/** The role-change queue's storage (DESIGN §2.7), on a real file with the real migrations. */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';
import { XpReadStore } from '../../src/storage/xp-reads.js';
import { XpWriteStore } from '../../src/storage/xp-writes.js';
import { RoleQueueReads, RoleQueueWrites } from '../../src/storage/role-queue.js';
import { tempDbPath } from '../helpers/temp.js';

const G = '1234567890123456789';
const U = '9223372036854775807';
const ALL = { count: 1, ids: [0] };
const rewards = [
  { level: 2, roleId: '200', remove: false },
  { level: 5, roleId: '500', remove: false },
];

function setup() {
  const db = openDatabase(tempDbPath());
  const roles = new RoleQueueWrites(db);
  return { db, roles, xp: new XpWriteStore(db, 'w', () => 1000, roles), reads: new XpReadStore(db, 'w'), queue: new RoleQueueReads(db) };
}

describe('role-change queue storage', () => {
  it('given a level-up then its roles are queued in the same transaction as the mark and the payment', () => {
    const t = setup();
    t.xp.setCurrencyReward(G, 2, 50);
    const rec = t.xp.recordLevelUp(G, U, { oldLevel: 0, newLevel: 5, roleRewards: rewards, at: 1000 });
    expect(rec.roles).toEqual({ add: ['200', '500'], remove: [] });
    expect(t.queue.pendingFor(G, U).map((r) => [r.roleId, r.action, r.cause, r.nextAttemptAt])).toEqual([
      ['200', 'add', 'level', 1000],
      ['500', 'add', 'level', 1000],
    ]);
    expect(t.reads.userRow(G, U)?.rewardedLevel).toBe(5);
    t.db.close();
  });

  it('given the queue write failing then the level-up records nothing: no mark, no payment, so the next one catches up', () => {
    const t = setup();
    t.xp.setCurrencyReward(G, 2, 50);
    t.db.exec(`CREATE TRIGGER Fail BEFORE INSERT ON RoleChangeQueue BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    expect(() => t.xp.recordLevelUp(G, U, { oldLevel: 0, newLevel: 5, roleRewards: rewards, at: 1000 })).toThrow('disk I/O error');
    expect(t.reads.userRow(G, U)).toBeNull();
    expect(t.reads.balance(U)).toBe(0);
    t.db.exec('DROP TRIGGER Fail');
    const rec = t.xp.recordLevelUp(G, U, { oldLevel: 5, newLevel: 6, roleRewards: rewards, at: 2000 });
    expect(rec).toMatchObject({ previousMark: 0, roles: { add: ['200', '500'] } });
    expect(t.reads.balance(U)).toBe(50);
    t.db.close();
  });

  it('given a newer change for the same member and role then it replaces the older row, and settling the old id touches nothing', () => {
    const t = setup();
    t.roles.queue(G, U, { add: ['200'], remove: [] }, 'level', 1000);
    const old = t.queue.pendingFor(G, U)[0]!;
    t.roles.queue(G, U, { add: [], remove: ['200'] }, 'rejoin', 1001);
    const rows = t.queue.pendingFor(G, U);
    expect(rows.map((r) => [r.roleId, r.action, r.cause])).toEqual([['200', 'remove', 'rejoin']]);
    expect(rows[0]!.id).not.toBe(old.id);
    t.roles.done(old.id);
    t.roles.retry(old.id, 99_999, 'late', 1002);
    expect(t.queue.pendingFor(G, U)).toEqual(rows);
    t.db.close();
  });

  it('given waiting and retried rows then due, wake and the summary follow their state', () => {
    const t = setup();
    t.roles.queue(G, U, { add: ['200', '500'], remove: [] }, 'level', 1000);
    const [a, b] = t.queue.pendingFor(G, U);
    t.roles.wait(a!.id, 'I lack the Manage Roles permission', 601_000, 1000);
    t.roles.retry(b!.id, 6000, '503', 1000);
    expect(t.queue.due(1000, 1_800_000, ALL, 10)).toEqual([]);
    expect(t.queue.nextDueAt(ALL)).toBe(6000);
    expect(t.queue.due(6000, 1_800_000, ALL, 10).map((r) => r.roleId)).toEqual(['500']);
    expect(t.queue.summary(G)).toMatchObject({ pending: 1, waiting: [{ reason: 'I lack the Manage Roles permission', count: 1 }], dropped: 0 });
    expect(t.roles.wake(G, 2000)).toBe(1);
    expect(t.queue.due(2000, 1_800_000, ALL, 10).map((r) => r.roleId)).toEqual(['200']);
    t.roles.drop(b!.id, G, 'the role no longer exists', 3000);
    expect(t.queue.summary(G)).toMatchObject({ dropped: 1, recentlyDropped: [{ roleId: '500', reason: 'the role no longer exists' }] });
    t.db.close();
  });

  it('given a wall clock that stepped back then a retry time beyond the longest backoff is due now', () => {
    const t = setup();
    t.roles.queue(G, U, { add: ['200'], remove: [] }, 'level', 1000);
    t.roles.retry(t.queue.pendingFor(G, U)[0]!.id, 10_000_000, '503', 9_000_000); // written before the clock went back 2 h
    expect(t.queue.due(2_000_000, 1_800_000, ALL, 10)).toHaveLength(1);
    expect(t.queue.due(9_000_000, 1_800_000, ALL, 10)).toHaveLength(0);
    t.db.close();
  });

  it('given two shards then each process sees only its own guilds (guild id >> 22 mod shard count)', () => {
    const t = setup();
    const g0 = String(0n << 22n | 5n);
    const g1 = String(1n << 22n | 5n);
    t.roles.queue(g0, U, { add: ['1'], remove: [] }, 'level', 0);
    t.roles.queue(g1, U, { add: ['1'], remove: [] }, 'level', 0);
    expect(t.queue.due(0, 1, { count: 2, ids: [0] }, 10).map((r) => r.guildId)).toEqual([g0]);
    expect(t.queue.due(0, 1, { count: 2, ids: [1] }, 10).map((r) => r.guildId)).toEqual([g1]);
    expect(t.queue.due(0, 1, ALL, 10)).toHaveLength(2);
    t.db.close();
  });
});
