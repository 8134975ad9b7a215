/** XP decay's tables on PostgreSQL (DESIGN §15.4; the SQLite twin and the row semantics are in `../decay.ts`). */
import type { DecayChange, DecayMember } from '../../engine/decay.js';
import { SOURCE_CODE } from '../../engine/history.js';
import { idOf, num } from '../ids.js';
import { patchColumns, toDecayMember, toRunState, type DecayDue, type DecayPolicyPatch, type DecayReads, type DecayRunState, type DecayWrites, type MemberRow, type RunRow } from '../decay.js';
import type { ShardFilter } from '../role-queue.js';
import type { Port } from '../ports.js';
import { withRetry, type PgPool } from './pool.js';
import { changes, one, rows, wholeArray } from './sql.js';
import { queueRoles } from './role-queue.js';

export class PgDecayReads implements Port<DecayReads> {
  constructor(private readonly pool: PgPool) {}

  async members(guildId: string, afterId: string, limit: number): Promise<DecayMember[]> {
    const r = await rows<MemberRow>(
      this.pool,
      'SELECT UserId AS "UserId", Xp AS "Xp", LastEarnedDay AS "LastEarnedDay", HasLeft AS "HasLeft" FROM UserXpStats WHERE GuildId = $1 AND UserId > $2 ORDER BY UserId LIMIT $3',
      [guildId, afterId, limit],
    );
    return r.map(toDecayMember);
  }

  async exemptRoles(guildId: string): Promise<string[]> {
    return (await rows<{ r: string }>(this.pool, 'SELECT RoleId AS r FROM XpDecayExemptRole WHERE GuildId = $1 ORDER BY RoleId', [guildId])).map((x) => idOf(x.r));
  }

  async run(guildId: string): Promise<DecayRunState | null> {
    return toRunState(
      await one<RunRow>(this.pool, 'SELECT DoneDay AS "DoneDay", RunDay AS "RunDay", Cursor AS "Cursor", Decayed AS "Decayed", XpLost AS "XpLost" FROM XpDecayRun WHERE GuildId = $1', [guildId]),
    );
  }

  async due(shards: ShardFilter, day: number): Promise<DecayDue[]> {
    const r = await rows<{ g: string; d: number | null }>(
      this.pool,
      `SELECT s.GuildId AS g, r.RunDay AS d FROM XpSettings s LEFT JOIN XpDecayRun r ON r.GuildId = s.GuildId
       WHERE s.DecayEnabled = 1 AND (s.GuildId >> 22) % $1 = ANY($2::int[]) AND (r.RunDay IS NOT NULL OR r.DoneDay IS NULL OR r.DoneDay < $3)
       ORDER BY s.GuildId`,
      [shards.count, shards.ids, day],
    );
    return r.map((x) => ({ guildId: idOf(x.g), runDay: x.d === null ? null : num(x.d) }));
  }
}

export class PgDecayWrites implements Port<DecayWrites> {
  constructor(private readonly pool: PgPool) {}

  savePolicy(guildId: string, patch: DecayPolicyPatch, today: number): Promise<boolean> {
    return withRetry(this.pool, async (c) => {
      await c.query('INSERT INTO XpSettings (GuildId) VALUES ($1) ON CONFLICT DO NOTHING', [guildId]);
      // The row lock orders two saves of one server, so "was it on" is read once per change.
      const row = await one<{ e: number }>(c, 'SELECT DecayEnabled AS e FROM XpSettings WHERE GuildId = $1 FOR UPDATE', [guildId]);
      const wasOn = (row?.e ?? 0) !== 0;
      const p: DecayPolicyPatch = { ...patch };
      if (p.decayEnabled === true && !wasOn) {
        p.decaySinceDay = today;
        await c.query('UPDATE XpDecayRun SET DoneDay = NULL, RunDay = NULL WHERE GuildId = $1', [guildId]);
      }
      if (p.decayEnabled === false) await c.query('UPDATE XpDecayRun SET RunDay = NULL WHERE GuildId = $1', [guildId]);
      const { columns, values } = patchColumns(p);
      if (columns.length > 0) {
        await c.query(`UPDATE XpSettings SET ${columns.map((col, i) => `${col} = $${i + 2}`).join(', ')} WHERE GuildId = $1`, [guildId, ...values]);
      }
      return wasOn;
    });
  }

