/**
 * The role-change queue (an outbox, DESIGN §2.7): every reward role the bot has decided to give or take is a row
 * here until Discord confirms it. Rows are written in the same transaction as the decision (the rewarded-level
 * mark of a level-up), so a failed or interrupted Discord call never loses one. One row per (guild, member, role):
 * a newer decision replaces the row, and its new id tells a worker still busy with the old one that it is stale.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { idOf, num, sf } from './ids.js';
import type { RoleChangeCause, RoleChanges } from '../engine/ports.js';
import { WebhookOutbox } from './webhook-outbox.js';

/** pending: to apply when due. waiting: blocked by something an admin can fix (permission, hierarchy). dropped: cannot succeed. */
export type RoleChangeState = 'pending' | 'waiting' | 'dropped';

export interface QueuedRoleChange {
  id: number;
  guildId: string;
  userId: string;
  roleId: string;
  action: 'add' | 'remove';
  cause: RoleChangeCause;
  state: RoleChangeState;
  attempts: number;
  /** Wall-clock ms. */
  nextAttemptAt: number;
  reason: string | null;
  updatedAt: number;
}

/** The shards a process serves: rows of other shards' guilds belong to other processes. */
export interface ShardFilter {
  count: number;
  ids: readonly number[];
}

export interface RoleQueueSummary {
  pending: number;
  /** Waiting rows grouped by their reason. */
  waiting: { reason: string; count: number }[];
  dropped: number;
  /** The most recently dropped rows, newest first. */
  recentlyDropped: QueuedRoleChange[];
}

/** How long dropped rows are kept for admins to see. */
export const DROPPED_KEPT_MS = 30 * 86_400_000;

type Int = bigint | string | number;

/** A RoleChangeQueue row as either store reads it (integers as BigInt or decimal strings). */
export interface RoleQueueRow {
  Id: Int;
  GuildId: Int;
  UserId: Int;
  RoleId: Int;
  Action: 'add' | 'remove';
  Cause: RoleChangeCause;
  State: RoleChangeState;
  Attempts: Int;
  NextAttemptAt: Int;
  Reason: string | null;
  UpdatedAt: Int;
}
type Row = RoleQueueRow;

export const ROLE_QUEUE_COLUMNS = ['Id', 'GuildId', 'UserId', 'RoleId', 'Action', 'Cause', 'State', 'Attempts', 'NextAttemptAt', 'Reason', 'UpdatedAt'] as const;

export function toChange(r: Row): QueuedRoleChange {
  return {
    id: num(r.Id),
    guildId: idOf(r.GuildId),
    userId: idOf(r.UserId),
    roleId: idOf(r.RoleId),
    action: r.Action,
    cause: r.Cause,
    state: r.State,
    attempts: num(r.Attempts),
    nextAttemptAt: num(r.NextAttemptAt),
    reason: r.Reason,
    updatedAt: num(r.UpdatedAt),
  };
}

/** A role change's row as both stores return it when it is confirmed or dropped. */
export type ChangedRow = { GuildId: bigint | string; UserId: bigint | string; RoleId: bigint | string; Action: string };

/** The data of a `role_reward_given` / `role_reward_failed` webhook event. */
export const roleEvent = (row: ChangedRow) => ({ userId: idOf(row.UserId), roleId: idOf(row.RoleId), action: row.Action });

/** Writes, on the writer's connection; `queue` is also called inside the level-up transaction. */
export class RoleQueueWrites {
  private readonly q: Record<string, Statement>;

