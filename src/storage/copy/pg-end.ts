/**
 * A PostgreSQL database as a side of `npm run migrate-store`, on one connection. As a source it is read in one
 * REPEATABLE READ READ ONLY transaction (one snapshot). As a target it gets every migration when empty and is written
 * in one transaction with its user triggers disabled (the rank buckets are copied as they are, not counted again);
 * ALTER TABLE is transactional, so a failed copy leaves the triggers as they were. Rows go in as UNNEST'ed arrays.
 */
import pg from 'pg';
import { openPg } from '../pg/pool.js';
import { wholeArray } from '../pg/sql.js';
import { redactPgUrl } from '../nadeko-pg.js';
import { CopyError, kindOf, normalise, type Row, type StoreEnd, type TableInfo } from './store-end.js';

export class PgEnd implements StoreEnd {
  private disabled: string[] = [];
  private inTransaction = false;

  private constructor(
    readonly label: string,
    private readonly url: string,
    private readonly client: pg.Client,
  ) {}

  static async open(url: string): Promise<PgEnd> {
    const label = redactPgUrl(url) ?? 'the PostgreSQL URL';
    const client = new pg.Client({ connectionString: url });
    // A connection that drops later fails the query under way, which reports it; unhandled, it would end the process.
    client.on('error', () => {});
    await checked(label, () => client.connect());
    return new PgEnd(label, url, client);
  }

  private query<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<pg.QueryResult<T>> {
    return checked(this.label, () => this.client.query<T>(text, params));
  }

  async version(): Promise<number> {
    const r = await this.query<{ has: boolean }>("SELECT to_regclass('unicorniaschema') IS NOT NULL AS has");
    if (!r.rows[0]!.has) return 0;
    return (await this.query<{ v: number }>('SELECT COALESCE(MAX(Version), 0) AS v FROM UnicorniaSchema')).rows[0]!.v;
  }

  async foreign(): Promise<boolean> {
    if ((await this.version()) !== 0) return false;
    const r = await this.query<{ n: string }>("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'");
    return Number(r.rows[0]!.n) > 0;
  }

  async migrate(): Promise<void> {
    const pool = await checked(this.label, () => openPg(this.url, { max: 1 }));
    await pool.end();
  }

  async begin(mode: 'read' | 'write'): Promise<void> {
    if (mode === 'read') {
      await this.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      this.inTransaction = true;
      return;
    }
    await this.query('BEGIN');
    this.inTransaction = true;
    const r = await this.query<{ t: string }>(
      `SELECT DISTINCT c.relname AS t FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
       WHERE NOT g.tgisinternal AND c.relnamespace = current_schema()::regnamespace ORDER BY 1`,
    );
    this.disabled = r.rows.map((x) => x.t);
    for (const t of this.disabled) await this.query(`ALTER TABLE ${t} DISABLE TRIGGER USER`);
  }

  async tables(): Promise<TableInfo[]> {
    const names = await this.query<{ t: string }>(
      `SELECT c.relname AS t FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND c.relname <> 'unicorniaschema' ORDER BY 1`,
    );
    const columns = await this.query<{ t: string; c: string; type: string }>(
      'SELECT table_name AS t, column_name AS c, data_type AS type FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position',
    );
    const keys = await this.query<{ t: string; c: string }>(
      `SELECT c.relname AS t, a.attname AS c FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
       CROSS JOIN LATERAL unnest(k.conkey) WITH ORDINALITY AS u(attnum, i) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum
       WHERE k.contype = 'p' AND k.connamespace = current_schema()::regnamespace ORDER BY c.relname, u.i`,
    );
    const refs = await this.query<{ t: string; r: string }>(
      `SELECT DISTINCT c.relname AS t, f.relname AS r FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class f ON f.oid = k.confrelid
       WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace`,
    );
    return names.rows.map(({ t }) => ({
      name: t,
      columns: columns.rows
        .filter((c) => c.t === t)
        .map((c) => {
          const kind = kindOf(c.type);
          if (!kind) throw new CopyError(`${this.label}: column ${t}.${c.c} has the type ${c.type}, which migrate-store does not copy.`);
          return { name: c.c, kind };
        }),
      primaryKey: keys.rows.filter((k) => k.t === t).map((k) => k.c),
      references: refs.rows.filter((r) => r.t === t).map((r) => r.r),
    }));
  }

