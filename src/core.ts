/**
 * Assembles the XP core — database, reads, writer, engine, flusher — from explicit dependencies. The bot, the
 * demo, the tests and the benches all build it here, so they run the same wiring.
 */
import { randomUUID } from 'node:crypto';
import { openDatabase, type Db } from './storage/database.js';
import { XpReadStore } from './storage/xp-reads.js';
import { inlineWriter, workerWriter } from './storage/writer.js';
import type { Writer } from './storage/write-modules.js';
import { XpEngine, type EngineOptions } from './engine/xp-engine.js';
import { Flusher, type FlusherOptions } from './engine/flusher.js';
import type { LevelUpEffects } from './engine/ports.js';
import type { Clock, Scheduler } from './util/clock.js';
import type { Logger } from './util/logger.js';

export interface CoreOptions {
  /** SQLite file path. */
  dbPath: string;
  clock: Clock;
  scheduler: Scheduler;
  logger: Logger;
  /** Where level-up side effects go (the Discord layer); may be set later with `core.setEffects`. */
  effects?: LevelUpEffects;
  /** 'worker' (default): writes in a worker thread with its own connection. 'inline': on the main thread. */
  writer?: 'worker' | 'inline';
  engine?: Partial<EngineOptions>;
  flusher?: Partial<FlusherOptions>;
}

export interface XpCore {
  db: Db;
  reads: XpReadStore;
  writer: Writer;
  engine: XpEngine;
  flusher: Flusher;
  setEffects(effects: LevelUpEffects): void;
  /** Final flush, then closes the writer and the database. Resolves false if buffered XP could not be saved. */
  stop(): Promise<boolean>;
}

export function createCore(options: CoreOptions): XpCore {
  const db = openDatabase(options.dbPath);
  // Each process stamps its flushes with its own id, so readers can tell whether in-flight gains are committed.
  const writerId = randomUUID();
  const writer =
    options.writer === 'inline' ? inlineWriter(db, { writerId }) : workerWriter({ path: options.dbPath, writerId });
  const reads = new XpReadStore(db, writerId);
  let effects: LevelUpEffects = options.effects ?? { apply: async () => {} };
  const engine = new XpEngine({
    reads,
    writes: writer.xp,
    effects: { apply: (e) => effects.apply(e) },
    clock: options.clock,
    logger: options.logger,
    options: options.engine ?? {},
  });
  const flusher = new Flusher(engine, writer.xp, options.scheduler, options.clock, options.logger, options.flusher ?? {});
  let stopped: Promise<boolean> | null = null;
  return {
    db,
    reads,
    writer,
    engine,
    flusher,
    setEffects(next) {
      effects = next;
    },
    stop() {
      stopped ??= (async () => {
        const saved = await flusher.stop();
        await writer.close();
        db.close();
        return saved;
      })();
      return stopped;
    },
  };
}
