/**
 * Migration 28 on both stores (DESIGN §15.2): an existing database's per-period rows become each member's two newest
 * periods of each kind on their row, and the boards read from the slots show what the rows said.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';
import { migrations } from '../../src/storage/migrations.js';
import { pgMigrations } from '../../src/storage/pg/migrations.js';
import { openPg, type PgPool } from '../../src/storage/pg/pool.js';
import { openSqliteStore, openPgStore, type Store } from '../../src/storage/store.js';
import { tempDbPath } from '../helpers/temp.js';
import { pgDatabaseUrl } from '../helpers/pg.js';

const G = '9223372036854775801';
const U = '9223372036854775802';
const V = '9007199254740993';
const W = (day: number) => 10_000_000 + day;
/** Before 28: three weeks for U (the oldest in no board anyone reads), one for V who left; two months; a season. */
const ROWS: [string, number, number, number][] = [
  [U, W(20_440), 5, 0],
  [U, W(20_447), 7, 0],
  [U, W(20_454), 11, 0],
  [U, 20_000_671, 40, 0],
  [U, 20_000_672, 9, 0],
  [U, 30_000_001, 23, 0],
  [V, W(20_454), 99, 1],
];

const opened: Store[] = [];
const pools: PgPool[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  for (const p of pools.splice(0)) await p.end();
});

async function expectBoards(s: Store): Promise<void> {
  const p = s.reads.periods;
  expect(await p.leaderboard(G, W(20_454), 0, 10)).toEqual([{ userId: U, xp: 11 }]); // V left: hidden
  expect(await p.leaderboard(G, W(20_447), 0, 10)).toEqual([{ userId: U, xp: 7 }]);
  expect(await p.leaderboard(G, W(20_440), 0, 10)).toEqual([]);
  expect(await p.leaderboard(G, 20_000_672, 0, 10)).toEqual([{ userId: U, xp: 9 }]);
  expect(await p.leaderboard(G, 20_000_671, 0, 10)).toEqual([{ userId: U, xp: 40 }]);
  expect(await p.leaderboard(G, 30_000_001, 0, 10)).toEqual([{ userId: U, xp: 23 }]);
  expect(await p.memberXp(G, V, W(20_454))).toEqual({ xp: 99, hasLeft: true });
}

describe('migration 28: period totals onto the member row', () => {
  it('given per-period rows in a SQLite file at version 27 then the slots hold the two newest per kind', async () => {
    const path = tempDbPath();
    const v27 = openDatabase(path, { migrations: migrations.slice(0, 27) });
    for (const u of [U, V]) v27.prepare('INSERT INTO UserXpStats (GuildId, UserId, Xp, HasLeft) VALUES (?, ?, 100, ?)').run(BigInt(G), BigInt(u), u === V ? 1 : 0);
    for (const [u, period, xp, left] of ROWS) v27.prepare('INSERT INTO XpPeriodTotal (GuildId, UserId, Period, Xp, HasLeft) VALUES (?, ?, ?, ?, ?)').run(BigInt(G), BigInt(u), period, xp, left);
    v27.close();
    const s = openSqliteStore(path, 'w', 'inline');
    opened.push(s as unknown as Store);
    expect(s.db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('XpPeriodTotal', 'XpPeriodRankBucket')").pluck().get()).toBe(0);
    expect(s.db.prepare('SELECT WeekId, WeekXp, PrevWeekId, PrevWeekXp FROM UserXpStats WHERE UserId = ?').get(BigInt(U))).toEqual({ WeekId: W(20_454), WeekXp: 11, PrevWeekId: W(20_447), PrevWeekXp: 7 });
    await expectBoards(s as unknown as Store);
  });

  it('given per-period rows in a PostgreSQL database at version 27 then the same', async () => {
    const url = await pgDatabaseUrl();
    const pool = await openPg(url, { migrations: pgMigrations.slice(0, 27) });
    pools.push(pool);
    for (const u of [U, V]) await pool.query('INSERT INTO UserXpStats (GuildId, UserId, Xp, HasLeft) VALUES ($1, $2, 100, $3)', [G, u, u === V ? 1 : 0]);
    for (const [u, period, xp, left] of ROWS) await pool.query('INSERT INTO XpPeriodTotal (GuildId, UserId, Period, Xp, HasLeft) VALUES ($1, $2, $3, $4, $5)', [G, u, period, xp, left]);
    const s = await openPgStore(url, 'w');
    opened.push(s);
    expect((await s.pool.query("SELECT COUNT(*)::int AS n FROM pg_tables WHERE tablename IN ('xpperiodtotal', 'xpperiodrankbucket')")).rows[0].n).toBe(0);
    await expectBoards(s);
  });
});
