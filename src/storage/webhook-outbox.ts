/**
 * The webhook outbox (DESIGN §14.4). `enqueue` runs inside the transaction of the event it reports (a level-up
 * with its payment, a role change confirmed or dropped), so an event is recorded exactly when its state is: a crash
 * after the commit still delivers it, a rolled-back event sends nothing. One row per (webhook, event); the
 * deliverer takes a due row with a lease, deletes it on a 2xx, and otherwise moves its next attempt.
 */
import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { idOf, num, sf } from './ids.js';
import type { WebhookEvent } from '../webhooks/events.js';

/** Due deliveries with their webhook's URL and secret (both stores). */
export const OUTBOX_COLUMNS = `o.Id AS "Id", o.WebhookId AS "WebhookId", w.GuildId AS "GuildId", w.Url AS "Url", w.Secret AS "Secret",
  o.EventId AS "EventId", o.Event AS "Event", o.Payload AS "Payload", o.CreatedAt AS "CreatedAt", o.Attempts AS "Attempts",
  o.NextAttemptAt AS "NextAttemptAt" FROM WebhookOutbox o JOIN Webhook w ON w.Id = o.WebhookId`;

export interface OutboxRow {
  id: number;
  webhookId: number;
  guildId: string;
  url: string;
  secret: string;
  eventId: string;
  event: string;
  payload: string;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
}

/** What a receiver gets for one event: its id (the idempotency key) and the JSON body, the same on every retry. */
export function webhookPayload(guildId: string, event: WebhookEvent, data: WebhookData, at: number): { eventId: string; payload: string } {
  const eventId = randomUUID();
  return { eventId, payload: JSON.stringify({ id: eventId, type: event, createdAt: new Date(at).toISOString(), guildId, data }) };
}

/** An event's data; `userId` names the member it is about (exports and erasures find the row by it). */
export type WebhookData = { userId?: string } & Record<string, unknown>;

/** The outbox's columns under the names both stores read them by. */
export type OutboxSqlRow = Record<'Id' | 'WebhookId' | 'GuildId' | 'CreatedAt' | 'Attempts' | 'NextAttemptAt', bigint | string | number> &
  Record<'Url' | 'Secret' | 'EventId' | 'Event' | 'Payload', string>;

export function toOutboxRow(r: OutboxSqlRow): OutboxRow {
  return {
    id: num(r.Id),
    webhookId: num(r.WebhookId),
    guildId: idOf(r.GuildId),
    url: r.Url,
    secret: r.Secret,
    eventId: r.EventId,
    event: r.Event,
    payload: r.Payload,
    createdAt: num(r.CreatedAt),
    attempts: num(r.Attempts),
    nextAttemptAt: num(r.NextAttemptAt),
  };
}

export class WebhookOutbox {
  private readonly q: Record<string, Statement>;

  constructor(private readonly db: Db) {
    this.q = {
      // One row per webhook of the server that asked for this event; none (a cheap index probe) without webhooks.
      enqueue: db.prepare(`INSERT INTO WebhookOutbox (WebhookId, GuildId, UserId, EventId, Event, Payload, CreatedAt, NextAttemptAt)
        SELECT Id, GuildId, @user, @eventId, @event, @payload, @at, @at FROM Webhook
        WHERE GuildId = @guild AND instr(',' || Events || ',', ',' || @event || ',') > 0`),
      due: db.prepare(`SELECT ${OUTBOX_COLUMNS} WHERE o.NextAttemptAt <= ? OR o.NextAttemptAt > ? ORDER BY o.NextAttemptAt, o.Id LIMIT ?`).safeIntegers(true),
      lease: db.prepare('UPDATE WebhookOutbox SET NextAttemptAt = ? WHERE Id = ? AND NextAttemptAt = ?'),
      delivered: db.prepare('DELETE FROM WebhookOutbox WHERE Id = ?'),
      failed: db.prepare('UPDATE WebhookOutbox SET Attempts = Attempts + 1, NextAttemptAt = ?, LastError = ? WHERE Id = ?'),
      pending: db.prepare('SELECT COUNT(*) AS n FROM WebhookOutbox'),
    };
  }

  /**
   * Records an event for every webhook of the server that receives it; returns how many deliveries were queued.
   * `data.userId` names the member it is about (exports and erasures find the row by it).
   */
  enqueue(guildId: string, event: WebhookEvent, data: WebhookData, at: number): number {
    const { eventId, payload } = webhookPayload(guildId, event, data, at);
    return this.q.enqueue!.run({ guild: sf(guildId), user: data.userId === undefined ? null : sf(data.userId), eventId, event, payload, at }).changes;
  }

  /** Deliveries due at `now` (or stored further ahead than `implausible`: a wall clock that stepped back), oldest first. */
  due(now: number, implausible: number, limit: number): OutboxRow[] {
    return (this.q.due!.all(now, implausible, limit) as OutboxSqlRow[]).map(toOutboxRow);
  }

  /**
   * Takes a due row for one attempt: its next attempt moves to `until`, only if no one moved it since it was read
   * (another process sharing the database). False: someone else has it.
   */
  lease(id: number, seenNextAttemptAt: number, until: number): boolean {
    return this.q.lease!.run(until, id, seenNextAttemptAt).changes === 1;
  }

  /** Answered 2xx: the row goes, so it is never sent again. */
  delivered(id: number): void {
    this.q.delivered!.run(id);
  }

  failed(id: number, nextAttemptAt: number, error: string): void {
    this.q.failed!.run(nextAttemptAt, error.slice(0, 500), id);
  }

  /** Still failing a day after the event: given up (the caller logs it). */
  drop(id: number): void {
    this.q.delivered!.run(id);
  }

  pendingCount(): number {
    return num((this.q.pending!.get() as { n: number | bigint }).n);
  }
}
