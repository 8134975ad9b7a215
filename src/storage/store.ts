/**
 * A store: the read ports and the writer of one database, SQLite or PostgreSQL (DESIGN §7.1). `DATABASE_URL` set to
 * a postgres:// URL selects PostgreSQL; otherwise the SQLite file as before.
 */
import type { Db } from './database.js';
import { openDatabase } from './database.js';
import { XpReadStore } from './xp-reads.js';
import { RoleQueueReads } from './role-queue.js';
import { ShopReadStore } from './shop-reads.js';
import { WalletReadStore } from './wallet-reads.js';
import { ClubReadStore } from './club-reads.js';
import { GuildJobReads } from './guild-jobs.js';
import { PrivacyReadStore } from './privacy-reads.js';
import { WebReadStore } from './web-reads.js';
import { BoardScans, SqlitePeriodSource } from './period-reads.js';
import { PeriodBoards, type BoardChange, type PeriodScan } from '../boards/period-boards.js';
import { HistoryReads } from './history.js';
import { SeasonReads } from './seasons.js';
import { DecayReads } from './decay.js';
import { inlineWriter, workerWriter } from './writer.js';
import type { Writer } from './write-modules.js';
import type { Port } from './ports.js';
import { openPg, type PgPool } from './pg/pool.js';
import { PgXpReads } from './pg/xp-store.js';
import { PgRoleQueueReads } from './pg/role-queue.js';
import { PgShopReads, PgWalletReads } from './pg/shop-wallet.js';
import { PgClubReads } from './pg/clubs.js';
import { PgGuildJobReads } from './pg/guild-jobs.js';
import { PgPrivacyReads } from './pg/privacy.js';
import { PgWebReads } from './pg/web.js';
import { PgHistoryReads, PgPeriodSource } from './pg/history.js';
import { PgSeasonReads } from './pg/seasons.js';
import { PgDecayReads } from './pg/decay.js';
import { pgWriter } from './pg/writer.js';

export interface ReadPorts {
  xp: Port<XpReadStore>;
  roles: Port<RoleQueueReads>;
  shop: Port<ShopReadStore>;
  wallet: Port<WalletReadStore>;
  clubs: Port<ClubReadStore>;
  jobs: Port<GuildJobReads>;
  privacy: Port<PrivacyReadStore>;
  /** What the web pages and the API read (DESIGN §14). */
  web: Port<WebReadStore>;
  /** Week, month and season boards (DESIGN §15.2), held in memory (src/boards). */
  periods: PeriodBoards;
  /** Members' daily XP history (DESIGN §15.1). */
  history: Port<HistoryReads>;
  /** Seasons and their archived standings (DESIGN §15.3). */
  seasons: Port<SeasonReads>;
  /** XP decay: members' last days of earning, exempt roles, the daily run (DESIGN §15.4). */
  decay: Port<DecayReads>;
}

export interface Store {
  kind: 'sqlite' | 'postgres';
  reads: ReadPorts;
  writer: Writer;
  /** This writer's last committed flush (the engine numbers on from it). */
  flushSeq: number;
  /** The newest erasure when the store was opened (the engine applies those after it). */
  erasureSeen: number;
  /** Closes the writer, then the connections. */
  close(): Promise<void>;
}

/** The SQLite store's reads are synchronous (tests and tools use them so). */
export interface SqliteReads {
  xp: XpReadStore;
  roles: RoleQueueReads;
  shop: ShopReadStore;
  wallet: WalletReadStore;
  clubs: ClubReadStore;
  jobs: GuildJobReads;
  privacy: PrivacyReadStore;
  web: WebReadStore;
  periods: PeriodBoards;
  history: HistoryReads;
  seasons: SeasonReads;
  decay: DecayReads;
}

export interface SqliteStore extends Omit<Store, 'reads'> {
  kind: 'sqlite';
  db: Db;
  reads: SqliteReads;
}

/**
 * The SQLite reads. `periods`: the process's period boards; by default their sorted reads run on this connection
 * (tools and tests without a writer thread).
 */
