/**
 * `npm run import -- nadeko <path/to/nadekobot.db> [--guild <id>] [--dry-run] [--db <unicornia.db>]`
 *
 * Arguments are validated once, here. Exit codes: 0 done, 1 the import failed (the message says what is wrong and
 * what to do; nothing is half-written beyond whole batches, and a re-run carries on), 2 bad arguments.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { isSnowflake } from '../storage/ids.js';
import { ImportError } from './errors.js';
import { importNadeko } from './nadeko-import.js';
import type { ProgressSink } from './runner.js';
import { formatSummary } from './summary.js';

export const USAGE = `Usage: npm run import -- nadeko <path/to/nadekobot.db> [--guild <id>] [--dry-run] [--db <unicornia.db>]

Imports NadekoBot's XP data into Unicornia: server and global XP, wallets, XP settings and level curve,
exclusions, role and currency rewards, the level-up message, owned card backgrounds and clubs.

  --guild <id>   only this guild's server XP, settings, exclusions, rewards and message
                 (users, wallets, shop items and clubs are global and always imported)
  --dry-run      read everything and print what would be imported; write nothing
  --db <path>    Unicornia's database (default: $DATABASE_PATH or data/unicornia.db)

Running it again is safe: it only adds what changed in NadekoBot since the last run.`;

const Args = z.object({
  source: z.literal('nadeko', { error: 'the only import source is "nadeko"' }),
  path: z.string().min(1, { error: 'give the path to nadekobot.db' }),
  guild: z
    .string()
    .refine(isSnowflake, { error: '--guild must be a server id (a number like 123456789012345678)' })
    .nullable(),
  dryRun: z.boolean(),
  db: z.string().min(1),
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
        'dry-run': { type: 'boolean', default: false },
        db: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    io.err(`error: ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(USAGE);
    return 0;
  }
  if (parsed.positionals.length > 2) {
    io.err(`error: unexpected argument "${parsed.positionals[2]}"\n\n${USAGE}`);
    return 2;
  }
  const args = Args.safeParse({
    source: parsed.positionals[0],
    path: parsed.positionals[1] ?? '',
    guild: parsed.values.guild ?? null,
    dryRun: parsed.values['dry-run'],
    db: parsed.values.db ?? io.env['DATABASE_PATH'] ?? 'data/unicornia.db',
  });
  if (!args.success) {
    const issue = args.error.issues[0];
    const message = parsed.positionals[0] === undefined ? 'say what to import from: nadeko' : (issue?.message ?? 'bad arguments');
    io.err(`error: ${message}\n\n${USAGE}`);
    return 2;
  }
  const a = args.data;
  try {
    const summary = await importNadeko(a.path, a.db, { guildId: a.guild, dryRun: a.dryRun, progress: io.progress });
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