  async setExempt(guildId: string, roleId: string, exempt: boolean): Promise<boolean> {
    const sql = exempt
      ? 'INSERT INTO XpDecayExemptRole (GuildId, RoleId) VALUES ($1, $2) ON CONFLICT DO NOTHING'
      : 'DELETE FROM XpDecayExemptRole WHERE GuildId = $1 AND RoleId = $2';
    return (await changes(this.pool, sql, [guildId, roleId])) > 0;
  }

  async claim(guildId: string, day: number, at: number): Promise<boolean> {
    // One statement: a concurrent claim waits on the row and re-checks the condition on what the first wrote.
    const sql = `INSERT INTO XpDecayRun (GuildId, RunDay, Cursor, Decayed, XpLost, UpdatedAt) VALUES ($1, $2, 0, 0, 0, $3)
      ON CONFLICT (GuildId) DO UPDATE SET RunDay = excluded.RunDay, Cursor = 0, Decayed = 0, XpLost = 0, UpdatedAt = excluded.UpdatedAt
      WHERE XpDecayRun.RunDay IS NULL AND (XpDecayRun.DoneDay IS NULL OR XpDecayRun.DoneDay < excluded.RunDay)`;
    return (await changes(this.pool, sql, [guildId, day, at])) > 0;
  }

  applyChunk(guildId: string, day: number, fromCursor: string, toCursor: string, list: readonly DecayChange[], at: number): Promise<string[] | null> {
    // Idempotent: run again after a COMMIT whose answer was lost, the cursor has moved and nothing is written twice.
    return withRetry(
      this.pool,
      async (c): Promise<string[] | null> => {
        const run = await one<{ cursor: string }>(c, 'SELECT Cursor AS cursor FROM XpDecayRun WHERE GuildId = $1 AND RunDay = $2 FOR UPDATE', [guildId, day]);
        if (!run || String(run.cursor) !== fromCursor) return null;
        // Only from the XP the job read: a total that moved since (a flush, an erasure) is left alone.
        const decayed = await rows<{ u: string; d: string }>(
          c,
          `WITH ch AS (SELECT * FROM UNNEST($2::bigint[], $3::bigint[], $4::bigint[]) AS t(u, f, n) ORDER BY u)
           UPDATE UserXpStats s SET Xp = ch.n FROM ch WHERE s.GuildId = $1 AND s.UserId = ch.u AND s.Xp = ch.f
           RETURNING s.UserId AS u, ch.n - ch.f AS d`,
          [guildId, wholeArray(list.map((x) => x.userId)), wholeArray(list.map((x) => x.fromXp)), wholeArray(list.map((x) => x.toXp))],
        );
        const done = decayed.map((x) => idOf(x.u)).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
        const delta = new Map(decayed.map((x) => [idOf(x.u), num(x.d)]));
        const users = wholeArray(done);
        const deltas = wholeArray(done.map((u) => delta.get(u)!));
        if (done.length > 0) {
          await c.query('UPDATE DiscordUser d SET TotalXp = d.TotalXp + t.x FROM UNNEST($1::bigint[], $2::bigint[]) AS t(u, x) WHERE d.UserId = t.u', [users, deltas]);
          await c.query(
            `INSERT INTO XpHistoryDaily (GuildId, Day, UserId, Source, Xp)
             SELECT $1, $2, t.u, ${SOURCE_CODE.decay}, t.x FROM UNNEST($3::bigint[], $4::bigint[]) AS t(u, x) ORDER BY t.u
             ON CONFLICT (GuildId, Day, UserId, Source) DO UPDATE SET Xp = XpHistoryDaily.Xp + excluded.Xp`,
            [guildId, day, users, deltas],
          );
        }
        const byUser = new Map(list.map((x) => [x.userId, x]));
        for (const u of done) await queueRoles(c, guildId, u, byUser.get(u)!.roles, 'level', at);
        const lost = -[...delta.values()].reduce((a, b) => a + b, 0);
        await c.query('UPDATE XpDecayRun SET Cursor = $1, Decayed = Decayed + $2, XpLost = XpLost + $3, UpdatedAt = $4 WHERE GuildId = $5', [toCursor, done.length, lost, at, guildId]);
        return done;
      },
      { idempotent: true },
    );
  }

  async finish(guildId: string, day: number, at: number): Promise<void> {
    await this.pool.query('UPDATE XpDecayRun SET DoneDay = RunDay, RunDay = NULL, UpdatedAt = $1 WHERE GuildId = $2 AND RunDay = $3', [at, guildId, day]);
  }
}
