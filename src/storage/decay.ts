/**
 * XP decay's tables (DESIGN §15.4): exempt roles, each member's last day of earning (UserXpStats.LastEarnedDay,
 * kept by the flush), and the daily run per server (XpDecayRun). A run is claimed by one statement; each chunk's XP
 * changes, their history rows (source decay), the reward roles that follow and the cursor past the chunk are one
 * transaction, so a run cut short continues where it was and never decays a member twice.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { idOf, num, sf } from './ids.js';
import type { DecayChange, DecayMember } from '../engine/decay.js';
import { SOURCE_CODE } from '../engine/history.js';
import type { GuildSettings } from '../engine/settings.js';
import type { RoleQueueWrites, ShardFilter } from './role-queue.js';
import { SETTING_COLUMNS, settingValue, type SettingsPatch } from './xp-writes.js';

/** A server's daily run as stored. */
export interface DecayRunState {
  /** The last UTC day whose run finished; null before the first. */
  doneDay: number | null;
  /** The day of the run under way; null when none is. */
  runDay: number | null;
  /** The last member id done in the run under way ('0' before the first chunk). */
  cursor: string;
  /** Members decayed and XP taken by the run under way (or the last one). */
  decayed: number;
  xpLost: number;
}

/** A server whose run is due or under way (the job's work list). */
export interface DecayDue {
  guildId: string;
  /** The day of a run left under way (continued first); null when a new one is due. */
  runDay: number | null;
}

export type DecayPolicyPatch = Pick<SettingsPatch, 'decayEnabled' | 'decayAfterDays' | 'decayAmount' | 'decayUnit' | 'decayPer' | 'decayFloorLevel' | 'decaySinceDay'>;

export type RunRow = { DoneDay: unknown; RunDay: unknown; Cursor: unknown; Decayed: unknown; XpLost: unknown };

export function toRunState(r: RunRow | undefined): DecayRunState | null {
  if (!r) return null;
  return {
    doneDay: r.DoneDay === null ? null : num(r.DoneDay as bigint),
    runDay: r.RunDay === null ? null : num(r.RunDay as bigint),
    cursor: String(r.Cursor),
    decayed: num(r.Decayed as bigint),
    xpLost: num(r.XpLost as bigint),
  };
}

export type MemberRow = { UserId: unknown; Xp: unknown; LastEarnedDay: unknown; HasLeft: unknown };

export function toDecayMember(r: MemberRow): DecayMember {
  return { userId: idOf(r.UserId as bigint), xp: num(r.Xp as bigint), lastEarnedDay: r.LastEarnedDay === null ? null : num(r.LastEarnedDay as bigint), hasLeft: num(r.HasLeft as bigint) !== 0 };
}

/** The settings columns of a decay patch, with their values as stored. */
export function patchColumns(patch: DecayPolicyPatch): { columns: string[]; values: unknown[] } {
  const columns: string[] = [];
  const values: unknown[] = [];
  for (const [key, value] of Object.entries(patch) as [keyof GuildSettings, unknown][]) {
    columns.push(SETTING_COLUMNS[key as keyof DecayPolicyPatch]);
    values.push(settingValue(key, value));
  }
  return { columns, values };
}

/** Reads, on the main thread's connection. */
export class DecayReads {
  private readonly q: Record<string, Statement>;

  constructor(db: Db) {
    const prep = (sql: string) => db.prepare(sql).safeIntegers(true);
    this.q = {
      members: prep('SELECT UserId, Xp, LastEarnedDay, HasLeft FROM UserXpStats WHERE GuildId = ? AND UserId > ? ORDER BY UserId LIMIT ?'),
      exempt: prep('SELECT RoleId FROM XpDecayExemptRole WHERE GuildId = ? ORDER BY RoleId'),
      run: prep('SELECT DoneDay, RunDay, Cursor, Decayed, XpLost FROM XpDecayRun WHERE GuildId = ?'),
      due: prep(`SELECT s.GuildId, r.RunDay FROM XpSettings s LEFT JOIN XpDecayRun r ON r.GuildId = s.GuildId
        WHERE s.DecayEnabled = 1 AND ((s.GuildId >> 22) % ?) IN (SELECT value FROM json_each(?))
          AND (r.RunDay IS NOT NULL OR r.DoneDay IS NULL OR r.DoneDay < ?)
        ORDER BY s.GuildId`),
    };
  }

  /** Members of a guild after `afterId` in id order, at most `limit` (a chunk of the job or the preview). */
  members(guildId: string, afterId: string, limit: number): DecayMember[] {
    return (this.q.members!.all(sf(guildId), sf(afterId), limit) as MemberRow[]).map(toDecayMember);
  }

  exemptRoles(guildId: string): string[] {
    return (this.q.exempt!.all(sf(guildId)) as { RoleId: bigint }[]).map((r) => idOf(r.RoleId));
  }

  run(guildId: string): DecayRunState | null {
    return toRunState(this.q.run!.get(sf(guildId)) as RunRow | undefined);
  }

  /** Servers of these shards with decay on whose run for `day` is not done, or is under way. */
  due(shards: ShardFilter, day: number): DecayDue[] {
    return (this.q.due!.all(shards.count, JSON.stringify(shards.ids), day) as { GuildId: bigint; RunDay: bigint | null }[]).map((r) => ({
      guildId: idOf(r.GuildId),
      runDay: r.RunDay === null ? null : num(r.RunDay),
    }));
  }
}

/** Writes, on the writer's connection. */
export class DecayWrites {
  private readonly q: Record<string, Statement>;

