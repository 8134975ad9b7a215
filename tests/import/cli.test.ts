import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';
import { writeMee6 } from './bot-fixtures.js';
import { createForeign, createV7, G1, U1 } from './nadeko-fixtures.js';
import { pgDatabaseUrl } from '../helpers/pg.js';
import { redactPgUrl } from '../../src/storage/nadeko-pg.js';
import { dumpStore, pick } from './stores.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = tempDir('unicornia-import-cli-');

/** Runs the real entry point as `npm run import` does (not a TTY: plain progress lines). */
function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/import/cli.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_PATH: '', ...env },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('npm run import (the CLI, end to end)', () => {
  const source = join(dir, 'nadekobot.db');
  createV7(source);
  const target = join(dir, 'unicornia.db');

  it('given --dry-run then it prints what it would import, exits 0 and creates nothing', () => {
    const r = cli(['nadeko', source, '--db', target, '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Dry run — nothing was written.');
    expect(r.out).toMatch(/read\s+would import\s+unchanged\s+skipped/);
    expect(r.out).toMatch(/server XP\s+5\s+4\s+0\s+1/);
    expect(existsSync(target)).toBe(false);
  });

  it('given a Nadeko file then it imports, prints the summary with skip reasons and progress lines, and exits 0', () => {
    const r = cli(['nadeko', source, '--db', target]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`NadekoBot import from ${source} into ${target}`);
    expect(r.out).toMatch(/server XP\s+5\s+4\s+0\s+1/);
    expect(r.out).toMatch(/total\s+43\s+34\s+1\s+8/);
    expect(r.out).toContain('clubs: 1 × club owner not found');
    expect(r.out).toContain('role rewards: 1 × reward for a guild with no settings row');
    expect(r.err).toContain('server XP: done, 5 rows read');
    const db = new Database(target, { readonly: true });
    const row = db.prepare('SELECT CAST(Xp AS INTEGER) AS xp FROM UserXpStats WHERE GuildId = ? AND UserId = ?').get(BigInt(G1), BigInt(U1));
    db.close();
    expect(row).toEqual({ xp: 1000 });
  });

  it('given the same command again then nothing changes and it says so', () => {
    const r = cli(['nadeko', source, '--db', target]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/total\s+43\s+0\s+35\s+8/);
    expect(r.out).toContain('Everything was already imported; nothing changed.');
  });

  it('given DATABASE_PATH and no --db then the environment names the Unicornia database', () => {
    const envTarget = join(dir, 'from-env.db');
    const r = cli(['nadeko', source, '--guild', G1], { DATABASE_PATH: envTarget });
    expect(r.code).toBe(0);
    expect(r.out).toContain(`(guild ${G1} only)`);
    expect(existsSync(envTarget)).toBe(true);
  });

  it('given DATABASE_URL naming PostgreSQL and no --db then it imports into that database, as the bot would read it; --db still names a file', async () => {
    const url = await pgDatabaseUrl();
    const fallback = join(dir, 'default-path.db');
    const env = { DATABASE_URL: url, DATABASE_PATH: fallback };
    const dry = cli(['nadeko', source, '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/server XP\s+5\s+4\s+0\s+1/);
    expect(await dumpStore(url)).toEqual({});

    const r = cli(['nadeko', source], env);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`into ${redactPgUrl(url)}`);
    expect(redactPgUrl(url)).not.toBe(url); // the test server's password is not printed
    expect(r.out).toMatch(/total\s+43\s+34\s+1\s+8/);
    expect(existsSync(fallback)).toBe(false);
    const rows = pick(await dumpStore(url), 'userxpstats', ['guildid', 'userid', 'xp']);
    expect(rows).toContainEqual({ guildid: G1, userid: U1, xp: '1000' });

    expect(cli(['nadeko', source], env).out).toContain('Everything was already imported; nothing changed.');
    const chosen = join(dir, 'chosen.db');
    expect(cli(['nadeko', source, '--db', chosen], env).code).toBe(0);
    expect(existsSync(chosen)).toBe(true);
  });

  it('given DATABASE_URL that is not a postgres:// URL then it refuses as the bot does, and writes nothing', () => {
    const fallback = join(dir, 'never-default.db');
    const r = cli(['nadeko', source], { DATABASE_URL: 'mysql://u:hunter2@127.0.0.1/db', DATABASE_PATH: fallback });
    expect(r.code).toBe(1);
    expect(r.err).toContain('DATABASE_URL must be a postgres:// URL');
    expect(r.err).not.toContain('hunter2');
    expect(existsSync(fallback)).toBe(false);
  });

  it('given a PostgreSQL target that cannot be reached then it says so without the password, exits 1', () => {
    const r = cli(['nadeko', source, '--db', 'postgres://u:secret@127.0.0.1:1/unicornia']);
    expect(r.code).toBe(1);
    expect(r.err).toContain("Unicornia's database cannot be used: cannot connect to postgres://u:***@127.0.0.1:1/unicornia");
    expect(r.err).not.toContain('secret');
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('given a file that is not NadekoBot\'s then it explains, exits 1, and prints no stack trace', () => {
    const foreign = join(dir, 'other.db');
    createForeign(foreign);
    const text = join(dir, 'config.yml');
    writeFileSync(text, 'prefix: "!"\n'.repeat(50));
    for (const [file, message] of [
      [foreign, "is an SQLite database but not NadekoBot's"],
      [text, 'is not an SQLite database'],
      [join(dir, 'missing.db'), 'does not exist'],
    ] as const) {
      const r = cli(['nadeko', file, '--db', join(dir, 'never.db')]);
      expect(r.code).toBe(1);
      expect(r.err).toContain(message);
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(r.out).toBe('');
    }
    expect(existsSync(join(dir, 'never.db'))).toBe(false);
  });

  it('given bad arguments then it prints the usage and exits 2', () => {
    for (const [args, message] of [
      [[], 'say what to import from: nadeko, mee6, polaris, levelup, lurkr, amari, csv'],
      [['arcane', source], 'the source must be one of'],
      [['nadeko'], 'give the path'],
      [['nadeko', source, '--guild', 'abc'], '--guild must be a server id'],
      [['nadeko', source, '--bogus'], "Unknown option '--bogus'"],
      [['nadeko', source, '--keep', 'xp'], '--keep is for other bots'],
      [['mee6', source], 'choose what members keep with --keep xp or --keep level'],
      [['mee6', source, '--keep', 'levels'], '--keep must be xp or level'],
    ] as const) {
      const r = cli([...args]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(message);
      expect(r.err).toContain('Usage: npm run import -- <source> <file or folder>');
    }
    const help = cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('--dry-run');
  });

  it('given MEE6 pages then a dry run shows both level choices, a real run needs --keep, and a wrong source exits 1', () => {
    const pages = writeMee6(join(dir, 'mee6'));
    const target = join(dir, 'from-mee6.db');
    const dry = cli(['mee6', pages, '--db', target, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('MEE6 import from');
    expect(dry.out).toMatch(/--keep xp\s+XP stays; 4 members change level \(4 up, 0 down\)/);
    expect(dry.out).toContain('Choose one with --keep xp or --keep level');
    expect(existsSync(target)).toBe(false);

    const real = cli(['mee6', pages, '--db', target, '--keep', 'level']);
    expect(real.code).toBe(0);
    expect(real.out).toMatch(/server XP\s+6\s+4\s+0\s+2/);
    expect(real.out).toContain('This run: --keep level.');
    expect(real.err).toContain('reading files: done');

    const wrong = cli(['amari', pages, '--db', target, '--keep', 'xp', '--guild', G1]);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('npm run import -- mee6');
    expect(wrong.err).not.toMatch(/\n\s+at /);
  });
});
