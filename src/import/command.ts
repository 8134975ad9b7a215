/**
 * `npm run import -- <source> <file> [--guild <id>] [--keep xp|level] [--dry-run] [--db <unicornia.db or postgres://…>]`
 *
 * Arguments are validated once, here. Exit codes: 0 done, 1 the import failed (the message says what is wrong and
 * what to do; nothing is half-written beyond whole batches, and a re-run carries on), 2 bad arguments.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { isSnowflake } from '../storage/ids.js';
import { isPostgresUrl, redactPgUrl } from '../storage/nadeko-pg.js';
import { usageError } from '../util/usage.js';
import { importBot } from './bots/bot-import.js';
import { BOT_SOURCES } from './bots/shape.js';
import { ImportError } from './errors.js';
import { importNadeko } from './nadeko-import.js';
import type { ProgressSink } from './runner.js';
import { formatSummary } from './summary.js';

const SOURCE_NAMES = ['nadeko', ...BOT_SOURCES] as const;

export const USAGE = `Usage: npm run import -- <source> <file or folder> [--guild <id>] [--keep xp|level] [--dry-run] [--db <unicornia.db or URL>]

Sources:
  nadeko   NadekoBot's nadekobot.db, or its PostgreSQL database as postgres://user:password@host:5432/db:
           server and global XP, wallets, XP settings, rates and level curve, exclusions, role and
           currency rewards, the level-up message, owned card backgrounds and clubs
  mee6     MEE6 leaderboard pages (JSON), one file or a folder of pages; role rewards too
  polaris  a Polaris XP export (JSON; needs --guild)
  levelup  vrt-cogs LevelUp: Red's config JSON of the cog, or the cog's own JSON
  lurkr    Lurkr leaderboard pages (JSON), one file or a folder of pages
  amari    Amari leaderboard pages (JSON), one file or a folder of pages (needs --guild)
  csv      guild_id,user_id,xp[,level] lines, for any other bot

  --guild <id>      only this server's data; for Polaris and Amari, the server the file belongs to
                    (NadekoBot users, wallets, shop items and clubs are global and always imported)
  --keep xp|level   other bots: members keep their XP (levels follow Unicornia's curve) or their level
                    (XP is set to reach it, plus the same part of the next level); required unless --dry-run
  --dry-run         read everything and print what would be imported, and how many members change level
                    with --keep xp or --keep level; write nothing
  --db <path|URL>   Unicornia's database: an SQLite file or postgres://user:password@host:5432/db
                    (default: the bot's own, $DATABASE_URL when set, else $DATABASE_PATH or data/unicornia.db)

Running it again is safe: it only adds what changed in the other bot since the last run.`;

const Args = z
  .object({
    source: z.enum(SOURCE_NAMES, { error: `the source must be one of: ${SOURCE_NAMES.join(', ')}` }),
    path: z.string().min(1, { error: 'give the path to the file (or folder) to import' }),
    guild: z
      .string()
      .refine(isSnowflake, { error: '--guild must be a server id (a number like 123456789012345678)' })
      .nullable(),
    keep: z.enum(['xp', 'level'], { error: '--keep must be xp or level' }).nullable(),
    dryRun: z.boolean(),
    db: z.string().min(1, { error: '--db needs the path of Unicornia\'s database' }),
  })
  .refine((a) => !isPostgresUrl(a.db) || redactPgUrl(a.db) !== null, {
    error: '--db: write a PostgreSQL database as postgres://user:password@host:5432/database',
  })
  .refine((a) => !isPostgresUrl(a.path) || a.source === 'nadeko', {
    error: 'only the nadeko source reads from PostgreSQL; the other bots are imported from their exported files',
  })
  .refine((a) => !isPostgresUrl(a.path) || redactPgUrl(a.path) !== null, {
    error: new ImportError('pg_bad_url', 'the source').message,
  })
  .refine((a) => a.source !== 'nadeko' || a.keep === null, {
    error: "--keep is for other bots: NadekoBot's levels are Unicornia's (its curve is imported with the data)",
  })
  .refine((a) => a.source === 'nadeko' || a.dryRun || a.keep !== null, {
    error: 'choose what members keep with --keep xp or --keep level (a --dry-run shows how many members change level either way)',
  });

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
  progress: ProgressSink | null;
}

export async function runImportCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        guild: { type: 'string' },
        keep: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        db: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    return usageError(io.err, USAGE, err);
  }
  if (parsed.values.help) {
    io.out(USAGE);
    return 0;
  }
  if (parsed.positionals.length > 2) return usageError(io.err, USAGE, `unexpected argument "${parsed.positionals[2]}"`);
  const args = Args.safeParse({
    source: parsed.positionals[0],
    path: parsed.positionals[1] ?? '',
    guild: parsed.values.guild ?? null,
    keep: parsed.values.keep ?? null,
    dryRun: parsed.values['dry-run'],
    // Unicornia's own store, chosen as the bot chooses it (DATABASE_URL, else the SQLite file); empty counts as unset.
    db: parsed.values.db ?? (isPostgresUrl(io.env['DATABASE_URL']) ? io.env['DATABASE_URL'] : io.env['DATABASE_PATH'] || 'data/unicornia.db'),
  });
  if (!args.success) {
    const issue = args.error.issues[0];
    const message = parsed.positionals[0] === undefined ? `say what to import from: ${SOURCE_NAMES.join(', ')}` : (issue?.message ?? 'bad arguments');
    return usageError(io.err, USAGE, message);
  }
  const a = args.data;
  // The bot refuses to start on such a DATABASE_URL; importing into the SQLite file instead would go unseen.
  const url = io.env['DATABASE_URL']?.trim();
  if (parsed.values.db === undefined && url && !isPostgresUrl(url)) {
    io.err('error: DATABASE_URL must be a postgres:// URL such as postgres://unicornia:secret@127.0.0.1:5432/unicornia (leave it unset for the SQLite file). Nothing was imported.');
    return 1;
  }
  const options = { guildId: a.guild, dryRun: a.dryRun, keep: a.keep, progress: io.progress };
  try {
    const summary = a.source === 'nadeko' ? await importNadeko(a.path, a.db, options) : await importBot(a.source, a.path, a.db, options);
    io.out(formatSummary(summary));
    return 0;
  } catch (err) {
    if (err instanceof ImportError) {
      io.err(`error: ${err.message}`);
    } else {
      const detail = err instanceof Error ? err.message : String(err);
      io.err(
        `error: the import stopped unexpectedly: ${detail}\n` +
          'Every batch written so far is complete and recorded; running the same command again carries on without counting anything twice.',
      );
      if (io.env['UNICORNIA_DEBUG'] && err instanceof Error && err.stack) io.err(err.stack);
    }
    return 1;
  }
}
