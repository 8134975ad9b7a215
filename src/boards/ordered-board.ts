/**
 * One period board's order (xp descending, then userId ascending) kept in memory, so a gain moves an entry here
 * instead of in an ordered database index, and rank and page reads stay cheap at a million members.
 *
 * A list of sorted blocks (the layout of Python's sortedcontainers): inserting shifts one block's entries, not the
 * whole board; rank and page walk the per-block sizes (at most a few thousand) and then search inside one block.
 * Entries live in typed arrays, not one object each, so a 1 000 000-member board costs tens of megabytes; a hash
 * table from userId to xp finds the key of an entry to move or delete.
 */
import { UserXpTable } from './user-xp-table.js';

/** Options of an OrderedBoard; the defaults are DEFAULTS. */
export interface OrderedBoardOptions {
  /**
   * Target entries per block (B, at least 2; default 512). A block splits in two when it reaches 2B entries and
   * takes entries from a neighbour when it falls below B/2. Tests lower it so a few dozen entries split and merge.
   */
  blockSize: number;
}

const DEFAULTS: Required<OrderedBoardOptions> = { blockSize: 512 };

/** The typed arrays hold signed 64-bit integers; a larger bigint would be stored wrapped around, out of order. */
const MAX_USER_ID = (1n << 63n) - 1n;

function checkUserId(userId: bigint): void {
  if (typeof userId !== 'bigint' || userId < 0n || userId > MAX_USER_ID) {
    throw new RangeError(`userId must be a bigint from 0 to 2^63-1, got ${String(userId)}`);
  }
}

/** Plain userIds copied into 64-bit cells, each checked first: the cell would wrap a larger bigint around. */
function toInt64(users: ArrayLike<bigint>): BigInt64Array {
  const ids = new BigInt64Array(users.length);
  for (let i = 0; i < users.length; i++) {
    const u = users[i]!;
    checkUserId(u);
    ids[i] = u;
  }
  return ids;
}

/** A NaN or fractional xp would compare inconsistently and break the order every search relies on. */
function checkXp(xp: number): void {
  if (!Number.isSafeInteger(xp)) throw new RangeError(`xp must be a safe integer, got ${xp}`);
}