export function sqliteReads(db: Db, writerId: string, periods = inlineBoards(db)): SqliteReads {
  const xp = new XpReadStore(db, writerId);
  return {
    xp,
    roles: new RoleQueueReads(db),
    shop: new ShopReadStore(db),
    wallet: new WalletReadStore(db),
    clubs: new ClubReadStore(db),
    jobs: new GuildJobReads(db),
    privacy: new PrivacyReadStore(db),
    web: new WebReadStore(db, xp, periods),
    periods,
    history: new HistoryReads(db),
    seasons: new SeasonReads(db),
    decay: new DecayReads(db),
  };
}

/** The SQLite file; writes in a worker thread with its own connection ('worker', the default) or on this one. */
export function openSqliteStore(path: string, writerId: string, writer: 'worker' | 'inline' = 'worker'): SqliteStore {
  const db = openDatabase(path);
  const w = writer === 'inline' ? inlineWriter(db, { writerId }) : workerWriter({ path, writerId });
  const boards = sqliteBoards(db, (g, p) => w.boards.scan(g, p));
  const reads = sqliteReads(db, writerId, boards);
  return {
    kind: 'sqlite',
    db,
    reads,
    writer: feedingBoards(w, boards),
    flushSeq: reads.xp.lastFlushSeq(),
    erasureSeen: reads.xp.lastErasureId(),
    async close() {
      await w.close();
      db.close();
    },
  };
}

export interface PgStore extends Store {
  kind: 'postgres';
  pool: PgPool;
}

export async function openPgStore(url: string, writerId: string, options: { max?: number } = {}): Promise<PgStore> {
  const pool = await openPg(url, options);
  const xp = new PgXpReads(pool, writerId);
  const periods = new PeriodBoards(new PgPeriodSource(pool));
  const reads: ReadPorts = {
    xp,
    roles: new PgRoleQueueReads(pool),
    shop: new PgShopReads(pool),
    wallet: new PgWalletReads(pool),
    clubs: new PgClubReads(pool),
    jobs: new PgGuildJobReads(pool),
    privacy: new PgPrivacyReads(pool),
    web: new PgWebReads(pool, xp, periods),
    periods,
    history: new PgHistoryReads(pool),
    seasons: new PgSeasonReads(pool),
    decay: new PgDecayReads(pool),
  };
  return {
    kind: 'postgres',
    pool,
    reads,
    writer: feedingBoards(pgWriter(pool, writerId), periods),
    flushSeq: await reads.xp.lastFlushSeq(),
    erasureSeen: await reads.xp.lastErasureId(),
    close: () => pool.end(),
  };
}

function sqliteBoards(db: Db, scan: (guildId: string, period: number) => Promise<PeriodScan>): PeriodBoards {
  return new PeriodBoards(new SqlitePeriodSource(db, scan));
}

/** Boards whose sorted reads run on `db` itself (no writer thread). */
function inlineBoards(db: Db): PeriodBoards {
  const scans = new BoardScans(db);
  return sqliteBoards(db, async (g, p) => scans.scan(g, p));
}

/**
 * The writer with this process's boards following its writes (src/boards): a committed flush adds its period XP to
 * the boards held, a member leaving takes them off; a member list sync makes the server's boards read again.
 */
function feedingBoards(writer: Writer, boards: PeriodBoards): Writer {
  const xp: Writer['xp'] = new Proxy(writer.xp, {
    get(target, name, receiver) {
      if (name === 'flush')
        return async (batch: Parameters<Writer['xp']['flush']>[0]) => {
          const change = await target.flush(batch);
          // The batch is committed whatever the boards make of it: a board that cannot follow is read again.
          try {
            boards.flushed(batch, change);
          } catch {
            for (const [guildId] of change.generations) boards.forget(guildId);
          }
          return change;
        };
      if (name === 'setMembership')
        return async (guildId: string, userId: string, present: boolean, at: number): Promise<BoardChange> => {
          const change = await target.setMembership(guildId, userId, present, at);
          await boards.membershipChanged(guildId, userId, present, change);
          return change;
        };
      if (name === 'reconcileMembers')
        return async (guildId: string, memberIds: readonly string[], at: number) => {
          const changed = await target.reconcileMembers(guildId, memberIds, at);
          if (changed.left + changed.back > 0) boards.forget(guildId);
          return changed;
        };
      return Reflect.get(target, name, receiver) as unknown;
    },
  });
  return new Proxy(writer, { get: (target, name, receiver) => (name === 'xp' ? xp : (Reflect.get(target, name, receiver) as unknown)) });
}
