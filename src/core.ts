/**
 * Assembles the XP core — database, reads, writer, engine, flusher — from explicit dependencies. The bot, the
 * demo, the tests and the benches all build it here, so they run the same wiring.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from './storage/database.js';
import { openPgStore, openSqliteStore, type ReadPorts, type SqliteReads, type Store } from './storage/store.js';
import { isPostgresUrl } from './storage/pg/pool.js';
import type { Writer } from './storage/write-modules.js';
import { XpEngine, type EngineOptions } from './engine/xp-engine.js';
import { Flusher, type FlusherOptions } from './engine/flusher.js';
import type { LevelUpEffects } from './engine/ports.js';
import type { Clock, Scheduler } from './util/clock.js';
import type { Logger } from './util/logger.js';

export interface CoreOptions {
  /** SQLite file path (used when `databaseUrl` is not a postgres:// URL). */
  dbPath: string;
  /** A postgres:// URL selects PostgreSQL (DESIGN §7.1); anything else (or nothing) the SQLite file. */
  databaseUrl?: string;
  clock: Clock;
  scheduler: Scheduler;
  logger: Logger;
  /** Where level-up side effects go (the Discord layer); may be set later with `core.setEffects`. */
  effects?: LevelUpEffects;
  /** SQLite: 'worker' (default) writes in a worker thread with its own connection; 'inline' on the main thread. */
  writer?: 'worker' | 'inline';
  engine?: Partial<EngineOptions>;
  flusher?: Partial<FlusherOptions>;
}

export interface XpCore {
  store: Store;
  /** The store's read ports (`reads` is the XP one); a PostgreSQL store answers with promises. */
  stores: ReadPorts;
  reads: ReadPorts['xp'];
  writer: Writer;
  engine: XpEngine;
  flusher: Flusher;
  setEffects(effects: LevelUpEffects): void;
  /** Final flush, then closes the writer and the database. Resolves false if buffered XP could not be saved. */
  stop(): Promise<boolean>;
}

/** A core on the SQLite file: synchronous reads, and the connection for tests and tools. */
export interface SqliteCore extends XpCore {
  db: Db;
  stores: SqliteReads;
  reads: SqliteReads['xp'];
}

/** The core on the SQLite file (synchronous: tests, the demo and the benches build it so). */
export function createCore(options: CoreOptions): SqliteCore {
  // Each process stamps its flushes with its own id, so readers can tell whether in-flight gains are committed.
  const store = openSqliteStore(options.dbPath, randomUUID(), options.writer === 'inline' ? 'inline' : 'worker');
  return { ...assemble(store, options), db: store.db, stores: store.reads, reads: store.reads.xp };
}

/** The core on the store the options name: PostgreSQL for a postgres:// `databaseUrl`, else the SQLite file. */
export async function openCore(options: CoreOptions): Promise<XpCore> {
  if (!isPostgresUrl(options.databaseUrl)) return createCore(options);
  return assemble(await openPgStore(options.databaseUrl, randomUUID()), options);
}

function assemble(store: Store, options: CoreOptions): XpCore {
  const { reads, writer } = store;
  let effects: LevelUpEffects = options.effects ?? { apply: async () => {} };
  const engine = new XpEngine({
    reads: reads.xp,
    writes: writer.xp,
    effects: { apply: (e) => effects.apply(e) },
    clock: options.clock,
    logger: options.logger,
    options: options.engine ?? {},
    flushSeq: store.flushSeq,
    erasureSeen: store.erasureSeen,
  });
  const flusher = new Flusher(engine, writer.xp, options.scheduler, options.clock, options.logger, options.flusher ?? {});
  let stopped: Promise<boolean> | null = null;
  return {
    store,
    stores: reads,
    reads: reads.xp,
    writer,
    engine,
    flusher,
    setEffects(next) {
      effects = next;
    },
    stop() {
      stopped ??= (async () => {
        const saved = await flusher.stop();
        await store.close();
        return saved;
      })();
      return stopped;
    },
  };
}
