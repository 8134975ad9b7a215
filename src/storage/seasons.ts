/**
 * Seasons on SQLite (DESIGN §15.3): starting, ending and cancelling one, and the steps of a close, each one
 * transaction that checks the step it moves from, so a step repeated after a restart (or by a second process)
 * changes nothing. The archive is written in chunks in board order with a cursor kept in the season's row; the
 * winner roles and the season_closed event are queued in the transaction that ends the archive's step.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { compareIds, idOf, num, sf } from './ids.js';
import { periodId, SEASON } from '../engine/calendar.js';
import { periodRelation } from './period-slots.js';
import { BoardScans } from './period-reads.js';
import type { PeriodScan } from '../boards/period-boards.js';
import type { RoleQueueWrites, ShardFilter } from './role-queue.js';
import type { WebhookOutbox } from './webhook-outbox.js';
import {
  SEASON_COLUMNS,
  seasonSummary,
  SUMMARY_TOP,
  toSeason,
  winnerRoleChanges,
  type NewSeason,
  type Season,
  type SeasonRow,
  type SeasonSummary,
  type Standing,
} from '../seasons/season.js';


/** A season's rows (`@guild`, `@period`): the members' season slots (DESIGN §15.2). */
const SEASON_ROWS = periodRelation(periodId(SEASON, 0), '@guild', '@period');
const COLS = SEASON_COLUMNS.join(', ');
/** Above any XP total: the archive cursor before the first member. */
export const CURSOR_START_XP = 2n ** 62n;

/** What one archive step did. */
export interface ArchiveStep {
  /** Members ranked so far. */
  ranked: number;
  /** The archive is complete (the season moved to 'archived', or was past it already). */
  done: boolean;
}

/** The outcome of `start`: the new season, or the running one that blocks it. */
export type StartResult = { season: Season; running: null } | { season: null; running: Season };

type StandingRow = { UserId: unknown; Xp: unknown; Rank: unknown };
export const toStanding = (r: StandingRow): Standing => ({ userId: idOf(r.UserId), xp: num(r.Xp), rank: r.Rank === null ? null : num(r.Rank) });

export class SeasonWrites {
  private readonly q: Record<string, Statement>;
  /** The order of the season being archived (see `archiveChunk`). */
  private order: (PeriodScan & { season: number }) | null = null;