function checkCount(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} must be an integer of 0 or more, got ${n}`);
}

/**
 * Entries [0, count) of parallel arrays, in board order; capacity 2B so a block can hold one insert past full.
 * Both arrays share one buffer, and a board built at once carves all its blocks from one buffer: allocating
 * thousands of small typed arrays took ~100 ms per million entries, one large buffer well under 10 ms.
 */
class Block {
  readonly users: BigInt64Array;
  readonly xp: Float64Array;
  count = 0;
  /**
   * The last entry's xp, kept beside the arrays: finding a key's block compares it for about a dozen blocks whose
   * arrays lie far apart in memory, and reading it from them cost a cache miss each (most of an add's time).
   */
  lastXp = 0;

  constructor(capacity: number, buffer = new ArrayBuffer(16 * capacity), byteOffset = 0) {
    this.users = new BigInt64Array(buffer, byteOffset, capacity);
    this.xp = new Float64Array(buffer, byteOffset + 8 * capacity, capacity);
  }

  /** Index of the first entry that does not come before (xp, userId). The bigint is read only on an xp tie. */
  lowerBound(xp: number, userId: bigint): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const x = this.xp[mid]!;
      if (x > xp || (x === xp && this.users[mid]! < userId)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Whether every entry comes before (xp, userId), i.e. the key belongs in a later block. */
  endsBefore(xp: number, userId: bigint): boolean {
    const x = this.lastXp;
    return x > xp || (x === xp && this.users[this.count - 1]! < userId);
  }

  /** Whether every entry comes after (xp, userId). */
  startsAfter(xp: number, userId: bigint): boolean {
    const x = this.xp[0]!;
    return x < xp || (x === xp && this.users[0]! > userId);
  }

  /** Moves entry i to `to`, the lowerBound of its new key taken while entry i was still in place. */
  move(i: number, to: number, userId: bigint, xp: number): void {
    let j = to;
    if (j > i) {
      j--;
      this.users.copyWithin(i, i + 1, j + 1);
      this.xp.copyWithin(i, i + 1, j + 1);
    } else {
      this.users.copyWithin(j + 1, j, i);
      this.xp.copyWithin(j + 1, j, i);
    }
    this.users[j] = userId;
    this.xp[j] = xp;
    this.settle();
  }

  insertAt(i: number, userId: bigint, xp: number): void {
    this.users.copyWithin(i + 1, i, this.count);
    this.xp.copyWithin(i + 1, i, this.count);
    this.users[i] = userId;
    this.xp[i] = xp;
    this.count++;
    this.settle();
  }

  removeAt(i: number): void {
    this.users.copyWithin(i, i + 1, this.count);
    this.xp.copyWithin(i, i + 1, this.count);
    this.count--;
    this.settle();
  }

  /** Moves this block's last k entries to the front of `next`. */
  giveTail(next: Block, k: number): void {
    next.users.copyWithin(k, 0, next.count);
    next.xp.copyWithin(k, 0, next.count);
    next.users.set(this.users.subarray(this.count - k, this.count), 0);
    next.xp.set(this.xp.subarray(this.count - k, this.count), 0);
    next.count += k;
    this.count -= k;
    next.settle();
    this.settle();
  }

  /** Moves the first k entries of `next` to the end of this block. */
  takeHead(next: Block, k: number): void {
    this.users.set(next.users.subarray(0, k), this.count);
    this.xp.set(next.xp.subarray(0, k), this.count);
    next.users.copyWithin(0, k, next.count);
    next.xp.copyWithin(0, k, next.count);
    this.count += k;
    next.count -= k;
    next.settle();
    this.settle();
  }

  /** Copies entries [start, end) of a board being built. */
  fill(users: BigInt64Array, xp: Float64Array, start: number, end: number): void {
    this.users.set(users.subarray(start, end));
    this.xp.set(xp.subarray(start, end));
    this.count = end - start;
    this.settle();
  }

  /** Called after every change to the arrays, so lastXp never lags. */
  settle(): void {
    this.lastXp = this.count > 0 ? this.xp[this.count - 1]! : 0;
  }
}

export class OrderedBoard {
  readonly #blockSize: number;
  /** Non-empty blocks in board order; only a lone block may hold fewer than B/2 entries. */
  readonly #blocks: Block[] = [];
  #xpByUser = new UserXpTable();

  constructor(options: Partial<OrderedBoardOptions> = {}) {
    const { blockSize } = { ...DEFAULTS, ...options };
    if (!Number.isSafeInteger(blockSize) || blockSize < 2) {
      throw new RangeError(`blockSize must be an integer of 2 or more, got ${blockSize}`);
    }
    this.#blockSize = blockSize;
  }

  /**
   * A board from entries already in board order (the database sorted them), in O(n). The order is checked on the
   * way: a store that sorted differently (or sent a userId twice) would otherwise give wrong ranks silently.
   */
  static fromSorted(
    users: ArrayLike<bigint>,
    xp: ArrayLike<number>,
    options: Partial<OrderedBoardOptions> = {},
  ): OrderedBoard {
    const n = users.length;
    if (xp.length !== n) throw new RangeError(`users and xp differ in length (${n} and ${xp.length})`);
    const ids = users instanceof BigInt64Array ? users : toInt64(users);
    const xs = xp instanceof Float64Array ? xp : Float64Array.from(xp);
    for (let i = 0; i < n; i++) {
      const x = xs[i]!;
      checkXp(x);
      // Only a tie on xp reads the userIds, which makes bigints; the xp comparison settles most pairs.
      if (i > 0 && !(xs[i - 1]! > x || (xs[i - 1] === x && ids[i - 1]! < ids[i]!))) {
        throw new RangeError(`entries are not in board order at index ${i} (userId ${ids[i]}, xp ${x})`);
      }
    }
    const board = new OrderedBoard(options);
    board.#xpByUser = UserXpTable.load(ids, xs);
    const B = board.#blockSize;
    // Even block sizes of at most B (and at least B/2 when there are several) leave room for inserts everywhere.
    const blockCount = Math.ceil(n / B);
    // The slab stays allocated while any of its blocks lives; it is no larger than the board it was built for.
    const slab = new ArrayBuffer(blockCount * 32 * B);
    for (let b = 0, start = 0; b < blockCount; b++) {
      const end = Math.floor(((b + 1) * n) / blockCount);
      const block = new Block(2 * B, slab, b * 32 * B);
      block.fill(ids, xs, start, end);
      board.#blocks.push(block);
      start = end;
    }
    return board;
  }

  get size(): number {
    return this.#xpByUser.size;
  }

  xpOf(userId: bigint): number | undefined {
    return this.#xpByUser.get(userId);
  }

  set(userId: bigint, xp: number): void {
    checkUserId(userId);
    checkXp(xp);
    const old = this.#xpByUser.swap(userId, xp);
    if (old === xp) return;
    if (old === undefined) this.#insert(userId, xp);
    else if (!this.#moveWithinBlock(userId, old, xp)) {
      this.#remove(userId, old);
      this.#insert(userId, xp);
    }
  }

  add(userId: bigint, delta: number): void {
    this.set(userId, (this.#xpByUser.get(userId) ?? 0) + delta);
  }

  delete(userId: bigint): boolean {
    const xp = this.#xpByUser.get(userId);
    if (xp === undefined) return false;
    this.#remove(userId, xp);
    this.#xpByUser.delete(userId);
    return true;
  }

  /** How many entries come strictly before the key (xp, userId), whether or not the key is on the board. */
  position(xp: number, userId: bigint): number {
    checkXp(xp);
    const b = this.#findBlock(xp, userId);
    let before = 0;
    for (let i = 0; i < b; i++) before += this.#blocks[i]!.count;
    const block = this.#blocks[b];
    return block === undefined ? before : before + block.lowerBound(xp, userId);
  }

  /** Entries [offset, offset + limit) in board order; fewer (or none) past the end. */
  page(offset: number, limit: number): { userId: bigint; xp: number }[] {
    checkCount('offset', offset);
    checkCount('limit', limit);
    const out: { userId: bigint; xp: number }[] = [];
    let skip = offset;
    for (const block of this.#blocks) {
      if (out.length === limit) break;
      if (skip >= block.count) {
        skip -= block.count;
        continue;
      }
      const end = Math.min(block.count, skip + limit - out.length);
      for (let i = skip; i < end; i++) out.push({ userId: block.users[i]!, xp: block.xp[i]! });
      skip = 0;
    }
    return out;
  }

  /** Index of the first block holding an entry that does not come before the key; the block count if none does. */
  #findBlock(xp: number, userId: bigint): number {
    let lo = 0;
    let hi = this.#blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#blocks[mid]!.endsBefore(xp, userId)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Moves an entry inside its block when its new key still belongs there, shifting only the entries between its
   * old and new places: a gain mostly passes a few neighbours, and this spares the two half-block shifts of a
   * remove and an insert. False (nothing done) when the key belongs in another block.
   */
  #moveWithinBlock(userId: bigint, oldXp: number, xp: number): boolean {
    const b = this.#findBlock(oldXp, userId);
    const previous = this.#blocks[b - 1];
    const next = this.#blocks[b + 1];
    if (previous !== undefined && !previous.endsBefore(xp, userId)) return false;
    if (next !== undefined && !next.startsAfter(xp, userId)) return false;
    const block = this.#blocks[b]!;
    block.move(block.lowerBound(oldXp, userId), block.lowerBound(xp, userId), userId, xp);
    return true;
  }

  #insert(userId: bigint, xp: number): void {
    if (this.#blocks.length === 0) this.#blocks.push(new Block(2 * this.#blockSize));
    // A key after every entry goes at the end of the last block.
    const b = Math.min(this.#findBlock(xp, userId), this.#blocks.length - 1);
    const block = this.#blocks[b]!;
    block.insertAt(block.lowerBound(xp, userId), userId, xp);
    if (block.count === 2 * this.#blockSize) {
      const half = new Block(2 * this.#blockSize);
      block.giveTail(half, this.#blockSize);
      this.#blocks.splice(b + 1, 0, half);
    }
  }

  /** Removes a key known to be on the board (the table holds its xp). */
  #remove(userId: bigint, xp: number): void {
    const b = this.#findBlock(xp, userId);
    const block = this.#blocks[b]!;
    block.removeAt(block.lowerBound(xp, userId));
    if (block.count < this.#blockSize >> 1) this.#rebalance(b);
  }

  /**
   * Keeps blocks at B/2 entries or more, so the block count (the length of every walk) stays near n/B: a small block
   * joins a neighbour when both fit in one block, else the two share their entries evenly (each then holds B or
   * more, since together they reach 2B).
   */
  #rebalance(b: number): void {
    const blocks = this.#blocks;
    if (blocks.length === 1) {
      if (blocks[0]!.count === 0) blocks.pop();
      return;
    }
    const left = b + 1 < blocks.length ? b : b - 1;
    const first = blocks[left]!;
    const second = blocks[left + 1]!;
    const total = first.count + second.count;
    if (total < 2 * this.#blockSize) {
      first.takeHead(second, second.count);
      blocks.splice(left + 1, 1);
    } else if (first.count > total >> 1) {
      first.giveTail(second, first.count - (total >> 1));
    } else {
      first.takeHead(second, (total >> 1) - first.count);
    }
  }
}
