/** The role-change queue on PostgreSQL (DESIGN §2.7; the SQLite twin and the row semantics are in `../role-queue.ts`). */
import type { RoleChangeCause, RoleChanges } from '../../engine/ports.js';
import { idOf, num } from '../ids.js';
import {
  DROPPED_KEPT_MS,
  ROLE_QUEUE_COLUMNS,
  summaryOf,
  toChange,
  roleEvent,
  type ChangedRow,
  type QueuedRoleChange,
  type RoleQueueReads,
  type RoleQueueRow,
  type RoleQueueSummary,
  type RoleQueueWrites,
  type ShardFilter,
  type SummaryCount,
} from '../role-queue.js';
import type { Port } from '../ports.js';
import { transaction, withRetry, type PgClient, type PgPool } from './pool.js';
import { cols, one, rows, changes } from './sql.js';
import { enqueueWebhook } from './webhook-outbox.js';

const ROW = cols(ROLE_QUEUE_COLUMNS);

/** Queues inside a caller's transaction: each role replaces the older row of the same (guild, member, role), with a new id. */
export async function queueRoles(c: PgClient, guildId: string, userId: string, roles: RoleChanges, cause: RoleChangeCause, at: number): Promise<number> {
  const ids = [...roles.add, ...roles.remove];
  if (ids.length === 0) return 0;
  const actions = [...roles.add.map(() => 'add'), ...roles.remove.map(() => 'remove')];
  await c.query('DELETE FROM RoleChangeQueue WHERE GuildId = $1 AND UserId = $2 AND RoleId = ANY($3::bigint[])', [guildId, userId, ids]);
  await c.query(
    `INSERT INTO RoleChangeQueue (GuildId, UserId, RoleId, Action, Cause, NextAttemptAt, CreatedAt, UpdatedAt)
     SELECT $1, $2, r, a, $5, $6, $6, $6 FROM UNNEST($3::bigint[], $4::text[]) WITH ORDINALITY AS t(r, a, i) ORDER BY i`,
    [guildId, userId, ids, actions, cause, at],
  );
  return ids.length;
}

export class PgRoleQueueWrites implements Port<RoleQueueWrites> {
  constructor(private readonly pool: PgPool) {}

  queue(guildId: string, userId: string, roles: RoleChanges, cause: RoleChangeCause, at: number): Promise<number> {
    return withRetry(this.pool, (c) => queueRoles(c, guildId, userId, roles, cause, at));
  }

  /** See `RoleQueueWrites.done`: the webhook event is recorded in the same transaction. */
  async done(id: number, at: number = Date.now()): Promise<void> {
    await transaction(this.pool, async (c) => {
      const row = await one<ChangedRow>(c, 'DELETE FROM RoleChangeQueue WHERE Id = $1 RETURNING GuildId AS "GuildId", UserId AS "UserId", RoleId AS "RoleId", Action AS "Action"', [id]);
      if (row) await enqueueWebhook(c, idOf(row.GuildId), 'role_reward_given', roleEvent(row), at);
    });
  }

  async retry(id: number, nextAttemptAt: number, reason: string, at: number): Promise<void> {
    await this.pool.query(`UPDATE RoleChangeQueue SET State = 'pending', Attempts = Attempts + 1, NextAttemptAt = $1, Reason = $2, UpdatedAt = $3 WHERE Id = $4`, [nextAttemptAt, reason, at, id]);
  }

  async wait(id: number, reason: string, recheckAt: number, at: number): Promise<void> {
    await this.pool.query(`UPDATE RoleChangeQueue SET State = 'waiting', NextAttemptAt = $1, Reason = $2, UpdatedAt = $3 WHERE Id = $4`, [recheckAt, reason, at, id]);
  }

  async drop(id: number, guildId: string, reason: string, at: number): Promise<void> {
    await transaction(this.pool, async (c) => {
      const row = await one<ChangedRow>(
        c,
        `UPDATE RoleChangeQueue SET State = 'dropped', Reason = $1, UpdatedAt = $2 WHERE Id = $3 AND State != 'dropped'
          RETURNING GuildId AS "GuildId", UserId AS "UserId", RoleId AS "RoleId", Action AS "Action"`,
        [reason, at, id],
      );
      if (row) await enqueueWebhook(c, idOf(row.GuildId), 'role_reward_failed', { ...roleEvent(row), reason }, at);
      await c.query(`DELETE FROM RoleChangeQueue WHERE GuildId = $1 AND State = 'dropped' AND UpdatedAt < $2`, [guildId, at - DROPPED_KEPT_MS]);
    });
  }

  wake(guildId: string, at: number): Promise<number> {
    return changes(this.pool, `UPDATE RoleChangeQueue SET NextAttemptAt = $1 WHERE GuildId = $2 AND State = 'waiting'`, [at, guildId]);
  }
}

export class PgRoleQueueReads implements Port<RoleQueueReads> {
  constructor(private readonly pool: PgPool) {}

  async due(now: number, horizonMs: number, shards: ShardFilter, limit: number): Promise<QueuedRoleChange[]> {
    const r = await rows<RoleQueueRow>(
      this.pool,
      `SELECT ${ROW} FROM RoleChangeQueue WHERE State != 'dropped' AND (NextAttemptAt <= $1 OR NextAttemptAt > $2)
       AND ((GuildId >> 22) % $3) = ANY($4::bigint[]) ORDER BY NextAttemptAt, Id LIMIT $5`,
      [now, now + horizonMs, shards.count, shards.ids, limit],
    );
    return r.map(toChange);
  }

  async nextDueAt(shards: ShardFilter): Promise<number | null> {
    const r = await one<{ at: string | null }>(
      this.pool,
      `SELECT min(NextAttemptAt) AS at FROM RoleChangeQueue WHERE State != 'dropped' AND ((GuildId >> 22) % $1) = ANY($2::bigint[])`,
      [shards.count, shards.ids],
    );
    return r?.at == null ? null : num(r.at);
  }

  async byId(id: number): Promise<QueuedRoleChange | null> {
    const r = await one<RoleQueueRow>(this.pool, `SELECT ${ROW} FROM RoleChangeQueue WHERE Id = $1`, [id]);
    return r ? toChange(r) : null;
  }

  async pendingFor(guildId: string, userId: string): Promise<QueuedRoleChange[]> {
    const r = await rows<RoleQueueRow>(this.pool, `SELECT ${ROW} FROM RoleChangeQueue WHERE GuildId = $1 AND UserId = $2 AND State = 'pending' ORDER BY Id`, [guildId, userId]);
    return r.map(toChange);
  }

  async summary(guildId: string, recent = 10): Promise<RoleQueueSummary> {
    const counts = await rows<SummaryCount>(
      this.pool,
      `SELECT State AS "State", CASE State WHEN 'waiting' THEN Reason END AS "Reason", count(*) AS n FROM RoleChangeQueue WHERE GuildId = $1 GROUP BY 1, 2`,
      [guildId],
    );
    const s = summaryOf(counts);
    if (s.dropped > 0) {
      const r = await rows<RoleQueueRow>(this.pool, `SELECT ${ROW} FROM RoleChangeQueue WHERE GuildId = $1 AND State = 'dropped' ORDER BY UpdatedAt DESC, Id DESC LIMIT $2`, [guildId, recent]);
      s.recentlyDropped = r.map(toChange);
    }
    return s;
  }
}
