/**
 * What only the PostgreSQL store has to prove (DESIGN §7.1): the same schema as SQLite at the same version, flushes
 * of many processes at once without deadlocks, a COMMIT whose answer is lost neither lost nor doubled, and the rank
 * and page queries on their indexes.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../src/storage/database.js';
import { migrations, LATEST_SCHEMA_VERSION } from '../../../src/storage/migrations.js';
import { pgMigrations } from '../../../src/storage/pg/migrations.js';
import { openPg, pgSchemaVersion } from '../../../src/storage/pg/pool.js';
import { PgXpReads, PgXpWrites } from '../../../src/storage/pg/xp-store.js';
import type { FlushBatch } from '../../../src/engine/ports.js';
import { tempDbPath } from '../../helpers/temp.js';
import { pgDatabaseUrl } from '../../helpers/pg.js';
import { commitDropper } from '../../helpers/tcp-proxy.js';
import { wholeArray } from '../../../src/storage/pg/sql.js';

const G = '1234567890123456789';

describe('PostgreSQL store', () => {
  it('given both stores migrated then they are at the same version with the same tables and columns', async () => {
    expect(pgMigrations.map((m) => m.version)).toEqual(migrations.map((m) => m.version));
    const db = openDatabase(tempDbPath());
    const sqlite = new Map<string, string[]>();
    for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]) {
      sqlite.set(name.toLowerCase(), (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(name) as { name: string }[]).map((c) => c.name.toLowerCase()).sort());
    }
    const version = schemaVersion(db);
    db.close();
    const pool = await openPg(await pgDatabaseUrl());
    const cols = await pool.query<{ t: string; c: string }>(
      "SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'unicorniaschema'",
    );
    const postgres = new Map<string, string[]>();
    for (const r of cols.rows) postgres.set(r.t, [...(postgres.get(r.t) ?? []), r.c].sort());
    expect(await pgSchemaVersion(pool)).toBe(version);
    expect(version).toBe(LATEST_SCHEMA_VERSION);
    await pool.end();
    expect(Object.fromEntries([...postgres].sort())).toEqual(Object.fromEntries([...sqlite].sort()));
  });

  it('given eight processes flushing overlapping members in random order at once then the sums are exact and no deadlock happened', async () => {
    const url = await pgDatabaseUrl();
    const pool = await openPg(url, { max: 16 });
    const users = Array.from({ length: 200 }, (_, i) => String(2n ** 60n + BigInt(i)));
    const expected = new Map<string, number>();
    let seed = 3;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const writers = Array.from({ length: 8 }, (_, w) => new PgXpWrites(pool, `w${w}`));
    const runs = writers.map(async (writer) => {
      for (let seq = 1; seq <= 25; seq++) {
        const picked = [...new Set(Array.from({ length: 80 }, () => users[rnd(users.length)]!))];
        const rows = picked.map((userId) => ({ guildId: G, userId, xp: 1 + rnd(9), awarded: 0 }));
        for (const r of rows) expected.set(r.userId, (expected.get(r.userId) ?? 0) + r.xp);
        await writer.flush({ seq, rows, voice: [], history: [], periods: [] } satisfies FlushBatch);
      }
    });
    await Promise.all(runs);
    const reads = new PgXpReads(pool, 'w0');
    for (const [u, xp] of expected) expect((await reads.storedXp(G, u)).xp).toBe(xp);
    const stats = await pool.query<{ deadlocks: string }>('SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()');
    expect(Number(stats.rows[0]!.deadlocks)).toBe(0);
    await pool.end();
  });

  it('given a COMMIT whose answer is lost then the flush is retried and its gains are written exactly once', async () => {
    const url = await pgDatabaseUrl();
    const proxy = await commitDropper(url);
    const pool = await openPg(proxy.url);
    const writes = new PgXpWrites(pool, 'w1');
    const reads = new PgXpReads(pool, 'w1');
    proxy.dropNextCommits(1);
    await writes.flush({ seq: 1, rows: [{ guildId: G, userId: '42', xp: 25, awarded: 0 }], voice: [], history: [], periods: [] });
    expect(proxy.dropped).toBe(1);
    expect(await reads.storedXp(G, '42')).toEqual({ xp: 25, flushSeq: 1 });
    await pool.end();
    await proxy.close();
  });

  it('given whole numbers and nulls then they travel as one array literal, snowflakes near 2^63 exact; anything else is refused', async () => {
    const pool = await openPg(await pgDatabaseUrl());
    const ids = ['9223372036854775807', '0', '-5', 42, null, -(2n ** 63n)];
    const r = await pool.query<{ v: string | null }>('SELECT v::text AS v FROM UNNEST($1::bigint[]) AS t(v)', [wholeArray(ids)]);
    expect(r.rows.map((x) => x.v)).toEqual(['9223372036854775807', '0', '-5', '42', null, '-9223372036854775808']);
    await pool.end();
    for (const bad of ['1,2', '1}', '', ' 1', '1.5']) expect(() => wholeArray(['1', bad]), bad).toThrow(/not a whole number/);
    expect(() => wholeArray([1.5])).toThrow(/not a whole number/);
    expect(() => wholeArray([2 ** 53])).toThrow(/not a whole number/);
    expect(wholeArray([])).toBe('{}');
  });

  it('given a large guild then the page and rank queries run on indexes, never a scan of the table', async () => {
    const pool = await openPg(await pgDatabaseUrl());
    const writes = new PgXpWrites(pool, 'w1');
    const rows = Array.from({ length: 60_000 }, (_, i) => ({ guildId: i % 10 === 0 ? '7' : G, userId: String(10n ** 17n + BigInt(i)), xp: (i * 7919) % 100_000, awarded: 0 }));
    await writes.flush({ seq: 1, rows, voice: [], history: [], periods: [] });
    await pool.query('ANALYZE');
    const plans = await new PgXpReads(pool, 'w1').explain(G);
    for (const [name, plan] of Object.entries(plans)) {
      const text = plan.join('\n');
      // The bucket table holds a few hundred rows per guild: scanning it is the planner's right choice.
      expect(text, name).not.toMatch(/Seq Scan on userxpstats|Sort/);
    }
    for (const name of ['page', 'aboveInBucket', 'tiedBefore']) expect(plans[name]!.join('\n'), name).toMatch(/Index (Only )?Scan using ix_userxpstats_leaderboard/);
    await pool.end();
  });
});
