/**
 * OrderedBoard (src/boards/ordered-board.ts) against a brute-force model: a plain array kept sorted in board order
 * (xp descending, then userId ascending). Small block sizes make a few dozen entries split and merge blocks, so
 * every path of the block list and of the userId table (growth, deletes that shift probe runs) is walked.
 */
import { describe, expect, it } from 'vitest';
import { OrderedBoard } from '../../src/boards/ordered-board.js';
import { mulberry32 } from '../../src/util/prng.js';

type Entry = { userId: bigint; xp: number };

const before = (a: Entry, b: Entry) => a.xp > b.xp || (a.xp === b.xp && a.userId < b.userId);

/** The reference: every operation re-sorts a plain array. */
class Model {
  entries: Entry[] = [];
  xpOf(userId: bigint) {
    return this.entries.find((e) => e.userId === userId)?.xp;
  }
  set(userId: bigint, xp: number) {
    this.delete(userId);
    this.entries.push({ userId, xp });
    this.entries.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  }
  delete(userId: bigint) {
    const i = this.entries.findIndex((e) => e.userId === userId);
    if (i >= 0) this.entries.splice(i, 1);
    return i >= 0;
  }
  position(xp: number, userId: bigint) {
    return this.entries.filter((e) => before(e, { xp, userId })).length;
  }
}

/** Deterministic, so a failure replays from the seed in its message. */
const prng = mulberry32;

const MAX_ID = (1n << 63n) - 1n;

/** Ids that collide in interesting ways: near 2^63-1, sharing a low or a high 32-bit half, small ones. */
function idPool(random: () => number, n: number): bigint[] {
  const pool = new Set<bigint>();
  while (pool.size < n) {
    const kind = Math.floor(random() * 4);
    const r = BigInt(Math.floor(random() * 64));
    if (kind === 0) pool.add(MAX_ID - r);
    else if (kind === 1) pool.add(r << 32n);
    else if (kind === 2) pool.add(((r + 1n) << 40n) | 7n);
    else pool.add(r);
  }
  return [...pool];
}

/** Compares everything the board answers with the model: size, xpOf, every page window, positions. */
function expectSame(board: OrderedBoard, model: Model, ids: bigint[], random: () => number, seed: number) {
  const where = `seed ${seed}`;
  const all = model.entries;
  expect(board.size, where).toBe(all.length);
  expect(board.page(0, all.length + 5), where).toEqual(all);
  for (let offset = 0; offset <= all.length + 1; offset++) {
    const limit = Math.floor(random() * 7);
    expect(board.page(offset, limit), `${where} page(${offset}, ${limit})`).toEqual(all.slice(offset, offset + limit));
  }
  for (const userId of ids) {
    expect(board.xpOf(userId), where).toBe(model.xpOf(userId));
    const xp = model.xpOf(userId) ?? Math.floor(random() * 21) - 10;
    expect(board.position(xp, userId), `${where} position(${xp}, ${userId})`).toBe(model.position(xp, userId));
  }
}

/** Random set, add (negative deltas too) and delete over a small pool of ids and xp values, so ties are common. */
function runRandom(seed: number, blockSize: number, operations: number, start: Entry[] = []) {
  const random = prng(seed);
  const ids = idPool(random, 40);
  const model = new Model();
  for (const e of start) model.set(e.userId, e.xp);
  const board = OrderedBoard.fromSorted(
    model.entries.map((e) => e.userId),
    model.entries.map((e) => e.xp),
    { blockSize },
  );
  expectSame(board, model, ids, random, seed);
  for (let op = 1; op <= operations; op++) {
    const userId = ids[Math.floor(random() * ids.length)]!;
    const roll = random();
    if (roll < 0.4) {
      const xp = Math.floor(random() * 21) - 10;
      board.set(userId, xp);
      model.set(userId, xp);
    } else if (roll < 0.75) {
      const delta = Math.floor(random() * 13) - 6;
      board.add(userId, delta);
      model.set(userId, (model.xpOf(userId) ?? 0) + delta);
    } else {
      expect(board.delete(userId), `seed ${seed} delete ${userId}`).toBe(model.delete(userId));
    }
    if (op % 7 === 0) expectSame(board, model, ids, random, seed);
  }
  expectSame(board, model, ids, random, seed);
}

describe('OrderedBoard against a sorted-array model', () => {
  it('given thousands of random sets, adds and deletes on tiny blocks then every answer matches the model', () => {
    for (let seed = 1; seed <= 12; seed++) runRandom(seed, 2 + (seed % 4), 400);
  });

  it('given a board built from sorted entries then later changes keep matching the model', () => {
    for (let seed = 100; seed <= 105; seed++) {
      const random = prng(seed);
      const start = idPool(random, 30).map((userId) => ({ userId, xp: Math.floor(random() * 9) - 4 }));
      runRandom(seed, 4, 300, start);
    }
  });

  it('given the default block size and a thousand members then positions and pages match the model', () => {
    const random = prng(7);
    const model = new Model();
    const board = new OrderedBoard();
    const ids = Array.from({ length: 1000 }, (_, i) => 1_000_000_000_000_000n + BigInt(i) * 4_194_304n);
    for (let op = 0; op < 5000; op++) {
      const userId = ids[Math.floor(random() * ids.length)]!;
      const delta = Math.floor(random() * 40) - 10;
      board.add(userId, delta);
      model.set(userId, (model.xpOf(userId) ?? 0) + delta);
    }
    expect(board.size).toBe(model.entries.length);
    expect(board.page(0, 2000)).toEqual(model.entries);
    for (let i = 0; i < 200; i++) {
      const e = model.entries[Math.floor(random() * model.entries.length)]!;
      expect(board.position(e.xp, e.userId)).toBe(model.position(e.xp, e.userId));
    }
  });
});

