/**
 * `npm run migrate-store -- <from> <to>`: arguments, messages and exit codes. 0 copied (or the target already held
 * this copy), 1 refused or failed (the message says why; nothing was changed), 2 bad arguments.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ProgressSink } from '../../import/runner.js';
import { privateDatabaseReason } from '../database.js';
import { isPostgresUrl } from '../pg/pool.js';
import { copyStore } from './copy-store.js';
import { PgEnd } from './pg-end.js';
import { SqliteEnd } from './sqlite-end.js';
import { CopyError, type StoreEnd } from './store-end.js';
import { usageError } from '../../util/usage.js';

export const USAGE = `Usage: npm run migrate-store -- <from> <to>

Copies a whole Unicornia database, every table and row, into another store: the SQLite file into PostgreSQL when an
instance outgrows one process, or back. Each side is an SQLite file path or a postgres:// URL.

  <from>   the database to copy; it is only read (stop the bot first: what it writes after the copy began is not copied)
  <to>     an empty database: a new file, or an empty PostgreSQL database (create it first, e.g. createdb unicornia);
           its tables are created. A target at another schema version, or holding other data, is refused.

The copy is one transaction, checked table by table against the source before it commits: if it fails or is
stopped, the target is left as it was. Running it again when the target already holds the copy changes nothing.`;

export interface MigrateIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
  progress: ProgressSink | null;
}

interface Side {
  kind: 'sqlite' | 'postgres';
  value: string;
}

function side(value: string, which: string): Side | string {
  if (isPostgresUrl(value)) return { kind: 'postgres', value: value.trim() };
  const reason = privateDatabaseReason(value);
  if (reason) return `<${which}> must be an SQLite file path or a postgres:// URL; "${value}" ${reason}`;
  return { kind: 'sqlite', value };
}

async function openSide(s: Side, role: 'source' | 'target'): Promise<StoreEnd> {
  if (s.kind === 'postgres') return PgEnd.open(s.value);
  return role === 'source' ? SqliteEnd.openSource(s.value) : SqliteEnd.openTarget(s.value);
}

export async function runMigrateStoreCli(argv: string[], io: MigrateIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { help: { type: 'boolean', short: 'h', default: false } } });
  } catch (err) {
    return usageError(io.err, USAGE, err);
  }
  if (parsed.values.help) {
    io.out(USAGE);
    return 0;
  }
  const [fromArg, toArg, extra] = parsed.positionals;
  const usage = (message: string) => usageError(io.err, USAGE, message);
  if (fromArg === undefined || toArg === undefined) return usage('give the database to copy from and the one to copy to');
  if (extra !== undefined) return usage(`unexpected argument "${extra}"`);
  const from = side(fromArg, 'from');
  const to = side(toArg, 'to');
  if (typeof from === 'string') return usage(from);
  if (typeof to === 'string') return usage(to);
  const same = from.kind === to.kind && (from.kind === 'postgres' ? from.value === to.value : resolve(from.value) === resolve(to.value));
  if (same) return usage('<from> and <to> are the same database');

  const opened: StoreEnd[] = [];
  try {
    const source = await openSide(from, 'source');
    opened.push(source);
    const target = await openSide(to, 'target');
    opened.push(target);
    const report = await copyStore(source, target, io.progress);
    const what = `${report.tables} tables, ${report.rows.toLocaleString('en-US')} rows, schema version ${report.version}`;
    io.out(
      report.outcome === 'copied'
        ? `Copied ${source.label} into ${target.label} (${what}); every table was read back and matches the source.`
        : `${target.label} already holds an exact copy of ${source.label} (${what}): nothing to do.`,
    );
    return 0;
  } catch (err) {
    if (err instanceof CopyError) io.err(`error: ${err.message}`);
    else {
      io.err(`error: the copy stopped unexpectedly: ${err instanceof Error ? err.message : String(err)}. The copy was rolled back; run it again.`);
      if (io.env['UNICORNIA_DEBUG'] && err instanceof Error && err.stack) io.err(err.stack);
    }
    return 1;
  } finally {
    for (const end of opened) await end.close();
  }
}
