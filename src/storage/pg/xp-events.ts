/** Timed XP events on PostgreSQL (DESIGN §15.5; the SQLite twin and the row semantics are in `../xp-events.ts`). */
import { dueKind, MAX_OPEN_XP_EVENTS, toXpEvents, XP_EVENT_COLUMNS, type NewXpEvent, type XpEvent, type XpEventAnnouncement, type XpEventRow, type XpEventScopeRow, type XpEventStore } from '../xp-events.js';
import type { ShardFilter } from '../role-queue.js';
import type { Port } from '../ports.js';
import { withRetry, type PgPool } from './pool.js';
import { changes, cols, one, rows, type Queryable } from './sql.js';

const ROW = cols(XP_EVENT_COLUMNS);
const SCOPE = 'EventId AS "EventId", ItemType AS "ItemType", ItemId AS "ItemId"';

export class PgXpEventStore implements Port<XpEventStore> {
  constructor(private readonly pool: PgPool) {}

  create(e: NewXpEvent): Promise<number | null> {
    return withRetry(this.pool, async (c) => {
      // Two creates at once in one server would both count the same open events: the server's lock serialises them.
      await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 25))', [`xpevent:${e.guildId}`]);
      const open = await one<{ n: string }>(c, 'SELECT COUNT(*) AS n FROM XpEvent WHERE GuildId = $1 AND EndAnnounced = 0 AND EndsAt > $2', [e.guildId, e.createdAt]);
      if (Number(open!.n) >= MAX_OPEN_XP_EVENTS) return null;
      const r = await one<{ id: string }>(
        c,
        'INSERT INTO XpEvent (GuildId, Milli, StartsAt, EndsAt, AnnounceChannelId, CreatedAt) VALUES ($1, $2, $3, $4, $5, $6) RETURNING Id AS id',
        [e.guildId, e.milli, e.startsAt, e.endsAt, e.announceChannelId, e.createdAt],
      );
      const id = Number(r!.id);
      const items = [...e.channelIds.map((x) => ['channel', x]), ...e.roleIds.map((x) => ['role', x])];
      for (const [type, item] of items) {
        await c.query('INSERT INTO XpEventScope (EventId, GuildId, ItemType, ItemId) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [id, e.guildId, type, item]);
      }
      return id;
    });
  }

  async list(guildId: string, now: number): Promise<XpEvent[]> {
    const [events, scopes] = await Promise.all([
      rows<XpEventRow>(this.pool, `SELECT ${ROW} FROM XpEvent WHERE GuildId = $1 AND EndAnnounced = 0 AND EndsAt > $2 ORDER BY StartsAt, Id`, [guildId, now]),
      rows<XpEventScopeRow>(
        this.pool,
        `SELECT s.EventId AS "EventId", s.ItemType AS "ItemType", s.ItemId AS "ItemId" FROM XpEventScope s JOIN XpEvent e ON e.Id = s.EventId
         WHERE s.GuildId = $1 AND e.EndAnnounced = 0`,
        [guildId],
      ),
    ]);
    return toXpEvents(events, scopes);
  }

  get(guildId: string, id: number): Promise<XpEvent | null> {
    return getEvent(this.pool, guildId, id);
  }

  cancel(guildId: string, id: number, now: number): Promise<{ event: XpEvent; wasRunning: boolean } | null> {
    return withRetry(this.pool, async (c) => {
      await c.query('SELECT 1 FROM XpEvent WHERE GuildId = $1 AND Id = $2 FOR UPDATE', [guildId, id]);
      const event = await getEvent(c, guildId, id);
      if (!event || event.endsAt <= now || event.cancelledAt !== null) return null;
      const wasRunning = event.startsAt <= now;
      await c.query('UPDATE XpEvent SET CancelledAt = $1, EndsAt = least(EndsAt, $1) WHERE Id = $2', [now, id]);
      if (!wasRunning) await c.query('UPDATE XpEvent SET StartAnnounced = 1, EndAnnounced = 1 WHERE Id = $1', [id]);
      return { event: { ...event, endsAt: Math.min(event.endsAt, now), cancelledAt: now }, wasRunning };
    });
  }

  async due(now: number, shards: ShardFilter): Promise<XpEventAnnouncement[]> {
    const found = await rows<XpEventRow>(
      this.pool,
      `SELECT ${ROW} FROM XpEvent WHERE EndAnnounced = 0 AND (EndsAt <= $1 OR (StartAnnounced = 0 AND StartsAt <= $1))
       AND (GuildId >> 22) % $2 = ANY($3::int[]) ORDER BY Id`,
      [now, shards.count, shards.ids],
    );
    if (found.length === 0) return [];
    const scopes = await rows<XpEventScopeRow>(this.pool, `SELECT ${SCOPE} FROM XpEventScope WHERE EventId = ANY($1::bigint[])`, [found.map((r) => String(r.Id))]);
    return toXpEvents(found, scopes).map((event, i) => ({ event, kind: dueKind(found[i]!, now)! }));
  }

  async claim(id: number, kind: 'start' | 'end'): Promise<boolean> {
    const sql =
      kind === 'start'
        ? 'UPDATE XpEvent SET StartAnnounced = 1 WHERE Id = $1 AND StartAnnounced = 0 AND EndAnnounced = 0'
        : 'UPDATE XpEvent SET StartAnnounced = 1, EndAnnounced = 1 WHERE Id = $1 AND EndAnnounced = 0';
    return (await changes(this.pool, sql, [id])) > 0;
  }
}

async function getEvent(db: Queryable, guildId: string, id: number): Promise<XpEvent | null> {
  const r = await one<XpEventRow>(db, `SELECT ${ROW} FROM XpEvent WHERE GuildId = $1 AND Id = $2`, [guildId, id]);
  if (!r) return null;
  return toXpEvents([r], await rows<XpEventScopeRow>(db, `SELECT ${SCOPE} FROM XpEventScope WHERE EventId = $1`, [id]))[0]!;
}