  constructor(
    private readonly db: Db,
    private readonly roles: RoleQueueWrites,
    private readonly webhooks: WebhookOutbox,
    // The season's order for its archive: the writer's own sorted reads of period boards.
    private readonly scans: BoardScans = new BoardScans(db),
  ) {
    const prep = (sql: string) => db.prepare(sql).safeIntegers(true);
    this.q = {
      get: prep(`SELECT ${COLS} FROM XpSeason WHERE Id = ?`),
      cursorOf: prep('SELECT CursorXp, CursorUser FROM XpSeason WHERE Id = ?'),
      newestErasure: prep('SELECT COALESCE(MAX(Id), 0) AS n FROM PrivacyErasure'),
      running: prep(`SELECT ${COLS} FROM XpSeason WHERE GuildId = ? AND State = 'running' ORDER BY Id DESC LIMIT 1`),
      insert: prep(`INSERT INTO XpSeason (GuildId, Number, Name, StartsAt, EndsAt, Rollover, WinnerCount, WinnerRoleId, ResetLevels, ChannelId, StartedBy)
        SELECT @guild, COALESCE(MAX(Number), 0) + 1, @name, @startsAt, @endsAt, @rollover, @winnerCount, @winnerRoleId, @resetLevels, @channelId, @startedBy
        FROM XpSeason WHERE GuildId = @guild RETURNING ${COLS}`),
      endNow: prep(`UPDATE XpSeason SET EndsAt = min(EndsAt, ?), Rollover = 'none' WHERE GuildId = ? AND State = 'running' RETURNING ${COLS}`),
      cancel: prep(`UPDATE XpSeason SET State = 'cancelled', ClosedAt = ? WHERE GuildId = ? AND State = 'running' RETURNING ${COLS}`),
      // A lease further ahead than its length comes from a wall clock that stepped back (DESIGN §2.8): expired.
      claim: prep(`UPDATE XpSeason SET ClosedBy = @holder, LeaseUntil = @until
        WHERE Id = @id AND State NOT IN ('closed', 'cancelled') AND (State != 'running' OR EndsAt <= @at)
          AND (LeaseUntil IS NULL OR LeaseUntil <= @at OR LeaseUntil > @until OR ClosedBy = @holder)
        RETURNING ${COLS}`),
      beginClose: prep(`UPDATE XpSeason SET State = 'closing' WHERE Id = ? AND State = 'running'`),
      // One standing; a chunk's rows are written in member order (the table's key), so they land in key order.
      standing: prep('INSERT INTO XpSeasonStanding (GuildId, SeasonId, UserId, Xp, Rank) VALUES (?, ?, ?, ?, ?)'),
      cursor: prep('UPDATE XpSeason SET Ranked = ?, CursorXp = ?, CursorUser = ?, TotalXp = TotalXp + ? WHERE Id = ?'),
      // Members not ranked: those who had left (and one who left or came back while the close ran, whom no chunk
      // took: never a second row for a member ranked already).
      archiveLeft: prep(`INSERT INTO XpSeasonStanding (GuildId, SeasonId, UserId, Xp, Rank)
        SELECT @guild, @season, UserId, Xp, NULL FROM ${SEASON_ROWS} r
        WHERE NOT EXISTS (SELECT 1 FROM XpSeasonStanding x WHERE x.GuildId = @guild AND x.SeasonId = @season AND x.UserId = r.UserId) RETURNING Xp`),
      archived: prep(`UPDATE XpSeason SET State = 'archived', LeftMembers = ?, TotalXp = TotalXp + ? WHERE Id = ? AND State = 'closing'`),
      top: prep('SELECT UserId, Xp, Rank FROM XpSeasonStanding WHERE GuildId = ? AND SeasonId = ? AND Rank IS NOT NULL ORDER BY Rank LIMIT ?'),
      previous: prep(`SELECT ${COLS} FROM XpSeason WHERE GuildId = ? AND Number < ? AND State IN ('rolesqueued', 'closed') ORDER BY Number DESC LIMIT 1`),
      rolesQueued: prep(`UPDATE XpSeason SET State = 'rolesqueued' WHERE Id = ? AND State = 'archived'`),
      resetCursor: prep(`UPDATE XpSeason SET ResetCursor = ? WHERE Id = ? AND State = 'rolesqueued'`),
      finish: prep(`UPDATE XpSeason SET State = 'closed', ClosedAt = ?, ClosedBy = NULL, LeaseUntil = NULL WHERE Id = ? AND State = 'rolesqueued'`),
    };
  }

  private season(id: number): Season | null {
    const r = this.q.get!.get(id) as SeasonRow | undefined;
    return r ? toSeason(r) : null;
  }

  private insert(s: NewSeason): Season {
    return toSeason(
      this.q.insert!.get({
        guild: sf(s.guildId),
        name: s.name,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        rollover: s.rollover,
        winnerCount: s.winnerCount,
        winnerRoleId: s.winnerRoleId === null ? null : sf(s.winnerRoleId),
        resetLevels: s.resetLevels ? 1 : 0,
        channelId: s.channelId === null ? null : sf(s.channelId),
        startedBy: s.startedBy === null ? null : sf(s.startedBy),
      }) as SeasonRow,
    );
  }

  /** Starts a season, unless one is running in the guild (one at a time). */
  start(s: NewSeason): StartResult {
    return this.db
      .transaction((): StartResult => {
        const running = this.q.running!.get(sf(s.guildId)) as SeasonRow | undefined;
        if (running) return { season: null, running: toSeason(running) };
        return { season: this.insert(s), running: null };
      })
      .immediate();
  }

  /** Ends the running season at `at` (or its own end, if that is earlier) with no successor; null without one. */
  endNow(guildId: string, at: number): Season | null {
    const r = this.q.endNow!.get(at, sf(guildId)) as SeasonRow | undefined;
    return r ? toSeason(r) : null;
  }

  /** Cancels the running season: no standings, no winners; null without one. */
  cancel(guildId: string, at: number): Season | null {
    const r = this.q.cancel!.get(at, sf(guildId)) as SeasonRow | undefined;
    return r ? toSeason(r) : null;
  }

  /**
   * Takes (or renews) the close of a season that has ended for `leaseMs`: null when it is not to be closed (closed,
   * cancelled, not ended yet) or another process holds it.
   */
  claim(id: number, holder: string, at: number, leaseMs: number): Season | null {
    const r = this.q.claim!.get({ id, holder, at, until: at + leaseMs }) as SeasonRow | undefined;
    return r ? toSeason(r) : null;
  }

