/**
 * The webhook outbox on PostgreSQL (DESIGN §14.4; the SQLite twin and the row semantics are in
 * `../webhook-outbox.ts`). `enqueueWebhook` runs inside the caller's transaction, like the SQLite insert.
 */
import { num } from '../ids.js';
import type { Port } from '../ports.js';
import { OUTBOX_COLUMNS, toOutboxRow, webhookPayload, type OutboxRow, type OutboxSqlRow, type WebhookData, type WebhookOutbox } from '../webhook-outbox.js';
import type { WebhookEvent } from '../../webhooks/events.js';
import { withRetry, type PgPool } from './pool.js';
import { changes, one, rows, type Queryable } from './sql.js';

/** Records an event for every webhook of the server that receives it, in the caller's transaction. */
export async function enqueueWebhook(c: Queryable, guildId: string, event: WebhookEvent, data: WebhookData, at: number): Promise<number> {
  const { eventId, payload } = webhookPayload(guildId, event, data, at);
  return changes(
    c,
    `INSERT INTO WebhookOutbox (WebhookId, GuildId, UserId, EventId, Event, Payload, CreatedAt, NextAttemptAt)
      SELECT Id, GuildId, $2, $3, $4, $5, $6, $6 FROM Webhook WHERE GuildId = $1 AND position(',' || $4 || ',' in ',' || Events || ',') > 0`,
    [guildId, data.userId ?? null, eventId, event, payload, at],
  );
}

export class PgWebhookOutbox implements Port<WebhookOutbox> {
  constructor(private readonly pool: PgPool) {}

  enqueue(guildId: string, event: WebhookEvent, data: WebhookData, at: number): Promise<number> {
    return withRetry(this.pool, (c) => enqueueWebhook(c, guildId, event, data, at));
  }

  async due(now: number, implausible: number, limit: number): Promise<OutboxRow[]> {
    const r = await rows<OutboxSqlRow>(this.pool, `SELECT ${OUTBOX_COLUMNS} WHERE o.NextAttemptAt <= $1 OR o.NextAttemptAt > $2 ORDER BY o.NextAttemptAt, o.Id LIMIT $3`, [now, implausible, limit]);
    return r.map(toOutboxRow);
  }

  async lease(id: number, seenNextAttemptAt: number, until: number): Promise<boolean> {
    return (await changes(this.pool, 'UPDATE WebhookOutbox SET NextAttemptAt = $1 WHERE Id = $2 AND NextAttemptAt = $3', [until, id, seenNextAttemptAt])) === 1;
  }

  async delivered(id: number): Promise<void> {
    await this.pool.query('DELETE FROM WebhookOutbox WHERE Id = $1', [id]);
  }

  async failed(id: number, nextAttemptAt: number, error: string): Promise<void> {
    await this.pool.query('UPDATE WebhookOutbox SET Attempts = Attempts + 1, NextAttemptAt = $1, LastError = $2 WHERE Id = $3', [nextAttemptAt, error.slice(0, 500), id]);
  }

  async drop(id: number): Promise<void> {
    await this.delivered(id);
  }

  async pendingCount(): Promise<number> {
    return num((await one<{ n: string }>(this.pool, 'SELECT COUNT(*) AS n FROM WebhookOutbox'))!.n);
  }
}
