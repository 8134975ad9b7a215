/**
 * NadekoBot on PostgreSQL: the same fixtures as the SQLite tests, rebuilt on the run's real PostgreSQL server as
 * Nadeko's PostgreSQL context creates them (nadeko-pg-fixtures.ts), imported from the `postgres://` URL and compared
 * with the import of the SQLite file, row by row.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/import/errors.js';
import { importNadeko } from '../../src/import/nadeko-import.js';
import type { ImportSummary } from '../../src/import/summary.js';
import { openPg } from '../../src/storage/pg/pool.js';
import { pgDatabaseUrl, pgServerUrl } from '../helpers/pg.js';
import { open, pathMaker, rows } from './helpers.js';
import { copyToPostgres } from './nadeko-pg-fixtures.js';
import { G1, G2, U1, U3, createForeign, createPre53, createV5, createV6, createV7, dump } from './nadeko-fixtures.js';

const path = pathMaker('unicornia-import-pg-');
const NOW = Date.UTC(2026, 0, 1);
const run = (source: string, target: string, extra: Parameters<typeof importNadeko>[2] = {}) =>
  importNadeko(source, target, { now: () => NOW, busyTimeoutMs: 2000, ...extra });

/** The summary without what differs by design: where it was read from, and how long it took. */
const comparable = (s: ImportSummary) => ({ ...s, source: null, target: null, seconds: 0 });

async function nadekoOnPostgres(create: (path: string) => void): Promise<{ file: string; url: string }> {
  const file = path('nadekobot.db');
  create(file);
  const url = await pgDatabaseUrl();
  await copyToPostgres(file, url);
  return { file, url };
}

describe('NadekoBot import from PostgreSQL', () => {
  for (const [name, create] of [
    ['Nadeko 7', createV7],
    ['Nadeko 6', createV6],
    ['Nadeko 5', createV5],
    ['Nadeko before 5.3', createPre53],
  ] as const) {
    it(`given ${name} on PostgreSQL then every Unicornia row equals the import of the same data from SQLite`, async () => {
      const { file, url } = await nadekoOnPostgres(create);
      const fromFile = path('from-file.db');
      const fromPg = path('from-pg.db');
      const a = await run(file, fromFile);
      const b = await run(url, fromPg);
      expect(b.source).not.toContain('postgres:postgres@'); // the password is not printed
      expect(comparable(b)).toEqual(comparable(a));
      const expected = dump(open(fromFile));
      expect(Object.values(expected).some((t) => t.length > 0)).toBe(true);
      expect(dump(open(fromPg))).toEqual(expected);
    });
  }

  it('given Nadeko 7 on PostgreSQL then ids above 2^53 arrive exactly, a member of two servers in both, and a re-run adds nothing', async () => {
    const { url } = await nadekoOnPostgres(createV7);
    const target = path('unicornia.db');
    await run(url, target);
    expect(rows(open(target), 'SELECT GuildId, UserId, Xp FROM UserXpStats WHERE UserId = ? ORDER BY GuildId', BigInt(U1))).toEqual([
      { GuildId: G1, UserId: U1, Xp: 1000 },
      { GuildId: G2, UserId: U1, Xp: 0 },
    ]);
    expect(rows(open(target), 'SELECT UserId, Xp FROM UserXpStats WHERE GuildId = ? AND UserId = ?', BigInt(G2), BigInt(U3))).toEqual([{ UserId: U3, Xp: 5000 }]);
    const before = dump(open(target));
    const again = await run(url, target);
    expect(Object.values(again.sections).reduce((n, t) => n + t.imported, 0)).toBe(0);
    expect(dump(open(target))).toEqual(before);
  });

  it('given --guild then only that server\'s rows are read from PostgreSQL, as from the file', async () => {
    const { file, url } = await nadekoOnPostgres(createV7);
    const a = await run(file, path('a.db'), { guildId: G2 });
    const b = await run(url, path('b.db'), { guildId: G2 });
    expect(comparable(b)).toEqual(comparable(a));
    expect(b.sections['server XP'].read).toBe(3);
  });

  describe('given a PostgreSQL source that cannot be imported', () => {
    async function failsWith(source: string, code: string): Promise<string> {
      const target = path('unicornia.db');
      const err = await run(source, target).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImportError);
      expect((err as ImportError).code).toBe(code);
      expect(existsSync(target)).toBe(false);
      return (err as ImportError).message;
    }
    const server = () => new URL(pgServerUrl());

    it('then a URL without a host is refused as a URL', async () => {
      expect(await failsWith('postgres:///nadeko', 'pg_bad_url')).toMatch(/not a PostgreSQL connection URL/);
    });

    it('then a server that is not running says so', async () => {
      const u = server();
      u.port = '1'; // nothing listens there
      u.pathname = '/nadeko';
      const message = await failsWith(u.toString(), 'pg_unreachable');
      expect(message).toMatch(/Cannot connect to the PostgreSQL server/);
      expect(message).not.toContain(':postgres@');
    });

    it('then a wrong password says so, without printing it', async () => {
      const u = server();
      u.password = 'wrong-secret';
      u.pathname = '/postgres';
      const message = await failsWith(u.toString(), 'pg_auth');
      expect(message).toMatch(/refused the user name or password/);
      expect(message).not.toContain('wrong-secret');
    });

    it('then a database that does not exist says so', async () => {
      const u = server();
      u.pathname = '/no_such_nadeko';
      expect(await failsWith(u.toString(), 'pg_no_database')).toMatch(/no such database/);
    });

    it('then a database of another program is not NadekoBot\'s', async () => {
      const file = path('foreign.db');
      createForeign(file);
      const url = await pgDatabaseUrl();
      await copyToPostgres(file, url);
      expect(await failsWith(url, 'not_nadeko')).toMatch(/is a PostgreSQL database but not NadekoBot's/);
    });

    it('then Unicornia\'s own PostgreSQL database is named as such', async () => {
      const url = await pgDatabaseUrl();
      await (await openPg(url, { max: 1 })).end();
      expect(await failsWith(url, 'not_nadeko')).toMatch(/Unicornia's own database/);
    });

    it('then the CLI prints the message, exits 1 (2 for a malformed URL), and no stack trace', async () => {
      const root = fileURLToPath(new URL('../../', import.meta.url));
      const cli = (source: string) =>
        spawnSync(process.execPath, ['--import', 'tsx', 'src/import/cli.ts', 'nadeko', source, '--db', path('cli.db')], {
          cwd: root,
          encoding: 'utf8',
          env: { ...process.env, DATABASE_PATH: '' },
          timeout: 60_000,
        });
      const u = server();
      u.port = '1';
      const down = cli(u.toString());
      expect(down.status).toBe(1);
      expect(down.stderr).toMatch(/^error: Cannot connect to the PostgreSQL server at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1/);
      expect(down.stderr).not.toMatch(/\n\s+at /);
      const bad = cli('postgres://');
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/not a PostgreSQL connection URL/);
      expect(bad.stderr).not.toMatch(/\n\s+at /);
    });
  });

  it('given a read stopped halfway then no cursor or transaction is left open on NadekoBot\'s server', async () => {
    const { url } = await nadekoOnPostgres(createV7);
    const { NadekoPg } = await import('../../src/storage/nadeko-pg.js');
    const db = NadekoPg.open(url);
    for (const row of db.rows('SELECT UserId FROM userxpstats', [])) {
      expect(row).toHaveLength(1);
      break;
    }
    db.close();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const r = await c.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
    await c.end();
    expect(r.rows[0].n).toBe(0);
  });
});