  /** running → closing; a rollover season's successor starts in the same transaction. False: it had moved already. */
  beginClose(id: number, successor: NewSeason | null): boolean {
    return this.db
      .transaction(() => {
        if (this.q.beginClose!.run(id).changes === 0) return false;
        if (successor) this.insert(successor);
        return true;
      })
      .immediate();
  }

  /**
   * The season's order, read again after an erasure since it was read: an erased member's row is gone, and a chunk
   * taking them from the order kept would write their line back (DESIGN §13).
   */
  private seasonOrder(guildId: string, id: number): PeriodScan {
    const erasure = num((this.q.newestErasure!.get() as { n: bigint }).n);
    if (this.order?.season !== id || this.order.erasure !== erasure) this.order = { season: id, ...this.scans.scan(guildId, periodId(SEASON, id)) };
    return this.order;
  }

  /**
   * Archives the next `limit` members in board order (one transaction with the cursor); when none are left, the
   * members who had left are archived unranked and the season moves to 'archived'.
   */
  archiveChunk(id: number, limit: number): ArchiveStep {
    return this.db
      .transaction((): ArchiveStep => {
        const s = this.season(id);
        if (!s || s.state !== 'closing') return { ranked: s?.ranked ?? 0, done: true };
        const g = sf(s.guildId);
        const period = periodId(SEASON, id);
        const row = this.q.cursorOf!.get(id) as { CursorXp: bigint | null; CursorUser: bigint | null };
        // The season's order is read once per close (a sorted scan of the server's season slots, which have no
        // index: DESIGN §15.2) and kept for its chunks; the cursor (Xp, UserId) says where the next one starts, so
        // a close continued after a restart, or by another process, reads the order again and goes on from there.
        const order = this.seasonOrder(s.guildId, id);
        const from = after(order, Number(row.CursorXp ?? CURSOR_START_XP), row.CursorUser ?? 0n);
        const to = Math.min(from + limit, order.users.length);
        const chunk = Array.from({ length: to - from }, (_, k) => from + k).sort((a, b) => compareIds(order.users[a]!, order.users[b]!));
        let sum = 0;
        for (const i of chunk) {
          this.q.standing!.run(g, id, order.users[i], order.xp[i], s.ranked + 1 + i - from);
          sum += order.xp[i]!;
        }
        const n = to - from;
        const ranked = s.ranked + n;
        if (n > 0) this.q.cursor!.run(ranked, order.xp[to - 1], order.users[to - 1], sum, id);
        if (n === limit) return { ranked, done: false };
        this.order = null;
        const left = this.q.archiveLeft!.all({ season: id, guild: g, period }) as { Xp: bigint }[];
        this.q.archived!.run(left.length, left.reduce((a, r) => a + r.Xp, 0n), id);
        return { ranked, done: true };
      })
      .immediate();
  }

  /**
   * archived → rolesqueued: the winner roles (taken from the last season's winners first) and the season_closed
   * event, in one transaction with the step, so each is queued exactly once. Null: the step was done already.
   */
  queueWinners(id: number, at: number): SeasonSummary | null {
    return this.db
      .transaction((): SeasonSummary | null => {
        const s = this.season(id);
        if (!s || s.state !== 'archived') return null;
        const g = sf(s.guildId);
        const prevRow = this.q.previous!.get(g, s.number) as SeasonRow | undefined;
        const prev = prevRow ? toSeason(prevRow) : null;
        const winnersOf = (x: Season) => (x.winnerRoleId && x.winnerCount > 0 ? (this.q.top!.all(g, x.id, x.winnerCount) as StandingRow[]).map((r) => idOf(r.UserId)) : []);
        const winners = winnersOf(s);
        const changes = winnerRoleChanges({ roleId: prev?.winnerRoleId ?? null, userIds: prev ? winnersOf(prev) : [] }, { roleId: s.winnerRoleId, userIds: winners });
        const removedFrom: string[] = [];
        for (const [userId, roles] of changes) {
          this.roles.queue(s.guildId, userId, roles, 'season', at);
          if (roles.remove.length > 0) removedFrom.push(userId);
        }
        const summary = seasonSummary(s, (this.q.top!.all(g, id, SUMMARY_TOP) as StandingRow[]).map(toStanding), winners, removedFrom);
        this.webhooks.enqueue(s.guildId, 'season_closed', summary as unknown as Record<string, unknown>, at);
        this.q.rolesQueued!.run(id);
        return summary;
      })
      .immediate();
  }

