/**
 * One side of `npm run migrate-store` (DESIGN §7.2): an SQLite file or a PostgreSQL database, read as a source or
 * written as a target through the same small interface, so the copy runs the same way in both directions.
 *
 * Tables and columns are read from the database's own catalog, not listed here: every table a migration adds is
 * copied without touching this tool. Values travel as bigint (every integer column: snowflakes near 2^63, counters)
 * or string (text), never as a JS number.
 */
export type Value = bigint | string | null;
export type Row = Value[];

export type ColumnKind = 'int' | 'text';

export interface Column {
  name: string;
  kind: ColumnKind;
}

export interface TableInfo {
  /** As the database spells it (PostgreSQL folds unquoted names to lower case; SQL here never quotes them). */
  name: string;
  columns: Column[];
  primaryKey: string[];
  /** Tables this one has foreign keys to (lower case): they are written first. */
  references: string[];
}

/** A table's rows as a count and an order-independent hash, the same on both stores for the same rows. */
export interface Fingerprint {
  rows: number;
  hash: bigint;
}

export interface StoreEnd {
  /** What the messages call it: the file path, or the URL without its password. */
  readonly label: string;
  /** The migration version, or 0 for an empty database (no Unicornia schema yet). */
  version(): Promise<number>;
  /** Whether the database holds tables that are not Unicornia's and no Unicornia schema: never written to. */
  foreign(): Promise<boolean>;

  /** Starts a snapshot (source) or the one write transaction (target); everything after reads it. */
  begin(mode: 'read' | 'write'): Promise<void>;
  tables(): Promise<TableInfo[]>;
  count(table: TableInfo): Promise<number>;
  /** Every row, in batches, columns in `table.columns` order. */
  rows(table: TableInfo, batchSize: number): AsyncIterable<Row[]>;
  /** Per table (lower case) with an automatic id: the highest id handed out, which a copy must not hand out again. */
  counters(): Promise<Map<string, bigint>>;

  /** Creates the schema (every migration) in an empty database. */
  migrate(): Promise<void>;
  insert(table: TableInfo, rows: Row[]): Promise<void>;
  /** Moves each id counter to at least the given value. */
  setCounters(counters: ReadonlyMap<string, bigint>): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  close(): Promise<void>;
}

/** A refusal or failure with a message for the operator (no stack trace): the CLI prints it and exits 1. */
export class CopyError extends Error {
  override readonly name = 'CopyError';
}

/** The column kind of a declared type, or null for a type this tool does not copy (it then refuses, naming it). */
export function kindOf(declared: string): ColumnKind | null {
  const t = declared.toLowerCase();
  if (/int/.test(t)) return 'int';
  if (/text|char|clob/.test(t)) return 'text';
  return null;
}

/** A value read from either store as the copy carries it: integers as bigint, text as string. */
export function normalise(value: unknown, kind: ColumnKind, where: () => string): Value {
  if (value === null || value === undefined) return null;
  if (kind === 'int') {
    if (typeof value === 'bigint') return value;
    if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
    if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  } else if (typeof value === 'string') return value;
  throw new CopyError(`${where()} holds ${typeof value === 'object' ? 'binary data' : JSON.stringify(String(value))}, which is not ${kind === 'int' ? 'a whole number' : 'text'}; nothing was copied.`);
}
