/**
 * Erasing a member (DESIGN §13): nothing buffered, in flight, cached or queued in any process brings their data
 * back, and the ledger still adds up.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { G1, G2, U1, U2, msg, testCore, type TestCore } from '../helpers/core.js';
import { PrivacyService } from '../../src/privacy/privacy-service.js';
import { openDatabase, type Db } from '../../src/storage/database.js';
import { XpReadStore } from '../../src/storage/xp-reads.js';
import { XpWriteStore } from '../../src/storage/xp-writes.js';
import { PrivacyWriteStore } from '../../src/storage/privacy-writes.js';
import { PRIVACY_CATALOG } from '../../src/storage/privacy-catalog.js';
import { XpEngine } from '../../src/engine/xp-engine.js';
import { Flusher } from '../../src/engine/flusher.js';
import { ManualClock, ManualScheduler } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { heldWrites } from '../helpers/held-writes.js';
import { tempDbPath } from '../helpers/temp.js';

const cores: TestCore[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.stop()));
});

function core(opts: Parameters<typeof testCore>[0] = {}): TestCore {
  const c = testCore(opts);
  cores.push(c);
  return c;
}

/** How many rows each table holds about the user, by the catalog's member clauses (tables with none left out). */
function rowsAbout(db: Db, userId: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [table, decl] of Object.entries(PRIVACY_CATALOG)) {
    if (!decl.member) continue;
    const n = db.prepare(`SELECT COUNT(*) FROM ${table} WHERE ${decl.member.where}`).pluck().get({ user: BigInt(userId) }) as number;
    if (n > 0) out[table] = n;
  }
  return out;
}

function xpRows(db: Db) {
  return db.prepare('SELECT CAST(GuildId AS TEXT) g, CAST(UserId AS TEXT) u, Xp FROM UserXpStats ORDER BY g, u').all();
}

