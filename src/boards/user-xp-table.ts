/**
 * userId → xp for a board of up to millions of members. A Map<bigint, number> was measured at ~0.7 s and ~50 MB
 * for a million keys (each bigint key is a heap object, hashed by the runtime). This open-addressing table with
 * linear probing keeps a slot's key, as two 32-bit halves, and its xp in one 16-byte cell: a lookup allocates
 * nothing and touches one cache line, and a million entries take ~23 MB.
 */

/** userIds are checked by the board to lie in 0..2^63-1, so a high half of -1 marks an empty slot. */
const EMPTY = -1;
/** Grow past this load: linear probing degrades quickly when fuller. */
const MAX_LOAD = 0.75;
const MIN_CAPACITY = 16;

// A bigint is split into its halves by writing it once into this scratch cell.
const scratch = new BigInt64Array(1);
const scratchHalves = new Int32Array(scratch.buffer);
scratch[0] = 1n;
/** Which Int32 of a 64-bit cell is the low half depends on the platform's byte order. */
const LO = scratchHalves[0] === 1 ? 0 : 1;
const HI = 1 - LO;
const MAX_KEY = (1n << 63n) - 1n;

/** Mixes both halves (snowflakes differ mostly in a few bit ranges) into a well-spread 32-bit hash. */
function hash(lo: number, hi: number): number {
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class UserXpTable {
  #capacity = 0;
  /** Slot s: key halves at Int32 4s + LO and 4s + HI, xp at Float64 2s + 1 (two views of one buffer). */
  #keys = new Int32Array(0);
  #xp = new Float64Array(0);
  #size = 0;

  /** Sized so `expected` entries fit without growing. */
  constructor(expected = 0) {
    this.#allocate(Math.max(MIN_CAPACITY, Math.ceil(expected / (MAX_LOAD - 0.05))));
  }

  /**
   * A table of ids[i] → xp[i] for a board being built. Reads the ids' halves straight from their buffer, so a
   * million entries make no bigint; a negative id (a BigInt64Array cell can hold one) or a repeated one is refused.
   */
  static load(ids: BigInt64Array, xp: Float64Array): UserXpTable {
    const table = new UserXpTable(ids.length);
    const halves = new Int32Array(ids.buffer, ids.byteOffset, 2 * ids.length);
    for (let i = 0; i < ids.length; i++) {
      const lo = halves[2 * i + LO]!;
      const hi = halves[2 * i + HI]!;
      if (hi < 0) throw new RangeError(`userId must be from 0 to 2^63-1, got ${ids[i]}`);
      const slot = table.#findHalves(lo, hi);
      if (slot >= 0) throw new RangeError(`userId ${ids[i]} appears twice`);
      table.#put(~slot, lo, hi, xp[i]!);
    }
    table.#size = ids.length;
    return table;
  }

  get size(): number {
    return this.#size;
  }

  get(userId: bigint): number | undefined {
    if (userId < 0n || userId > MAX_KEY) return undefined;
    const slot = this.#find(userId);
    return slot < 0 ? undefined : this.#xp[2 * slot + 1];
  }

  /**
   * Sets userId's xp and returns the xp it had (one probe where a get and a set would take two). `userId` must lie
   * in 0..2^63-1 (the board checks it): the cell would wrap a larger one around.
   */
  swap(userId: bigint, xp: number): number | undefined {
    let slot = this.#find(userId);
    if (slot >= 0) {
      const old = this.#xp[2 * slot + 1];
      this.#xp[2 * slot + 1] = xp;
      return old;
    }
    if (this.#size + 1 > this.#capacity * MAX_LOAD) {
      this.#grow();
      slot = this.#find(userId);
    }
    this.#put(~slot, scratchHalves[LO]!, scratchHalves[HI]!, xp);
    this.#size++;
    return undefined;
  }

  delete(userId: bigint): boolean {
    if (userId < 0n || userId > MAX_KEY) return false;
    const slot = this.#find(userId);
    if (slot < 0) return false;
    this.#removeAt(slot);
    this.#size--;
    return true;
  }

  #allocate(capacity: number): void {
    const buffer = new ArrayBuffer(16 * capacity);
    this.#capacity = capacity;
    this.#keys = new Int32Array(buffer).fill(EMPTY);
    this.#xp = new Float64Array(buffer);
  }

  /** The slot holding userId, or ~slot of the empty slot where it would go. Leaves its halves in the scratch cell. */
  #find(userId: bigint): number {
    scratch[0] = userId;
    return this.#findHalves(scratchHalves[LO]!, scratchHalves[HI]!);
  }

  #findHalves(lo: number, hi: number): number {
    const keys = this.#keys;
    for (let slot = this.#home(lo, hi); ; slot = this.#next(slot)) {
      const h = keys[4 * slot + HI]!;
      if (h === EMPTY) return ~slot;
      if (h === hi && keys[4 * slot + LO] === lo) return slot;
    }
  }

  #put(slot: number, lo: number, hi: number, xp: number): void {
    this.#keys[4 * slot + LO] = lo;
    this.#keys[4 * slot + HI] = hi;
    this.#xp[2 * slot + 1] = xp;
  }

  /** Maps the hash onto [0, capacity) by multiplication, so the capacity need not be a power of two. */
  #home(lo: number, hi: number): number {
    return Math.floor((hash(lo, hi) * this.#capacity) / 4294967296);
  }

  #next(slot: number): number {
    return slot + 1 === this.#capacity ? 0 : slot + 1;
  }

  /**
   * Empties a slot by shifting later entries of its probe run back (no tombstones, so lookups never slow down
   * after many deletes): an entry moves into the hole unless its home lies cyclically in (hole, its slot].
   */
  #removeAt(slot: number): void {
    const keys = this.#keys;
    let hole = slot;
    for (let j = this.#next(slot); ; j = this.#next(j)) {
      const hi = keys[4 * j + HI]!;
      if (hi === EMPTY) break;
      const lo = keys[4 * j + LO]!;
      const home = this.#home(lo, hi);
      const stays = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (stays) continue;
      this.#put(hole, lo, hi, this.#xp[2 * j + 1]!);
      hole = j;
    }
    keys[4 * hole + HI] = EMPTY;
  }

  #grow(): void {
    const oldKeys = this.#keys;
    const oldXp = this.#xp;
    const oldCapacity = this.#capacity;
    this.#allocate(2 * oldCapacity);
    for (let s = 0; s < oldCapacity; s++) {
      const hi = oldKeys[4 * s + HI]!;
      if (hi === EMPTY) continue;
      const lo = oldKeys[4 * s + LO]!;
      this.#put(~this.#findHalves(lo, hi), lo, hi, oldXp[2 * s + 1]!);
    }
  }
}
