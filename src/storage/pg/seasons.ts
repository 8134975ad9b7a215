/**
 * Seasons on PostgreSQL (DESIGN §15.3; the SQLite twin and the step semantics are in `../seasons.ts`). Every step
 * locks the season's row first (SELECT … FOR UPDATE), so processes sharing the database move a season through a
 * step one at a time, and the second finds the step done.
 */
import type { Port } from '../ports.js';
import type { ShardFilter } from '../role-queue.js';
import { CURSOR_START_XP, toStanding, type ArchiveStep, type SeasonReads, type SeasonWrites, type StartResult } from '../seasons.js';
import { periodId, SEASON } from '../../engine/calendar.js';
import { periodRelation } from '../period-slots.js';
import { SEASON_COLUMNS, seasonSummary, SUMMARY_TOP, toSeason, winnerRoleChanges, type NewSeason, type Season, type SeasonRow, type SeasonSummary, type Standing } from '../../seasons/season.js';
import { num } from '../ids.js';
import { withRetry, type PgClient, type PgPool } from './pool.js';
import { cols, one, rows, type Queryable } from './sql.js';
import { queueRoles } from './role-queue.js';
import { enqueueWebhook } from './webhook-outbox.js';

const ROW = cols(SEASON_COLUMNS);
/** A season's rows from the members' season slots (DESIGN §15.2), as the archive's two statements bind them. */
const SEASON_ROWS = periodRelation(periodId(SEASON, 0), '$1', '$4::integer');
const LEFT_SEASON_ROWS = periodRelation(periodId(SEASON, 0), '$2', '$3::integer');
type StandingRow = { UserId: string; Xp: string; Rank: string | null };
const STANDING = 'UserId AS "UserId", Xp AS "Xp", Rank AS "Rank"';

async function locked(c: PgClient, id: number): Promise<(Season & { cursorXp: string | null; cursorUser: string | null }) | null> {
  const r = await one<SeasonRow & { CursorXp: string | null; CursorUser: string | null }>(
    c,
    `SELECT ${ROW}, CursorXp AS "CursorXp", CursorUser AS "CursorUser" FROM XpSeason WHERE Id = $1 FOR UPDATE`,
    [id],
  );
  return r ? { ...toSeason(r), cursorXp: r.CursorXp, cursorUser: r.CursorUser } : null;
}

async function insert(c: Queryable, s: NewSeason): Promise<Season> {
  const r = await one<SeasonRow>(
    c,
    `INSERT INTO XpSeason (GuildId, Number, Name, StartsAt, EndsAt, Rollover, WinnerCount, WinnerRoleId, ResetLevels, ChannelId, StartedBy)
     SELECT $1::bigint, COALESCE(MAX(Number), 0) + 1, $2::text, $3::bigint, $4::bigint, $5::text, $6::int, $7::bigint, $8::smallint, $9::bigint, $10::bigint
     FROM XpSeason WHERE GuildId = $1 RETURNING ${ROW}`,
    [s.guildId, s.name, s.startsAt, s.endsAt, s.rollover, s.winnerCount, s.winnerRoleId, s.resetLevels ? 1 : 0, s.channelId, s.startedBy],
  );
  return toSeason(r!);
}

/** A guild's seasons start one at a time: a transaction-scoped advisory lock on the guild serialises `start`. */
const START_LOCK = 0x5ea5;

export class PgSeasonWrites implements Port<SeasonWrites> {
  constructor(private readonly pool: PgPool) {}

