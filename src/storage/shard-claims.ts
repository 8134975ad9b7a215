/**
 * Shard claims in the database (DESIGN §12): which process serves which shards. One IMMEDIATE transaction per
 * claim, so two processes starting at once cannot both win. Times are wall-clock milliseconds, the only clock
 * processes (and hosts) share.
 */
import type { Db } from './database.js';
import { processAlive } from '../util/process.js';

export interface ShardSet {
  /** Shards the bot is split into (1 without sharding). */
  count: number;
  /** The shards this process serves, each 0 ≤ id < count. */
  ids: readonly number[];
}

export interface Holder {
  id: string;
  host: string;
  pid: number;
}

export interface ClaimRow {
  shardCount: number;
  shardId: number;
  holder: Holder;
  claimedAt: number;
  expiresAt: number;
}

export type ClaimResult = { ok: true } | { ok: false; conflict: ClaimRow };

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * Do shard a of count m and shard b of count n share a guild? A guild is on shard (id >> 22) % count; two residue
 * classes meet exactly when a ≡ b (mod gcd(m, n)).
 */
export function shardsOverlap(countA: number, idA: number, countB: number, idB: number): boolean {
  return (idA - idB) % gcd(countA, countB) === 0;
}

/**
 * Whether `holder` may claim `shards` given the unexpired claims (both stores decide with this): refused when a live
 * claim of another holder overlaps one of them; claims of dead processes on this host are to be deleted.
 */
export function claimDecision(holder: Holder, shards: ShardSet, claims: readonly ClaimRow[]): { ok: true; dead: ClaimRow[] } | { ok: false; conflict: ClaimRow } {
  const isLive = (row: ClaimRow) => row.holder.host !== holder.host || processAlive(row.holder.pid);
  const dead: ClaimRow[] = [];
  for (const row of claims) {
    if (row.holder.id === holder.id) continue;
    if (!shards.ids.some((id) => shardsOverlap(shards.count, id, row.shardCount, row.shardId))) continue;
    if (isLive(row)) return { ok: false, conflict: row };
    dead.push(row);
  }
  return { ok: true, dead };
}

export class ShardClaimStore {
  constructor(private readonly db: Db) {}

  /**
   * Claims every shard of `shards` for `holder` until `expiresAt`, unless an unexpired claim of another holder
   * overlaps one of them. A claim of a process on this host that no longer runs is dead at once (a restart after a
   * crash need not wait for the expiry). All or nothing.
   */
  claim(holder: Holder, shards: ShardSet, now: number, expiresAt: number): ClaimResult {
    return this.db
      .transaction((): ClaimResult => {
        this.db.prepare('DELETE FROM ShardClaim WHERE ExpiresAt <= ?').run(now);
        const decision = claimDecision(holder, shards, this.rows());
        if (!decision.ok) return decision;
        for (const row of decision.dead) this.db.prepare('DELETE FROM ShardClaim WHERE ShardCount = ? AND ShardId = ?').run(row.shardCount, row.shardId);
        const put = this.db.prepare(
          `INSERT INTO ShardClaim (ShardCount, ShardId, HolderId, Host, Pid, ClaimedAt, ExpiresAt) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (ShardCount, ShardId) DO UPDATE SET ExpiresAt = excluded.ExpiresAt`,
        );
        for (const id of shards.ids) put.run(shards.count, id, holder.id, holder.host, holder.pid, now, expiresAt);
        return { ok: true };
      })
      .immediate();
  }

  /** Moves the holder's claims' expiry; the number of claims it still holds (0: they expired and were taken). */
  renew(holderId: string, expiresAt: number): number {
    return this.db.prepare('UPDATE ShardClaim SET ExpiresAt = ? WHERE HolderId = ?').run(expiresAt, holderId).changes;
  }

  /** Gives up every claim of the holder. */
  release(holderId: string): void {
    this.db.prepare('DELETE FROM ShardClaim WHERE HolderId = ?').run(holderId);
  }

  rows(): ClaimRow[] {
    const rows = this.db.prepare('SELECT ShardCount, ShardId, HolderId, Host, Pid, ClaimedAt, ExpiresAt FROM ShardClaim ORDER BY ShardCount, ShardId').all() as {
      ShardCount: number;
      ShardId: number;
      HolderId: string;
      Host: string;
      Pid: number;
      ClaimedAt: number;
      ExpiresAt: number;
    }[];
    return rows.map((r) => ({ shardCount: r.ShardCount, shardId: r.ShardId, holder: { id: r.HolderId, host: r.Host, pid: r.Pid }, claimedAt: r.ClaimedAt, expiresAt: r.ExpiresAt }));
  }
}
