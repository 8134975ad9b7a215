/** Shop and wallet on PostgreSQL: the twins of `../shop-*.ts` and `../wallet-*.ts`, with the same results. */
import { num } from '../ids.js';
import type { Port } from '../ports.js';
import type { BuyRequest, BuyResult, EquipResult, GiveResult, ItemType, ShopWriteStore } from '../shop-writes.js';
import type { OwnedItem, ShopReadStore } from '../shop-reads.js';
import type { AdjustResult, WalletWriteStore } from '../wallet-writes.js';
import type { CurrencyTransactionRow, WalletReadStore } from '../wallet-reads.js';
import { withRetry, type PgClient, type PgPool } from './pool.js';
import { changes, one, rows } from './sql.js';
import * as ledger from './ledger.js';

/** Serialises a user's purchases and gifts: the first locks their wallet row (made if missing) until COMMIT. */
async function lockUser(c: PgClient, userId: string): Promise<void> {
  await c.query('INSERT INTO DiscordUser (UserId) VALUES ($1) ON CONFLICT DO NOTHING', [userId]);
  await c.query('SELECT 1 FROM DiscordUser WHERE UserId = $1 FOR UPDATE', [userId]);
}

async function owns(c: PgClient, userId: string, itemType: ItemType, key: string): Promise<{ using: number } | undefined> {
  return one<{ using: number }>(c, 'SELECT IsUsing AS using FROM XpShopOwnedItem WHERE UserId = $1 AND ItemType = $2 AND ItemKey = $3', [userId, itemType, key]);
}

async function equipIn(c: PgClient, userId: string, itemType: ItemType, key: string): Promise<void> {
  await c.query('UPDATE XpShopOwnedItem SET IsUsing = 0 WHERE UserId = $1 AND ItemType = $2 AND IsUsing = 1', [userId, itemType]);
  await c.query('UPDATE XpShopOwnedItem SET IsUsing = 1 WHERE UserId = $1 AND ItemType = $2 AND ItemKey = $3', [userId, itemType, key]);
}

export class PgShopWrites implements Port<ShopWriteStore> {
  constructor(
    private readonly pool: PgPool,
    private readonly wallNow: () => number = Date.now,
  ) {}

  buy(req: BuyRequest): Promise<BuyResult> {
    if (!Number.isSafeInteger(req.price) || req.price < 0) throw new Error(`invalid price ${req.price}`);
    return withRetry(this.pool, async (c): Promise<BuyResult> => {
      // A free item can make a user row: "a free item works for a user the bot has never seen" (DESIGN §6).
      await lockUser(c, req.userId);
      if (await owns(c, req.userId, req.itemType, req.key)) return { ok: false, reason: 'already_owned' };
      if (req.price > 0 && !(await ledger.debit(c, req.userId, req.price))) {
        return { ok: false, reason: 'insufficient_funds', balance: await ledger.balance(c, req.userId), price: req.price };
      }
      const now = this.wallNow();
      await c.query('INSERT INTO XpShopOwnedItem (UserId, ItemType, ItemKey, IsUsing, DateAdded) VALUES ($1, $2, $3, 0, $4)', [req.userId, req.itemType, req.key, now]);
      if (req.price > 0) await ledger.log(c, req.userId, -req.price, 'shop_purchase', req.note, now);
      if (req.equip) await equipIn(c, req.userId, req.itemType, req.key);
      return { ok: true, charged: req.price, balance: await ledger.balance(c, req.userId), equipped: req.equip };
    });
  }

  give(userId: string, itemType: ItemType, key: string, note: string): Promise<GiveResult> {
    return withRetry(this.pool, async (c): Promise<GiveResult> => {
      await lockUser(c, userId);
      if (await owns(c, userId, itemType, key)) return { ok: false, reason: 'already_owned' };
      const now = this.wallNow();
      await c.query('INSERT INTO XpShopOwnedItem (UserId, ItemType, ItemKey, IsUsing, DateAdded) VALUES ($1, $2, $3, 0, $4)', [userId, itemType, key, now]);
      await ledger.log(c, userId, 0, 'shop_gift', note, now);
      return { ok: true };
    });
  }

