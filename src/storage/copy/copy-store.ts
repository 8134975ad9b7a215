/**
 * `npm run migrate-store`: a whole Unicornia database copied into another store (DESIGN §7.2). One snapshot of the
 * source, one transaction on the target: a copy that fails or is interrupted leaves the target as it was, so running
 * it again starts over cleanly. Before COMMIT every table of the target is read back and compared with the source;
 * a target that already holds exactly the source is left alone (a re-run changes nothing), and one that holds
 * anything else is refused.
 */
import { createHash } from 'node:crypto';
import type { ProgressSink } from '../../import/runner.js';
import { LATEST_SCHEMA_VERSION } from '../migrations.js';
import { CopyError, type Fingerprint, type Row, type StoreEnd, type TableInfo } from './store-end.js';

export interface CopyReport {
  outcome: 'copied' | 'identical';
  tables: number;
  rows: number;
  version: number;
}

const BATCH = 5000;
const MOD = 1n << 128n;

/** One row's share of a table's fingerprint: the first 128 bits of a SHA-256 of its values, tagged by type. */
function rowHash(row: Row): bigint {
  const text = row.map((v) => (v === null ? 'n' : typeof v === 'bigint' ? `i${v}` : `s${JSON.stringify(v)}`)).join(',');
  return BigInt(`0x${createHash('sha256').update(text).digest('hex').slice(0, 32)}`);
}

/** Count and sum of row hashes: independent of row order, so the two stores need not sort text the same way. */
class Tally {
  rows = 0;
  hash = 0n;
  add(batch: Row[]): void {
    for (const r of batch) this.hash = (this.hash + rowHash(r)) % MOD;
    this.rows += batch.length;
  }
  equals(other: Fingerprint): boolean {
    return this.rows === other.rows && this.hash === other.hash;
  }
}

