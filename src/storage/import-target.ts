/**
 * Where an import writes (DESIGN §8): the store the bot uses, chosen the way the bot chooses it (store.ts) — a
 * postgres:// URL is PostgreSQL, anything else the SQLite file. Both targets have the same methods (a port of the
 * SQLite target) and apply the same rules (import-rules.ts); the importers never see which one they write to.
 */
import { ImportStore, type ImportStoreOptions } from './import-writes.js';
import type { Port } from './ports.js';
import { isPostgresUrl } from './pg/pool.js';
import { PgImportStore } from './pg/import-writes.js';
import { redactPgUrl } from './nadeko-pg.js';

export type ImportTarget = Port<ImportStore>;

/** How messages and summaries name a target: the file path, or the URL without its password. */
export function targetLabel(target: string): string {
  return isPostgresUrl(target) ? (redactPgUrl(target) ?? 'the PostgreSQL database') : target;
}

export async function openImportTarget(target: string, options: ImportStoreOptions = {}): Promise<ImportTarget> {
  return isPostgresUrl(target) ? PgImportStore.open(target, targetLabel(target), options) : ImportStore.open(target, options);
}
