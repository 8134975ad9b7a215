/**
 * Wallet writes: owner adjustments (give/take), each with its log row, in one IMMEDIATE transaction.
 * Level rewards credit the wallet in `XpWriteStore.payLevelRewards`; purchases debit it in `ShopWriteStore.buy`.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { num, sf } from './ids.js';

export type AdjustResult = { ok: true; balance: number } | { ok: false; reason: 'insufficient_funds'; balance: number };

export class WalletWriteStore {
  private readonly q: Record<string, Statement>;

  constructor(
    private readonly db: Db,
    private readonly wallNow: () => number = Date.now,
  ) {
    const prep = (sql: string) => db.prepare(sql);
    this.q = {
      credit: prep(`INSERT INTO DiscordUser (UserId, CurrencyAmount) VALUES (?, ?)
        ON CONFLICT (UserId) DO UPDATE SET CurrencyAmount = CurrencyAmount + excluded.CurrencyAmount`),
      debit: prep('UPDATE DiscordUser SET CurrencyAmount = CurrencyAmount - ? WHERE UserId = ? AND CurrencyAmount >= ?'),
      balance: prep('SELECT CurrencyAmount FROM DiscordUser WHERE UserId = ?').safeIntegers(true),
      logTx: prep('INSERT INTO CurrencyTransaction (UserId, Amount, Type, Note, DateAdded) VALUES (?, ?, ?, ?, ?)'),
    };
  }

  /**
   * Adds (amount > 0) or takes (amount < 0) currency and logs it. Taking more than the balance changes nothing.
   */
  adjust(userId: string, amount: number, type: string, note: string | null): AdjustResult {
    if (!Number.isSafeInteger(amount) || amount === 0) throw new Error(`invalid amount ${amount}`);
    const u = sf(userId);
    const run = this.db.transaction((): AdjustResult => {
      if (amount > 0) this.q.credit!.run(u, amount);
      else if (this.q.debit!.run(-amount, u, -amount).changes === 0) return { ok: false, reason: 'insufficient_funds', balance: this.balance(u) };
      this.q.logTx!.run(u, amount, type, note, this.wallNow());
      return { ok: true, balance: this.balance(u) };
    });
    return run.immediate();
  }

  private balance(u: bigint): number {
    const row = this.q.balance!.get(u) as { CurrencyAmount: bigint } | undefined;
    return row ? num(row.CurrencyAmount) : 0;
  }
}