describe('OrderedBoard edge cases', () => {
  const board = () =>
    OrderedBoard.fromSorted(
      [5n, 1n, 2n, 9n, 3n, 4n, 8n],
      [50, 40, 40, 40, 10, 0, -3],
      { blockSize: 2 },
    );

  it('given a page beyond the end then it is empty', () => {
    expect(board().page(7, 5)).toEqual([]);
    expect(board().page(100, 1)).toEqual([]);
  });

  it('given an offset inside the last block then the page holds the tail', () => {
    expect(board().page(6, 5)).toEqual([{ userId: 8n, xp: -3 }]);
    expect(board().page(5, 2)).toEqual([
      { userId: 4n, xp: 0 },
      { userId: 8n, xp: -3 },
    ]);
  });

  it('given ties on xp then the smaller userId ranks first', () => {
    const b = board();
    expect(b.position(40, 2n)).toBe(2);
    expect(b.position(40, 9n)).toBe(3);
    expect(b.position(40, 6n)).toBe(3);
  });

  it('given a member with no entry and xp 0 then its position counts the entries ahead of (0, id)', () => {
    expect(board().position(0, 7n)).toBe(6);
    expect(board().position(0, 1n)).toBe(5);
  });

  it('given a delete of an absent user then it answers false and changes nothing', () => {
    const b = board();
    expect(b.delete(77n)).toBe(false);
    expect(b.size).toBe(7);
    expect(b.page(0, 10).map((e) => e.userId)).toEqual([5n, 1n, 2n, 9n, 3n, 4n, 8n]);
  });

  it('given an empty board then position is 0, pages are empty and xpOf is undefined', () => {
    const b = new OrderedBoard();
    expect(b.position(0, 1n)).toBe(0);
    expect(b.position(-5, MAX_ID)).toBe(0);
    expect(b.page(0, 10)).toEqual([]);
    expect(b.xpOf(1n)).toBeUndefined();
    expect(b.size).toBe(0);
  });

  it('given fromSorted with 0 entries then the board is empty and accepts inserts', () => {
    const b = OrderedBoard.fromSorted(new BigInt64Array(0), new Float64Array(0));
    expect(b.size).toBe(0);
    expect(b.page(0, 1)).toEqual([]);
    b.add(MAX_ID, -4);
    expect(b.page(0, 2)).toEqual([{ userId: MAX_ID, xp: -4 }]);
  });

  it('given a single entry deleted then the board is empty again', () => {
    const b = OrderedBoard.fromSorted([3n], [1]);
    expect(b.delete(3n)).toBe(true);
    expect(b.size).toBe(0);
    expect(b.page(0, 1)).toEqual([]);
    expect(b.position(1, 3n)).toBe(0);
  });

  it('given typed arrays then fromSorted reads them like plain arrays', () => {
    const b = OrderedBoard.fromSorted(BigInt64Array.from([2n ** 62n, MAX_ID]), Float64Array.from([3, 3]));
    expect(b.page(0, 2)).toEqual([
      { userId: 2n ** 62n, xp: 3 },
      { userId: MAX_ID, xp: 3 },
    ]);
  });

  it('given input out of board order or with a repeated userId then fromSorted refuses it', () => {
    expect(() => OrderedBoard.fromSorted([1n, 2n], [1, 2])).toThrow(/board order at index 1/);
    expect(() => OrderedBoard.fromSorted([2n, 1n], [1, 1])).toThrow(/board order at index 1/);
    expect(() => OrderedBoard.fromSorted([1n, 2n, 1n], [3, 2, 1])).toThrow(/appears twice/);
    expect(() => OrderedBoard.fromSorted([1n], [1, 2])).toThrow(/differ in length/);
  });

  it('given a userId outside 0..2^63-1 or an xp that is not a safe integer then nothing changes', () => {
    const b = board();
    expect(() => b.set(1n << 63n, 1)).toThrow(RangeError);
    expect(() => b.set(-1n, 1)).toThrow(RangeError);
    expect(() => b.set(1n, 0.5)).toThrow(RangeError);
    expect(() => b.add(1n, Number.NaN)).toThrow(RangeError);
    expect(() => OrderedBoard.fromSorted([1n << 63n], [1])).toThrow(RangeError);
    expect(() => OrderedBoard.fromSorted(BigInt64Array.from([-1n]), [1])).toThrow(RangeError);
    expect(b.page(0, 10)).toEqual(board().page(0, 10));
    expect(b.xpOf(1n << 63n)).toBeUndefined();
    expect(b.delete(-1n)).toBe(false);
  });

  it('given a block size below 2 then the board refuses it', () => {
    expect(() => new OrderedBoard({ blockSize: 1 })).toThrow(/blockSize/);
  });
});
