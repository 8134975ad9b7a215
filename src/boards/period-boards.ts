/**
 * Period boards (DESIGN §15.2): a week's, a month's or a season's order, held in memory per (server, period) and
 * built from the store's rows on first use. Stored totals live on the member's row with no index (the flush stays
 * cheap); the order lives here. A board is current while the server's generation (counted by every write that
 * changes its boards, in any process) and the newest erasure are the ones it was built or last updated at: this
 * process's own flushes and leaves update it in place, anything else makes the next read build it again.
 */
import type { FlushBatch } from '../engine/ports.js';
import type { Awaitable } from '../engine/ports.js';
import { OrderedBoard } from './ordered-board.js';

/** The state a board was read at: the server's board generation and the newest erasure (anywhere). */
export interface BoardVersion {
  gen: number;
  erasure: number;
}

/** A period's board as stored: members who have not left, in board order (XP descending, then id), and its version. */
export interface PeriodScan extends BoardVersion {
  users: ArrayLike<bigint>;
  xp: ArrayLike<number>;
}

/** What a store gives the boards (both stores implement it; one contract suite). */
export interface PeriodSource {
  version(guildId: string): Awaitable<BoardVersion>;
  /** Every member with XP in the period who has not left, sorted, with the version of the same snapshot. */
  scan(guildId: string, period: number): Awaitable<PeriodScan>;
  /** A member's XP in the period (0 without any) and whether they left, from their row. */
  memberXp(guildId: string, userId: string, period: number): Awaitable<{ xp: number; hasLeft: boolean }>;
  /**
   * The member's place on the period's board as stored — their XP, or null when they are not on it (no XP in the
   * period, or left) — with the server's generation, read in one snapshot.
   */
  boardEntry(guildId: string, userId: string, period: number): Awaitable<{ gen: number; xp: number | null }>;
}

/**
 * What a committed write that changed period boards answers: each server's new generation, and whether an erasure
 * dropped rows of the batch (then the batch is no longer the change, and the server's boards are read again).
 */
export interface BoardChange {
  generations: [guildId: string, gen: number][];
  dropped?: true;
  /**
   * A flush's members whose rows are marked as left once it is written (read in its transaction): their period XP
   * is stored but on no board. Whoever recorded the leave — this process, with XP buffered before the leave and
   * written after it, or an earlier run, with a rejoin the bot missed — the row decides, as for a board built again.
   */
  hidden?: [guildId: string, userId: string][];
}

export interface BoardRow {
  userId: string;
  xp: number;
}

interface Held extends BoardVersion {
  guildId: string;
  period: number;
  board: OrderedBoard;
}

/** Boards held at most, in members over all boards: a 1 000 000-member server's week and month with room to spare. */
const DEFAULT_MAX_ENTRIES = 3_000_000;

export class PeriodBoards {
  /** In least recently used order (a Map keeps insertion order; a use moves the board to the end). */
  private readonly held = new Map<string, Held>();
  private readonly building = new Map<string, Promise<Held>>();
  private entries = 0;

  constructor(
    private readonly source: PeriodSource,
    private readonly maxEntries = DEFAULT_MAX_ENTRIES,
  ) {}

  async leaderboard(guildId: string, period: number, offset: number, limit: number): Promise<BoardRow[]> {
    return (await this.board(guildId, period)).page(offset, limit).map((e) => ({ userId: String(e.userId), xp: e.xp }));
  }

  memberXp(guildId: string, userId: string, period: number): Awaitable<{ xp: number; hasLeft: boolean }> {
    return this.source.memberXp(guildId, userId, period);
  }

  /** Members with XP in the period who have not left. */
  async memberCount(guildId: string, period: number): Promise<number> {
    return (await this.board(guildId, period)).size;
  }

  /**
   * 1-based position of a member in the period. A member on the board ranks by the board's own XP (one snapshot);
   * one who is not (nothing earned in the period, or left) by the XP on their row, among those who are.
   */
  async rank(guildId: string, userId: string, period: number): Promise<number> {
    const board = await this.board(guildId, period);
    const id = BigInt(userId);
    const xp = board.xpOf(id) ?? (await this.source.memberXp(guildId, userId, period)).xp;
    return board.position(xp, id) + 1;
  }

  /** A member's XP and rank on the board, or null when they are not on it (no XP in the period, or left). */
  async entry(guildId: string, userId: string, period: number): Promise<{ xp: number; rank: number } | null> {
    const board = await this.board(guildId, period);
    const id = BigInt(userId);
    const xp = board.xpOf(id);
    return xp === undefined ? null : { xp, rank: board.position(xp, id) + 1 };
  }

