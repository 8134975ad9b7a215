/**
 * Errors the owner can cause when importing: each has a code and one message that says what is wrong and what to
 * do. The CLI prints the message and exits 1; nothing here ever reaches the user as a stack trace.
 */
export type ImportErrorCode =
  | 'not_found'
  | 'cannot_open'
  | 'not_sqlite'
  | 'corrupt'
  | 'locked'
  | 'wal_readonly'
  | 'not_nadeko'
  | 'pg_bad_url'
  | 'pg_unreachable'
  | 'pg_auth'
  | 'pg_no_database'
  | 'pg_lost'
  | 'input_not_found'
  | 'unreadable'
  | 'bad_json'
  | 'bad_csv'
  | 'wrong_source'
  | 'not_format'
  | 'needs_guild'
  | 'no_level'
  | 'needs_keep'
  | 'target_is_source'
  | 'target_unusable'
  | 'target_locked';

const MESSAGES: Record<ImportErrorCode, (detail: string) => string> = {
  not_found: (d) => `${d} does not exist or is not a file. Pass the path to NadekoBot's nadekobot.db (usually data/nadekobot.db in the bot's folder).`,
  cannot_open: (d) =>
    `${d} cannot be opened for reading. Check its permissions; a file in WAL mode also needs its -wal and -shm files beside it and a folder the import may write those to (or import from a copy).`,
  not_sqlite: (d) => `${d} is not an SQLite database. Pass NadekoBot's nadekobot.db, not a backup archive, a YAML file or a PostgreSQL dump.`,
  corrupt: (d) =>
    `${d} is damaged (truncated or corrupt). Nothing was imported. Copy the file again from the bot's data folder while NadekoBot is stopped, or restore a backup; "sqlite3 nadekobot.db .recover" may save what is left.`,
  locked: (d) =>
    `${d} is locked by another program (is NadekoBot still running?). Nothing was imported. Stop NadekoBot, or import from a copy of the file.`,
  wal_readonly: (d) =>
    `${d} is in WAL mode, and SQLite has to create its -shm file beside it, but this user cannot write to that folder. Nothing was imported. Copy the file (and its -wal file, if there is one) to a folder you can write and import the copy, or give this user write access to the folder.`,
  not_nadeko: (d) => `${d}. Nothing was imported.`,
  pg_bad_url: (d) =>
    `${d} is not a PostgreSQL connection URL. Write it as postgres://user:password@host:5432/database (the values of NadekoBot's creds.yml "Db" connection string).`,
  pg_unreachable: (d) =>
    `Cannot connect to the PostgreSQL server at ${d}. Check the host and port, and that the server is running and accepts connections from this machine. Nothing was imported.`,
  pg_auth: (d) => `The PostgreSQL server refused the user name or password in ${d}. Nothing was imported.`,
  pg_no_database: (d) => `The PostgreSQL server has no such database: ${d}. Pass the database NadekoBot uses. Nothing was imported.`,
  pg_lost: (d) =>
    `The connection to the PostgreSQL server was lost while reading ${d}. Every batch written so far is complete and recorded; run the same command again to carry on.`,
  input_not_found: (d) => `${d} does not exist. Pass the exported file, or a folder of exported pages.`,
  unreadable: (d) => `${d} cannot be read. Check that this user may read it. Nothing was imported.`,
  bad_json: (d) => `${d}: it is damaged or cut short. Nothing was imported. Export or download it again.`,
  bad_csv: (d) => `${d}. Nothing was imported. Each line must be guild_id,user_id,xp or guild_id,user_id,xp,level.`,
  wrong_source: (d) => d,
  not_format: (d) => `${d} Nothing was imported.`,
  needs_guild: (d) => `${d} does not say which server it belongs to. Pass the server id with --guild <id>. Nothing was imported.`,
  needs_keep: (d) =>
    `${d}: choose what members keep. Add --keep xp (their XP; levels follow Unicornia's curve) or --keep level (their level; XP is set to reach it). A --dry-run shows how many members change level either way. Nothing was imported.`,
  no_level: (d) => `${d} has no levels, so members cannot keep their level. Use --keep xp, or add a level column. Nothing was imported.`,
  target_is_source: (d) => `The NadekoBot file and the Unicornia database are the same file (${d}). Pass Unicornia's database with --db.`,
  target_unusable: (d) => `Unicornia's database cannot be used: ${d}. Nothing was imported.`,
  target_locked: (d) =>
    `Unicornia's database ${d} stayed locked by another process. Stop the bot (or wait for it to finish writing) and run the import again; it carries on where it stopped and never counts anything twice.`,
};

export class ImportError extends Error {
  override readonly name = 'ImportError';
  constructor(
    readonly code: ImportErrorCode,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(MESSAGES[code](detail), options);
  }
}

/** SQLite result codes better-sqlite3 puts on its errors, mapped to what they mean for an import source. */
export function sqliteCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

/** Turns a SQLite failure while reading the Nadeko file into the owner-facing error. */
export function sourceError(path: string, err: unknown): ImportError | undefined {
  const code = sqliteCode(err);
  if (code === undefined) return undefined;
  if (code === 'SQLITE_NOTADB') return new ImportError('not_sqlite', path, { cause: err });
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_IOERR_SHORT_READ' || code === 'SQLITE_FORMAT')
    return new ImportError('corrupt', path, { cause: err });
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new ImportError('locked', path, { cause: err });
  // A WAL file needs its -shm (and -wal) beside it; in a folder this user cannot write SQLite cannot make them.
  if (code === 'SQLITE_READONLY_DIRECTORY' || code === 'SQLITE_READONLY_CANTINIT' || code === 'SQLITE_READONLY_RECOVERY')
    return new ImportError('wal_readonly', path, { cause: err });
  if (code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM') return new ImportError('cannot_open', path, { cause: err });
  return undefined;
}
