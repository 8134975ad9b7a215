/**
 * Exports (DESIGN §13): every row the catalog says is about a member, or about a server, read on the main
 * thread's connection in one snapshot. Ids come out as strings (they pass 2^53), other integers as numbers when
 * they fit one exactly.
 */
import type { Db } from './database.js';
import { idOf, num, sf } from './ids.js';
import { PRIVACY_CATALOG, type TablePrivacy } from './privacy-catalog.js';

export type ExportRow = Record<string, string | number | null>;

export class PrivacyReadStore {
  private readonly member: (user: bigint) => Record<string, ExportRow[]>;
  private readonly guild: (guild: bigint) => Record<string, ExportRow[]>;

  constructor(private readonly db: Db) {
    const reader = (scope: 'member' | 'guild', param: 'user' | 'guild') => {
      const tables = (Object.entries(PRIVACY_CATALOG) as [string, TablePrivacy][])
        .filter(([, decl]) => decl[scope] !== null)
        .map(([table, decl]) => [table, db.prepare(`SELECT * FROM ${table} WHERE ${decl[scope]!.where}`).safeIntegers(true), decl.unexported ?? []] as const);
      return db.transaction((id: bigint) => {
        const out: Record<string, ExportRow[]> = {};
        for (const [table, stmt, unexported] of tables) {
          const rows = (stmt.all({ [param]: id }) as Record<string, unknown>[]).map((row) => plainRow(row, unexported));
          if (rows.length > 0) out[table] = rows;
        }
        return out;
      });
    };
    this.member = reader('member', 'user');
    this.guild = reader('guild', 'guild');
  }

  /** Every row about a member, by table (tables with no row left out). */
  memberRows(userId: string): Record<string, ExportRow[]> {
    return this.member(sf(userId));
  }

  /** Every row of a server, by table (tables with no row left out). */
  guildRows(guildId: string): Record<string, ExportRow[]> {
    return this.guild(sf(guildId));
  }

  /** Servers with a retention rule, and its days. */
  retentionGuilds(): { guildId: string; days: number }[] {
    const rows = this.db.prepare('SELECT GuildId, RetentionDays FROM XpSettings WHERE RetentionDays IS NOT NULL ORDER BY GuildId').safeIntegers(true).all() as {
      GuildId: bigint;
      RetentionDays: bigint;
    }[];
    return rows.map((r) => ({ guildId: idOf(r.GuildId), days: num(r.RetentionDays) }));
  }

  /** Up to `limit` members who left the server at `leftBy` or before, after `afterId` in id order. */
  leftBy(guildId: string, leftBy: number, afterId: string, limit: number): string[] {
    const ids = this.db
      .prepare('SELECT UserId FROM UserXpStats WHERE GuildId = ? AND HasLeft = 1 AND LeftAt <= ? AND UserId > ? ORDER BY UserId LIMIT ?')
      .safeIntegers(true)
      .pluck()
      .all(sf(guildId), leftBy, sf(afterId), limit) as bigint[];
    return ids.map(idOf);
  }
}

/** Snowflake columns (…Id) as strings; other integers as numbers when exact, else as strings. */
function plainRow(row: Record<string, unknown>, unexported: readonly string[]): ExportRow {
  const out: ExportRow = {};
  for (const [column, value] of Object.entries(row)) {
    if (unexported.includes(column)) continue;
    if (typeof value === 'bigint') {
      const exact = value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER);
      out[column] = /Id$/.test(column) || !exact ? value.toString() : Number(value);
    } else {
      out[column] = value as string | number | null;
    }
  }
  return out;
}
