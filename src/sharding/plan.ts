/**
 * Which shards this host runs, and in how many processes (DESIGN §12.1). Pure: the gateway facts Discord reports
 * (`GET /gateway/bot`, the application's guild count) come in as plain numbers.
 */
import type { ShardSet } from '../storage/shard-claims.js';

/** Discord closes a session that would handle more guilds than this (gateway close 4011, "sharding required"). */
export const MAX_GUILDS_PER_SHARD = 2500;

export interface ShardSettings {
  /** `SHARD_COUNT`: a number, `'auto'` (Discord's recommendation), or null when unset. */
  count: number | 'auto' | null;
  /** `SHARD_IDS`: the shards this host runs; null = every shard. */
  ids: readonly number[] | null;
  /** `SHARD_PROCESSES`: bot processes on this host (1: this process serves them all). */
  processes: number;
}

/** What Discord says about the bot, read before logging in. */
export interface GatewayFacts {
  /** `GET /gateway/bot` → `shards`: about one per 1 000 guilds. */
  recommendedShards: number;
  /** `GET /applications/@me` → `approximate_guild_count`. */
  guilds: number;
  /** `session_start_limit.max_concurrency`: shards that may identify at once per 5 s. */
  maxConcurrency: number;
}

export interface ShardPlan {
  /** Shards the bot is split into, across every host. */
  count: number;
  /** One entry per process on this host: the shards it serves (round-robin over this host's shards). */
  processes: number[][];
}

export class ShardPlanError extends Error {
  override name = 'ShardPlanError';
}

/** True when the plan depends on what Discord reports (no fixed `SHARD_COUNT`). */
export function needsGatewayFacts(settings: ShardSettings): boolean {
  return typeof settings.count !== 'number';
}

/**
 * The shard count: a fixed `SHARD_COUNT`; `auto` → Discord's recommendation; unset → one shard (today's single
 * connection) below 2 500 servers, Discord's recommendation from there. Never fewer shards than processes (each
 * process needs one) nor than 2 500 servers per shard allow.
 */
export function planShards(settings: ShardSettings, facts: GatewayFacts | null): ShardPlan {
  let count: number;
  if (typeof settings.count === 'number') count = settings.count;
  else {
    if (!facts) throw new Error('planShards: gateway facts are needed without a fixed SHARD_COUNT');
    const required = Math.ceil(facts.guilds / MAX_GUILDS_PER_SHARD);
    const small = settings.count === null && settings.processes === 1 && facts.guilds < MAX_GUILDS_PER_SHARD;
    count = small ? 1 : Math.max(facts.recommendedShards, required, settings.processes, 1);
  }
  const ids = settings.ids ?? Array.from({ length: count }, (_, i) => i);
  const outside = ids.filter((id) => id >= count);
  if (outside.length > 0) {
    throw new ShardPlanError(`SHARD_IDS names shard ${outside.join(', ')}, but there are only ${count} shards (0 to ${count - 1}).`);
  }
  if (settings.processes > ids.length) {
    throw new ShardPlanError(
      `SHARD_PROCESSES=${settings.processes} but this host runs ${ids.length} shard${ids.length === 1 ? '' : 's'}: ` +
        `each process needs at least one. Set SHARD_PROCESSES to at most ${ids.length}${typeof settings.count === 'number' ? ' or raise SHARD_COUNT' : ''}.`,
    );
  }
  const processes = Array.from({ length: settings.processes }, (_, p) => ids.filter((_, i) => i % settings.processes === p));
  return { count, processes };
}

/** The shards one process of the plan serves. */
export function processShards(plan: ShardPlan, index: number): ShardSet {
  const ids = plan.processes[index];
  if (!ids) throw new ShardPlanError(`no shard process ${index} in a plan of ${plan.processes.length}`);
  return { count: plan.count, ids };
}

/** `"0,2,4-7"` → [0, 2, 4, 5, 6, 7]; null and a reason when the text is not such a list. */
export function parseShardIds(text: string): { ids: number[] } | { error: string } {
  const ids = new Set<number>();
  for (const part of text.split(',').map((p) => p.trim())) {
    const m = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(part);
    if (!m) return { error: `${JSON.stringify(part)} is not a shard id or a range like 4-7` };
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) return { error: `the range ${part} runs backwards` };
    for (let id = from; id <= to; id++) ids.add(id);
  }
  return { ids: [...ids].sort((a, b) => a - b) };
}