  async setAccent(userId: string, accent: string | null): Promise<void> {
    await this.pool.query('INSERT INTO DiscordUser (UserId, CardAccent) VALUES ($1, $2) ON CONFLICT (UserId) DO UPDATE SET CardAccent = excluded.CardAccent', [userId, accent]);
  }

  equip(userId: string, itemType: ItemType, key: string | null): Promise<EquipResult> {
    return withRetry(this.pool, async (c): Promise<EquipResult> => {
      if (key === null) return { ok: true, changed: (await changes(c, 'UPDATE XpShopOwnedItem SET IsUsing = 0 WHERE UserId = $1 AND ItemType = $2 AND IsUsing = 1', [userId, itemType])) > 0 };
      const row = await owns(c, userId, itemType, key);
      if (!row) return { ok: false, reason: 'not_owned' };
      if (row.using) return { ok: true, changed: false };
      await equipIn(c, userId, itemType, key);
      return { ok: true, changed: true };
    });
  }
}

export class PgShopReads implements Port<ShopReadStore> {
  constructor(private readonly pool: PgPool) {}

  async owned(userId: string, itemType: ItemType): Promise<OwnedItem[]> {
    const r = await rows<{ k: string; u: number; d: string }>(
      this.pool,
      'SELECT ItemKey AS k, IsUsing AS u, DateAdded AS d FROM XpShopOwnedItem WHERE UserId = $1 AND ItemType = $2 ORDER BY DateAdded, Id',
      [userId, itemType],
    );
    return r.map((x) => ({ key: x.k, isUsing: x.u === 1, dateAdded: num(x.d) }));
  }

  async equipped(userId: string, itemType: ItemType): Promise<string | null> {
    return (await one<{ k: string }>(this.pool, 'SELECT ItemKey AS k FROM XpShopOwnedItem WHERE UserId = $1 AND ItemType = $2 AND IsUsing = 1', [userId, itemType]))?.k ?? null;
  }

  async accent(userId: string): Promise<string | null> {
    return (await one<{ a: string | null }>(this.pool, 'SELECT CardAccent AS a FROM DiscordUser WHERE UserId = $1', [userId]))?.a ?? null;
  }

  async owns(userId: string, itemType: ItemType, key: string): Promise<boolean> {
    return (await one(this.pool, 'SELECT 1 FROM XpShopOwnedItem WHERE UserId = $1 AND ItemType = $2 AND ItemKey = $3', [userId, itemType, key])) !== undefined;
  }
}

export class PgWalletWrites implements Port<WalletWriteStore> {
  constructor(
    private readonly pool: PgPool,
    private readonly wallNow: () => number = Date.now,
  ) {}

  adjust(userId: string, amount: number, type: string, note: string | null): Promise<AdjustResult> {
    if (!Number.isSafeInteger(amount) || amount === 0) throw new Error(`invalid amount ${amount}`);
    return withRetry(this.pool, async (c): Promise<AdjustResult> => {
      if (amount > 0) await ledger.credit(c, userId, amount);
      else if (!(await ledger.debit(c, userId, -amount))) return { ok: false, reason: 'insufficient_funds', balance: await ledger.balance(c, userId) };
      await ledger.log(c, userId, amount, type, note, this.wallNow());
      return { ok: true, balance: await ledger.balance(c, userId) };
    });
  }
}

export class PgWalletReads implements Port<WalletReadStore> {
  constructor(private readonly pool: PgPool) {}

  async balance(userId: string): Promise<number> {
    const r = await one<{ b: string }>(this.pool, 'SELECT CurrencyAmount AS b FROM DiscordUser WHERE UserId = $1', [userId]);
    return r ? num(r.b) : 0;
  }

  async history(userId: string, limit = 10): Promise<CurrencyTransactionRow[]> {
    const r = await rows<{ a: string; t: string; n: string | null; d: string }>(
      this.pool,
      'SELECT Amount AS a, Type AS t, Note AS n, DateAdded AS d FROM CurrencyTransaction WHERE UserId = $1 ORDER BY Id DESC LIMIT $2',
      [userId, limit],
    );
    return r.map((x) => ({ amount: num(x.a), type: x.t, note: x.n, at: num(x.d) }));
  }
}
