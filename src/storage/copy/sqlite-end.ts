/**
 * The SQLite file as a side of `npm run migrate-store`. As a source it is opened read-only and read in one
 * transaction (one snapshot, even with the bot running). As a target it is created with every migration when
 * missing, and written in one IMMEDIATE transaction with its triggers set aside, so the rank buckets are copied as
 * they are instead of being counted again, and put back before COMMIT.
 */
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { openDatabase, type Db } from '../database.js';
import { CopyError, kindOf, normalise, type Row, type StoreEnd, type TableInfo } from './store-end.js';

export class SqliteEnd implements StoreEnd {
  private triggers: string[] = [];
  private readonly inserts = new Map<string, Database.Statement>();

  private constructor(
    readonly label: string,
    private db: Db | null,
  ) {}

  /** An existing file, opened read-only. */
  static openSource(path: string): SqliteEnd {
    if (!existsSync(path) || !statSync(path).isFile()) throw new CopyError(`${path} does not exist or is not a file.`);
    return new SqliteEnd(path, checked(path, () => probed(new Database(path, { readonly: true, fileMustExist: true }))));
  }

  /** A file to write: opened when it exists (its version decides), created by `migrate` otherwise. */
  static openTarget(path: string): SqliteEnd {
    if (!existsSync(path)) return new SqliteEnd(path, null);
    if (!statSync(path).isFile()) throw new CopyError(`${path} is not a file.`);
    return new SqliteEnd(path, checked(path, () => probed(new Database(path, { fileMustExist: true }))));
  }

  private get conn(): Db {
    if (!this.db) throw new Error('the SQLite file is not open');
    return this.db;
  }

  async version(): Promise<number> {
    return this.db ? (this.db.pragma('user_version', { simple: true }) as number) : 0;
  }

  async foreign(): Promise<boolean> {
    if (!this.db || (await this.version()) !== 0) return false;
    return (this.db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n > 0;
  }

  async migrate(): Promise<void> {
    this.db?.close();
    this.db = checked(this.label, () => openDatabase(this.label));
  }

  async begin(mode: 'read' | 'write'): Promise<void> {
    const db = this.conn;
    db.defaultSafeIntegers(true);
    if (mode === 'read') {
      db.exec('BEGIN');
      return;
    }
    // As the bot's own connections have them (database.ts); an existing file was opened here without them.
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    checked(this.label, () => db.exec('BEGIN IMMEDIATE'));
    const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all() as { name: string; sql: string }[];
    for (const t of triggers) db.exec(`DROP TRIGGER "${t.name}"`);
    this.triggers = triggers.map((t) => t.sql);
    // Checked at COMMIT, so the order tables are written in does not matter to SQLite.
    db.pragma('defer_foreign_keys = ON');
  }

  async tables(): Promise<TableInfo[]> {
    const db = this.conn;
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
    return names.map(({ name }) => {
      const info = db.prepare('SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid').all(name) as { name: string; type: string; pk: bigint }[];
      const columns = info.map((c) => {
        const kind = kindOf(c.type);
        if (!kind) throw new CopyError(`${this.label}: column ${name}.${c.name} has the type ${c.type || '(none)'}, which migrate-store does not copy.`);
        return { name: c.name, kind };
      });
      const primaryKey = info.filter((c) => c.pk > 0n).sort((a, b) => Number(a.pk - b.pk)).map((c) => c.name);
      const references = (db.prepare('SELECT DISTINCT "table" AS t FROM pragma_foreign_key_list(?)').all(name) as { t: string }[]).map((r) => r.t.toLowerCase());
      return { name, columns, primaryKey, references };
    });
  }

  async count(table: TableInfo): Promise<number> {
    return Number((this.conn.prepare(`SELECT COUNT(*) AS n FROM ${table.name}`).get() as { n: bigint }).n);
  }

  async *rows(table: TableInfo, batchSize: number): AsyncIterable<Row[]> {
    const stmt = this.conn.prepare(`SELECT ${table.columns.map((c) => c.name).join(', ')} FROM ${table.name}`).raw(true);
    let batch: Row[] = [];
    for (const raw of stmt.iterate() as IterableIterator<unknown[]>) {
      batch.push(raw.map((v, i) => normalise(v, table.columns[i]!.kind, () => `${this.label}: ${table.name}.${table.columns[i]!.name}`)));
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  async counters(): Promise<Map<string, bigint>> {
    const db = this.conn;
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'").get();
    if (!has) return new Map();
    const rows = db.prepare('SELECT name, seq FROM sqlite_sequence').all() as { name: string; seq: bigint }[];
    return new Map(rows.map((r) => [r.name.toLowerCase(), BigInt(r.seq)]));
  }

  async insert(table: TableInfo, rows: Row[]): Promise<void> {
    let stmt = this.inserts.get(table.name);
    if (!stmt) {
      stmt = this.conn.prepare(`INSERT INTO ${table.name} (${table.columns.map((c) => c.name).join(', ')}) VALUES (${table.columns.map(() => '?').join(', ')})`);
      this.inserts.set(table.name, stmt);
    }
    for (const row of rows) stmt.run(row);
  }

  /** AUTOINCREMENT tables keep their highest id in sqlite_sequence (inserting explicit ids already moved it up). */
  async setCounters(counters: ReadonlyMap<string, bigint>): Promise<void> {
    const db = this.conn;
    const auto = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%AUTOINCREMENT%'").all() as { name: string }[]).map((r) => r.name);
    for (const name of auto) {
      const value = counters.get(name.toLowerCase()) ?? 0n;
      if (value <= 0n) continue;
      const moved = db.prepare('UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?').run(value, name).changes;
      if (moved === 0) db.prepare('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)').run(name, value);
    }
  }

  async commit(): Promise<void> {
    const db = this.conn;
    for (const sql of this.triggers) db.exec(sql);
    this.triggers = [];
    checked(this.label, () => db.exec('COMMIT'));
  }

  async rollback(): Promise<void> {
    if (this.db?.inTransaction) this.db.exec('ROLLBACK');
    this.triggers = [];
  }

  async close(): Promise<void> {
    this.db?.close();
    this.db = null;
  }
}

/** Opening does not read the file; the first query finds out whether it is an SQLite database at all. */
function probed(db: Db): Db {
  try {
    db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Runs an SQLite call, turning the failures an operator can cause into a message that names the file. */
function checked<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string') throw error;
    if (code === 'SQLITE_NOTADB') throw new CopyError(`${path} is not an SQLite database.`);
    if (code.startsWith('SQLITE_CORRUPT')) throw new CopyError(`${path} is damaged (corrupt); restore it from a backup first.`);
    if (code.startsWith('SQLITE_BUSY')) throw new CopyError(`${path} stayed locked by another process (is the bot running on it?). Stop it and run the copy again.`);
    if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH')
      throw new CopyError(`${path} cannot be opened${code.startsWith('SQLITE_READONLY') ? ' for writing' : ''}: check that the folder exists and this user may use it (${code}).`);
    if (code.startsWith('E')) throw new CopyError(`${path} cannot be created: ${(error as Error).message}.`);
    throw error;
  }
}
