/**
 * The shard claim (DESIGN §12): before it logs in, a process claims the shards it will serve in the database; a
 * heartbeat on the injected scheduler keeps the claim alive, a clean shutdown releases it, and the claim of a
 * process that crashed expires. A second process that would serve the same shards on the same database refuses to
 * start, because two processes on one token each receive every message and would count it twice.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Writer } from '../storage/write-modules.js';
import type { ClaimRow, Holder, ShardSet } from '../storage/shard-claims.js';
import type { Clock, Scheduler } from '../util/clock.js';
import type { Logger } from '../util/logger.js';

export interface ShardClaimOptions {
  /** The shards this process serves. Default: shard 0 of 1 (no sharding: every guild). */
  shards: ShardSet;
  /** How long a claim lasts without a heartbeat (a crashed holder blocks others this long at most). Default 60 000 ms. */
  ttlMs: number;
  /** How often the claim is renewed. Default 15 000 ms. */
  heartbeatMs: number;
}

export const DEFAULT_SHARD_CLAIM_OPTIONS: Readonly<ShardClaimOptions> = {
  shards: { count: 1, ids: [0] },
  ttlMs: 60_000,
  heartbeatMs: 15_000,
};

/** Another process holds (some of) the shards. The message says who, since when, and what to do. */
export class ShardClaimError extends Error {
  override name = 'ShardClaimError';
  constructor(
    readonly conflict: ClaimRow,
    wanted: ShardSet,
    now: number,
  ) {
    const who = `process ${conflict.holder.pid} on ${conflict.holder.host}`;
    const theirs = conflict.shardCount === 1 ? 'every server (no sharding)' : `shard ${conflict.shardId} of ${conflict.shardCount}`;
    const ours = wanted.count === 1 ? 'every server' : `shard${wanted.ids.length > 1 ? 's' : ''} ${wanted.ids.join(', ')} of ${wanted.count}`;
    super(
      `Another Unicornia process already serves ${theirs} on this database (${who}, started ${new Date(conflict.claimedAt).toISOString()}), ` +
        `and this one would serve ${ours}: two processes on one bot token would each count every message twice.\n` +
        'Stop the other process first; processes that share one database must serve different shards. ' +
        `If that process crashed, its claim expires by itself at ${new Date(conflict.expiresAt).toISOString()} (in ${Math.max(0, Math.ceil((conflict.expiresAt - now) / 1000))} s).`,
    );
  }
}

export class ShardClaim {
  readonly options: ShardClaimOptions;
  readonly holder: Holder = { id: randomUUID(), host: hostname(), pid: process.pid };
  private heartbeat: { cancel(): void } | null = null;
  private held = false;

  constructor(
    private readonly writer: Pick<Writer, 'claims'>,
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
    private readonly logger: Logger,
    options: Partial<ShardClaimOptions> = {},
    /** Called when the claim was lost to another process (this one was paused past the expiry): stop serving. */
    private readonly onLost: (error: ShardClaimError) => void = () => {},
  ) {
    this.options = { ...DEFAULT_SHARD_CLAIM_OPTIONS, ...options };
    const { count, ids } = this.options.shards;
    if (!(Number.isInteger(count) && count >= 1 && ids.length > 0 && ids.every((id) => Number.isInteger(id) && id >= 0 && id < count))) {
      throw new RangeError(`shard ids must be whole numbers from 0 to ${count - 1}`);
    }
  }

  /** Claims the shards or throws ShardClaimError; then keeps the claim alive until `release()`. */
  async acquire(): Promise<void> {
    await this.claimOrThrow();
    this.held = true;
    this.heartbeat = this.scheduler.every(this.options.heartbeatMs, () => this.renew());
  }

  /** Gives the shards up (clean shutdown). Safe to call when nothing is held. */
  async release(): Promise<void> {
    this.heartbeat?.cancel();
    this.heartbeat = null;
    if (!this.held) return;
    this.held = false;
    await this.writer.claims.release(this.holder.id).catch((error: unknown) => this.logger.warn({ err: error }, 'could not release the shard claim; it expires by itself'));
  }

  private async claimOrThrow(): Promise<void> {
    const now = this.clock.wallNow();
    const r = await this.writer.claims.claim(this.holder, this.options.shards, now, now + this.options.ttlMs);
    if (!r.ok) throw new ShardClaimError(r.conflict, this.options.shards, now);
  }

  private async renew(): Promise<void> {
    if (!this.held) return;
    try {
      const kept = await this.writer.claims.renew(this.holder.id, this.clock.wallNow() + this.options.ttlMs);
      // Our rows expired (the process was paused past the TTL) and may have been taken: claim again, or stop.
      if (kept < this.options.shards.ids.length) await this.claimOrThrow();
    } catch (error) {
      if (error instanceof ShardClaimError) {
        this.logger.error({ err: error }, 'the shard claim was taken over by another process; stopping');
        this.held = false;
        this.heartbeat?.cancel();
        this.onLost(error);
        return;
      }
      // A busy or failing database: the claim lasts ttlMs, and the next heartbeat tries again.
      this.logger.warn({ err: error }, 'could not renew the shard claim');
    }
  }
}
