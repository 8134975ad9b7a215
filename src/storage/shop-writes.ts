/**
 * Shop writes: buying, giving and equipping items. Each method is one IMMEDIATE transaction on the writer's own
 * connection, and returns a plain result (`{ ok: false, reason }` for refusals: results cross the worker thread,
 * custom error classes would not). Prices come from the caller (the config lives on the main thread); the
 * transaction makes the check-and-charge atomic, so two concurrent purchases of one item charge once.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { sf } from './ids.js';
import { Ledger } from './ledger.js';

/** XpShopOwnedItem.ItemType (seed numbering; Nadeko's 0 = background is mapped on import). */
export const ITEM_TYPE = { background: 1 } as const;
export type ItemType = (typeof ITEM_TYPE)[keyof typeof ITEM_TYPE];

export interface BuyRequest {
  userId: string;
  itemType: ItemType;
  key: string;
  /** What to charge (≥ 0): the caller checked the item is for sale. */
  price: number;
  /** Equip it in the same transaction. */
  equip: boolean;
  /** Transaction log note, e.g. "background aurora". */
  note: string;
}

export type BuyResult =
  | { ok: true; charged: number; balance: number; equipped: boolean }
  | { ok: false; reason: 'already_owned' }
  | { ok: false; reason: 'insufficient_funds'; balance: number; price: number };

export type GiveResult = { ok: true } | { ok: false; reason: 'already_owned' };
export type EquipResult = { ok: true; changed: boolean } | { ok: false; reason: 'not_owned' };

export class ShopWriteStore {
  private readonly q: Record<string, Statement>;
  private readonly ledger: Ledger;

  constructor(
    private readonly db: Db,
    private readonly wallNow: () => number = Date.now,
  ) {
    this.ledger = new Ledger(db);
    const prep = (sql: string) => db.prepare(sql);
    this.q = {
      owns: prep('SELECT IsUsing FROM XpShopOwnedItem WHERE UserId = ? AND ItemType = ? AND ItemKey = ?'),
      insert: prep('INSERT INTO XpShopOwnedItem (UserId, ItemType, ItemKey, IsUsing, DateAdded) VALUES (?, ?, ?, 0, ?)'),
      unequip: prep('UPDATE XpShopOwnedItem SET IsUsing = 0 WHERE UserId = ? AND ItemType = ? AND IsUsing = 1'),
      equip: prep('UPDATE XpShopOwnedItem SET IsUsing = 1 WHERE UserId = ? AND ItemType = ? AND ItemKey = ?'),
      accent: prep('INSERT INTO DiscordUser (UserId, CardAccent) VALUES (?, ?) ON CONFLICT (UserId) DO UPDATE SET CardAccent = excluded.CardAccent'),
    };
  }

  /** Ownership check, conditional debit, owned-item insert, log row and equip: all or nothing. */
  buy(req: BuyRequest): BuyResult {
    if (!Number.isSafeInteger(req.price) || req.price < 0) throw new Error(`invalid price ${req.price}`);
    const u = sf(req.userId);
    const run = this.db.transaction((): BuyResult => {
      if (this.q.owns!.get(u, req.itemType, req.key)) return { ok: false, reason: 'already_owned' };
      if (req.price > 0 && !this.ledger.debit(u, req.price)) {
        return { ok: false, reason: 'insufficient_funds', balance: this.ledger.balance(u), price: req.price };
      }
      const now = this.wallNow();
      this.q.insert!.run(u, req.itemType, req.key, now);
      if (req.price > 0) this.ledger.log(u, -req.price, 'shop_purchase', req.note, now);
      if (req.equip) {
        this.q.unequip!.run(u, req.itemType);
        this.q.equip!.run(u, req.itemType, req.key);
      }
      return { ok: true, charged: req.price, balance: this.ledger.balance(u), equipped: req.equip };
    });
    return run.immediate();
  }

  /** Gives an item for free (owner command); logged as a zero-amount transaction so the history shows it. */
  give(userId: string, itemType: ItemType, key: string, note: string): GiveResult {
    const u = sf(userId);
    const run = this.db.transaction((): GiveResult => {
      if (this.q.owns!.get(u, itemType, key)) return { ok: false, reason: 'already_owned' };
      const now = this.wallNow();
      this.q.insert!.run(u, itemType, key, now);
      this.ledger.log(u, 0, 'shop_gift', note, now);
      return { ok: true };
    });
    return run.immediate();
  }

  /** Equips an owned item, or (key null) goes back to the free default: no row for it. */
  equip(userId: string, itemType: ItemType, key: string | null): EquipResult {
    const u = sf(userId);
    const run = this.db.transaction((): EquipResult => {
      if (key === null) return { ok: true, changed: this.q.unequip!.run(u, itemType).changes > 0 };
      const row = this.q.owns!.get(u, itemType, key) as { IsUsing: number } | undefined;
      if (!row) return { ok: false, reason: 'not_owned' };
      if (row.IsUsing) return { ok: true, changed: false };
      this.q.unequip!.run(u, itemType);
      this.q.equip!.run(u, itemType, key);
      return { ok: true, changed: true };
    });
    return run.immediate();
  }

  /** A member's own card accent ('#rrggbb'), or null to follow the server's default (DESIGN §4.2). */
  setAccent(userId: string, accent: string | null): void {
    this.q.accent!.run(sf(userId), accent);
  }
}