describe('erasing a member', () => {
  it('given gains buffered in two servers then the erasure drops them and the next flush writes nothing of the member', async () => {
    const c = core();
    c.engine.adjustXp(G1, U1, { set: 500 });
    c.engine.adjustXp(G2, U1, { set: 70 });
    c.engine.adjustXp(G1, U2, { set: 40 });
    await c.flusher.flush();
    c.engine.handleMessage(msg()); // buffered
    c.engine.handleMessage(msg({ guildId: G2 }));
    await c.writer.xp.logAdminAction({ guildId: G1, userId: U2, actorId: U1, action: 'add', amount: 5, at: 1 });
    await c.writer.xp.logAdminAction({ guildId: G1, userId: U1, actorId: U2, action: 'set', amount: 500, at: 1 });

    // History (DESIGN §15.1) is rows about the member too; period totals are on their XP rows.
    expect(rowsAbout(c.db, U1)).toMatchObject({ XpHistoryDaily: 2, UserXpStats: 2 });
    expect(c.db.prepare('SELECT COUNT(*) FROM UserXpStats WHERE UserId = ? AND WeekXp > 0 AND MonthXp > 0').pluck().get(BigInt(U1))).toBe(2);

    await new PrivacyService(c, c.clock).eraseMember(U1);
    await c.flusher.flush();

    expect(rowsAbout(c.db, U1)).toEqual({});
    expect(c.db.prepare('SELECT CAST(UserId AS TEXT) u, SUM(Xp) x FROM XpHistoryDaily GROUP BY UserId').all()).toEqual([{ u: U2, x: 40 }]);
    expect(xpRows(c.db)).toEqual([{ g: G1, u: U2, Xp: 40 }]);
    // The audit keeps its amounts; the member's id, as target or as admin, is 0.
    expect(c.db.prepare('SELECT CAST(UserId AS TEXT) u, CAST(ActorId AS TEXT) a, Amount FROM XpAdminAction ORDER BY Id').all()).toEqual([
      { u: U2, a: '0', Amount: 5 },
      { u: '0', a: U2, Amount: 500 },
    ]);
    expect(c.engine.xpOf(G1, U1)).toBe(0);
    expect(c.engine.xpOf(G1, U2)).toBe(40);
  });

  it('given a flush in flight that commits after the erasure (another writer, or a held one) then its rows of the member are dropped', async () => {
    const path = tempDbPath();
    const db = openDatabase(path);
    const store = new XpWriteStore(db, 'w1');
    const reads = new XpReadStore(db, 'w1');
    const held = heldWrites(store);
    const clock = new ManualClock();
    const engine = new XpEngine({ reads, writes: held.writes, effects: { apply: async () => {} }, clock, logger: silentLogger });
    const flusher = new Flusher(engine, held.writes, new ManualScheduler(clock), clock, silentLogger);
    store.flush({ seq: 0, rows: [{ guildId: G1, userId: U1, xp: 100, awarded: 0 }, { guildId: G1, userId: U2, xp: 7, awarded: 0 }], voice: [], history: [], periods: [] });
    engine.handleMessage(msg()); // U1: 101, 1 buffered
    engine.handleMessage(msg({ userId: U2 }));
    const flushing = flusher.flush(); // taken: in flight

    engine.forget(null, U1);
    new PrivacyWriteStore(db).eraseMember(U1, clock.wallNow());
    held.commit(); // the flush transaction runs after the erasure committed
    held.ack();
    await flushing;

    expect(xpRows(db)).toEqual([{ g: G1, u: U2, Xp: 8 }]);
    expect(rowsAbout(db, U1)).toEqual({});
    expect(engine.xpOf(G1, U1)).toBe(0);
    db.close();
  });

  it('given a flush in flight that fails after the erasure then its rows of the member are not merged back', async () => {
    const db = openDatabase(tempDbPath());
    const store = new XpWriteStore(db, 'w1');
    const reads = new XpReadStore(db, 'w1');
    const clock = new ManualClock();
    let fail: (e: Error) => void = () => {};
    const writes = {
      flush: (batch: Parameters<XpWriteStore['flush']>[0]) => (fail === null ? Promise.resolve(store.flush(batch)) : new Promise<void>((_r, reject) => (fail = reject))),
      recordLevelUp: async () => ({ previousMark: 0, paid: [], roles: { add: [], remove: [] } }),
      queueRoleChanges: async () => 0,
    } as const;
    const engine = new XpEngine({ reads, writes, effects: { apply: async () => {} }, clock, logger: silentLogger });
    const flusher = new Flusher(engine, writes, new ManualScheduler(clock), clock, silentLogger);
    engine.adjustXp(G1, U1, { add: 300 });
    engine.adjustXp(G1, U2, { add: 3 });
    const flushing = flusher.flush();
    engine.forget(null, U1);
    new PrivacyWriteStore(db).eraseMember(U1, clock.wallNow());
    fail(new Error('disk on fire'));
    expect(await flushing).toBe(false);
    (fail as unknown) = null;
    await flusher.flush(); // the retry
    expect(xpRows(db)).toEqual([{ g: G1, u: U2, Xp: 3 }]);
    db.close();
  });

  it('given the worker writer with a flush in flight then the erasure runs after it and nothing comes back', async () => {
    const c = core({ writer: 'worker' });
    for (let i = 0; i < 200; i++) c.engine.adjustXp(G1, String(10n ** 18n + BigInt(i)), { add: i + 1 });
    c.engine.adjustXp(G2, U1, { add: 900 });
    await c.flusher.flush();
    c.engine.adjustXp(G2, U1, { add: 50 });
    c.engine.adjustXp(G1, U1, { add: 5 });
    const flushing = c.flusher.flush(); // posted to the worker thread
    const erasing = new PrivacyService(c, c.clock).eraseMember(U1);
    c.engine.handleMessage(msg()); // a message right after the erasure, before the next flush: dropped with the rest
    await Promise.all([flushing, erasing]);
    await c.flusher.flush();
    expect(rowsAbout(c.db, U1)).toEqual({});
    expect((c.db.prepare('SELECT COUNT(*) FROM UserXpStats').pluck().get() as number)).toBe(200);
  });

  it('given another process sharing the database then it drops what it buffered for the member and forgets their total', async () => {
    const path = tempDbPath();
    const a = core({ dbPath: path });
    const b = core({ dbPath: path });
    a.engine.adjustXp(G1, U1, { add: 1000 });
    await a.flusher.flush();
    a.engine.handleMessage(msg()); // buffered in process A, cached as 1001
    expect(a.engine.xpOf(G1, U1)).toBe(1001);

    await new PrivacyService(b, b.clock).eraseMember(U1); // process B erases
    await a.flusher.flush(); // A's next flush

    expect(rowsAbout(a.db, U1)).toEqual({});
    expect(a.engine.xpOf(G1, U1)).toBe(0);
    a.clock.advance(60_000);
    a.engine.handleMessage(msg()); // a new message after the erasure starts again from zero
    await a.flusher.flush();
    expect(xpRows(a.db)).toEqual([{ g: G1, u: U1, Xp: 1 }]);
  });

  it('given a level-up not yet recorded when the erasure runs then nothing is paid or queued for the member', async () => {
    const c = core();
    await c.writer.xp.setCurrencyReward(G1, 1, 100);
    c.engine.reloadGuild(G1);
    c.engine.adjustXp(G1, U1, { add: 40 }); // level 1: its payment is queued
    await new PrivacyService(c, c.clock).eraseMember(U1);
    await c.engine.idle();
    await c.flusher.flush();
    expect(rowsAbout(c.db, U1)).toEqual({});
    expect(c.effects).toEqual([]);
  });

  it('given a wallet, a ledger and clubs then the ledger still adds up, owned clubs go to an admin or are disbanded', async () => {
    const c = core();
    const carol = '1234567890123456777';
    const dave = '1234567890123456766';
    await c.writer.wallet.adjust(U1, 500, 'gift', 'from the owner');
    await c.writer.wallet.adjust(U1, -120, 'purchase', 'bought aurora');
    await c.writer.wallet.adjust(U2, 80, 'gift', null);
    const owned = await c.writer.clubs.create(U1, 'Night Owls');
    await c.writer.clubs.create(dave, 'Alone');
    expect(owned.ok).toBe(true);
    await c.writer.clubs.setOpen(U1, true);
    await c.writer.clubs.join(U2, 'Night Owls');
    await c.writer.clubs.join(carol, 'Night Owls');
    await c.writer.clubs.setAdmin(U1, carol, true);
    const sums = () => ({
      ledger: c.db.prepare('SELECT SUM(Amount) FROM CurrencyTransaction').pluck().get(),
      balances: c.db.prepare('SELECT SUM(CurrencyAmount) FROM DiscordUser').pluck().get(),
    });
    expect(sums()).toEqual({ ledger: 460, balances: 460 });

    const summary = await new PrivacyService(c, c.clock).eraseMember(U1);

    expect(sums()).toEqual({ ledger: 80, balances: 80 });
    expect(c.db.prepare("SELECT CAST(UserId AS TEXT) u, Amount, Type, Note FROM CurrencyTransaction WHERE UserId = 0 ORDER BY Id").all()).toEqual([
      { u: '0', Amount: 500, Type: 'gift', Note: null },
      { u: '0', Amount: -120, Type: 'purchase', Note: null },
      { u: '0', Amount: -380, Type: 'erased', Note: null },
    ]);
    expect(summary.clubsHandedOver).toEqual([{ name: 'Night Owls', newOwnerId: carol }]);
    expect(c.db.prepare('SELECT Name, CAST(OwnerId AS TEXT) o FROM Clubs ORDER BY Name').all()).toEqual([
      { Name: 'Alone', o: dave },
      { Name: 'Night Owls', o: carol },
    ]);
    expect(rowsAbout(c.db, U1)).toEqual({});
  });
});

