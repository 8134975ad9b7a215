/**
 * Wallet writes: owner adjustments (give/take), each with its log row, in one IMMEDIATE transaction.
 * Level rewards credit the wallet in `XpWriteStore.payLevelRewards`; purchases debit it in `ShopWriteStore.buy`.
 */
import type { Db } from './database.js';
import { sf } from './ids.js';
import { Ledger } from './ledger.js';

export type AdjustResult = { ok: true; balance: number } | { ok: false; reason: 'insufficient_funds'; balance: number };

export class WalletWriteStore {
  private readonly ledger: Ledger;

  constructor(
    private readonly db: Db,
    private readonly wallNow: () => number = Date.now,
  ) {
    this.ledger = new Ledger(db);
  }

  /**
   * Adds (amount > 0) or takes (amount < 0) currency and logs it. Taking more than the balance changes nothing.
   */
  adjust(userId: string, amount: number, type: string, note: string | null): AdjustResult {
    if (!Number.isSafeInteger(amount) || amount === 0) throw new Error(`invalid amount ${amount}`);
    const u = sf(userId);
    const run = this.db.transaction((): AdjustResult => {
      if (amount > 0) this.ledger.credit(u, amount);
      else if (!this.ledger.debit(u, -amount)) return { ok: false, reason: 'insufficient_funds', balance: this.ledger.balance(u) };
      this.ledger.log(u, amount, type, note, this.wallNow());
      return { ok: true, balance: this.ledger.balance(u) };
    });
    return run.immediate();
  }
}