  /**
   * After this process's flush committed: its period XP moves the server's boards that were current just before it.
   * A board built after the commit holds it already; one further behind missed another write and is dropped.
   */
  flushed(batch: FlushBatch, change: BoardChange): void {
    const moving = new Set<Held>();
    for (const [guildId, gen] of change.generations) {
      for (const h of this.boardsOf(guildId)) {
        if (h.gen >= gen) continue;
        if (change.dropped || h.gen !== gen - 1) this.drop(h);
        else {
          h.gen = gen;
          moving.add(h);
        }
      }
    }
    if (moving.size === 0) return;
    const hidden = new Set((change.hidden ?? []).map(([g, u]) => `${g}/${u}`));
    for (const p of batch.periods ?? []) {
      const h = this.held.get(`${p.guildId}/${p.period}`);
      if (!h || !moving.has(h) || hidden.has(`${p.guildId}/${p.userId}`)) continue;
      const before = h.board.size;
      h.board.add(BigInt(p.userId), p.xp);
      this.entries += h.board.size - before;
    }
    this.evict();
  }

  /**
   * After this process recorded a member leaving or coming back (`change`: the server's generation after it). A
   * leave takes them off the boards that were current just before; a return reads their row once per board, in one
   * snapshot with the generation, so on a large server a member coming back does not cost a build of the board.
   */
  async membershipChanged(guildId: string, userId: string, present: boolean, change: BoardChange): Promise<void> {
    const id = BigInt(userId);
    // No generation: the write changed no row (a member joining with none yet), so no board.
    const gen = change.generations.find(([g]) => g === guildId)?.[1];
    if (gen === undefined) return;
    for (const h of this.boardsOf(guildId)) {
      if (h.gen >= gen) continue;
      if (h.gen !== gen - 1) this.drop(h);
      else if (!present) {
        if (h.board.delete(id)) this.entries--;
        h.gen = gen;
      } else {
        // The write is committed whatever this read does: a failed read only costs the board a build.
        const stored = await (async () => this.source.boardEntry(guildId, userId, h.period))().catch(() => null);
        // Meanwhile another write may have moved the board (this process's flush) or the server (any process):
        // the row was read at `stored.gen`, so it is the board's next state only if both are where they were.
        if (!stored || this.held.get(`${guildId}/${h.period}`) !== h || h.gen !== gen - 1 || stored.gen !== gen) this.drop(h);
        else {
          if (stored.xp !== null) {
            const before = h.board.size;
            h.board.set(id, stored.xp);
            this.entries += h.board.size - before;
          }
          h.gen = gen;
        }
      }
    }
  }

  /** Drops the server's boards (a write this process made that they cannot follow, e.g. a member list sync). */
  forget(guildId: string): void {
    for (const h of this.boardsOf(guildId)) this.drop(h);
  }

  private boardsOf(guildId: string): Held[] {
    return [...this.held.values()].filter((h) => h.guildId === guildId);
  }

  private async board(guildId: string, period: number): Promise<OrderedBoard> {
    const key = `${guildId}/${period}`;
    const version = await this.source.version(guildId);
    const h = this.held.get(key);
    if (h && h.gen === version.gen && h.erasure === version.erasure) {
      this.held.delete(key);
      this.held.set(key, h);
      return h.board;
    }
    // Concurrent reads of a board being built wait for the one build.
    let build = this.building.get(key);
    if (!build) {
      build = this.build(guildId, period).finally(() => this.building.delete(key));
      this.building.set(key, build);
    }
    return (await build).board;
  }

  private async build(guildId: string, period: number): Promise<Held> {
    const scan = await this.source.scan(guildId, period);
    const old = this.held.get(`${guildId}/${period}`);
    if (old) this.drop(old);
    const h: Held = { guildId, period, board: OrderedBoard.fromSorted(scan.users, scan.xp), gen: scan.gen, erasure: scan.erasure };
    this.held.set(`${guildId}/${period}`, h);
    this.entries += h.board.size;
    this.evict(h);
    return h;
  }

  private drop(h: Held): void {
    const key = `${h.guildId}/${h.period}`;
    if (this.held.get(key) !== h) return;
    this.held.delete(key);
    this.entries -= h.board.size;
  }

  /** Drops least recently used boards over the limit (never `keep`, the one just built). */
  private evict(keep?: Held): void {
    for (const h of this.held.values()) {
      if (this.entries <= this.maxEntries) return;
      if (h !== keep) this.drop(h);
    }
  }
}
