/**
 * `SHARD_PROCESSES` > 1 (DESIGN §12.1): `npm start` becomes discord.js's ShardingManager, which forks one bot
 * process per entry of the plan (this same entry point), restarts one that dies, and carries broadcasts between
 * them. The manager's "shards" are our processes: each forked process reads its real shards from the plan
 * (`UNICORNIA_SHARD_PLAN`, indexed by the `SHARDS` variable discord.js gives it), so one process may serve several
 * shards. The manager opens no database and logs in nowhere; every process claims its own shards.
 */
import { ShardingManager, type Shard } from 'discord.js';
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { BroadcastHub, type HubChild, type IpcMessage } from '../sharding/broadcast.js';
import { processShards, type ShardPlan } from '../sharding/plan.js';
import type { ShardSet } from '../storage/shard-claims.js';
import type { Logger } from '../util/logger.js';

/** The variable that carries the plan to forked processes. */
export const PLAN_VARIABLE = 'UNICORNIA_SHARD_PLAN';

/** Discord lets `max_concurrency` sessions identify per 5 s; discord.js spaces processes by 5.5 s for one. */
const IDENTIFY_WINDOW_MS = 5500;
/** A process that fails to become ready this many times in a row stops them all: it would only crash again. */
const MAX_FAILED_STARTS = 3;

export interface ShardManagerOptions {
  /** The bot's entry point (src/main.ts). */
  file: string;
  token: string;
  plan: ShardPlan;
  logger: Logger;
  /** From `GET /gateway/bot`: how many processes may log in at once. Default 1 (5.5 s between processes). */
  maxConcurrency?: number;
  /** How long one process may take to log in and receive its servers. Default 180 000 ms. */
  readyTimeoutMs?: number;
}

/** In a process forked by the manager: the shards it serves. Null in any other process. */
export function forkedShards(env: NodeJS.ProcessEnv = process.env): ShardSet | null {
  const plan = env[PLAN_VARIABLE];
  if (!plan || env.SHARDING_MANAGER !== 'true' || env.SHARDS === undefined) return null;
  return processShards(JSON.parse(plan) as ShardPlan, Number(env.SHARDS));
}

/** Runs the manager until SIGINT/SIGTERM (then every process saves its XP and stops). Resolves with the exit code. */
export async function runShardManager(options: ShardManagerOptions): Promise<number> {
  const { plan, logger } = options;
  // Copied into every forked process's environment by discord.js (Shard copies process.env when created).
  process.env[PLAN_VARIABLE] = JSON.stringify(plan);
  const manager = new ShardingManager(options.file, {
    totalShards: plan.processes.length,
    shardList: plan.processes.map((_, i) => i),
    token: options.token,
    respawn: true,
    execArgv: process.execArgv,
  });
  const hub = new BroadcastHub(() => [...manager.shards.values()].map(hubChild));
  let exit: ((code: number) => void) | null = null;
  const finished = new Promise<number>((resolve) => (exit = resolve));
  let stopping: Promise<number> | null = null;
  const stop = (code: number): Promise<number> => (stopping ??= stopAll(manager, logger, code));

  manager.on('shardCreate', (shard) => {
    let failedStarts = 0;
    const shards = processShards(plan, shard.id);
    shard.on('message', (message: unknown) => hub.receive(hubChild(shard), message));
    shard.on('ready', () => {
      failedStarts = 0;
    });
    shard.on('death', (child) => {
      if (!manager.respawn) return;
      const code = (child as ChildProcess).exitCode;
      logger.warn({ process: shard.id, shards: shards.ids, code, signal: (child as ChildProcess).signalCode }, 'a shard process stopped; starting it again');
    });
    // A respawn that failed to become ready (discord.js reports it here; without a listener it would throw).
    shard.on('error', (error) => {
      failedStarts += 1;
      logger.error({ err: error, process: shard.id, shards: shards.ids, failedStarts }, 'a shard process could not start');
      if (failedStarts >= MAX_FAILED_STARTS) void stop(1).then((code) => exit?.(code));
    });
  });

  const signal = (name: string) => {
    logger.info({ signal: name }, 'stopping every shard process: each saves its XP');
    void stop(0).then((code) => exit?.(code));
  };
  process.once('SIGINT', () => signal('SIGINT'));
  process.once('SIGTERM', () => signal('SIGTERM'));

  // discord.js's spawn() waits for each process to be ready before starting the next; under Discord's limit of
  // `max_concurrency` identifies per 5 s only the starts need spacing, so a big host does not start serially.
  const spacingMs = Math.ceil(IDENTIFY_WINDOW_MS / Math.max(1, options.maxConcurrency ?? 1));
  const started: Promise<unknown>[] = [];
  for (let id = 0; id < plan.processes.length; id++) {
    if (id > 0) await sleep(spacingMs);
    started.push(manager.createShard(id).spawn(options.readyTimeoutMs ?? 180_000));
  }
  try {
    await Promise.all(started);
  } catch (error) {
    // The process printed why it could not start (its output is ours); stop the ones already running.
    logger.error({ err: error }, 'a shard process could not start; stopping the others');
    await Promise.allSettled(started);
    return stop(1);
  }
  logger.info({ processes: plan.processes.length, shardCount: plan.count, shards: plan.processes }, 'every shard process is ready');
  return finished;
}

function hubChild(shard: Shard): HubChild {
  return {
    id: shard.id,
    alive: shard.process !== null && shard.ready,
    send: (message: IpcMessage) => shard.send(message),
  };
}

/** Stops respawning, asks every process to stop (each runs its own shutdown: final flush), waits for them. */
async function stopAll(manager: ShardingManager, logger: Logger, code: number): Promise<number> {
  manager.respawn = false;
  const exits = [...manager.shards.values()].map((shard) => {
    const child = shard.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      child.once('exit', (exitCode) => resolve(exitCode === 0));
      child.kill('SIGTERM');
    });
  });
  const clean = (await Promise.all(exits)).every(Boolean);
  if (!clean) logger.error('a shard process did not stop cleanly: XP it had not written may be lost');
  return clean ? code : 1;
}