  start(s: NewSeason): Promise<StartResult> {
    return withRetry(this.pool, async (c): Promise<StartResult> => {
      await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [START_LOCK, s.guildId]);
      const running = await one<SeasonRow>(c, `SELECT ${ROW} FROM XpSeason WHERE GuildId = $1 AND State = 'running' ORDER BY Id DESC LIMIT 1`, [s.guildId]);
      if (running) return { season: null, running: toSeason(running) };
      return { season: await insert(c, s), running: null };
    });
  }

  async endNow(guildId: string, at: number): Promise<Season | null> {
    const r = await one<SeasonRow>(this.pool, `UPDATE XpSeason SET EndsAt = least(EndsAt, $1), Rollover = 'none' WHERE GuildId = $2 AND State = 'running' RETURNING ${ROW}`, [at, guildId]);
    return r ? toSeason(r) : null;
  }

  async cancel(guildId: string, at: number): Promise<Season | null> {
    const r = await one<SeasonRow>(this.pool, `UPDATE XpSeason SET State = 'cancelled', ClosedAt = $1 WHERE GuildId = $2 AND State = 'running' RETURNING ${ROW}`, [at, guildId]);
    return r ? toSeason(r) : null;
  }

  async claim(id: number, holder: string, at: number, leaseMs: number): Promise<Season | null> {
    const until = at + leaseMs;
    const r = await one<SeasonRow>(
      this.pool,
      `UPDATE XpSeason SET ClosedBy = $2, LeaseUntil = $4
       WHERE Id = $1 AND State NOT IN ('closed', 'cancelled') AND (State <> 'running' OR EndsAt <= $3)
         AND (LeaseUntil IS NULL OR LeaseUntil <= $3 OR LeaseUntil > $4 OR ClosedBy = $2)
       RETURNING ${ROW}`,
      [id, holder, at, until],
    );
    return r ? toSeason(r) : null;
  }

  beginClose(id: number, successor: NewSeason | null): Promise<boolean> {
    return withRetry(this.pool, async (c) => {
      const s = await locked(c, id);
      if (!s || s.state !== 'running') return false;
      await c.query(`UPDATE XpSeason SET State = 'closing' WHERE Id = $1`, [id]);
      if (successor) await insert(c, successor);
      return true;
    });
  }

  archiveChunk(id: number, limit: number): Promise<ArchiveStep> {
    return withRetry(this.pool, async (c): Promise<ArchiveStep> => {
      const s = await locked(c, id);
      if (!s || s.state !== 'closing') return { ranked: s?.ranked ?? 0, done: true };
      const period = periodId(SEASON, id);
      const r = (await one<{ n: string; sum: string; u: string | null; x: string | null }>(
        c,
        `WITH ins AS (
           INSERT INTO XpSeasonStanding (GuildId, SeasonId, UserId, Xp, Rank)
           SELECT $1::bigint, $2::bigint, UserId, Xp, $3::bigint + row_number() OVER (ORDER BY Xp DESC, UserId) FROM (
             SELECT UserId, Xp FROM ${SEASON_ROWS} r WHERE HasLeft = 0 AND (Xp < $5 OR (Xp = $5 AND UserId > $6))
             ORDER BY Xp DESC, UserId LIMIT $7) c
           RETURNING Rank, UserId, Xp)
         SELECT COUNT(*) AS n, COALESCE(SUM(Xp), 0) AS sum,
           (SELECT UserId FROM ins ORDER BY Rank DESC LIMIT 1) AS u, (SELECT Xp FROM ins ORDER BY Rank DESC LIMIT 1) AS x FROM ins`,
        [s.guildId, id, s.ranked, period, s.cursorXp ?? String(CURSOR_START_XP), s.cursorUser ?? '0', limit],
      ))!;
      const n = num(r.n);
      const ranked = s.ranked + n;
      if (n > 0) await c.query('UPDATE XpSeason SET Ranked = $1, CursorXp = $2, CursorUser = $3, TotalXp = TotalXp + $4 WHERE Id = $5', [ranked, r.x, r.u, r.sum, id]);
      if (n === limit) return { ranked, done: false };
      const left = (await one<{ n: string; sum: string }>(
        c,
        `WITH ins AS (INSERT INTO XpSeasonStanding (GuildId, SeasonId, UserId, Xp, Rank)
           SELECT $2::bigint, $1::bigint, UserId, Xp, NULL::bigint FROM ${LEFT_SEASON_ROWS} r
             WHERE NOT EXISTS (SELECT 1 FROM XpSeasonStanding x WHERE x.GuildId = $2 AND x.SeasonId = $1 AND x.UserId = r.UserId) RETURNING Xp)
         SELECT COUNT(*) AS n, COALESCE(SUM(Xp), 0) AS sum FROM ins`,
        [id, s.guildId, period],
      ))!;
      await c.query(`UPDATE XpSeason SET State = 'archived', LeftMembers = $1, TotalXp = TotalXp + $2 WHERE Id = $3`, [left.n, left.sum, id]);
      return { ranked, done: true };
    });
  }

  queueWinners(id: number, at: number): Promise<SeasonSummary | null> {
    return withRetry(this.pool, async (c): Promise<SeasonSummary | null> => {
      const s = await locked(c, id);
      if (!s || s.state !== 'archived') return null;
      const top = (seasonId: number, k: number) =>
        rows<StandingRow>(c, `SELECT ${STANDING} FROM XpSeasonStanding WHERE GuildId = $1 AND SeasonId = $2 AND Rank IS NOT NULL ORDER BY Rank LIMIT $3`, [s.guildId, seasonId, k]);
      const winnersOf = async (x: Season) => (x.winnerRoleId && x.winnerCount > 0 ? (await top(x.id, x.winnerCount)).map((r) => r.UserId) : []);
      const prevRow = await one<SeasonRow>(
        c,
        `SELECT ${ROW} FROM XpSeason WHERE GuildId = $1 AND Number < $2 AND State IN ('rolesqueued', 'closed') ORDER BY Number DESC LIMIT 1`,
        [s.guildId, s.number],
      );
      const prev = prevRow ? toSeason(prevRow) : null;
      const winners = await winnersOf(s);
      const changes = winnerRoleChanges({ roleId: prev?.winnerRoleId ?? null, userIds: prev ? await winnersOf(prev) : [] }, { roleId: s.winnerRoleId, userIds: winners });
      const removedFrom: string[] = [];
      for (const [userId, roles] of changes) {
        await queueRoles(c, s.guildId, userId, roles, 'season', at);
        if (roles.remove.length > 0) removedFrom.push(userId);
      }
      const summary = seasonSummary(s, (await top(id, SUMMARY_TOP)).map(toStanding), winners, removedFrom);
      await enqueueWebhook(c, s.guildId, 'season_closed', summary as unknown as Record<string, unknown>, at);
      await c.query(`UPDATE XpSeason SET State = 'rolesqueued' WHERE Id = $1`, [id]);
      return summary;
    });
  }

  async advanceReset(id: number, cursor: string): Promise<void> {
    await this.pool.query(`UPDATE XpSeason SET ResetCursor = $1 WHERE Id = $2 AND State = 'rolesqueued'`, [cursor, id]);
  }

  async finish(id: number, at: number): Promise<boolean> {
    const r = await this.pool.query(`UPDATE XpSeason SET State = 'closed', ClosedAt = $1, ClosedBy = NULL, LeaseUntil = NULL WHERE Id = $2 AND State = 'rolesqueued'`, [at, id]);
    return (r.rowCount ?? 0) > 0;
  }
}

