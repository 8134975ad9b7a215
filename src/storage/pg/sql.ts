/**
 * Small helpers shared by the PostgreSQL stores. node-postgres reads BIGINT and NUMERIC as decimal strings (never a
 * JS number), and unquoted column names come back in lower case; `cols` selects them under SQLite's names, so both
 * stores hand the same rows to the same mappers.
 */
import type { PgClient, PgPool } from './pool.js';

export type Queryable = PgPool | PgClient;

/** `GuildId AS "GuildId", …`: columns under the names the SQLite rows carry. */
export function cols(names: readonly string[], table = ''): string {
  const prefix = table ? `${table}.` : '';
  return names.map((n) => `${prefix}${n} AS "${n}"`).join(', ');
}

export async function rows<T>(db: Queryable, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.query(sql, params)).rows as T[];
}

export async function one<T>(db: Queryable, sql: string, params: unknown[] = []): Promise<T | undefined> {
  return (await db.query(sql, params)).rows[0] as T | undefined;
}

/** Rows changed by a statement. */
export async function changes(db: Queryable, sql: string, params: unknown[] = []): Promise<number> {
  return (await db.query(sql, params)).rowCount ?? 0;
}

const WHOLE = /^-?\d+$/;

/**
 * Whole numbers (snowflakes as decimal strings, safe integers or bigints; null for NULL) as one PostgreSQL array
 * literal, `{1,NULL,3}`, for a `$n::bigint[]` parameter. node-postgres quotes and escapes each element of a JS array
 * itself; for a flush's 100 000-row arrays that took about five times as long as this join (bench/pg.ts). Every
 * element is checked to be a whole number, so none can carry a separator into the literal.
 */
export function wholeArray(values: readonly (string | number | bigint | null)[]): string {
  let out = '';
  for (const v of values) {
    if (v === null) out += ',NULL';
    else if (typeof v === 'bigint' || (typeof v === 'number' ? Number.isSafeInteger(v) : WHOLE.test(v))) out += `,${v}`;
    else throw new Error(`not a whole number: ${String(v)}`);
  }
  return `{${out.slice(1)}}`;
}
