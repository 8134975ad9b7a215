/** The wallet's primitives on PostgreSQL (see `../ledger.ts`), for use inside a caller's transaction. */
import type { PgClient } from './pool.js';
import { num } from '../ids.js';
import { changes, one } from './sql.js';

export async function credit(c: PgClient, userId: string, amount: number): Promise<void> {
  await c.query(
    `INSERT INTO DiscordUser (UserId, CurrencyAmount) VALUES ($1, $2)
     ON CONFLICT (UserId) DO UPDATE SET CurrencyAmount = DiscordUser.CurrencyAmount + excluded.CurrencyAmount`,
    [userId, amount],
  );
}

/** Takes `amount` only if the balance covers it; false (and nothing changed) otherwise. The row stays locked. */
export async function debit(c: PgClient, userId: string, amount: number): Promise<boolean> {
  return (await changes(c, 'UPDATE DiscordUser SET CurrencyAmount = CurrencyAmount - $1 WHERE UserId = $2 AND CurrencyAmount >= $1', [amount, userId])) > 0;
}

export async function balance(c: PgClient, userId: string): Promise<number> {
  const r = await one<{ b: string }>(c, 'SELECT CurrencyAmount AS b FROM DiscordUser WHERE UserId = $1', [userId]);
  return r ? num(r.b) : 0;
}

export async function log(c: PgClient, userId: string, amount: number, type: string, note: string | null, at: number): Promise<void> {
  await c.query('INSERT INTO CurrencyTransaction (UserId, Amount, Type, Note, DateAdded) VALUES ($1, $2, $3, $4, $5)', [userId, amount, type, note, at]);
}
