/**
 * The retention rule below Discord (DESIGN §13): when members left is recorded, the daily sweep erases exactly the
 * members gone longer than the server's days through the one-server erasure, once, with one process sweeping at a
 * time, and nothing buffered or in flight brings them back. Real SQLite files, injected clocks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { G1, G2, U1, U2, msg, testCore, type TestCore } from '../helpers/core.js';
import { PrivacyService } from '../../src/privacy/privacy-service.js';
import { DAY_MS } from '../../src/engine/calendar.js';
import { RETENTION_CHECK_MS, RetentionJob } from '../../src/privacy/retention.js';
import { ManualClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { tempDbPath } from '../helpers/temp.js';

const U3 = '9007199254740993'; // 2^53 + 1
const cores: TestCore[] = [];
const jobs: RetentionJob[] = [];
afterEach(async () => {
  await Promise.all(jobs.splice(0).map((j) => j.stop()));
  await Promise.all(cores.splice(0).map((c) => c.stop()));
});

function core(opts: Parameters<typeof testCore>[0] = {}): TestCore {
  const c = testCore(opts);
  cores.push(c);
  return c;
}

function job(c: TestCore): RetentionJob {
  const j = new RetentionJob({ core: c, clock: c.clock, scheduler: c.scheduler, logger: silentLogger, privacy: new PrivacyService(c, c.clock) });
  jobs.push(j);
  return j;
}

type Row = { g: string; u: string; Xp: number; HasLeft: number; LeftAt: number | null };

/** Every UserXpStats row, G2 (the smaller id) first. */
function members(c: TestCore): Row[] {
  return c.db
    .prepare('SELECT CAST(GuildId AS TEXT) g, CAST(UserId AS TEXT) u, Xp, HasLeft, LeftAt FROM UserXpStats ORDER BY GuildId, UserId')
    .all() as Row[];
}

/** U1 and U2 with XP in G1, U1 also in G2, each with a voice minute, an exclusion and an admin change in G1. */
async function seeded(c: TestCore): Promise<void> {
  c.engine.adjustXp(G1, U1, { set: 500 });
  c.engine.adjustXp(G2, U1, { set: 70 });
  c.engine.adjustXp(G1, U2, { set: 40 });
  c.engine.adjustXp(G1, U3, { set: 9 });
  await c.flusher.flush();
  await c.writer.xp.setExcluded(G1, 'user', U1, true);
  await c.writer.xp.logAdminAction({ guildId: G1, userId: U1, actorId: U2, action: 'set', amount: 500, at: 1 });
  await c.writer.xp.updateSettings(G1, { retentionDays: 30 });
  c.engine.reloadGuild(G1);
}

describe('when members leave', () => {
  it('given a leave, a repeated leave event and a rejoin then LeftAt holds the first leave and is cleared on return', async () => {
    const c = core();
    await seeded(c);
    const t0 = c.clock.wallNow();
    await c.writer.xp.setMembership(G1, U1, false, t0);
    await c.writer.xp.setMembership(G1, U1, false, t0 + 5000); // Discord may repeat it; the period does not restart
    await c.writer.xp.setMembership(G1, U2, false, t0);
    await c.writer.xp.setMembership(G1, U2, true, t0 + 10);
    expect(members(c)).toEqual([
      { g: G2, u: U1, Xp: 70, HasLeft: 0, LeftAt: null },
      { g: G1, u: U3, Xp: 9, HasLeft: 0, LeftAt: null },
      { g: G1, u: U2, Xp: 40, HasLeft: 0, LeftAt: null },
      { g: G1, u: U1, Xp: 500, HasLeft: 1, LeftAt: t0 },
    ]);
    // Leaves and returns seen at start-up (the bot was offline) are stamped with the time they were seen.
    expect(await c.writer.xp.reconcileMembers(G1, [U1, U2], t0 + 99)).toEqual({ left: 1, back: 1 });
    expect(members(c).filter((r) => r.g === G1)).toEqual([
      { g: G1, u: U3, Xp: 9, HasLeft: 1, LeftAt: t0 + 99 },
      { g: G1, u: U2, Xp: 40, HasLeft: 0, LeftAt: null },
      { g: G1, u: U1, Xp: 500, HasLeft: 0, LeftAt: null },
    ]);
  });
});