  constructor(
    private readonly db: Db,
    private readonly roles: RoleQueueWrites,
  ) {
    const prep = (sql: string) => db.prepare(sql);
    this.q = {
      ensureSettings: prep('INSERT OR IGNORE INTO XpSettings (GuildId) VALUES (?)'),
      enabled: prep('SELECT DecayEnabled FROM XpSettings WHERE GuildId = ?'),
      // Turned on anew: no run is under way and the first covers only its own day (no catch-up of the time it was off).
      resetRun: prep('UPDATE XpDecayRun SET DoneDay = NULL, RunDay = NULL WHERE GuildId = ?'),
      stopRun: prep('UPDATE XpDecayRun SET RunDay = NULL WHERE GuildId = ?'),
      addExempt: prep('INSERT OR IGNORE INTO XpDecayExemptRole (GuildId, RoleId) VALUES (?, ?)'),
      delExempt: prep('DELETE FROM XpDecayExemptRole WHERE GuildId = ? AND RoleId = ?'),
      // One statement: of two processes (or a restart) claiming the same day, one gets it.
      claim: prep(`INSERT INTO XpDecayRun (GuildId, RunDay, Cursor, Decayed, XpLost, UpdatedAt) VALUES (?, ?, 0, 0, 0, ?)
        ON CONFLICT (GuildId) DO UPDATE SET RunDay = excluded.RunDay, Cursor = 0, Decayed = 0, XpLost = 0, UpdatedAt = excluded.UpdatedAt
        WHERE XpDecayRun.RunDay IS NULL AND (XpDecayRun.DoneDay IS NULL OR XpDecayRun.DoneDay < excluded.RunDay)`),
      position: prep('SELECT Cursor FROM XpDecayRun WHERE GuildId = ? AND RunDay = ?').safeIntegers(true),
      // Only from the XP the job read: a total that moved since (a flush of another process, an erasure) is left alone.
      decay: prep('UPDATE UserXpStats SET Xp = ? WHERE GuildId = ? AND UserId = ? AND Xp = ?'),
      total: prep('UPDATE DiscordUser SET TotalXp = TotalXp + ? WHERE UserId = ?'),
      history: prep(`INSERT INTO XpHistoryDaily (GuildId, Day, UserId, Source, Xp) VALUES (?, ?, ?, ${SOURCE_CODE.decay}, ?)
        ON CONFLICT (GuildId, Day, UserId, Source) DO UPDATE SET Xp = Xp + excluded.Xp`),
      advance: prep('UPDATE XpDecayRun SET Cursor = ?, Decayed = Decayed + ?, XpLost = XpLost + ?, UpdatedAt = ? WHERE GuildId = ?'),
      finish: prep('UPDATE XpDecayRun SET DoneDay = RunDay, RunDay = NULL, UpdatedAt = ? WHERE GuildId = ? AND RunDay = ?'),
    };
  }

  /**
   * Saves policy fields. Turning decay on stamps the day (members with no last-earned day count from it) and starts
   * the runs afresh; turning it off stops a run under way after its chunk. Returns whether it was on before.
   */
  savePolicy(guildId: string, patch: DecayPolicyPatch, today: number): boolean {
    const g = sf(guildId);
    return this.db
      .transaction(() => {
        this.q.ensureSettings!.run(g);
        const wasOn = num((this.q.enabled!.get(g) as { DecayEnabled: number | bigint }).DecayEnabled) !== 0;
        const p: DecayPolicyPatch = { ...patch };
        if (p.decayEnabled === true && !wasOn) {
          p.decaySinceDay = today;
          this.q.resetRun!.run(g);
        }
        if (p.decayEnabled === false) this.q.stopRun!.run(g);
        const { columns, values } = patchColumns(p);
        if (columns.length > 0) this.db.prepare(`UPDATE XpSettings SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE GuildId = ?`).run(...values, g);
        return wasOn;
      })
      .immediate();
  }

  /** Returns whether anything changed. */
  setExempt(guildId: string, roleId: string, exempt: boolean): boolean {
    return (exempt ? this.q.addExempt! : this.q.delExempt!).run(sf(guildId), sf(roleId)).changes > 0;
  }

  /** Claims the run of `day`; false when it is done or under way already (here or in another process). */
  claim(guildId: string, day: number, at: number): boolean {
    return this.q.claim!.run(sf(guildId), day, at).changes > 0;
  }

  /**
   * One chunk of the run of `day`: applies each change whose member still has the XP it was computed from, with its
   * history row and queued reward roles, and moves the cursor from `fromCursor` to `toCursor`. Null (nothing
   * written) when the run is not at `fromCursor` any more: the chunk is done already. Returns the members decayed.
   */
  applyChunk(guildId: string, day: number, fromCursor: string, toCursor: string, changes: readonly DecayChange[], at: number): string[] | null {
    const g = sf(guildId);
    return this.db
      .transaction((): string[] | null => {
        const run = this.q.position!.get(g, day) as { Cursor: bigint } | undefined;
        if (!run || String(run.Cursor) !== fromCursor) return null;
        const done: string[] = [];
        let lost = 0;
        for (const c of changes) {
          const u = sf(c.userId);
          if (this.q.decay!.run(c.toXp, g, u, c.fromXp).changes === 0) continue;
          const delta = c.toXp - c.fromXp;
          this.q.total!.run(delta, u);
          this.q.history!.run(g, day, u, delta);
          this.roles.queue(guildId, c.userId, c.roles, 'level', at);
          done.push(c.userId);
          lost -= delta;
        }
        this.q.advance!.run(sf(toCursor), done.length, lost, at, g);
        return done;
      })
      .immediate();
  }

  /** The run of `day` is complete: it becomes the last day done. */
  finish(guildId: string, day: number, at: number): void {
    this.q.finish!.run(at, sf(guildId), day);
  }
}
