/**
 * The write side of storage, as named modules of synchronous methods. A `Writer` exposes the same methods as
 * promises, whether they run in a worker thread (production: a long flush never blocks the event loop) or
 * inline (tests, tools). Add a module here to give it the same treatment.
 */
import type { Db } from './database.js';
import { XpWriteStore } from './xp-writes.js';
import { ShopWriteStore } from './shop-writes.js';
import { WalletWriteStore } from './wallet-writes.js';
import { ClubWriteStore } from './club-writes.js';
import { RoleQueueWrites } from './role-queue.js';
import { ShardClaimStore } from './shard-claims.js';
import { BotStateStore } from './bot-state.js';
import { GuildJobWrites } from './guild-jobs.js';
import { PrivacyWriteStore } from './privacy-writes.js';
import { WebWriteStore } from './web-writes.js';
import { WebhookOutbox } from './webhook-outbox.js';
import { HistoryWrites } from './history.js';
import { XpEventStore } from './xp-events.js';
import { SeasonWrites } from './seasons.js';
import { DecayWrites } from './decay.js';
import { BoardScans } from './period-reads.js';

export interface WriterContext {
  writerId: string;
}

export function createWriteModules(db: Db, ctx: WriterContext) {
  const webhooks = new WebhookOutbox(db);
  const roles = new RoleQueueWrites(db, webhooks);
  // Reads, not writes: a period board's sorted read runs off the event loop with the writes (src/boards).
  const boards = new BoardScans(db);
  return {
    xp: new XpWriteStore(db, ctx.writerId, Date.now, roles, webhooks),
    webhooks,
    roles,
    jobs: new GuildJobWrites(db, roles),
    shop: new ShopWriteStore(db),
    wallet: new WalletWriteStore(db),
    clubs: new ClubWriteStore(db),
    claims: new ShardClaimStore(db),
    state: new BotStateStore(db),
    privacy: new PrivacyWriteStore(db),
    web: new WebWriteStore(db),
    history: new HistoryWrites(db),
    xpEvents: new XpEventStore(db),
    seasons: new SeasonWrites(db, roles, webhooks, boards),
    decay: new DecayWrites(db, roles),
    boards,
  };
}

export type WriteModules = ReturnType<typeof createWriteModules>;

type AnyFn = (...args: never[]) => unknown;

/** The public methods of T, each returning a promise of its result. */
export type Remote<T> = {
  [K in keyof T as T[K] extends AnyFn ? K : never]: T[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

export type Writer = { [M in keyof WriteModules]: Remote<WriteModules[M]> } & {
  /** Waits for queued writes, then closes the writer's connection. */
  close(): Promise<void>;
};

/** Builds a Writer whose method calls go through `call(module, method, args)`. */
export function writerProxy(
  call: (module: string, method: string, args: unknown[]) => Promise<unknown>,
  close: () => Promise<void>,
): Writer {
  const modules = new Map<string, unknown>();
  return new Proxy({} as Writer, {
    get(_target, name) {
      if (name === 'close') return close;
      if (typeof name !== 'string' || name === 'then') return undefined;
      let mod = modules.get(name);
      if (!mod) {
        mod = new Proxy({}, { get: (_t, method) => (...args: unknown[]) => call(name, String(method), args) });
        modules.set(name, mod);
      }
      return mod;
    },
  });
}

/** Runs one call on a module set: the shared dispatch of the inline and worker writers. */
export function dispatch(modules: WriteModules, module: string, method: string, args: unknown[]): unknown {
  const target = (modules as unknown as Record<string, Record<string, unknown>>)[module];
  const fn = target?.[method];
  if (typeof fn !== 'function') throw new Error(`unknown write method ${module}.${method}`);
  return (fn as (...a: unknown[]) => unknown).apply(target, args);
}
