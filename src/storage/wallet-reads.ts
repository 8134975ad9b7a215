/** Wallet reads on the main thread's connection: balance and the transaction log. Reads never write. */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { num, sf } from './ids.js';

export interface CurrencyTransactionRow {
  amount: number;
  type: string;
  note: string | null;
  /** Wall-clock ms. */
  at: number;
}

export class WalletReadStore {
  private readonly q: Record<string, Statement>;

  constructor(db: Db) {
    const prep = (sql: string) => db.prepare(sql).safeIntegers(true);
    this.q = {
      balance: prep('SELECT CurrencyAmount FROM DiscordUser WHERE UserId = ?'),
      history: prep('SELECT Amount, Type, Note, DateAdded FROM CurrencyTransaction WHERE UserId = ? ORDER BY Id DESC LIMIT ?'),
    };
  }

  /** 0 for a user the bot has never seen. */
  balance(userId: string): number {
    const row = this.q.balance!.get(sf(userId)) as { CurrencyAmount: bigint } | undefined;
    return row ? num(row.CurrencyAmount) : 0;
  }

  /** The newest transactions first. */
  history(userId: string, limit = 10): CurrencyTransactionRow[] {
    return (this.q.history!.all(sf(userId), limit) as { Amount: bigint; Type: string; Note: string | null; DateAdded: bigint }[]).map((r) => ({
      amount: num(r.Amount),
      type: r.Type,
      note: r.Note,
      at: num(r.DateAdded),
    }));
  }
}
