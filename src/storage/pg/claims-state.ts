/** Shard claims (DESIGN §12) and the bot's own facts on PostgreSQL: the twins of `../shard-claims.ts` and `../bot-state.ts`. */
import type { Port } from '../ports.js';
import { claimDecision, type ClaimResult, type ClaimRow, type Holder, type ShardClaimStore, type ShardSet } from '../shard-claims.js';
import type { BotStateStore } from '../bot-state.js';
import { withRetry, type PgPool } from './pool.js';
import type { Queryable } from './sql.js';
import { changes, one, rows } from './sql.js';

/** Claims are taken under one advisory lock, like SQLite's IMMEDIATE transaction: two processes cannot both win. */
const CLAIM_LOCK = 0x636c6169;

async function claimRows(db: Queryable): Promise<ClaimRow[]> {
  const r = await rows<{ sc: number; si: number; h: string; host: string; pid: number; ca: string; ea: string }>(
    db,
    'SELECT ShardCount AS sc, ShardId AS si, HolderId AS h, Host AS host, Pid AS pid, ClaimedAt AS ca, ExpiresAt AS ea FROM ShardClaim ORDER BY ShardCount, ShardId',
  );
  return r.map((x) => ({ shardCount: x.sc, shardId: x.si, holder: { id: x.h, host: x.host, pid: x.pid }, claimedAt: Number(x.ca), expiresAt: Number(x.ea) }));
}

export class PgShardClaims implements Port<ShardClaimStore> {
  constructor(private readonly pool: PgPool) {}

  claim(holder: Holder, shards: ShardSet, now: number, expiresAt: number): Promise<ClaimResult> {
    return withRetry(this.pool, async (c): Promise<ClaimResult> => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [CLAIM_LOCK]);
      await c.query('DELETE FROM ShardClaim WHERE ExpiresAt <= $1', [now]);
      const decision = claimDecision(holder, shards, await claimRows(c));
      if (!decision.ok) return decision;
      for (const dead of decision.dead) await c.query('DELETE FROM ShardClaim WHERE ShardCount = $1 AND ShardId = $2', [dead.shardCount, dead.shardId]);
      for (const id of shards.ids) {
        await c.query(
          `INSERT INTO ShardClaim (ShardCount, ShardId, HolderId, Host, Pid, ClaimedAt, ExpiresAt) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (ShardCount, ShardId) DO UPDATE SET ExpiresAt = excluded.ExpiresAt`,
          [shards.count, id, holder.id, holder.host, holder.pid, now, expiresAt],
        );
      }
      return { ok: true };
    });
  }

  renew(holderId: string, expiresAt: number): Promise<number> {
    return changes(this.pool, 'UPDATE ShardClaim SET ExpiresAt = $1 WHERE HolderId = $2', [expiresAt, holderId]);
  }

  async release(holderId: string): Promise<void> {
    await this.pool.query('DELETE FROM ShardClaim WHERE HolderId = $1', [holderId]);
  }

  rows(): Promise<ClaimRow[]> {
    return claimRows(this.pool);
  }
}

export class PgBotState implements Port<BotStateStore> {
  constructor(private readonly pool: PgPool) {}

  async get(key: string): Promise<string | null> {
    return (await one<{ v: string }>(this.pool, 'SELECT Value AS v FROM BotState WHERE Key = $1', [key]))?.v ?? null;
  }

  async set(key: string, value: string | null): Promise<void> {
    if (value === null) await this.pool.query('DELETE FROM BotState WHERE Key = $1', [key]);
    else await this.pool.query('INSERT INTO BotState (Key, Value) VALUES ($1, $2) ON CONFLICT (Key) DO UPDATE SET Value = excluded.Value', [key, value]);
  }
}
