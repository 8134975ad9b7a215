/**
 * `npm run migrate-store` (DESIGN §7.2): SQLite → PostgreSQL → SQLite gives back every table row for row, a re-run
 * changes nothing, a target holding other data or at another version is refused untouched, a failed copy leaves
 * nothing behind, and bad arguments get a usage message (exit 2) or a clear error (exit 1), never a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/storage/database.js';
import { migrations } from '../../../src/storage/migrations.js';
import { openPg } from '../../../src/storage/pg/pool.js';
import { pgMigrations } from '../../../src/storage/pg/migrations.js';
import { runMigrateStoreCli } from '../../../src/storage/copy/command.js';
import { tempDbPath } from '../../helpers/temp.js';
import { pgDatabaseUrl, pgServerUrl } from '../../helpers/pg.js';

const TOP = 2n ** 63n - 1n; // the largest BIGINT: a double would round it to 2^63
const BOTTOM = -(2n ** 63n);

/** A row in every table: ids near 2^63, NULLs, and text a PostgreSQL array literal must quote. */
function fillEveryTable(db: Db): void {
  db.transaction(() => fill(db))();
}

function fill(db: Db): void {
  const tricky = ['NULL', '', 'a,b', '{x}', 'quote " and \\ backslash', "o'neil", 'línea\nnueva 🦄', ' padded '];
  const xp = db.prepare('INSERT INTO UserXpStats (GuildId, UserId, Xp, AwardedXp, RewardedLevel, HasLeft) VALUES (?, ?, ?, ?, ?, ?)');
  // 12 000 members: more than two batches of the copy, in buckets of all sizes.
  for (let i = 0n; i < 12_000n; i++) xp.run(TOP - (i % 3n), TOP - 1000n - i, (i * 7919n) % 250_000n, i % 5n, Number(i % 40n), i % 11n === 0n ? 1 : 0);
  xp.run(1n, TOP, TOP, BOTTOM, 0, 0);
  // A bucket left with 0 members (its one member moved on): the copy keeps it, it does not count the buckets again.
  xp.run(TOP, 7n, 10n ** 12n, 0, 0, 0);
  db.prepare('UPDATE UserXpStats SET Xp = 90000 WHERE GuildId = ? AND UserId = 7').run(TOP);
  db.prepare("INSERT INTO Clubs (Name, Description, ImageUrl, OwnerId, Xp, IsOpen, DateAdded) VALUES (?, ?, NULL, ?, 5, 1, 1)").run(tricky[3], tricky[4], TOP);
  db.prepare("INSERT INTO Clubs (Name, Description, OwnerId, DateAdded) VALUES ('second', 'NULL', ?, 2)").run(TOP - 1n);
  db.prepare('DELETE FROM Clubs WHERE Name = ?').run('second'); // the counter stays ahead of the highest id
  db.prepare("INSERT INTO Clubs (Name, OwnerId, DateAdded) VALUES ('third', ?, 3)").run(TOP - 2n);
  const user = db.prepare('INSERT INTO DiscordUser (UserId, Username, TotalXp, CurrencyAmount, ClubId, IsClubAdmin, CardAccent) VALUES (?, ?, ?, ?, ?, ?, ?)');
  tricky.forEach((name, i) => user.run(TOP - BigInt(i), name, TOP - 5n, BigInt(i) - 3n, i % 2 ? 1 : null, i % 2, i === 0 ? null : '#ff00aa'));
  db.prepare('INSERT INTO ClubApplicants (ClubId, UserId, DateAdded) VALUES (1, ?, 10)').run(TOP - 9n);
  db.prepare('INSERT INTO ClubBans (ClubId, UserId) VALUES (1, ?)').run(TOP - 10n);
  db.prepare("INSERT INTO CurrencyTransaction (UserId, Amount, Type, Note, DateAdded) VALUES (?, -5, 'shop', ?, 4)").run(TOP, tricky[6]);
  db.prepare("INSERT INTO CurrencyTransaction (UserId, Amount, Type, Note, DateAdded) VALUES (?, 7, 'level_reward', NULL, 5)").run(TOP);
  db.prepare("INSERT INTO FlushState (WriterId, Seq, UpdatedAt) VALUES ('writer-1', 41, 6)").run();
  db.prepare("INSERT INTO GuildJob (GuildId, Kind, Cursor, Total, StartedAt, UpdatedAt, ChannelId, StartedBy, Data) VALUES (?, 'rolesync', ?, 9, 7, 8, ?, ?, ?)").run(TOP, TOP - 4n, TOP - 6n, TOP - 7n, '{"a":[1,2]}');
  db.prepare("INSERT INTO ImportXp (Source, GuildId, UserId, Xp) VALUES ('mee6', ?, ?, 123)").run(TOP, TOP);
  db.prepare("INSERT INTO NadekoImportClub (Name, ClubId, Xp) VALUES ('Ünicorns', 1, 9)").run();
  db.prepare("INSERT INTO NadekoImportItem (Kind, ItemKey) VALUES ('background', 'bg,1')").run();
  db.prepare('INSERT INTO NadekoImportUser (UserId, TotalXp, CurrencyAmount) VALUES (?, 1, 2)').run(TOP);
  db.prepare('INSERT INTO NadekoImportXp (GuildId, UserId, Xp, AwardedXp) VALUES (?, ?, 3, 4)').run(TOP, TOP);
  db.prepare('INSERT INTO PrivacyErasure (UserId, GuildId, ErasedAt) VALUES (?, NULL, 11)').run(TOP);
  db.prepare("INSERT INTO RoleChangeQueue (GuildId, UserId, RoleId, Action, Cause, State, NextAttemptAt, Reason, CreatedAt, UpdatedAt) VALUES (?, ?, ?, 'add', 'level', 'waiting', 12, ?, 13, 14)").run(TOP, TOP, TOP - 8n, tricky[2]);
  db.prepare("INSERT INTO ShardClaim (ShardCount, ShardId, HolderId, Host, Pid, ClaimedAt, ExpiresAt) VALUES (3, 2, 'h', 'host', 99, 15, 16)").run();
  db.prepare("INSERT INTO BotState (Key, Value) VALUES ('devGuild', ?)").run(String(TOP));
  db.prepare('INSERT INTO VoiceXpDaily (GuildId, UserId, Day, Minutes) VALUES (?, ?, 20000, 30)').run(TOP, TOP);
  db.prepare("INSERT INTO XpAdminAction (GuildId, UserId, ActorId, Action, Amount, DateAdded) VALUES (?, ?, ?, 'add', ?, 17)").run(TOP, TOP, TOP - 1n, -(2n ** 53n) - 1n);
  db.prepare('INSERT INTO XpChannelRate (GuildId, ChannelId, XpPerMessage, CooldownSeconds) VALUES (?, ?, 0, 60)').run(TOP, TOP);
  db.prepare("INSERT INTO XpLevelUpMessage (GuildId, Level, Template) VALUES (?, 10, '🏆 {user} ✨ level {level}')").run(TOP);
  db.prepare('INSERT INTO XpCurrencyReward (GuildId, Level, Amount) VALUES (?, 5, 100)').run(TOP);
  db.prepare("INSERT INTO XpExcludedItem (GuildId, ItemType, ItemId) VALUES (?, 'role', ?)").run(TOP, TOP);
  db.prepare("INSERT INTO XpMultiplier (GuildId, ItemType, ItemId, Milli) VALUES (?, 'channel', ?, 1500)").run(TOP, TOP);
  db.prepare('INSERT INTO XpOptOut (GuildId, UserId, OptedOutAt) VALUES (?, ?, 18)').run(TOP, TOP - 3n);
  db.prepare("INSERT INTO XpRoleReward (GuildId, Level, RoleId, Remove, Mode) VALUES (?, 3, ?, 1, 'replace')").run(TOP, TOP);
  db.prepare("INSERT INTO XpSettings (GuildId, AnnounceTemplate, Prefix, AnnounceChannelId) VALUES (?, ?, '?', ?)").run(TOP, tricky[4], TOP);
  db.prepare("INSERT INTO XpShopOwnedItem (UserId, ItemType, ItemKey, IsUsing, DateAdded) VALUES (?, 1, 'bg', 1, 19)").run(TOP);
  db.prepare("INSERT INTO WebGuild (GuildId, Public, Slug, Name, IconUrl, UpdatedAt) VALUES (?, 1, 'farm', ?, NULL, 21)").run(TOP, tricky[5]);
  db.prepare("INSERT INTO WebRole (GuildId, RoleId, Name, Color) VALUES (?, ?, ?, 15844367)").run(TOP, TOP - 8n, tricky[1]);
  db.prepare("INSERT INTO MemberProfile (GuildId, UserId, Name, NameKey, AvatarUrl, UpdatedAt) VALUES (?, ?, ?, 'k', NULL, 22)").run(TOP, TOP, tricky[0]);
  db.prepare('INSERT INTO WebHiddenMember (UserId, HiddenAt) VALUES (?, 23)').run(TOP - 1n);
  db.prepare("INSERT INTO WebApiKey (GuildId, Hash, Hint, CreatedById, CreatedAt) VALUES (?, 'h', 'unk_', ?, 24)").run(TOP, TOP - 2n);
  db.prepare("INSERT INTO Webhook (GuildId, Url, Secret, Events, CreatedAt) VALUES (?, 'https://example.com/h', 's', 'level_up', 25)").run(TOP);
  db.prepare("INSERT INTO WebhookOutbox (WebhookId, GuildId, UserId, EventId, Event, Payload, CreatedAt, NextAttemptAt) VALUES (1, ?, ?, 'e', 'level_up', ?, 26, 27)").run(TOP, TOP, tricky[6]);
  db.prepare('INSERT INTO XpHistoryDaily (GuildId, Day, UserId, Source, Xp) VALUES (?, 20000, ?, 3, ?)').run(TOP, TOP, -(2n ** 53n) - 1n);
  db.prepare('INSERT INTO XpHistoryMonthly (GuildId, Month, UserId, Source, Xp) VALUES (?, 660, ?, 1, 42)').run(TOP, TOP);
  db.prepare('UPDATE UserXpStats SET WeekId = 10020458, WeekXp = ?, PrevWeekId = 10020451, PrevWeekXp = 3, SeasonId = 30000001, SeasonXp = 99 WHERE GuildId = ? AND UserId = 7').run(2n ** 53n + 3n, TOP);
  db.prepare('INSERT INTO XpBoardGeneration (GuildId, Gen) VALUES (?, 41)').run(TOP);
  db.prepare("INSERT INTO XpSeason (GuildId, Number, Name, StartsAt, EndsAt, WinnerRoleId) VALUES (?, 1, ?, 20, 21, ?)").run(TOP, tricky[5], TOP);
  db.prepare('INSERT INTO XpEvent (GuildId, Milli, StartsAt, EndsAt, AnnounceChannelId, CreatedAt, CancelledAt, StartAnnounced) VALUES (?, 2500, 30, 31, ?, 29, NULL, 1)').run(TOP, TOP - 6n);
  db.prepare("INSERT INTO XpEventScope (EventId, GuildId, ItemType, ItemId) VALUES (1, ?, 'role', ?)").run(TOP, TOP - 8n);
  db.prepare('INSERT INTO XpSeasonStanding (GuildId, SeasonId, UserId, Xp, Rank) VALUES (?, 1, ?, 99, 1)').run(TOP, TOP);
  db.prepare('INSERT INTO XpDecayExemptRole (GuildId, RoleId) VALUES (?, ?)').run(TOP, TOP - 9n);
  db.prepare('INSERT INTO XpDecayRun (GuildId, DoneDay, RunDay, Cursor, Decayed, XpLost, UpdatedAt) VALUES (?, 20000, 20001, ?, 3, ?, 28)').run(TOP, TOP, 2n ** 53n + 1n);
}

