/**
 * Options every import takes, with their defaults in one place, and the Unicornia end every import writes to.
 */
import { realpathSync } from 'node:fs';
import { ImportTargetError } from '../storage/import-rules.js';
import { openImportTarget, type ImportTarget } from '../storage/import-target.js';
import { ImportError } from './errors.js';
import type { ProgressSink } from './runner.js';
import type { KeepMode } from './summary.js';

export interface ImportOptions {
  /** Import only this guild's guild-scoped data (and name the guild of exports that do not). Default null: every guild. */
  guildId?: string | null;
  /** Compute everything on a private copy (SQLite: in memory; PostgreSQL: temporary tables) and write nothing. Default false. */
  dryRun?: boolean;
  /** Other bots: whether members keep their XP or their level. Default null (a real run must choose). */
  keep?: KeepMode | null;
  /** Rows per transaction. Default 50 000. */
  batchSize?: number;
  /** Milliseconds to wait when the source or Unicornia's database is locked. Default 5 000. */
  busyTimeoutMs?: number;
  /** Progress receiver. Default: none. */
  progress?: ProgressSink | null;
  /** Wall clock (DateAdded columns, currency log). Default Date.now. */
  now?: () => number;
}

export const DEFAULT_IMPORT_OPTIONS: Required<ImportOptions> = {
  guildId: null,
  dryRun: false,
  keep: null,
  batchSize: 50_000,
  busyTimeoutMs: 5_000,
  progress: null,
  now: Date.now,
};

/** Checked before anything is opened: the import must never write into the file it reads. */
export function assertDistinct(sourcePath: string, targetPath: string): void {
  if (sameFile(sourcePath, targetPath)) throw new ImportError('target_is_source', sourcePath);
}

/**
 * Opens Unicornia's database (an SQLite path or a postgres:// URL) for `source` and runs `work` on it; a database that cannot take the import (not
 * Unicornia's, locked past the busy timeout) becomes the owner-facing ImportError. The store is always closed.
 * Open the source first: a source that cannot be read must leave no Unicornia file behind.
 */
export async function withTarget<T>(
  targetPath: string,
  source: string,
  o: Required<ImportOptions>,
  work: (store: ImportTarget) => Promise<T>,
): Promise<T> {
  let store: ImportTarget | undefined;
  try {
    store = await openImportTarget(targetPath, { source, dryRun: o.dryRun, now: o.now, busyTimeoutMs: o.busyTimeoutMs });
    return await work(store);
  } catch (err) {
    if (err instanceof ImportTargetError) {
      throw new ImportError(err.kind === 'locked' ? 'target_locked' : 'target_unusable', err.message, { cause: err });
    }
    throw err;
  } finally {
    await store?.close();
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}