/** Referenced tables first (PostgreSQL checks each foreign key as the row goes in). */
export function writeOrder(tables: readonly TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((t) => [t.name.toLowerCase(), t]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: TableInfo[] = [];
  const visit = (t: TableInfo) => {
    const key = t.name.toLowerCase();
    if (done.has(key)) return;
    if (visiting.has(key)) throw new CopyError(`the tables' foreign keys form a cycle through ${t.name}; migrate-store cannot order them.`);
    visiting.add(key);
    for (const r of t.references) if (r !== key && byName.has(r)) visit(byName.get(r)!);
    visiting.delete(key);
    done.add(key);
    out.push(t);
  };
  for (const t of tables) visit(t);
  return out;
}

function sameSchema(source: readonly TableInfo[], target: readonly TableInfo[]): string | null {
  const shape = (ts: readonly TableInfo[]) => new Map(ts.map((t) => [t.name.toLowerCase(), t.columns.map((c) => `${c.name.toLowerCase()}:${c.kind}`).sort().join(' ')]));
  const a = shape(source);
  const b = shape(target);
  for (const [name, cols] of a) {
    if (!b.has(name)) return `the target has no table ${name}`;
    if (b.get(name) !== cols) return `the table ${name} has other columns in the target (${b.get(name)}) than in the source (${cols})`;
  }
  for (const name of b.keys()) if (!a.has(name)) return `the target has a table the source does not (${name})`;
  return null;
}

async function tally(end: StoreEnd, table: TableInfo, progress: Progress): Promise<Tally> {
  const t = new Tally();
  for await (const batch of end.rows(table, BATCH)) {
    t.add(batch);
    progress.add(batch.length);
  }
  return t;
}

class Progress {
  private done = 0;
  constructor(
    private readonly sink: ProgressSink | null,
    private readonly label: string,
    total: number,
  ) {
    sink?.start(label, total);
  }
  add(n: number): void {
    this.done += n;
    this.sink?.update(this.label, this.done);
  }
  finish(): void {
    this.sink?.finish(this.label);
  }
}

function checkVersion(end: StoreEnd, version: number, role: 'source' | 'target', other: number): void {
  if (version === LATEST_SCHEMA_VERSION) return;
  if (role === 'source') {
    if (version === 0) throw new CopyError(`${end.label} holds no Unicornia database (it has no Unicornia schema).`);
    throw new CopyError(
      version < LATEST_SCHEMA_VERSION
        ? `${end.label} is at schema version ${version}, this Unicornia at ${LATEST_SCHEMA_VERSION}. Start this version of the bot on it once (it migrates when it starts), then copy.`
        : `${end.label} is at schema version ${version}, newer than this Unicornia (${LATEST_SCHEMA_VERSION}). Copy it with the Unicornia version that wrote it.`,
    );
  }
  throw new CopyError(
    `${end.label} is at schema version ${version}, the source at ${other}: refusing to copy between versions. Nothing was changed. Copy into an empty database, or start this version of the bot on the target once so that it migrates, then copy again.`,
  );
}

export async function copyStore(source: StoreEnd, target: StoreEnd, sink: ProgressSink | null): Promise<CopyReport> {
  const version = await source.version();
  checkVersion(source, version, 'source', 0);
  const targetVersion = await target.version();
  if (targetVersion === 0) {
    if (await target.foreign()) throw new CopyError(`${target.label} holds tables that are not Unicornia's. Nothing was changed. Copy into an empty database.`);
    await target.migrate();
  } else checkVersion(target, targetVersion, 'target', version);

  await source.begin('read');
  try {
    await target.begin('write');
    const tables = await source.tables();
    const mismatch = sameSchema(tables, await target.tables());
    if (mismatch) throw new CopyError(`${source.label} and ${target.label} are both at schema version ${version} but their tables differ: ${mismatch}. Nothing was changed.`);
    let total = 0;
    let present = 0;
    for (const t of tables) {
      total += await source.count(t);
      present += await target.count(t);
    }
    if (present > 0) {
      const outcome = await compareExisting(source, target, tables, total, sink);
      await target.rollback();
      return { outcome, tables: tables.length, rows: total, version };
    }

    const fromSource = new Map<string, Tally>();
    const copying = new Progress(sink, 'copy', total);
    for (const table of writeOrder(tables)) {
      const t = new Tally();
      for await (const batch of source.rows(table, BATCH)) {
        t.add(batch);
        await target.insert(table, batch);
        copying.add(batch.length);
      }
      fromSource.set(table.name, t);
    }
    copying.finish();
    const counters = await source.counters();
    await target.setCounters(counters);

    const checking = new Progress(sink, 'verify', total);
    for (const table of tables) {
      const copied = await tally(target, table, checking);
      const expected = fromSource.get(table.name)!;
      if (!copied.equals(expected)) {
        throw new CopyError(`the copy of ${table.name} does not match the source (${copied.rows} rows copied, ${expected.rows} read). The copy was rolled back.`);
      }
    }
    const copiedCounters = await target.counters();
    for (const [name, value] of counters) {
      if ((copiedCounters.get(name) ?? 0n) < value) throw new CopyError(`the id counter of ${name} could not be carried over. The copy was rolled back.`);
    }
    checking.finish();
    await target.commit();
    return { outcome: 'copied', tables: tables.length, rows: total, version };
  } catch (error) {
    await target.rollback();
    throw error;
  } finally {
    await source.rollback();
  }
}

/**
 * The target already has rows: it is left alone either way. Identical to the source (a copy that already ran) is
 * success; anything else is refused, naming the tables that differ.
 */
async function compareExisting(source: StoreEnd, target: StoreEnd, tables: readonly TableInfo[], total: number, sink: ProgressSink | null): Promise<'identical'> {
  const progress = new Progress(sink, 'compare', total * 2);
  const differ: string[] = [];
  for (const table of tables) {
    const a = await tally(source, table, progress);
    const b = await tally(target, table, progress);
    const n = (v: number) => v.toLocaleString('en-US');
    if (!a.equals(b)) differ.push(a.rows === b.rows ? `${table.name}: ${n(a.rows)} rows in both, not the same` : `${table.name}: ${n(b.rows)} rows there, ${n(a.rows)} in the source`);
  }
  progress.finish();
  if (differ.length > 0) {
    const shown = differ.slice(0, 5).join('; ') + (differ.length > 5 ? `; and ${differ.length - 5} more tables` : '');
    throw new CopyError(
      `${target.label} already holds Unicornia data that is not a copy of ${source.label} (${shown}). Nothing was changed. ` +
        'Copy into an empty database: a new PostgreSQL database or a new file. (An interrupted copy leaves nothing behind, so this is not one.)',
    );
  }
  return 'identical';
}