describe('the retention sweep', () => {
  it('given members who left 31 and 29 days ago then only the first is erased in that server, everything about them there, once', async () => {
    const c = core();
    await seeded(c);
    const j = job(c);
    const t0 = c.clock.wallNow();
    await c.writer.xp.setMembership(G1, U1, false, t0);
    await c.writer.xp.setMembership(G1, U2, false, t0 + 2 * DAY_MS);
    await c.writer.xp.setMembership(G1, U3, false, t0 + DAY_MS);
    await c.writer.xp.setMembership(G1, U3, true, t0 + DAY_MS + 1); // came back: kept, however long ago they left
    c.clock.advance(31 * DAY_MS);

    expect(await j.tick()).toEqual({ guilds: 1, erased: 1 });
    expect(members(c)).toEqual([
      { g: G2, u: U1, Xp: 70, HasLeft: 0, LeftAt: null }, // another server's data is that server's
      { g: G1, u: U3, Xp: 9, HasLeft: 0, LeftAt: null },
      { g: G1, u: U2, Xp: 40, HasLeft: 1, LeftAt: t0 + 2 * DAY_MS },
    ]);
    expect(c.db.prepare("SELECT COUNT(*) FROM XpExcludedItem WHERE ItemType = 'user'").pluck().get()).toBe(0);
    expect(c.db.prepare('SELECT CAST(UserId AS TEXT) u, CAST(ActorId AS TEXT) a, Amount FROM XpAdminAction').all()).toEqual([{ u: '0', a: U2, Amount: 500 }]);
    expect(c.db.prepare('SELECT TotalXp FROM DiscordUser WHERE UserId = ?').pluck().get(BigInt(U1))).toBe(70);
    expect(c.db.prepare('SELECT CAST(UserId AS TEXT) u, CAST(GuildId AS TEXT) g FROM PrivacyErasure').all()).toEqual([{ u: U1, g: G1 }]);
    expect(c.engine.xpOf(G1, U1)).toBe(0);

    // Due again only a day later; then U2's 30 days are over too, and U1 is not erased a second time.
    expect(await j.tick()).toBeNull();
    c.clock.advance(DAY_MS);
    expect(await j.tick()).toEqual({ guilds: 1, erased: 1 });
    expect(c.db.prepare('SELECT COUNT(*) FROM PrivacyErasure').pluck().get()).toBe(2);
    expect(members(c).map((r) => r.u)).toEqual([U1, U3]);
  });

  it('given a server without the rule (or switched back off) then members who left long ago are kept', async () => {
    const c = core();
    await seeded(c);
    await c.writer.xp.updateSettings(G1, { retentionDays: null });
    await c.writer.xp.setMembership(G1, U1, false, c.clock.wallNow());
    c.clock.advance(400 * DAY_MS);
    expect(await job(c).tick()).toEqual({ guilds: 0, erased: 0 });
    expect(members(c).find((r) => r.g === G1 && r.u === U1)).toMatchObject({ HasLeft: 1, Xp: 500 });
  });

  it('given members marked as left before leave times were kept then their period starts at the first sweep', async () => {
    const c = core();
    await seeded(c);
    c.db.prepare('UPDATE UserXpStats SET HasLeft = 1, LeftAt = NULL WHERE GuildId = ? AND UserId = ?').run(BigInt(G1), BigInt(U2));
    const j = job(c);
    const first = c.clock.wallNow();
    expect(await j.tick()).toEqual({ guilds: 1, erased: 0 });
    expect(members(c).find((r) => r.u === U2)).toMatchObject({ HasLeft: 1, LeftAt: first });
    c.clock.advance(30 * DAY_MS);
    expect(await j.tick()).toEqual({ guilds: 1, erased: 1 });
    expect(members(c).find((r) => r.u === U2)).toBeUndefined();
  });

  it('given gains buffered for the member and a flush in flight then nothing of them comes back', async () => {
    const c = core({ writer: 'worker' });
    await seeded(c);
    const j = job(c);
    c.engine.handleMessage(msg()); // U1 in G1, buffered
    c.engine.handleMessage(msg({ userId: U1, guildId: G2 }));
    await c.writer.xp.setMembership(G1, U1, false, c.clock.wallNow());
    c.clock.advance(31 * DAY_MS);
    c.engine.adjustXp(G1, U1, { add: 5 }); // a gain still buffered when the sweep runs
    const flushing = c.flusher.flush(); // in flight in the worker thread while the sweep erases
    c.engine.adjustXp(G1, U1, { add: 7 });
    const sweeping = j.tick();
    await Promise.all([flushing, sweeping]);
    await c.flusher.flush();
    await c.flusher.flush();
    expect(await sweeping).toEqual({ guilds: 1, erased: 1 });
    expect(members(c).filter((r) => r.u === U1)).toEqual([{ g: G2, u: U1, Xp: 71, HasLeft: 0, LeftAt: null }]);
  });

  it('given two processes on one database checking at the same time then one sweeps and each member is erased once', async () => {
    const dbPath = tempDbPath();
    const shared = new ManualClock();
    const a = core({ dbPath, clock: shared, writer: 'worker' });
    const b = core({ dbPath, clock: shared, writer: 'worker' });
    await seeded(a);
    for (const u of [U1, U2, U3]) await a.writer.xp.setMembership(G1, u, false, shared.wallNow());
    shared.advance(31 * DAY_MS);
    const [ra, rb] = await Promise.all([job(a).tick(), job(b).tick()]);
    expect([ra, rb].filter((r) => r !== null)).toEqual([{ guilds: 1, erased: 3 }]);
    expect(a.db.prepare('SELECT COUNT(*) FROM PrivacyErasure').pluck().get()).toBe(3);
    expect(members(a)).toEqual([{ g: G2, u: U1, Xp: 70, HasLeft: 0, LeftAt: null }]);
  });

  it('given a sweep cut short (its process died) then another takes it over when its hour is up, not before', async () => {
    const c = core();
    await seeded(c);
    await c.writer.xp.setMembership(G1, U2, false, c.clock.wallNow());
    c.clock.advance(31 * DAY_MS);
    expect(await c.writer.privacy.claimRetentionSweep(c.clock.wallNow(), RETENTION_CHECK_MS)).toBe(true); // then it died
    const j = job(c);
    expect(await j.tick()).toBeNull();
    c.clock.advance(RETENTION_CHECK_MS);
    expect(await j.tick()).toEqual({ guilds: 1, erased: 1 });
  });

  it('given the bot running then the hourly check sweeps on the injected scheduler, and a member who came back meanwhile is kept', async () => {
    const c = core();
    await seeded(c);
    const j = job(c);
    j.start();
    await j.tick();
    await c.writer.xp.setMembership(G1, U1, false, c.clock.wallNow());
    await c.writer.xp.setMembership(G1, U2, false, c.clock.wallNow());
    await c.scheduler.advance(29 * DAY_MS);
    await c.writer.xp.setMembership(G1, U2, true, c.clock.wallNow());
    expect(members(c).filter((r) => r.g === G1).map((r) => r.u)).toEqual([U3, U2, U1]);
    await c.scheduler.advance(2 * DAY_MS + RETENTION_CHECK_MS);
    expect(members(c).filter((r) => r.g === G1).map((r) => r.u)).toEqual([U3, U2]);
  });
});
