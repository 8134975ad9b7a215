/** Small facts the bot keeps about itself between runs (the BotState table), by key. */
import type { Db } from './database.js';

export class BotStateStore {
  constructor(private readonly db: Db) {}

  get(key: string): string | null {
    const row = this.db.prepare('SELECT Value FROM BotState WHERE Key = ?').get(key) as { Value: string } | undefined;
    return row?.Value ?? null;
  }

  /** Sets the value; null deletes the key. */
  set(key: string, value: string | null): void {
    if (value === null) this.db.prepare('DELETE FROM BotState WHERE Key = ?').run(key);
    else this.db.prepare('INSERT INTO BotState (Key, Value) VALUES (?, ?) ON CONFLICT (Key) DO UPDATE SET Value = excluded.Value').run(key, value);
  }
}
