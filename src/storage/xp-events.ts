/**
 * Timed XP events (DESIGN §15.5): `XpEvent` rows with their channel and role limits (`XpEventScope`), and the
 * announcement marks. A mark is set by a compare-and-set before its announcement is sent, so an announcement is
 * made at most once across restarts and processes; an event whose end is marked is over and leaves the rules.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { idOf, num, sf } from './ids.js';
import type { ShardFilter } from './role-queue.js';

/** At most this many events not yet over per server: the engine checks them on every gain while one is under way. */
export const MAX_OPEN_XP_EVENTS = 10;

export interface NewXpEvent {
  guildId: string;
  /** Thousandths, above 1000. */
  milli: number;
  /** Wall-clock ms. */
  startsAt: number;
  endsAt: number;
  channelIds: readonly string[];
  roleIds: readonly string[];
  /** Where its start and end are announced; null = not announced. */
  announceChannelId: string | null;
  createdAt: number;
}

export interface XpEvent extends NewXpEvent {
  id: number;
  /** Wall-clock ms of a cancel; null when it was not cancelled. */
  cancelledAt: number | null;
}

/** An announcement to make: the event's start, or its end (its natural end or a cancel). */
export interface XpEventAnnouncement {
  event: XpEvent;
  kind: 'start' | 'end';
}

/** The columns an event is read from (PostgreSQL selects them under these names too). */
export const XP_EVENT_COLUMNS = ['Id', 'GuildId', 'Milli', 'StartsAt', 'EndsAt', 'AnnounceChannelId', 'CreatedAt', 'CancelledAt', 'StartAnnounced'] as const;

/** A row of either store (integers as BigInt or decimal strings) with its scope rows. */
export type XpEventRow = Record<(typeof XP_EVENT_COLUMNS)[number], unknown>;
export type XpEventScopeRow = { EventId: unknown; ItemType: string; ItemId: unknown };

export function toXpEvents(rows: readonly XpEventRow[], scopes: readonly XpEventScopeRow[]): XpEvent[] {
  const events = rows.map(
    (r): XpEvent => ({
      id: num(r.Id),
      guildId: idOf(r.GuildId),
      milli: num(r.Milli),
      startsAt: num(r.StartsAt),
      endsAt: num(r.EndsAt),
      channelIds: [],
      roleIds: [],
      announceChannelId: r.AnnounceChannelId === null ? null : idOf(r.AnnounceChannelId),
      createdAt: num(r.CreatedAt),
      cancelledAt: r.CancelledAt === null ? null : num(r.CancelledAt),
    }),
  );
  const byId = new Map(events.map((e) => [e.id, e]));
  for (const s of scopes) {
    const e = byId.get(num(s.EventId));
    if (e) (s.ItemType === 'channel' ? (e.channelIds as string[]) : (e.roleIds as string[])).push(idOf(s.ItemId));
  }
  for (const e of events) {
    (e.channelIds as string[]).sort(byIdValue);
    (e.roleIds as string[]).sort(byIdValue);
  }
  return events;
}