  /** The reset of levels has done every member up to `cursor` (DESIGN §15.3). */
  advanceReset(id: number, cursor: string): void {
    this.q.resetCursor!.run(sf(cursor), id);
  }

  /** rolesqueued → closed. */
  finish(id: number, at: number): boolean {
    return this.q.finish!.run(at, id).changes > 0;
  }
}

export class SeasonReads {
  private readonly q: Record<string, Statement>;

  constructor(db: Db) {
    const prep = (sql: string) => db.prepare(sql).safeIntegers(true);
    const shards = '((GuildId >> 22) % ?) IN (SELECT value FROM json_each(?))';
    this.q = {
      get: prep(`SELECT ${COLS} FROM XpSeason WHERE Id = ?`),
      running: prep(`SELECT ${COLS} FROM XpSeason WHERE GuildId = ? AND State = 'running' ORDER BY Id DESC LIMIT 1`),
      list: prep(`SELECT ${COLS} FROM XpSeason WHERE GuildId = ? AND State != 'cancelled' ORDER BY Number DESC LIMIT ? OFFSET ?`),
      count: prep(`SELECT COUNT(*) AS n FROM XpSeason WHERE GuildId = ? AND State != 'cancelled'`),
      byNumber: prep(`SELECT ${COLS} FROM XpSeason WHERE GuildId = ? AND Number = ?`),
      standings: prep('SELECT UserId, Xp, Rank FROM XpSeasonStanding WHERE GuildId = ? AND SeasonId = ? AND Rank IS NOT NULL ORDER BY Rank LIMIT ? OFFSET ?'),
      standing: prep('SELECT UserId, Xp, Rank FROM XpSeasonStanding WHERE GuildId = ? AND SeasonId = ? AND UserId = ?'),
      due: prep(`SELECT ${COLS} FROM XpSeason WHERE (State IN ('closing', 'archived', 'rolesqueued') OR (State = 'running' AND EndsAt <= ?)) AND ${shards}
        ORDER BY EndsAt, Id`),
      nextEnd: prep(`SELECT MIN(EndsAt) AS n FROM XpSeason WHERE State = 'running' AND ${shards}`),
    };
  }

  get(id: number): Season | null {
    const r = this.q.get!.get(id) as SeasonRow | undefined;
    return r ? toSeason(r) : null;
  }

  running(guildId: string): Season | null {
    const r = this.q.running!.get(sf(guildId)) as SeasonRow | undefined;
    return r ? toSeason(r) : null;
  }

  /** The guild's seasons, newest first (cancelled ones left out), and how many there are. */
  list(guildId: string, offset: number, limit: number): { seasons: Season[]; total: number } {
    const g = sf(guildId);
    return { seasons: (this.q.list!.all(g, limit, offset) as SeasonRow[]).map(toSeason), total: num((this.q.count!.get(g) as { n: bigint }).n) };
  }

  byNumber(guildId: string, number: number): Season | null {
    const r = this.q.byNumber!.get(sf(guildId), number) as SeasonRow | undefined;
    return r ? toSeason(r) : null;
  }

  /** Ranked archived lines, in rank order. */
  standings(guildId: string, seasonId: number, offset: number, limit: number): Standing[] {
    return (this.q.standings!.all(sf(guildId), seasonId, limit, offset) as StandingRow[]).map(toStanding);
  }

  standing(guildId: string, seasonId: number, userId: string): Standing | null {
    const r = this.q.standing!.get(sf(guildId), seasonId, sf(userId)) as StandingRow | undefined;
    return r ? toStanding(r) : null;
  }

  /** Seasons of these shards that have ended and are not closed yet, oldest end first. */
  due(shards: ShardFilter, at: number): Season[] {
    return (this.q.due!.all(at, shards.count, JSON.stringify(shards.ids)) as SeasonRow[]).map(toSeason);
  }

  /** The earliest end of a running season in these shards, or null. */
  nextEnd(shards: ShardFilter): number | null {
    const n = (this.q.nextEnd!.get(shards.count, JSON.stringify(shards.ids)) as { n: bigint | null }).n;
    return n === null ? null : num(n);
  }
}

/** The first index of a board-ordered scan after the key (xp, user): lower XP, or the same XP and a higher id. */
function after(order: PeriodScan, xp: number, user: bigint): number {
  let lo = 0;
  let hi = order.users.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = order.xp[mid]!;
    if (x > xp || (x === xp && order.users[mid]! <= user)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

