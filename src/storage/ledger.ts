/**
 * The wallet's primitives (DESIGN §6): credit, conditional debit, balance and the transaction log, on
 * `DiscordUser.CurrencyAmount` and `CurrencyTransaction`. Synchronous, for use inside a caller's transaction:
 * level rewards, purchases, owner adjustments and imports all move money through these statements.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { num } from './ids.js';

export class Ledger {
  private readonly creditStmt: Statement;
  private readonly debitStmt: Statement;
  private readonly balanceStmt: Statement;
  private readonly logStmt: Statement;

  constructor(db: Db) {
    this.creditStmt = db.prepare(`INSERT INTO DiscordUser (UserId, CurrencyAmount) VALUES (?, ?)
      ON CONFLICT (UserId) DO UPDATE SET CurrencyAmount = CurrencyAmount + excluded.CurrencyAmount`);
    this.debitStmt = db.prepare('UPDATE DiscordUser SET CurrencyAmount = CurrencyAmount - ? WHERE UserId = ? AND CurrencyAmount >= ?');
    this.balanceStmt = db.prepare('SELECT CurrencyAmount FROM DiscordUser WHERE UserId = ?').safeIntegers(true);
    this.logStmt = db.prepare('INSERT INTO CurrencyTransaction (UserId, Amount, Type, Note, DateAdded) VALUES (?, ?, ?, ?, ?)');
  }

  credit(userId: bigint, amount: number): void {
    this.creditStmt.run(userId, amount);
  }

  /** Takes `amount` only if the balance covers it; false (and nothing changed) otherwise. */
  debit(userId: bigint, amount: number): boolean {
    return this.debitStmt.run(amount, userId, amount).changes > 0;
  }

  balance(userId: bigint): number {
    const row = this.balanceStmt.get(userId) as { CurrencyAmount: bigint } | undefined;
    return row ? num(row.CurrencyAmount) : 0;
  }

  log(userId: bigint, amount: number, type: string, note: string | null, at: number): void {
    this.logStmt.run(userId, amount, type, note, at);
  }
}