export class PgSeasonReads implements Port<SeasonReads> {
  constructor(private readonly pool: PgPool) {}

  async get(id: number): Promise<Season | null> {
    const r = await one<SeasonRow>(this.pool, `SELECT ${ROW} FROM XpSeason WHERE Id = $1`, [id]);
    return r ? toSeason(r) : null;
  }

  async running(guildId: string): Promise<Season | null> {
    const r = await one<SeasonRow>(this.pool, `SELECT ${ROW} FROM XpSeason WHERE GuildId = $1 AND State = 'running' ORDER BY Id DESC LIMIT 1`, [guildId]);
    return r ? toSeason(r) : null;
  }

  async list(guildId: string, offset: number, limit: number): Promise<{ seasons: Season[]; total: number }> {
    const [list, count] = await Promise.all([
      rows<SeasonRow>(this.pool, `SELECT ${ROW} FROM XpSeason WHERE GuildId = $1 AND State <> 'cancelled' ORDER BY Number DESC LIMIT $2 OFFSET $3`, [guildId, limit, offset]),
      one<{ n: string }>(this.pool, `SELECT COUNT(*) AS n FROM XpSeason WHERE GuildId = $1 AND State <> 'cancelled'`, [guildId]),
    ]);
    return { seasons: list.map(toSeason), total: num(count!.n) };
  }

  async byNumber(guildId: string, number: number): Promise<Season | null> {
    const r = await one<SeasonRow>(this.pool, `SELECT ${ROW} FROM XpSeason WHERE GuildId = $1 AND Number = $2`, [guildId, number]);
    return r ? toSeason(r) : null;
  }

  async standings(guildId: string, seasonId: number, offset: number, limit: number): Promise<Standing[]> {
    const r = await rows<StandingRow>(
      this.pool,
      `SELECT ${STANDING} FROM XpSeasonStanding WHERE GuildId = $1 AND SeasonId = $2 AND Rank IS NOT NULL ORDER BY Rank LIMIT $3 OFFSET $4`,
      [guildId, seasonId, limit, offset],
    );
    return r.map(toStanding);
  }

  async standing(guildId: string, seasonId: number, userId: string): Promise<Standing | null> {
    const r = await one<StandingRow>(this.pool, `SELECT ${STANDING} FROM XpSeasonStanding WHERE GuildId = $1 AND SeasonId = $2 AND UserId = $3`, [guildId, seasonId, userId]);
    return r ? toStanding(r) : null;
  }

  async due(shards: ShardFilter, at: number): Promise<Season[]> {
    const r = await rows<SeasonRow>(
      this.pool,
      `SELECT ${ROW} FROM XpSeason WHERE (State IN ('closing', 'archived', 'rolesqueued') OR (State = 'running' AND EndsAt <= $1))
         AND (GuildId >> 22) % $2 = ANY($3::int[]) ORDER BY EndsAt, Id`,
      [at, shards.count, shards.ids],
    );
    return r.map(toSeason);
  }

  async nextEnd(shards: ShardFilter): Promise<number | null> {
    const r = await one<{ n: string | null }>(this.pool, `SELECT MIN(EndsAt) AS n FROM XpSeason WHERE State = 'running' AND (GuildId >> 22) % $1 = ANY($2::int[])`, [shards.count, shards.ids]);
    return r?.n == null ? null : num(r.n);
  }
}
