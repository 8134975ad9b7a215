/**
 * The import contract on both stores (DESIGN §8, §7.1): the same imports into an SQLite file and into PostgreSQL
 * give the same rows, table by table; re-runs change nothing; a dry run and a bad file write nothing; ids up to
 * 2^63-1 stay exact; and a bot flushing into the same members while the import runs neither loses nor doubles XP.
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importBot } from '../../src/import/bots/bot-import.js';
import { ImportError } from '../../src/import/errors.js';
import { importNadeko } from '../../src/import/nadeko-import.js';
import type { ImportOptions } from '../../src/import/options.js';
import type { ImportSummary } from '../../src/import/summary.js';
import { SOURCE_CODE, utcDay } from '../../src/engine/history.js';
import { levelFromXp } from '../../src/levels/curve.js';
import { openPgStore, openSqliteStore, type Store } from '../../src/storage/store.js';
import { STORE_KINDS, type StoreKind } from '../storage/contract/stores.js';
import { writeCsv, writeMee6 } from './bot-fixtures.js';
import { importedTotal, pathMaker } from './helpers.js';
import { OPTED_OUT } from '../../src/storage/import-rules.js';
import { CH1, G1, G2, U1, U3, createV7 } from './nadeko-fixtures.js';
import { dumpStore, newTarget, pick, type Dump } from './stores.js';

const path = pathMaker('unicornia-import-stores-');
const NOW = Date.UTC(2026, 0, 1);
const options = (extra: ImportOptions = {}): ImportOptions => ({ now: () => NOW, busyTimeoutMs: 2000, ...extra });
const sections = (s: ImportSummary) => ({ ...s.sections });

/** What each store held after each step, compared across the stores at the end. */
const seen: Record<StoreKind, Dump[]> = { sqlite: [], postgres: [] };