describe('the privacy catalog', () => {
  it('given the migrated database then every table is declared, and every declared table exists', () => {
    const db = openDatabase(tempDbPath());
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]);
    expect(Object.keys(PRIVACY_CATALOG).sort()).toEqual(tables);
    db.close();
  });

  it('given a table with a member or server column then its clauses say what export and erasure do with it', () => {
    const db = openDatabase(tempDbPath());
    for (const [table, decl] of Object.entries(PRIVACY_CATALOG)) {
      const columns = (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
      if (columns.some((c) => /^(UserId|OwnerId|ActorId)$/.test(c))) expect(decl.member ?? decl.note, `${table}: member rows`).toBeTruthy();
      if (columns.includes('GuildId')) expect(decl.guild ?? decl.note, `${table}: server rows`).toBeTruthy();
      for (const [scope, s] of Object.entries({ member: decl.member, guild: decl.guild, memberInGuild: decl.memberInGuild })) {
        if (!s) continue;
        expect(s.erase === 'delete' || !!s.reason, `${table}.${scope}: a reason for ${s.erase}`).toBe(true);
        expect(() => db.prepare(`SELECT COUNT(*) FROM ${table} WHERE ${s.where}`), `${table}.${scope}`).not.toThrow();
        if (s.erase === 'anonymise') expect(() => db.prepare(`UPDATE ${table} SET ${s.anonymise} WHERE ${s.where}`)).not.toThrow();
      }
    }
    db.close();
  });
});
