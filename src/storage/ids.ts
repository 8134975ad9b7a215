/**
 * Snowflakes cross the TypeScript/SQLite edge here: strings in TypeScript, 64-bit INTEGER in SQLite.
 * Binding goes through BigInt so no id ever passes through a JS number (they exceed 2^53).
 */
export type Snowflake = string;

const SNOWFLAKE = /^\d{1,20}$/;

export function isSnowflake(value: string): boolean {
  return SNOWFLAKE.test(value) && BigInt(value) < 2n ** 63n;
}

/**
 * A snowflake read from a foreign store or file (INTEGER as BigInt, TEXT, or a safe JS number), as BigInt;
 * null when it is not one (0, negative, above 2^63 − 1, not a whole number).
 */
export function toSnowflake(value: unknown): bigint | null {
  let v: bigint;
  if (typeof value === 'bigint') v = value;
  else if (typeof value === 'string' && SNOWFLAKE.test(value)) v = BigInt(value);
  else if (typeof value === 'number' && Number.isSafeInteger(value)) v = BigInt(value);
  else return null;
  return v > 0n && v < 2n ** 63n ? v : null;
}

/** For binding a snowflake parameter. */
export function sf(id: Snowflake): bigint {
  return BigInt(id);
}

/** For reading a snowflake column from a statement in safe-integers mode. */
export function idOf(value: unknown): Snowflake {
  return String(value);
}

/**
 * For reading a counter column (XP, amounts): a BigInt from SQLite in safe-integers mode, or the decimal string
 * node-postgres gives for BIGINT and NUMERIC.
 */
export function num(value: unknown): number {
  return typeof value === 'bigint' || typeof value === 'string' ? Number(value) : (value as number);
}

/** Ascending order of ids as bigint (database keys' order). */
export function compareIds(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
