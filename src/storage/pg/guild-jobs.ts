/** Passes over a server on PostgreSQL (DESIGN §2.7.1; the SQLite twin and the row semantics are in `../guild-jobs.ts`). */
import type { RoleChangeCause } from '../../engine/ports.js';
import { GUILD_JOB_COLUMNS, toJob, type GuildJob, type GuildJobCounts, type GuildJobKind, type GuildJobReads, type GuildJobRow, type GuildJobWrites, type MemberRoleChanges, type NewGuildJob } from '../guild-jobs.js';
import type { ShardFilter } from '../role-queue.js';
import type { Port } from '../ports.js';
import { withRetry, type PgPool } from './pool.js';
import { changes, cols, one, rows } from './sql.js';
import { queueRoles } from './role-queue.js';

const ROW = cols(GUILD_JOB_COLUMNS);

export class PgGuildJobWrites implements Port<GuildJobWrites> {
  constructor(private readonly pool: PgPool) {}

  async start(job: NewGuildJob): Promise<boolean> {
    const sql = `INSERT INTO GuildJob (GuildId, Kind, Cursor, Total, ChannelId, StartedBy, StartedAt, UpdatedAt, Data)
      VALUES ($1, $2, 0, $3, $4, $5, $6, $6, $7) ON CONFLICT DO NOTHING`;
    return (await changes(this.pool, sql, [job.guildId, job.kind, job.total, job.channelId, job.startedBy, job.startedAt, JSON.stringify(job.data)])) > 0;
  }

  advance(guildId: string, kind: GuildJobKind, cursor: string, total: number, counts: GuildJobCounts, members: readonly MemberRoleChanges[], cause: RoleChangeCause, at: number): Promise<void> {
    return withRetry(this.pool, async (c) => {
      for (const m of members) await queueRoles(c, guildId, m.userId, m.roles, cause, at);
      await c.query(
        `UPDATE GuildJob SET Cursor = $1, Total = greatest(Total, $2), Checked = Checked + $3, Changed = Changed + $4, Queued = Queued + $5, UpdatedAt = $6
         WHERE GuildId = $7 AND Kind = $8`,
        [cursor, total, counts.checked, counts.changed, counts.queued, at, guildId, kind],
      );
    });
  }

  async finish(guildId: string, kind: GuildJobKind): Promise<void> {
    await this.pool.query('DELETE FROM GuildJob WHERE GuildId = $1 AND Kind = $2', [guildId, kind]);
  }
}

export class PgGuildJobReads implements Port<GuildJobReads> {
  constructor(private readonly pool: PgPool) {}

  async get(guildId: string, kind: GuildJobKind): Promise<GuildJob | null> {
    const r = await one<GuildJobRow>(this.pool, `SELECT ${ROW} FROM GuildJob WHERE GuildId = $1 AND Kind = $2`, [guildId, kind]);
    return r ? toJob(r) : null;
  }

  async unfinished(shards: ShardFilter): Promise<GuildJob[]> {
    const r = await rows<GuildJobRow>(this.pool, `SELECT ${ROW} FROM GuildJob WHERE (GuildId >> 22) % $1 = ANY($2::int[]) ORDER BY StartedAt`, [shards.count, shards.ids]);
    return r.map(toJob);
  }
}