function byIdValue(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Which announcement a row is due for at `now`: the end once it is over, else the start once it has begun. */
export function dueKind(r: XpEventRow, now: number): 'start' | 'end' | null {
  if (num(r.EndsAt) <= now) return 'end';
  return num(r.StartAnnounced) === 0 && num(r.StartsAt) <= now ? 'start' : null;
}

const SHARD = '((GuildId >> 22) % ?) IN (SELECT value FROM json_each(?))';

export class XpEventStore {
  private readonly q: Record<string, Statement>;
  private readonly createTx: (e: NewXpEvent) => number | null;
  private readonly cancelTx: (guildId: string, id: number, now: number) => { event: XpEvent; wasRunning: boolean } | null;

  constructor(db: Db) {
    const prep = (sql: string) => db.prepare(sql).safeIntegers(true);
    const cols = XP_EVENT_COLUMNS.join(', ');
    this.q = {
      open: prep('SELECT COUNT(*) AS n FROM XpEvent WHERE GuildId = ? AND EndAnnounced = 0 AND EndsAt > ?'),
      insert: prep('INSERT INTO XpEvent (GuildId, Milli, StartsAt, EndsAt, AnnounceChannelId, CreatedAt) VALUES (?, ?, ?, ?, ?, ?)'),
      scope: prep('INSERT OR IGNORE INTO XpEventScope (EventId, GuildId, ItemType, ItemId) VALUES (?, ?, ?, ?)'),
      list: prep(`SELECT ${cols} FROM XpEvent WHERE GuildId = ? AND EndAnnounced = 0 AND EndsAt > ? ORDER BY StartsAt, Id`),
      listScopes: prep(`SELECT s.EventId, s.ItemType, s.ItemId FROM XpEventScope s JOIN XpEvent e ON e.Id = s.EventId
        WHERE s.GuildId = ? AND e.EndAnnounced = 0`),
      one: prep(`SELECT ${cols} FROM XpEvent WHERE GuildId = ? AND Id = ?`),
      oneScopes: prep('SELECT EventId, ItemType, ItemId FROM XpEventScope WHERE EventId = ?'),
      cancel: prep('UPDATE XpEvent SET CancelledAt = ?, EndsAt = min(EndsAt, ?) WHERE Id = ?'),
      // A cancel before the start: nothing was announced and nothing will be.
      unannounce: prep('UPDATE XpEvent SET StartAnnounced = 1, EndAnnounced = 1 WHERE Id = ?'),
      due: prep(`SELECT ${cols} FROM XpEvent WHERE EndAnnounced = 0 AND (EndsAt <= ? OR (StartAnnounced = 0 AND StartsAt <= ?))
        AND ${SHARD} ORDER BY Id`),
      dueScopes: prep('SELECT EventId, ItemType, ItemId FROM XpEventScope WHERE EventId IN (SELECT value FROM json_each(?))'),
      markStart: prep('UPDATE XpEvent SET StartAnnounced = 1 WHERE Id = ? AND StartAnnounced = 0 AND EndAnnounced = 0'),
      // An event that ended unannounced (while the bot was stopped) gets only its end announced.
      markEnd: prep('UPDATE XpEvent SET StartAnnounced = 1, EndAnnounced = 1 WHERE Id = ? AND EndAnnounced = 0'),
    };
    this.createTx = db.transaction((e: NewXpEvent) => {
      const open = num((this.q.open!.get(sf(e.guildId), e.createdAt) as { n: bigint }).n);
      if (open >= MAX_OPEN_XP_EVENTS) return null;
      const announce = e.announceChannelId === null ? null : sf(e.announceChannelId);
      const id = num(this.q.insert!.run(sf(e.guildId), e.milli, e.startsAt, e.endsAt, announce, e.createdAt).lastInsertRowid);
      for (const c of e.channelIds) this.q.scope!.run(id, sf(e.guildId), 'channel', sf(c));
      for (const r of e.roleIds) this.q.scope!.run(id, sf(e.guildId), 'role', sf(r));
      return id;
    });
    this.cancelTx = db.transaction((guildId: string, id: number, now: number) => {
      const event = this.get(guildId, id);
      if (!event || event.endsAt <= now || event.cancelledAt !== null) return null;
      const wasRunning = event.startsAt <= now;
      this.q.cancel!.run(now, now, id);
      if (!wasRunning) this.q.unannounce!.run(id);
      return { event: { ...event, endsAt: Math.min(event.endsAt, now), cancelledAt: now }, wasRunning };
    });
  }

  /** The new event's id; null when the server already has `MAX_OPEN_XP_EVENTS` events not yet over. */
  create(e: NewXpEvent): number | null {
    return this.createTx(e);
  }

  /** The server's events not yet over at `now`, running or scheduled, by start. */
  list(guildId: string, now: number): XpEvent[] {
    const g = sf(guildId);
    return toXpEvents(this.q.list!.all(g, now) as XpEventRow[], this.q.listScopes!.all(g) as XpEventScopeRow[]);
  }

  get(guildId: string, id: number): XpEvent | null {
    const r = this.q.one!.get(sf(guildId), id) as XpEventRow | undefined;
    return r ? toXpEvents([r], this.q.oneScopes!.all(id) as XpEventScopeRow[])[0]! : null;
  }

  /**
   * Ends an event now (DESIGN §15.5): one still running ends at `now` and its end is announced like a natural one;
   * one not started yet is dropped unannounced. Null when the server has no such event not yet over.
   */
  cancel(guildId: string, id: number, now: number): { event: XpEvent; wasRunning: boolean } | null {
    return this.cancelTx(guildId, id, now);
  }

  /** Announcements due at `now` in the guilds of these shards, oldest event first. */
  due(now: number, shards: ShardFilter): XpEventAnnouncement[] {
    const rows = this.q.due!.all(now, now, shards.count, JSON.stringify(shards.ids)) as XpEventRow[];
    if (rows.length === 0) return [];
    const scopes = this.q.dueScopes!.all(JSON.stringify(rows.map((r) => num(r.Id)))) as XpEventScopeRow[];
    const events = toXpEvents(rows, scopes);
    return events.map((event, i) => ({ event, kind: dueKind(rows[i]!, now)! }));
  }

  /** Claims an announcement: true for the one caller that may send it (nobody else ever will). */
  claim(id: number, kind: 'start' | 'end'): boolean {
    return (kind === 'start' ? this.q.markStart! : this.q.markEnd!).run(id).changes > 0;
  }
}
