/**
 * Period boards held in memory (DESIGN §15.2): this process's flushes and leaves move them in place, anything else
 * (another process's flush, an erasure, rows an erasure dropped from a batch) makes the next read build them again,
 * and every answer equals a brute-force read of the rows. On a real SQLite file with two writer connections.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/storage/database.js';
import { XpWriteStore } from '../../src/storage/xp-writes.js';
import { BoardScans, SqlitePeriodSource } from '../../src/storage/period-reads.js';
import { PeriodBoards, type PeriodScan } from '../../src/boards/period-boards.js';
import { PrivacyWriteStore } from '../../src/storage/privacy-writes.js';
import type { FlushBatch } from '../../src/engine/ports.js';
import { tempDbPath } from '../helpers/temp.js';
import { openSqliteStore } from '../../src/storage/store.js';

const G = '1000000000000000001';
const WEEK = 10_020_458;
const MONTH = 20_000_683;
const user = (i: number) => String(9_000_000_000_000_000_000n + BigInt(i));

let dbs: Db[] = [];
afterEach(() => {
  for (const d of dbs) d.close();
  dbs = [];
});

function setup(maxEntries?: number) {
  const path = tempDbPath();
  const open = () => {
    const d = openDatabase(path);
    dbs.push(d);
    return d;
  };
  const db = open();
  const scans: number[] = [];
  const scanner = new BoardScans(open());
  const boards = new PeriodBoards(
    new SqlitePeriodSource(db, async (g, p): Promise<PeriodScan> => {
      scans.push(p);
      return scanner.scan(g, p);
    }),
    maxEntries,
  );
  const mine = new XpWriteStore(open(), 'mine');
  let seq = 0;
  /** This process's flush, its outcome handed to the boards as the store's writer does. */
  const flush = (gains: [number, number][], periods = [WEEK, MONTH], erasureSeen?: number) => {
    const batch: FlushBatch = {
      seq: ++seq,
      rows: gains.map(([u, xp]) => ({ guildId: G, userId: user(u), xp, awarded: 0 })),
      voice: [],
      periods: gains.flatMap(([u, xp]) => periods.map((period) => ({ guildId: G, userId: user(u), period, xp }))),
      ...(erasureSeen !== undefined ? { erasureSeen } : {}),
    };
    boards.flushed(batch, mine.flush(batch));
  };
  const leave = (u: number, present = false) => boards.membershipChanged(G, user(u), present, mine.setMembership(G, user(u), present, 1000));
  /** The board as the rows say it is: members who have not left, XP descending then id. */
  const truth = (period: number) =>
    (db
      .prepare(`SELECT CAST(UserId AS TEXT) AS userId, CASE WHEN WeekId = @p THEN WeekXp WHEN PrevWeekId = @p THEN PrevWeekXp WHEN MonthId = @p THEN MonthXp ELSE PrevMonthXp END AS xp
        FROM UserXpStats WHERE GuildId = @g AND HasLeft = 0 AND @p IN (WeekId, PrevWeekId, MonthId, PrevMonthId)`)
      .all({ g: BigInt(G), p: period }) as { userId: string; xp: number }[]).sort((a, b) => b.xp - a.xp || (BigInt(a.userId) < BigInt(b.userId) ? -1 : 1));
  const agrees = async (period: number) => {
    const expected = truth(period);
    expect(await boards.memberCount(G, period)).toBe(expected.length);
    expect(await boards.leaderboard(G, period, 0, expected.length + 5)).toEqual(expected);
    for (const [i, r] of expected.entries()) expect(await boards.rank(G, r.userId, period)).toBe(i + 1);
  };
  return { path, open, db, boards, scans, flush, leave, truth, agrees, mine };
}

/** A deterministic stream of gains: ties, members coming and going. */
function gains(seed: number, n: number, members: number): [number, number][] {
  let s = seed;
  const rnd = () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31), s);
  return Array.from({ length: n }, () => [rnd() % members, 1 + (rnd() % 5)] as [number, number]);
}

