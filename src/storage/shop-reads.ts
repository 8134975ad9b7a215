/** Shop reads on the main thread's connection. Reads never write: a user with no rows simply owns the default. */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { num, sf } from './ids.js';
import type { ItemType } from './shop-writes.js';

export interface OwnedItem {
  key: string;
  isUsing: boolean;
  /** Wall-clock ms. */
  dateAdded: number;
}

export class ShopReadStore {
  private readonly q: Record<string, Statement>;

  constructor(db: Db) {
    const prep = (sql: string) => db.prepare(sql).safeIntegers(true);
    this.q = {
      owned: prep('SELECT ItemKey, IsUsing, DateAdded FROM XpShopOwnedItem WHERE UserId = ? AND ItemType = ? ORDER BY DateAdded, Id'),
      using: prep('SELECT ItemKey FROM XpShopOwnedItem WHERE UserId = ? AND ItemType = ? AND IsUsing = 1'),
      owns: prep('SELECT 1 FROM XpShopOwnedItem WHERE UserId = ? AND ItemType = ? AND ItemKey = ?'),
      accent: prep('SELECT CardAccent FROM DiscordUser WHERE UserId = ?'),
    };
  }

  owned(userId: string, itemType: ItemType): OwnedItem[] {
    return (this.q.owned!.all(sf(userId), itemType) as { ItemKey: string; IsUsing: bigint; DateAdded: bigint }[]).map((r) => ({
      key: r.ItemKey,
      isUsing: r.IsUsing === 1n,
      dateAdded: num(r.DateAdded),
    }));
  }

  /** The equipped item's key, or null (the free default). */
  equipped(userId: string, itemType: ItemType): string | null {
    const row = this.q.using!.get(sf(userId), itemType) as { ItemKey: string } | undefined;
    return row?.ItemKey ?? null;
  }

  owns(userId: string, itemType: ItemType, key: string): boolean {
    return this.q.owns!.get(sf(userId), itemType, key) !== undefined;
  }

  /** The member's own card accent ('#rrggbb'), or null when they chose none. */
  accent(userId: string): string | null {
    const row = this.q.accent!.get(sf(userId)) as { CardAccent: string | null } | undefined;
    return row?.CardAccent ?? null;
  }
}