  async count(table: TableInfo): Promise<number> {
    return Number((await this.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${table.name}`)).rows[0]!.n);
  }

  async *rows(table: TableInfo, batchSize: number): AsyncIterable<Row[]> {
    await this.query(`DECLARE migrate_rows NO SCROLL CURSOR FOR SELECT ${table.columns.map((c) => c.name).join(', ')} FROM ${table.name}`);
    try {
      for (;;) {
        const r = await checked(this.label, () => this.client.query<unknown[]>({ text: `FETCH ${batchSize} FROM migrate_rows`, rowMode: 'array' }));
        if (r.rows.length === 0) return;
        yield r.rows.map((raw) => raw.map((v, i) => normalise(v, table.columns[i]!.kind, () => `${this.label}: ${table.name}.${table.columns[i]!.name}`)));
      }
    } finally {
      await this.client.query('CLOSE migrate_rows').catch(() => {});
    }
  }

  /** Identity columns: the highest value their sequence has handed out. */
  async counters(): Promise<Map<string, bigint>> {
    const out = new Map<string, bigint>();
    for (const { t, seq } of await this.sequences()) {
      const r = await this.query<{ v: string; called: boolean }>(`SELECT last_value::text AS v, is_called AS called FROM ${seq}`);
      const { v, called } = r.rows[0]!;
      out.set(t, called ? BigInt(v) : BigInt(v) - 1n);
    }
    return out;
  }

  private async sequences(): Promise<{ t: string; c: string; seq: string }[]> {
    const r = await this.query<{ t: string; c: string; seq: string }>(
      `SELECT table_name AS t, column_name AS c, pg_get_serial_sequence(quote_ident(table_name), column_name) AS seq
       FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES' ORDER BY 1`,
    );
    return r.rows;
  }

  async insert(table: TableInfo, rows: Row[]): Promise<void> {
    const params = table.columns.map((c, i) => {
      const values = rows.map((r) => r[i]!);
      return c.kind === 'int' ? wholeArray(values as (bigint | null)[]) : values;
    });
    const types = table.columns.map((c, i) => `$${i + 1}::${c.kind === 'int' ? 'bigint' : 'text'}[]`);
    await this.query(
      `INSERT INTO ${table.name} (${table.columns.map((c) => c.name).join(', ')}) OVERRIDING SYSTEM VALUE SELECT * FROM UNNEST(${types.join(', ')})`,
      params,
    );
  }

  /** Each identity sequence continues after max(the source's counter, the highest id now in the table). */
  async setCounters(counters: ReadonlyMap<string, bigint>): Promise<void> {
    for (const { t, c, seq } of await this.sequences()) {
      const top = await this.query<{ m: string }>(`SELECT COALESCE(MAX(${c}), 0)::text AS m FROM ${t}`);
      const want = [counters.get(t) ?? 0n, BigInt(top.rows[0]!.m)].reduce((a, b) => (a > b ? a : b));
      if (want >= 1n) await this.query('SELECT setval($1, $2::bigint, true)', [seq, String(want)]);
      else await this.query('SELECT setval($1, 1, false)', [seq]);
    }
  }

  async commit(): Promise<void> {
    for (const t of this.disabled) await this.query(`ALTER TABLE ${t} ENABLE TRIGGER USER`);
    this.disabled = [];
    await this.query('COMMIT');
    this.inTransaction = false;
  }

  async rollback(): Promise<void> {
    this.disabled = [];
    if (!this.inTransaction) return;
    this.inTransaction = false;
    await this.client.query('ROLLBACK').catch(() => {});
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => {});
  }
}

/** Runs a PostgreSQL call, turning the failures an operator can cause into a message that names the server. */
async function checked<T>(label: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof CopyError) throw error;
    const e = error as { code?: string; message?: string };
    const code = e.code ?? '';
    if (code === 'ECONNREFUSED') throw new CopyError(`cannot connect to ${label}: connection refused (is PostgreSQL running there, and are the host and port right?).`);
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') throw new CopyError(`cannot connect to ${label}: the host name does not resolve.`);
    if (code === 'ETIMEDOUT') throw new CopyError(`cannot connect to ${label}: the connection timed out.`);
    if (code === '28P01' || code === '28000') throw new CopyError(`${label} refused the login: ${e.message}. Check the user name and password in the URL.`);
    if (code === '3D000') throw new CopyError(`${label}: ${e.message}. Create the database first (e.g. createdb), then run the copy again.`);
    if (code === '42501') throw new CopyError(`${label}: ${e.message}. The copy needs a role that owns Unicornia's tables (the one the bot runs as).`);
    if (code.startsWith('08') || code === '57P01') throw new CopyError(`${label}: the connection was lost (${e.message}). Nothing was copied; run it again.`);
    throw error;
  }
}