describe('period boards in memory (DESIGN §15.2)', () => {
  it('given a board held then this process\'s flushes and leaves move it in place, without reading the rows again, and it always equals the rows', async () => {
    const t = setup();
    t.flush(gains(1, 50, 40));
    await t.agrees(WEEK);
    expect(t.scans).toEqual([WEEK]);
    for (let round = 0; round < 20; round++) {
      t.flush(gains(100 + round, 30, 60));
      if (round % 5 === 2) await t.leave(round);
      await t.agrees(WEEK);
    }
    expect(t.scans).toEqual([WEEK]);
    // A member who left and whose buffered XP is written afterwards stays off the board.
    await t.leave(7);
    t.flush([[7, 50]]);
    expect((await t.boards.leaderboard(G, WEEK, 0, 100)).some((r) => r.userId === user(7))).toBe(false);
    await t.agrees(WEEK);
    // Coming back: their row is read (one member, not the board), with the XP written while they were away.
    await t.leave(7, true);
    expect(await t.boards.entry(G, user(7), WEEK)).toEqual({ xp: t.truth(WEEK).find((r) => r.userId === user(7))!.xp, rank: expect.any(Number) });
    await t.agrees(WEEK);
    // A member coming back with no XP this week stays off it; one joining with no row changes nothing.
    await t.leave(8);
    await t.leave(8, true);
    await t.leave(9_999, true);
    await t.agrees(WEEK);
    expect(t.scans).toEqual([WEEK]);
  });

  it('given a member whose row says they left before this process started then XP they earn is not put on a board held (a rejoin the bot missed)', async () => {
    const t = setup();
    t.flush(gains(5, 30, 20));
    // An earlier run recorded the leave; the rejoin came while the bot was offline, on a server too large for the
    // member list at start-up, so the row still says left when the member speaks.
    t.mine.setMembership(G, user(3), false, 1000);
    const fresh = new PeriodBoards(new SqlitePeriodSource(t.db, async (g, p) => new BoardScans(t.db).scan(g, p)));
    expect((await fresh.leaderboard(G, WEEK, 0, 100)).some((r) => r.userId === user(3))).toBe(false);
    const batch: FlushBatch = {
      seq: 1000,
      rows: [{ guildId: G, userId: user(3), xp: 500, awarded: 0 }],
      voice: [],
      periods: [{ guildId: G, userId: user(3), period: WEEK, xp: 500 }],
    };
    fresh.flushed(batch, t.mine.flush(batch));
    // The row is hidden, as on the all-time board and on a board built again: the board held agrees with it.
    expect((await fresh.leaderboard(G, WEEK, 0, 100)).map((r) => r.userId)).toEqual(t.truth(WEEK).map((r) => r.userId));
    expect(t.truth(WEEK).some((r) => r.userId === user(3))).toBe(false);
  });

  it('given another process writing to the file then the next read builds the board again and equals the rows', async () => {
    const t = setup();
    t.flush(gains(2, 40, 30));
    await t.agrees(WEEK);
    const other = new XpWriteStore(t.open(), 'other');
    other.flush({ seq: 1, rows: [{ guildId: G, userId: user(3), xp: 900, awarded: 0 }], voice: [], periods: [{ guildId: G, userId: user(3), period: WEEK, xp: 900 }] });
    // This process's next flush finds the board a generation behind: it is dropped, not moved.
    t.flush([[4, 2]]);
    await t.agrees(WEEK);
    expect(t.scans).toEqual([WEEK, WEEK]);
    expect((await t.boards.leaderboard(G, WEEK, 0, 1))[0]!.userId).toBe(user(3));
    // A member list sync from another process (a leave) the same way.
    other.setMembership(G, user(3), false, 5);
    await t.agrees(WEEK);
    expect(t.scans).toHaveLength(3);
  });

  it('given an erasure then boards are read again, and a batch an erasure cut is not added', async () => {
    const t = setup();
    t.flush(gains(3, 40, 20));
    await t.agrees(MONTH);
    new PrivacyWriteStore(t.open()).eraseMember(user(5), 1);
    await t.agrees(MONTH);
    expect(t.scans).toEqual([MONTH, MONTH]);
    // The batch was taken before the erasure (erasureSeen 0): the writer drops the member's rows, and the boards
    // cannot trust the batch.
    t.flush([[5, 10], [6, 1]], [WEEK, MONTH], 0);
    await t.agrees(MONTH);
    expect(t.scans).toEqual([MONTH, MONTH, MONTH]);
    expect((await t.boards.leaderboard(G, MONTH, 0, 100)).some((r) => r.userId === user(5))).toBe(false);
  });

  it('given more members than the boards may hold then the least recently used board goes and comes back on its next read', async () => {
    const t = setup(30);
    t.flush(gains(4, 60, 25));
    await t.agrees(WEEK);
    await t.agrees(MONTH); // week and month together exceed 30 members: the week goes
    await t.agrees(WEEK);
    expect(t.scans).toEqual([WEEK, MONTH, WEEK]);
  });

  it('given the same batches through the writer thread and written inline then the rows and the boards agree', async () => {
    const batches: FlushBatch[] = [1, 2, 3].map((seq) => {
      const g = gains(seq * 11, 40, 25);
      return {
        seq,
        rows: g.map(([u, xp]) => ({ guildId: G, userId: user(u), xp: seq === 2 ? -xp : xp, awarded: seq === 2 ? -xp : 0, earnedDay: 20_458 + seq })),
        voice: [],
        history: g.map(([u, xp]) => ({ guildId: G, userId: user(u), day: 20_458 + seq, source: seq === 2 ? 3 : 1, xp: seq === 2 ? -xp : xp })),
        // The third batch spans a rollover: last week's and this week's XP for the same members.
        periods: g.flatMap(([u, xp]) => [
          { guildId: G, userId: user(u), period: WEEK, xp: seq === 2 ? -xp : xp },
          ...(seq === 3 ? [{ guildId: G, userId: user(u), period: WEEK + 7, xp: 1 }] : []),
        ]),
      };
    });
    const thread = openSqliteStore(tempDbPath(), 'w', 'worker');
    const inline = openSqliteStore(tempDbPath(), 'w', 'inline');
    try {
      await thread.reads.periods.memberCount(G, WEEK); // a board held before the flushes: they must move it
      for (const b of batches) {
        await thread.writer.xp.flush(b);
        await inline.writer.xp.flush(b);
      }
      const rows = (db: Db) => db.prepare('SELECT * FROM UserXpStats ORDER BY GuildId, UserId').safeIntegers(true).all();
      const history = (db: Db) => db.prepare('SELECT * FROM XpHistoryDaily ORDER BY GuildId, Day, UserId, Source').safeIntegers(true).all();
      expect(rows(thread.db)).toEqual(rows(inline.db));
      expect(history(thread.db)).toEqual(history(inline.db));
      for (const period of [WEEK, WEEK + 7]) {
        expect(await thread.reads.periods.leaderboard(G, period, 0, 100)).toEqual(await inline.reads.periods.leaderboard(G, period, 0, 100));
      }
    } finally {
      await thread.close();
      await inline.close();
    }
  });

  it('given a return whose row cannot be read then the write still stands and the board is built again at the next read', async () => {
    let gen = 1;
    let scans = 0;
    const boards = new PeriodBoards({
      version: () => ({ gen, erasure: 0 }),
      scan: async () => (scans++, { gen, erasure: 0, users: [5n], xp: [10] }),
      memberXp: () => ({ xp: 0, hasLeft: false }),
      boardEntry: () => {
        throw new Error('database is locked');
      },
    });
    expect(await boards.memberCount(G, WEEK)).toBe(1);
    gen = 2;
    await expect(boards.membershipChanged(G, '6', true, { generations: [[G, 2]] })).resolves.toBeUndefined();
    expect(await boards.memberCount(G, WEEK)).toBe(1);
    expect(scans).toBe(2);
  });

  it('given boards that cannot follow a committed flush then the flush still succeeds and the boards are read again', async () => {
    const store = openSqliteStore(tempDbPath(), 'w', 'inline');
    try {
      const rows = [{ guildId: G, userId: user(1), xp: 5, awarded: 0 }];
      await store.writer.xp.flush({ seq: 1, rows, voice: [], periods: [{ guildId: G, userId: user(1), period: WEEK, xp: 5 }] });
      expect(await store.reads.periods.memberCount(G, WEEK)).toBe(1);
      store.reads.periods.flushed = () => {
        throw new Error('a board bug');
      };
      const batch: FlushBatch = { seq: 2, rows: [{ guildId: G, userId: user(2), xp: 7, awarded: 0 }], voice: [], periods: [{ guildId: G, userId: user(2), period: WEEK, xp: 7 }] };
      await expect(store.writer.xp.flush(batch)).resolves.toEqual({ generations: [[G, 2]] });
      expect(await store.reads.periods.leaderboard(G, WEEK, 0, 10)).toEqual([{ userId: user(2), xp: 7 }, { userId: user(1), xp: 5 }]);
    } finally {
      await store.close();
    }
  });
});
