/**
 * The stores the contract suite runs against: the SQLite file and a real PostgreSQL database (DESIGN §7.1). Each
 * test gets a fresh, migrated store through the same ports.
 */
import { openDatabase } from '../../../src/storage/database.js';
import { XpReadStore } from '../../../src/storage/xp-reads.js';
import { XpWriteStore } from '../../../src/storage/xp-writes.js';
import { RoleQueueReads, RoleQueueWrites } from '../../../src/storage/role-queue.js';
import type { Port } from '../../../src/storage/ports.js';
import { openPg, type PgPool } from '../../../src/storage/pg/pool.js';
import { PgXpReads, PgXpWrites } from '../../../src/storage/pg/xp-store.js';
import { PgRoleQueueReads, PgRoleQueueWrites } from '../../../src/storage/pg/role-queue.js';
import { GuildJobReads, GuildJobWrites } from '../../../src/storage/guild-jobs.js';
import { PgGuildJobReads, PgGuildJobWrites } from '../../../src/storage/pg/guild-jobs.js';
import { openSqliteStore, openPgStore, type Store } from '../../../src/storage/store.js';
import { BoardScans, SqlitePeriodSource } from '../../../src/storage/period-reads.js';
import { PeriodBoards, type PeriodSource } from '../../../src/boards/period-boards.js';
import { HistoryReads, HistoryWrites } from '../../../src/storage/history.js';
import { PgHistoryReads, PgHistoryWrites, PgPeriodSource } from '../../../src/storage/pg/history.js';
import { tempDbPath } from '../../helpers/temp.js';
import { pgDatabaseUrl } from '../../helpers/pg.js';

export interface StoreUnderTest {
  reads: Port<XpReadStore>;
  xp: Port<XpWriteStore>;
  roleReads: Port<RoleQueueReads>;
  roleWrites: Port<RoleQueueWrites>;
  jobs: Port<GuildJobWrites>;
  jobReads: Port<GuildJobReads>;
  /** Period boards over the store's rows, not fed by the writes above: every read checks the generation. */
  periods: PeriodBoards;
  /** What the boards read from the store. */
  periodSource: PeriodSource;
  history: Port<HistoryReads>;
  historyWrites: Port<HistoryWrites>;
  /** Another writer (another process) on the same store. */
  writer(writerId: string): Port<XpWriteStore>;
  /** Rows of a query (parameters `?`), for what no port reads; integers as numbers, ids as text where cast. */
  rows(sql: string, ...params: unknown[]): Promise<Record<string, unknown>[]>;
  /** Rows of a read-only query written for both stores (lower-case column aliases, numbers as strings). */
  query(sql: string, params?: unknown[]): Promise<Record<string, string>[]>;
  close(): Promise<void>;
}

/** Values as strings, so SQLite's numbers and PostgreSQL's BIGINT strings compare alike. */
function asStrings(rows: Record<string, unknown>[]): Record<string, string>[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)])));
}

export type StoreKind = 'sqlite' | 'postgres';
export const STORE_KINDS: readonly StoreKind[] = ['sqlite', 'postgres'];

export async function openStoreUnderTest(kind: StoreKind, writerId = 'w1'): Promise<StoreUnderTest & { pool?: PgPool; url?: string }> {
  if (kind === 'sqlite') {
    const path = tempDbPath();
    const db = openDatabase(path);
    const others: { close(): void }[] = [];
    const roleWrites = new RoleQueueWrites(db);
    const scans = new BoardScans(db);
    const periodSource = new SqlitePeriodSource(db, async (g, p) => scans.scan(g, p));
    return {
      reads: new XpReadStore(db, writerId),
      xp: new XpWriteStore(db, writerId, Date.now, roleWrites),
      roleReads: new RoleQueueReads(db),
      roleWrites,
      jobs: new GuildJobWrites(db, roleWrites),
      jobReads: new GuildJobReads(db),
      rows: async (sql, ...params) => db.prepare(sql).all(...params) as Record<string, unknown>[],
      periods: new PeriodBoards(periodSource),
      periodSource,
      history: new HistoryReads(db),
      historyWrites: new HistoryWrites(db),
      writer(id) {
        const other = openDatabase(path);
        others.push(other);
        return new XpWriteStore(other, id);
      },
      async query(sql, params = []) {
        // $1, $2 … (PostgreSQL's placeholders, each used once and in order) become SQLite's ?.
        return asStrings(db.prepare(sql.replace(/\$\d+/g, '?')).safeIntegers(true).all(...params) as Record<string, unknown>[]);
      },
      async close() {
        for (const o of others) o.close();
        db.close();
      },
    };
  }
  const url = await pgDatabaseUrl();
  const pool = await openPg(url);
  const periodSource = new PgPeriodSource(pool);
  return {
    pool,
    url,
    reads: new PgXpReads(pool, writerId),
    xp: new PgXpWrites(pool, writerId),
    roleReads: new PgRoleQueueReads(pool),
    roleWrites: new PgRoleQueueWrites(pool),
    jobs: new PgGuildJobWrites(pool),
    jobReads: new PgGuildJobReads(pool),
    periods: new PeriodBoards(periodSource),
    periodSource,
    history: new PgHistoryReads(pool),
    historyWrites: new PgHistoryWrites(pool),
    writer: (id) => new PgXpWrites(pool, id),
    rows: async (sql, ...params) => {
      let n = 0;
      const r = await pool.query(sql.replace(/\?/g, () => `$${++n}`), params);
      return r.rows.map((row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+$/.test(v) && !/^(g|u)$/.test(k) ? Number(v) : v])));
    },
    query: async (sql, params = []) => asStrings((await pool.query(sql, params)).rows as Record<string, unknown>[]),
    close: () => pool.end(),
  };
}

/** A whole store (every port and the writer) on a fresh database; `opened` collects it for closing after the test. */
export async function openWholeStore(kind: StoreKind, opened: Store[]): Promise<Store> {
  const s = kind === 'sqlite' ? (openSqliteStore(tempDbPath(), 'w', 'inline') as unknown as Store) : await openPgStore(await pgDatabaseUrl(), 'w');
  opened.push(s);
  return s;
}

/**
 * Two whole stores on one fresh database, as two processes see it; `opened` collects them for closing. The second
 * SQLite store writes through its own thread (`writer`: 'worker') where a test needs a second connection writing.
 */
export async function openTwoProcesses(kind: StoreKind, opened: Store[], writer: 'inline' | 'worker' = 'inline'): Promise<[Store, Store]> {
  if (kind === 'sqlite') {
    const path = tempDbPath();
    const pair = [openSqliteStore(path, 'a', 'inline'), openSqliteStore(path, 'b', writer)] as unknown as [Store, Store];
    opened.push(...pair);
    return pair;
  }
  const url = await pgDatabaseUrl();
  const pair: [Store, Store] = [await openPgStore(url, 'a'), await openPgStore(url, 'b')];
  opened.push(...pair);
  return pair;
}