type Dump = Record<string, unknown[][]>;

/** Every table's rows sorted, and the id counters: what "the same database" means here. */
function dumpSqlite(path: string): Dump {
  const db = new Database(path, { readonly: true });
  db.defaultSafeIntegers(true);
  const out: Dump = {};
  for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]) {
    const n = (db.prepare('SELECT COUNT(*) AS n FROM pragma_table_info(?)').get(name) as { n: bigint }).n;
    const order = Array.from({ length: Number(n) }, (_, i) => i + 1).join(', ');
    out[name] = db.prepare(`SELECT * FROM "${name}" ORDER BY ${order}`).raw(true).all() as unknown[][];
  }
  db.close();
  return out;
}

interface Run {
  code: number;
  out: string;
  err: string;
}

async function cli(...args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runMigrateStoreCli(args, { out: (t) => out.push(t), err: (t) => err.push(t), env: {}, progress: null });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function pgQuery<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

function filledSource(): { path: string; dump: Dump } {
  const path = tempDbPath();
  const db = openDatabase(path);
  fillEveryTable(db);
  db.close();
  return { path, dump: dumpSqlite(path) };
}

describe('migrate-store', () => {
  it('given a database with rows in every table then SQLite to PostgreSQL and back gives back every row, ids near 2^63 exact, counters and triggers kept', async () => {
    const { path, dump } = filledSource();
    const empty = Object.entries(dump).filter(([name, rows]) => rows.length === 0 && name !== 'sqlite_sequence');
    // A table added by a later migration needs rows in the fixture, or this test would not show it is copied.
    expect(empty.map(([name]) => name)).toEqual([]);
    expect(dump['XpRankBucket']!.some((r) => r[2] === 0n)).toBe(true);

    const url = await pgDatabaseUrl();
    const there = await cli(path, url);
    expect(there).toMatchObject({ code: 0, err: '' });
    expect(there.out).toMatch(/^Copied .* \(\d+ tables, 1\d,\d{3} rows, schema version \d+\); every table was read back/);
    expect(there.out).not.toContain('postgres:postgres@'); // the password is not printed
    const big = await pgQuery<{ g: string; u: string; xp: string; a: string }>(url, 'SELECT GuildId::text AS g, UserId::text AS u, Xp::text AS xp, AwardedXp::text AS a FROM UserXpStats WHERE GuildId = 1');
    expect(big).toEqual([{ g: '1', u: String(TOP), xp: String(TOP), a: String(BOTTOM) }]);
    const names = await pgQuery<{ n: string | null }>(url, 'SELECT Username AS n FROM DiscordUser ORDER BY UserId DESC');
    expect(names.map((r) => r.n)).toEqual(['NULL', '', 'a,b', '{x}', 'quote " and \\ backslash', "o'neil", 'línea\nnueva 🦄', ' padded ']);

    const back = tempDbPath();
    const home = await cli(url, back);
    expect(home).toMatchObject({ code: 0, err: '' });
    expect(dumpSqlite(back)).toEqual(dump);

    // The copies work as databases: a new id follows the counter (the deleted club 2 is not handed out again), the
    // rank-bucket triggers are on again.
    await pgQuery(url, "INSERT INTO Clubs (Name, OwnerId, DateAdded) VALUES ('fourth', 1, 1)");
    expect(await pgQuery<{ id: string }>(url, "SELECT Id::text AS id FROM Clubs WHERE Name = 'fourth'")).toEqual([{ id: '4' }]);
    await pgQuery(url, 'INSERT INTO UserXpStats (GuildId, UserId, Xp) VALUES (2, 2, 100)');
    expect(await pgQuery<{ m: string }>(url, 'SELECT Members::text AS m FROM XpRankBucket WHERE GuildId = 2')).toEqual([{ m: '1' }]);
    const db = openDatabase(back);
    db.prepare("INSERT INTO Clubs (Name, OwnerId, DateAdded) VALUES ('fourth', 1, 1)").run();
    expect(db.prepare("SELECT Id FROM Clubs WHERE Name = 'fourth'").pluck().get()).toBe(4);
    db.prepare('INSERT INTO UserXpStats (GuildId, UserId, Xp) VALUES (2, 2, 100)').run();
    expect(db.prepare('SELECT Members FROM XpRankBucket WHERE GuildId = 2').pluck().get()).toBe(1);
    db.close();
  });

  it('given a finished copy then running it again changes nothing, and a target holding other data is refused untouched', async () => {
    const { path } = filledSource();
    const url = await pgDatabaseUrl();
    expect((await cli(path, url)).code).toBe(0);
    const before = await pgQuery<{ x: string }>(url, "SELECT string_agg(xmin::text || ':' || UserId::text || ':' || Xp::text, ',' ORDER BY GuildId, UserId) AS x FROM UserXpStats");
    const again = await cli(path, url);
    expect(again).toMatchObject({ code: 0, err: '' });
    expect(again.out).toMatch(/already holds an exact copy .*: nothing to do\.$/);
    // Not one row was rewritten (xmin is the transaction that wrote each row).
    expect(await pgQuery(url, "SELECT string_agg(xmin::text || ':' || UserId::text || ':' || Xp::text, ',' ORDER BY GuildId, UserId) AS x FROM UserXpStats")).toEqual(before);

    const sqliteCopy = tempDbPath();
    expect((await cli(url, sqliteCopy)).code).toBe(0);
    expect((await cli(url, sqliteCopy)).out).toMatch(/nothing to do/);

    // The bot ran on the copy (or another database was given): refused, naming what differs, nothing changed.
    await pgQuery(url, 'UPDATE UserXpStats SET Xp = Xp - 1 WHERE GuildId = 1');
    await pgQuery(url, "INSERT INTO BotState (Key, Value) VALUES ('other', 'x')");
    const changed = await pgQuery(url, 'SELECT COUNT(*) AS n, SUM(Xp)::text AS s FROM UserXpStats');
    const refused = await cli(path, url);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/already holds Unicornia data that is not a copy of .*\(BotState: 2 rows there, 1 in the source; UserXpStats: 12,002 rows in both, not the same\)\. Nothing was changed\./i);
    expect(await pgQuery(url, 'SELECT COUNT(*) AS n, SUM(Xp)::text AS s FROM UserXpStats')).toEqual(changed);
  });

  it('given a copy that fails half-way then the target keeps nothing of it, and the run after the fix copies everything', async () => {
    const { path } = filledSource();
    const bad = new Database(path);
    // SQLite stores what it is given: text in an integer column is what a damaged or hand-edited file can hold.
    bad.prepare("INSERT INTO XpSettings (GuildId, XpPerMessage) VALUES (5, 'many')").run();
    bad.close();
    const url = await pgDatabaseUrl();
    const failed = await cli(path, url);
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/XpSettings\.XpPerMessage holds "many", which is not a whole number; nothing was copied\./);
    const counts = await pgQuery<{ n: string }>(url, 'SELECT (SELECT COUNT(*) FROM UserXpStats) + (SELECT COUNT(*) FROM Clubs) + (SELECT COUNT(*) FROM XpRankBucket) AS n');
    expect(counts).toEqual([{ n: '0' }]);
    const fix = new Database(path);
    fix.prepare('DELETE FROM XpSettings WHERE GuildId = 5').run();
    fix.close();
    expect(await cli(path, url)).toMatchObject({ code: 0 });
    expect(await pgQuery(url, 'SELECT COUNT(*)::int AS n FROM UserXpStats')).toEqual([{ n: 12_002 }]);
  });

  it('given a target at another schema version then it is refused with both versions named and left as it was', async () => {
    const { path } = filledSource();
    const old = tempDbPath();
    openDatabase(old, { migrations: migrations.slice(0, 5) }).close();
    const sqliteTarget = await cli(path, old);
    expect(sqliteTarget.code).toBe(1);
    expect(sqliteTarget.err).toMatch(new RegExp(`is at schema version 5, the source at ${migrations.at(-1)!.version}: refusing to copy between versions\\. Nothing was changed\\.`));
    expect(dumpSqlite(old)['UserXpStats']).toEqual([]);

    const url = await pgDatabaseUrl();
    await (await openPg(url, { migrations: pgMigrations.slice(0, 7) })).end();
    const pgTarget = await cli(path, url);
    expect(pgTarget.code).toBe(1);
    expect(pgTarget.err).toMatch(/is at schema version 7, the source at \d+: refusing to copy between versions/);
    expect(await pgQuery(url, 'SELECT MAX(Version) AS v FROM UnicorniaSchema')).toEqual([{ v: 7 }]);

    // The other way: an old source is refused too (after the bot migrates it on start, it can be copied).
    const oldSource = await cli(old, tempDbPath());
    expect(oldSource.code).toBe(1);
    expect(oldSource.err).toMatch(/is at schema version 5, this Unicornia at \d+\. Start this version of the bot on it once/);
  });

  it('given bad arguments then a usage message and exit 2; given a source or server that cannot be used then a clear error and exit 1; never a stack trace', async () => {
    const { path } = filledSource();
    const dir = join(path, '..');
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a database at all, just words '.repeat(40));
    const usage: [string[], RegExp][] = [
      [[], /give the database to copy from and the one to copy to/],
      [[path], /give the database to copy from and the one to copy to/],
      [[path, tempDbPath(), 'extra'], /unexpected argument "extra"/],
      [[path, tempDbPath(), '--force'], /Unknown option '--force'/],
      [[path, path], /<from> and <to> are the same database/],
      [[path, ':memory:'], /<to> must be an SQLite file path or a postgres:\/\/ URL; ":memory:" is an in-memory database/],
    ];
    for (const [args, message] of usage) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(message);
      expect(r.err).toContain('Usage: npm run migrate-store -- <from> <to>');
    }
    const failures: [string[], RegExp][] = [
      [[join(dir, 'missing.db'), tempDbPath()], /missing\.db does not exist or is not a file\./],
      [[text, tempDbPath()], /notes\.txt is not an SQLite database\./],
      [[tempDbPath(), await pgDatabaseUrl()], /does not exist or is not a file/],
      [[path, 'postgres://nobody:secret@127.0.0.1:1/none'], /cannot connect to postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none: connection refused/],
      [[path, `${pgServerUrl()}/no_such_database`], /database "no_such_database" does not exist\. Create the database first/],
      [[path, text], /notes\.txt is not an SQLite database\./],
    ];
    for (const [args, message] of failures) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err, args.join(' ')).toMatch(message);
      expect(r.err).not.toContain('secret');
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    // The real command: exit codes, the usage on stderr, and progress on stderr, the result on stdout.
    const npm = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/storage/copy/cli.ts', ...args], { encoding: 'utf8' });
    const none = npm();
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('Usage: npm run migrate-store');
    const copy = tempDbPath();
    const ok = npm(path, copy);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^Copied .* every table was read back and matches the source\.\n$/);
    expect(ok.stderr).toMatch(/copy: done, 1\d,\d{3} rows read\n(.*\n)*verify: done, 1\d,\d{3} rows read\n$/);
  });
});
