/**
 * Long passes over a server's members that must survive a restart (DESIGN §2.7.1): a role sync, a re-levelling after
 * a curve change. One row per (guild, kind) holds where the pass is (the last member id done), its counts, where its
 * progress message goes, and what the kind needs (JSON). A pass advances in chunks; each chunk's effects (queued role
 * changes) and the new cursor are one transaction, so a restart continues after the last chunk written and never
 * does a member twice.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { idOf, num, sf } from './ids.js';
import type { RoleChangeCause, RoleChanges } from '../engine/ports.js';
import type { RoleQueueWrites } from './role-queue.js';
import type { ShardFilter } from './role-queue.js';

export type GuildJobKind = 'rolesync' | 'relevel';

export interface GuildJobCounts {
  /** Members looked at. */
  checked: number;
  /** Members something was done for (roles out of line, a level that moved). */
  changed: number;
  /** Role changes queued. */
  queued: number;
}

export interface GuildJob extends GuildJobCounts {
  guildId: string;
  kind: GuildJobKind;
  /** The last member id done (as a decimal string), '0' before the first. */
  cursor: string;
  /** Members the pass expects in total (for the progress message). */
  total: number;
  channelId: string;
  startedBy: string;
  /** Wall ms. */
  startedAt: number;
  /** What the kind needs (the old and new curve of a re-levelling), as stored. */
  data: unknown;
}

/** One member's role changes inside a chunk. */
export interface MemberRoleChanges {
  userId: string;
  roles: RoleChanges;
}

/** The columns a job is read from (PostgreSQL selects them under these names too). */
export const GUILD_JOB_COLUMNS = ['GuildId', 'Kind', 'Cursor', 'Total', 'Checked', 'Changed', 'Queued', 'ChannelId', 'StartedBy', 'StartedAt', 'Data'] as const;

/** A row of either store: integers as BigInt (SQLite) or decimal strings (PostgreSQL). */
export type GuildJobRow = Record<Exclude<(typeof GUILD_JOB_COLUMNS)[number], 'Kind' | 'Data'>, unknown> & { Kind: GuildJobKind; Data: string };

export function addCounts(into: GuildJobCounts, delta: GuildJobCounts): void {
  into.checked += delta.checked;
  into.changed += delta.changed;
  into.queued += delta.queued;
}

export function toJob(r: GuildJobRow): GuildJob {
  return {
    guildId: idOf(r.GuildId),
    kind: r.Kind,
    cursor: String(r.Cursor),
    total: num(r.Total),
    checked: num(r.Checked),
    changed: num(r.Changed),
    queued: num(r.Queued),
    channelId: idOf(r.ChannelId),
    startedBy: idOf(r.StartedBy),
    startedAt: num(r.StartedAt),
    data: JSON.parse(r.Data) as unknown,
  };
}

export interface NewGuildJob {
  guildId: string;
  kind: GuildJobKind;
  total: number;
  channelId: string;
  startedBy: string;
  startedAt: number;
  data: unknown;
}

/** Writes, on the writer's connection. */
export class GuildJobWrites {
  private readonly q: Record<string, Statement>;

  constructor(
    private readonly db: Db,
    private readonly roles: RoleQueueWrites,
  ) {
    const prep = (sql: string) => db.prepare(sql);
    this.q = {
      start: prep(`INSERT OR IGNORE INTO GuildJob (GuildId, Kind, Cursor, Total, ChannelId, StartedBy, StartedAt, UpdatedAt, Data)
        VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?)`),
      advance: prep(`UPDATE GuildJob SET Cursor = ?, Total = max(Total, ?), Checked = Checked + ?, Changed = Changed + ?, Queued = Queued + ?, UpdatedAt = ?
        WHERE GuildId = ? AND Kind = ?`),
      finish: prep('DELETE FROM GuildJob WHERE GuildId = ? AND Kind = ?'),
    };
  }

  /** Starts a pass; false when one of this kind already runs in the guild (it is not restarted). */
  start(job: NewGuildJob): boolean {
    const r = this.q.start!.run(sf(job.guildId), job.kind, job.total, sf(job.channelId), sf(job.startedBy), job.startedAt, job.startedAt, JSON.stringify(job.data));
    return r.changes > 0;
  }

  /**
   * One chunk done: its members' role changes are queued (cause 'sync' or 'level') and the cursor moves past the
   * chunk, in one transaction.
   */
  advance(guildId: string, kind: GuildJobKind, cursor: string, total: number, counts: GuildJobCounts, changes: readonly MemberRoleChanges[], cause: RoleChangeCause, at: number): void {
    this.db
      .transaction(() => {
        for (const c of changes) this.roles.queue(guildId, c.userId, c.roles, cause, at);
        this.q.advance!.run(sf(cursor), total, counts.checked, counts.changed, counts.queued, at, sf(guildId), kind);
      })
      .immediate();
  }

  finish(guildId: string, kind: GuildJobKind): void {
    this.q.finish!.run(sf(guildId), kind);
  }
}

/** Reads, on the main thread's connection. */
export class GuildJobReads {
  private readonly q: Record<string, Statement>;

  constructor(db: Db) {
    const prep = (sql: string) => db.prepare(sql).safeIntegers(true);
    this.q = {
      one: prep(`SELECT ${GUILD_JOB_COLUMNS.join(', ')} FROM GuildJob WHERE GuildId = ? AND Kind = ?`),
      shards: prep(`SELECT ${GUILD_JOB_COLUMNS.join(', ')} FROM GuildJob WHERE ((GuildId >> 22) % ?) IN (SELECT value FROM json_each(?)) ORDER BY StartedAt`),
    };
  }

  get(guildId: string, kind: GuildJobKind): GuildJob | null {
    const r = this.q.one!.get(sf(guildId), kind) as GuildJobRow | undefined;
    return r ? toJob(r) : null;
  }

  /** The passes left unfinished in this process's shards (a restart continues them). */
  unfinished(shards: ShardFilter): GuildJob[] {
    return (this.q.shards!.all(shards.count, JSON.stringify(shards.ids)) as GuildJobRow[]).map(toJob);
  }
}