describe.each(STORE_KINDS)('imports into %s', (kind) => {
  describe('given a Nadeko 7 file', () => {
    const source = path('v7.db');
    createV7(source);
    let target: string;
    let first: Dump;

    it('then every value arrives exactly (ids up to 2^63-1), with history of source import and the rewarded mark raised', async () => {
      target = await newTarget(kind, path);
      const s = await importNadeko(source, target, options());
      expect(s.sections['server XP']).toMatchObject({ read: 5, imported: 4, skipped: { 'user id is not a valid snowflake': 1 } });
      first = await dumpStore(target);
      expect(pick(first, 'userxpstats', ['guildid', 'userid', 'xp', 'rewardedlevel'])).toEqual(
        expect.arrayContaining([
          { guildid: G1, userid: U1, xp: '1000', rewardedlevel: '11' },
          { guildid: G2, userid: U3, xp: '5000', rewardedlevel: '17' },
        ]),
      );
      expect(G2).toBe('9223372036854775807');
      expect(pick(first, 'xphistorydaily', ['guildid', 'userid', 'day', 'source', 'xp'])).toEqual(
        expect.arrayContaining([{ guildid: G2, userid: U3, day: String(utcDay(NOW)), source: String(SOURCE_CODE.import), xp: '5000' }]),
      );
      expect(pick(first, 'discorduser', ['userid', 'currencyamount']).find((r) => r.userid === U1)).toEqual({ userid: U1, currencyamount: '5000' });
      expect(pick(first, 'currencytransaction', ['userid', 'amount', 'type'])).toHaveLength(3);
      expect(pick(first, 'clubs', ['name']).map((r) => r.name).sort()).toEqual(['Unicorns', 'unicorns 2']);
      expect(pick(first, 'xpexcludeditem', ['itemtype', 'itemid'])).toContainEqual({ itemtype: 'channel', itemid: CH1 });
      expect(s.notes).toContain('club "unicorns" imported as "unicorns 2": Unicornia club names ignore letter case and "Unicorns" was imported first');
      seen[kind].push(first);
    });

    it('then running it again changes nothing', async () => {
      const again = await importNadeko(source, target, options());
      expect(importedTotal(again)).toBe(0);
      expect(await dumpStore(target)).toEqual(first);
    });

    it('then a later run moves XP up and down, and a wallet down to 0 at most, by the difference', async () => {
      const nadeko = new Database(source);
      nadeko.prepare('UPDATE UserXpStats SET Xp = 1100 WHERE UserId = ? AND GuildId = ?').run(BigInt(U1), BigInt(G1));
      nadeko.prepare('UPDATE UserXpStats SET Xp = 100 WHERE UserId = ? AND GuildId = ?').run(BigInt(U3), BigInt(G2));
      nadeko.prepare('UPDATE DiscordUser SET CurrencyAmount = 10 WHERE UserId = ?').run(BigInt(U1));
      nadeko.close();
      const s = await importNadeko(source, target, options());
      expect(s.sections['server XP']).toMatchObject({ imported: 2, unchanged: 2 });
      const d = await dumpStore(target);
      const xp = pick(d, 'userxpstats', ['guildid', 'userid', 'xp', 'rewardedlevel']);
      expect(xp).toContainEqual({ guildid: G1, userid: U1, xp: '1100', rewardedlevel: String(levelFromXp(1100)) });
      expect(xp).toContainEqual({ guildid: G2, userid: U3, xp: '100', rewardedlevel: String(levelFromXp(100, { a: 20, c: 100 })) });
      expect(pick(d, 'currencytransaction', ['userid', 'amount']).filter((r) => r.userid === U1).map((r) => r.amount).sort()).toEqual(['-4990', '5000']);
      // History sums to the total for every member the import moved.
      const history = pick(d, 'xphistorydaily', ['guildid', 'userid', 'xp']).filter((r) => r.userid === U3 && r.guildid === G2);
      expect(history.reduce((a, r) => a + Number(r.xp), 0)).toBe(100);
      seen[kind].push(d);
    });

    it('then a dry run writes nothing and tells exactly what the real run then does', async () => {
      const nadeko = new Database(source);
      nadeko.prepare('UPDATE UserXpStats SET Xp = 1200 WHERE UserId = ? AND GuildId = ?').run(BigInt(U1), BigInt(G1));
      nadeko.close();
      const before = await dumpStore(target);
      const dry = await importNadeko(source, target, options({ dryRun: true }));
      expect(dry.sections['server XP']).toMatchObject({ imported: 1, unchanged: 3 });
      expect(await dumpStore(target)).toEqual(before);
      const real = await importNadeko(source, target, options());
      expect(sections(real)).toEqual(sections(dry));
      seen[kind].push(await dumpStore(target));
    });

    it('then a damaged file is refused and changes nothing', async () => {
      const bad = path('damaged.db');
      writeFileSync(bad, 'this is not a database\n'.repeat(50));
      const before = await dumpStore(target);
      const err = await importNadeko(bad, target, options()).catch((e: unknown) => e);
      expect((err as ImportError).code).toBe('not_sqlite');
      expect(await dumpStore(target)).toEqual(before);
    });
  });

  describe('given MEE6 pages', () => {
    const pages = writeMee6(path(`mee6-${kind}`));

    it('then a dry run into a new database creates nothing, and the real run and its re-run agree with it', async () => {
      const target = await newTarget(kind, path);
      const dry = await importBot('mee6', pages, target, options({ dryRun: true, keep: 'xp' }));
      expect(dry.sections['server XP']).toMatchObject({ read: 6, imported: 4 });
      expect(await dumpStore(target)).toEqual({});
      const real = await importBot('mee6', pages, target, options({ keep: 'xp' }));
      expect(sections(real)).toEqual(sections(dry));
      const d = await dumpStore(target);
      expect(pick(d, 'xprolereward', ['guildid', 'level'])).toHaveLength(4);
      expect(pick(d, 'importxp', ['source', 'guildid', 'userid'])).toContainEqual({ source: 'mee6', guildid: G2, userid: U1 });
      const again = await importBot('mee6', pages, target, options({ keep: 'xp' }));
      expect(importedTotal(again)).toBe(0);
      expect(await dumpStore(target)).toEqual(d);
      seen[kind].push(d);
    });

    it('then a file of another bot is refused and nothing is created', async () => {
      const target = await newTarget(kind, path);
      const err = await importBot('amari', pages, target, options({ keep: 'xp', guildId: G1 })).catch((e: unknown) => e);
      expect((err as ImportError).code).toBe('wrong_source');
      expect(await dumpStore(target)).toEqual({});
    });
  });

  describe('given a member who opted out of XP in the server', () => {
    const members = ['9223372036854775001', '9223372036854775002', '9223372036854775003'];
    const csv = () => writeCsv(path(`optout-${kind}.csv`), ['guild_id,user_id,xp', ...members.map((u, i) => `${G2},${u},${100 * (i + 1)}`), ''].join('\n'));
    const setOptOut = async (target: string, optedOut: boolean) => {
      const store: Store = kind === 'sqlite' ? (openSqliteStore(target, 'bot', 'inline') as unknown as Store) : await openPgStore(target, 'bot', { max: 2 });
      try {
        await store.writer.privacy.setOptOut(G2, members[1]!, optedOut, NOW);
      } finally {
        await store.close();
      }
    };
    const xpOf = (d: Dump) => new Map(pick(d, 'userxpstats', ['guildid', 'userid', 'xp']).filter((r) => r.guildid === G2).map((r) => [r.userid, r.xp]));

    it('then nothing of theirs is imported there (rows, history, ledger), and an import after they opt back in brings it whole', async () => {
      const target = await newTarget(kind, path);
      await setOptOut(target, true);
      const s = await importBot('csv', csv(), target, options({ keep: 'xp' }));
      expect(s.sections['server XP']).toMatchObject({ read: 3, imported: 2, skipped: { [OPTED_OUT]: 1 } });
      const d = await dumpStore(target);
      expect(xpOf(d)).toEqual(new Map([[members[0], '100'], [members[2], '300']]));
      expect(pick(d, 'xphistorydaily', ['userid']).map((r) => r.userid)).not.toContain(members[1]);
      expect(pick(d, 'importxp', ['userid']).map((r) => r.userid)).not.toContain(members[1]);

      await setOptOut(target, false);
      const again = await importBot('csv', csv(), target, options({ keep: 'xp' }));
      expect(again.sections['server XP']).toMatchObject({ imported: 1, unchanged: 2 });
      expect(xpOf(await dumpStore(target)).get(members[1])).toBe('200');
    });
  });

  describe('given a bot flushing into the same members while the import runs', () => {
    const MEMBERS = 400;
    const users = Array.from({ length: MEMBERS }, (_, i) => String(9_223_372_036_854_775_000n + BigInt(i)));
    const csv = (xpOf: (i: number) => number) =>
      writeCsv(path('members.csv'), ['guild_id,user_id,xp', ...users.map((u, i) => `${G2},${u},${xpOf(i)}`), ''].join('\n'));

    it('then every gain and every import difference lands exactly once, going up and going down', async () => {
      const target = await newTarget(kind, path);
      const store: Store = kind === 'sqlite' ? (openSqliteStore(target, 'bot', 'inline') as unknown as Store) : await openPgStore(target, 'bot', { max: 2 });
      let seq = 0;
      try {
        const day = utcDay(NOW);
        /** Flushes +1 XP for every member until `done` resolves; returns how many flushes ran while it was pending. */
        const flushWhile = async (done: Promise<unknown>) => {
          let running = true;
          void done.finally(() => (running = false));
          let during = 0;
          while (running) {
            seq++;
            await store.writer.xp.flush({
              seq,
              rows: users.map((u) => ({ guildId: G2, userId: u, xp: 1, awarded: 0 })),
              voice: [],
              history: users.map((u) => ({ guildId: G2, userId: u, day, source: SOURCE_CODE.message, xp: 1 })),
            });
            if (running) during++;
            await new Promise((r) => setImmediate(r));
          }
          await done;
          return during;
        };
        const up = importBot('csv', csv((i) => 1000 + i), target, options({ keep: 'xp', batchSize: 25 }));
        expect(await flushWhile(up)).toBeGreaterThan(0);
        // Every member lower than the import before: the import takes the difference off what is stored now.
        const down = importBot('csv', csv((i) => 500 + i), target, options({ keep: 'xp', batchSize: 25 }));
        expect(await flushWhile(down)).toBeGreaterThan(0);
        const d = await dumpStore(target);
        const xp = new Map(pick(d, 'userxpstats', ['userid', 'xp']).map((r) => [r.userid, Number(r.xp)]));
        const history = new Map<string, number>();
        for (const r of pick(d, 'xphistorydaily', ['userid', 'xp'])) history.set(r.userid!, (history.get(r.userid!) ?? 0) + Number(r.xp));
        users.forEach((u, i) => {
          expect(xp.get(u)).toBe(500 + i + seq);
          expect(history.get(u)).toBe(500 + i + seq);
        });
      } finally {
        await store.close();
      }
    });
  });
});

describe('both stores', () => {
  it('hold the same rows after the same imports, table by table', () => {
    expect(seen.postgres).toHaveLength(seen.sqlite.length);
    expect(seen.sqlite.length).toBeGreaterThan(0);
    seen.postgres.forEach((pg, i) => {
      const lite = seen.sqlite[i]!;
      expect(Object.keys(pg).sort()).toEqual(Object.keys(lite).sort());
      for (const table of Object.keys(lite)) expect({ table, rows: pg[table] }).toEqual({ table, rows: lite[table] });
    });
  });
});