  constructor(
    private readonly db: Db,
    private readonly webhooks: WebhookOutbox = new WebhookOutbox(db),
  ) {
    const prep = (sql: string) => db.prepare(sql);
    this.q = {
      // REPLACE deletes the older row of the same (guild, member, role) and inserts with a new id.
      queue: prep(`INSERT OR REPLACE INTO RoleChangeQueue (GuildId, UserId, RoleId, Action, Cause, NextAttemptAt, CreatedAt, UpdatedAt)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      done: prep('DELETE FROM RoleChangeQueue WHERE Id = ? RETURNING GuildId, UserId, RoleId, Action').safeIntegers(true),
      retry: prep(`UPDATE RoleChangeQueue SET State = 'pending', Attempts = Attempts + 1, NextAttemptAt = ?, Reason = ?, UpdatedAt = ? WHERE Id = ?`),
      wait: prep(`UPDATE RoleChangeQueue SET State = 'waiting', NextAttemptAt = ?, Reason = ?, UpdatedAt = ? WHERE Id = ?`),
      drop: prep(`UPDATE RoleChangeQueue SET State = 'dropped', Reason = ?, UpdatedAt = ? WHERE Id = ? AND State != 'dropped'
        RETURNING GuildId, UserId, RoleId, Action`).safeIntegers(true),
      prune: prep(`DELETE FROM RoleChangeQueue WHERE GuildId = ? AND State = 'dropped' AND UpdatedAt < ?`),
      wake: prep(`UPDATE RoleChangeQueue SET NextAttemptAt = ? WHERE GuildId = ? AND State = 'waiting'`),
    };
  }

  /** Queues role changes of one member, each replacing any older row for the same role. Returns how many. */
  queue(guildId: string, userId: string, roles: RoleChanges, cause: RoleChangeCause, at: number): number {
    const g = sf(guildId);
    const u = sf(userId);
    const run = this.db.transaction(() => {
      for (const r of roles.add) this.q.queue!.run(g, u, sf(r), 'add', cause, at, at, at);
      for (const r of roles.remove) this.q.queue!.run(g, u, sf(r), 'remove', cause, at, at, at);
    });
    run.immediate();
    return roles.add.length + roles.remove.length;
  }

  /**
   * Discord confirmed it (or it needed nothing). A row already replaced by a newer decision is left alone. The
   * webhook event is recorded in the same transaction (DESIGN §14.4).
   */
  done(id: number, at: number = Date.now()): void {
    this.db
      .transaction(() => {
        const row = this.q.done!.get(id) as ChangedRow | undefined;
        if (row) this.webhooks.enqueue(idOf(row.GuildId), 'role_reward_given', roleEvent(row), at);
      })
      .immediate();
  }

  /** A passing failure (5xx, timeout, network): try again at `nextAttemptAt`. */
  retry(id: number, nextAttemptAt: number, reason: string, at: number): void {
    this.q.retry!.run(nextAttemptAt, reason, at, id);
  }

  /** Blocked by something an admin can fix; rechecked at `recheckAt` or as soon as roles or permissions change. */
  wait(id: number, reason: string, recheckAt: number, at: number): void {
    this.q.wait!.run(recheckAt, reason, at, id);
  }

  /** It can never succeed (role deleted, member gone, managed role); kept a while for admins to see. */
  drop(id: number, guildId: string, reason: string, at: number): void {
    this.db
      .transaction(() => {
        const row = this.q.drop!.get(reason, at, id) as ChangedRow | undefined;
        if (row) this.webhooks.enqueue(idOf(row.GuildId), 'role_reward_failed', { ...roleEvent(row), reason }, at);
        this.q.prune!.run(sf(guildId), at - DROPPED_KEPT_MS);
      })
      .immediate();
  }

  /** Roles or permissions changed in a guild: its waiting rows are due now. Returns how many. */
  wake(guildId: string, at: number): number {
    return this.q.wake!.run(at, sf(guildId)).changes;
  }
}

/** Reads, on the main thread's connection (the Discord-side worker and `rolerewards`). */
export class RoleQueueReads {
  private readonly q: Record<string, Statement>;

  constructor(db: Db) {
    const prep = (sql: string) => db.prepare(sql).safeIntegers(true);
    const shard = '((GuildId >> 22) % ?) IN (SELECT value FROM json_each(?))';
    this.q = {
      // A retry time further ahead than `horizon` can only come from a wall clock that stepped back: due now.
      due: prep(`SELECT * FROM RoleChangeQueue WHERE State != 'dropped' AND (NextAttemptAt <= ? OR NextAttemptAt > ?) AND ${shard}
        ORDER BY NextAttemptAt, Id LIMIT ?`),
      next: prep(`SELECT min(NextAttemptAt) AS at FROM RoleChangeQueue WHERE State != 'dropped' AND ${shard}`),
      byId: prep('SELECT * FROM RoleChangeQueue WHERE Id = ?'),
      member: prep(`SELECT * FROM RoleChangeQueue WHERE GuildId = ? AND UserId = ? AND State = 'pending' ORDER BY Id`),
      counts: prep(`SELECT State, Reason, count(*) AS n FROM RoleChangeQueue WHERE GuildId = ? GROUP BY State, CASE State WHEN 'waiting' THEN Reason END`),
      dropped: prep(`SELECT * FROM RoleChangeQueue WHERE GuildId = ? AND State = 'dropped' ORDER BY UpdatedAt DESC, Id DESC LIMIT ?`),
    };
  }

  /** Rows due at `now` in the given shards, oldest first. */
  due(now: number, horizonMs: number, shards: ShardFilter, limit: number): QueuedRoleChange[] {
    return (this.q.due!.all(now, now + horizonMs, shards.count, JSON.stringify(shards.ids), limit) as Row[]).map(toChange);
  }

  /** When the next row of these shards falls due (wall ms), or null when none is queued. */
  nextDueAt(shards: ShardFilter): number | null {
    const r = this.q.next!.get(shards.count, JSON.stringify(shards.ids)) as { at: bigint | null };
    return r.at === null ? null : num(r.at);
  }

  byId(id: number): QueuedRoleChange | null {
    const r = this.q.byId!.get(id) as Row | undefined;
    return r ? toChange(r) : null;
  }

  /** A member's pending rows (a level change applies them at once). */
  pendingFor(guildId: string, userId: string): QueuedRoleChange[] {
    return (this.q.member!.all(sf(guildId), sf(userId)) as Row[]).map(toChange);
  }

  summary(guildId: string, recent = 10): RoleQueueSummary {
    const s = summaryOf(this.q.counts!.all(sf(guildId)) as SummaryCount[]);
    if (s.dropped > 0) s.recentlyDropped = (this.q.dropped!.all(sf(guildId), recent) as Row[]).map(toChange);
    return s;
  }
}

export interface SummaryCount {
  State: RoleChangeState;
  Reason: string | null;
  n: Int;
}

/** The summary's counts from the rows of `SELECT State, Reason, count(*) … GROUP BY State, waiting reason`. */
export function summaryOf(counts: readonly SummaryCount[]): RoleQueueSummary {
  const s: RoleQueueSummary = { pending: 0, waiting: [], dropped: 0, recentlyDropped: [] };
  for (const r of counts) {
    if (r.State === 'pending') s.pending += num(r.n);
    else if (r.State === 'dropped') s.dropped += num(r.n);
    else s.waiting.push({ reason: r.Reason ?? 'unknown', count: num(r.n) });
  }
  return s;
}
