/**
 * Seasons end to end (DESIGN §15.3): the real bot on the simulator with a manual clock. An admin starts a season in
 * both forms; its board is `level leaderboard season`; when it ends it is archived, the winner role goes to the top
 * K through the role queue (taken from the last winners first), the close is announced once and season_closed
 * arrives signed once; a season that ended while the bot was stopped is closed once at the next start, and a close
 * cut short between its steps continues after a restart without repeating anything.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { botWorld, pgBotWorld, type BotWorld } from '../helpers/bot.js';
import { pgDatabaseUrl } from '../helpers/pg.js';
import { verifySignature, webhookReceiver } from '../helpers/webhook-receiver.js';
import { SafeFetcher } from '../../src/net/safe-fetch.js';
import { openSqliteStore } from '../../src/storage/store.js';

const DAY = 86_400_000;
let w: BotWorld | null = null;
let hook: Awaited<ReturnType<typeof webhookReceiver>> | null = null;

afterEach(async () => {
  await w?.teardown();
  await hook?.close();
  w = hook = null;
});

const text = (m: { content?: string | null; embeds?: { title?: string; description?: string; fields?: { value: string }[]; footer?: { text: string } }[] }) =>
  [m.content ?? '', ...(m.embeds ?? []).flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).map((f) => f.value), e.footer?.text ?? ''])].join('\n');

const lines = (m: { embeds?: { description?: string }[] }): [string, number][] =>
  [...(m.embeds?.[0]?.description ?? '').matchAll(/\*\*#\d+\*\* <@(\d+)> — ([\d,]+) XP/g)].map((x) => [x[1]!, Number(x[2]!.replace(/,/g, ''))]);

const announcements = (w: BotWorld) => w.sim.messagesIn(w.general).filter((m) => m.authorId === w.botId && (m.content ?? '').startsWith('🏆'));
const seasons = (w: BotWorld) => w.core.db.prepare('SELECT Number, Name, State, StartsAt, EndsAt FROM XpSeason ORDER BY Number').all() as { Number: number; Name: string; State: string; StartsAt: number; EndsAt: number }[];

async function earn(w: BotWorld, userId: string, xp: number) {
  await w.core.engine.adjustXp(w.guildId, userId, { add: xp });
}

describe('seasons', () => {
  it('given a season with a winner role then its board runs, and at its end it is archived, the role given, announced and sent once', async () => {
    hook = await webhookReceiver();
    w = await botWorld({ webhooks: { poster: new SafeFetcher({ allowLoopbackForTests: true, extraPorts: [hook.port], timeoutMs: 5000 }), allowHttpForTests: true } });
    const add = await w.slash(w.admin, { name: 'server', subcommandGroup: 'web', subcommand: 'webhook-add', options: { url: hook.url, events: 'season_closed' } });
    const secret = /Signing secret \(shown once\): `([\w-]+)`/.exec(add.content ?? '')?.[1];
    const champ = w.sim.createRole(w.guildId, { name: 'Champ', position: 1 }).id;

    // Refusals change nothing.
    expect((await w.prefix(w.admin, '!unicornia season start Spring 2025-12-31')).content).toMatch(/already ended/);
    expect((await w.prefix(w.admin, '!unicornia season start Spring tomorrow')).content).toMatch(/`end` is a date \(YYYY-MM-DD/);
    expect((await w.prefix(w.admin, '!unicornia season start Spring 2026-01-02 2')).content).toMatch(/`winners` needs a `role`/);
    expect((await w.prefix(w.alice, '!unicornia season start Spring 2026-01-02')).content).not.toMatch(/started/);
    expect(seasons(w)).toEqual([]);

    // Jan 1 2026 00:00 UTC now; the season runs through Jan 2 (UTC, the default zone).
    const started = await w.prefix(w.admin, `!unicornia season start "Spring Cup" 2026-01-02 2 <@&${champ}>`);
    expect(started.content).toMatch(/Season 1 “Spring Cup” started: ends <t:1767398400:f>.*The top 2 get <@&\d+>/);
    expect((await w.prefix(w.admin, '!unicornia season start Other 2026-01-05')).content).toMatch(/Season 1 “Spring Cup” is running/);
    await earn(w, w.alice, 100);
    await earn(w, w.bob, 50);
    await earn(w, w.owner, 70);
    const shown = await w.prefix(w.admin, '!unicornia settings show');
    expect(shown.embeds?.[0]?.fields?.find((f) => f.name === 'Season')?.value).toBe('1. Spring Cup, ends <t:1767398400:f>');
    const board = await w.prefix(w.bob, '!lb 1 season');
    expect(text(board)).toMatch(/season “Spring Cup”[\s\S]*#1\*\* <@\d+> — 100 XP[\s\S]*#2\*\* <@\d+> — 70 XP[\s\S]*#3\*\* <@\d+> — 50 XP ← you/);
    expect(text(await w.prefix(w.bob, '!season show 1'))).toMatch(/still running/);

    // The end passes: the next check closes it.
    w.clock.stepWall(2 * DAY + 60_000);
    await earn(w, w.bob, 1000); // after the end: all-time XP, not the season's
    await w.scheduler.advance(60_000);
    await w.bot.app.seasons.check();
    expect(seasons(w)).toMatchObject([{ Number: 1, State: 'closed' }]);
    await w.sim.waitUntil(() => w!.sim.memberRoles(w!.guildId, w!.alice).includes(champ) && w!.sim.memberRoles(w!.guildId, w!.owner).includes(champ));
    expect(w.sim.memberRoles(w.guildId, w.bob)).not.toContain(champ);
    const [said] = announcements(w);
    expect(said?.content).toMatch(/Season 1 “Spring Cup” has ended: 3 members earned 220 XP\.\n🥇 <@\d+> — 100 XP\n🥈 <@\d+> — 70 XP\n🥉 <@\d+> — 50 XP\n<@&\d+> goes to/);

    await w.bot.webhooks.deliverDue(); // (or the deliverer's own timer already sent it)
    expect(hook.received).toHaveLength(1);
    expect(verifySignature(hook.received[0]!, secret!)).toBe(true);
    const body = JSON.parse(hook.received[0]!.body);
    expect(body).toMatchObject({ type: 'season_closed', guildId: w.guildId });
    expect(body.data).toEqual({
      season: { number: 1, name: 'Spring Cup', startsAt: '2026-01-01T00:00:00.000Z', endsAt: '2026-01-03T00:00:00.000Z' },
      members: 3,
      leftMembers: 0,
      totalXp: 220,
      top: [
        { rank: 1, userId: w.alice, xp: 100 },
        { rank: 2, userId: w.owner, xp: 70 },
        { rank: 3, userId: w.bob, xp: 50 },
      ],
      winners: { roleId: champ, userIds: [w.alice, w.owner], removedFrom: [] },
    });

    // Members read the archive in either form.
    const list = await w.slash(w.bob, { name: 'season', subcommand: 'list' });
    expect(text(list)).toMatch(/\*\*1\.\*\* Spring Cup — <t:1767225600:D> to <t:1767398400:D> · 3 members/);
    const show = await w.slash(w.bob, { name: 'season', subcommand: 'show', options: { number: 1 } });
    expect(text(show)).toMatch(/Season 1 “Spring Cup” — final standings\n\*\*#1\*\* <@\d+> — 100 XP\n\*\*#2\*\* <@\d+> — 70 XP\n\*\*#3\*\* <@\d+> — 50 XP ← you\n#3 of 3 with 50 XP/);
    expect(text(await w.prefix(w.admin, '!season show 1'))).toMatch(/You earned no XP in season 1\./);
    expect((await w.prefix(w.bob, '!season show 2')).content).toMatch(/There is no season 2 here/);
    expect((await w.prefix(w.bob, '!lb 1 season')).content).toMatch(/No season is running/);
    expect((await w.prefix(w.admin, '!unicornia settings show')).embeds?.[0]?.fields?.find((f) => f.name === 'Season')?.value).toBe('none running');

    // Nothing happens twice: later checks and a restart neither announce, nor send, nor queue again.
    await w.scheduler.advance(120_000);
    await w.restart();
    await w.bot.app.seasons.check();
    expect(announcements(w)).toHaveLength(1);
    await w.bot.webhooks.deliverDue();
    expect(hook.received).toHaveLength(1);
    expect(w.core.db.prepare('SELECT COUNT(*) AS n FROM RoleChangeQueue').get()).toEqual({ n: 0 });

    // The next season's winners take the role from the last ones first.
    const second = await w.slash(w.admin, { name: 'unicornia', subcommandGroup: 'season', subcommand: 'start', options: { name: 'Summer', end: '2026-01-10', winners: 2, role: champ } });
    expect(second.content).toMatch(/Season 2 “Summer” started/);
    await earn(w, w.bob, 10);
    await earn(w, w.alice, 5);
    const ended = await w.slash(w.admin, { name: 'unicornia', subcommandGroup: 'season', subcommand: 'end' });
    expect(ended.content).toMatch(/Season 2 “Summer” has ended: its standings are being archived/);
    await w.bot.app.seasons.check();
    await w.sim.waitUntil(() => !w!.sim.memberRoles(w!.guildId, w!.owner).includes(champ) && w!.sim.memberRoles(w!.guildId, w!.bob).includes(champ));
    expect(w.sim.memberRoles(w.guildId, w.alice)).toContain(champ);
    expect(announcements(w)).toHaveLength(2);
  });

  it('given a weekly season that ended while the bot was stopped then the next start closes it once and its successor runs', async () => {
    w = await botWorld();
    const champ = w.sim.createRole(w.guildId, { name: 'Champ', position: 1 }).id;
    const started = await w.slash(w.admin, { name: 'unicornia', subcommandGroup: 'season', subcommand: 'start', options: { name: 'Weekly', end: 'weekly', role: champ } });
    // Thursday Jan 1 2026: the week (Monday to Monday) ends on Jan 5.
    expect(started.content).toMatch(/rolls over weekly; this one ends <t:1767571200:f>.*The top 1 get/);
    await earn(w, w.alice, 30);
    await w.bot.stop();
    w.clock.stepWall(4 * DAY + 3_600_000); // Monday Jan 5, 01:00: the season ended an hour ago
    await w.restart({ alreadyStopped: true });
    await w.bot.app.seasons.check();
    expect(seasons(w)).toEqual([
      { Number: 1, Name: 'Weekly', State: 'closed', StartsAt: Date.UTC(2026, 0, 1), EndsAt: Date.UTC(2026, 0, 5) },
      { Number: 2, Name: 'Weekly 2', State: 'running', StartsAt: Date.UTC(2026, 0, 5), EndsAt: Date.UTC(2026, 0, 12) },
    ]);
    await w.sim.waitUntil(() => w!.sim.memberRoles(w!.guildId, w!.alice).includes(champ));
    // The successor counts from now on.
    await earn(w, w.bob, 7);
    expect(text(await w.prefix(w.bob, '!lb 1 season'))).toMatch(/season “Weekly 2”[\s\S]*#1\*\* <@\d+> — 7 XP ← you/);
    await w.restart();
    await w.bot.app.seasons.check();
    expect(announcements(w)).toHaveLength(1);
    expect(seasons(w).map((s) => s.State)).toEqual(['closed', 'running']);
  });

  it('given a close cut short after its first archive chunk then the next start finishes it without repeating a step', async () => {
    w = await botWorld({ seasonArchiveChunk: 1 });
    const champ = w.sim.createRole(w.guildId, { name: 'Champ', position: 1 }).id;
    await w.prefix(w.admin, `!unicornia season start Spring 2026-01-01 2 <@&${champ}>`);
    await earn(w, w.alice, 40);
    await earn(w, w.bob, 60);
    await earn(w, w.owner, 20);
    await w.bot.stop();
    // Another process began the close and archived one member before it died.
    const other = openSqliteStore(w.dbPath, 'other', 'inline');
    const id = Number((other.db.prepare('SELECT Id FROM XpSeason').get() as { Id: number }).Id);
    w.clock.stepWall(DAY + 3_600_000);
    expect(await other.writer.seasons.claim(id, 'other', w.clock.wallNow() - 10 * 60_000, 60_000)).not.toBeNull(); // its lease has run out
    expect(await other.writer.seasons.beginClose(id, null)).toBe(true);
    expect(await other.writer.seasons.archiveChunk(id, 1)).toEqual({ ranked: 1, done: false });
    await other.close();
    await w.restart({ alreadyStopped: true });
    await w.bot.app.seasons.check();
    expect(seasons(w).map((s) => s.State)).toEqual(['closed']);
    expect(w.core.db.prepare('SELECT CAST(UserId AS TEXT) AS u, Xp, Rank FROM XpSeasonStanding ORDER BY Rank').all()).toEqual([
      { u: w.bob, Xp: 60, Rank: 1 },
      { u: w.alice, Xp: 40, Rank: 2 },
      { u: w.owner, Xp: 20, Rank: 3 },
    ]);
    await w.sim.waitUntil(() => w!.sim.memberRoles(w!.guildId, w!.bob).includes(champ) && w!.sim.memberRoles(w!.guildId, w!.alice).includes(champ));
    expect(announcements(w)).toHaveLength(1);
  });

  it('given a season that resets levels then at its end every level goes to 0 with roles following, no currency twice, boards kept', async () => {
    w = await botWorld();
    const vet = w.sim.createRole(w.guildId, { name: 'Veteran', position: 1 }).id;
    await w.prefix(w.admin, `!rewards role 2 <@&${vet}>`);
    await w.prefix(w.admin, '!rewards currency 2 150');
    expect((await w.prefix(w.admin, '!unicornia season start Temp 2026-01-01')).content).toMatch(/Season 1 “Temp” started/);
    expect((await w.slash(w.admin, { name: 'unicornia', subcommandGroup: 'season', subcommand: 'cancel' })).content).toMatch(/Season 1 “Temp” was cancelled/);
    expect((await w.prefix(w.admin, '!unicornia season cancel')).content).toBe('No season is running.');
    const reset = await w.slash(w.admin, { name: 'unicornia', subcommandGroup: 'season', subcommand: 'start', options: { name: 'Reset', end: '2026-01-01', reset: true } });
    expect(reset.content).toMatch(/Every level is reset to 0 when it ends\./);
    await earn(w, w.alice, 100); // level 2: Veteran and 150
    await earn(w, w.bob, 20);
    await w.core.engine.idle();
    await w.sim.waitUntil(() => w!.sim.memberRoles(w!.guildId, w!.alice).includes(vet));
    expect(w.core.reads.balance(w.alice)).toBe(150);
    w.clock.stepWall(DAY + 60_000);
    await w.scheduler.advance(60_000);
    await w.bot.app.seasons.check();
    expect(seasons(w).map((x) => x.State)).toEqual(['cancelled', 'closed']);
    const progress = w.sim.messagesIn(w.general).filter((m) => m.authorId === w!.botId && /every level/.test(m.content ?? ''));
    expect(progress.map((m) => m.content)).toEqual(['✅ Season 2 “Reset”: every level was reset to 0 (2 members). Reward roles follow through the role queue; no currency was taken back.']);
    expect(await w.core.engine.xpOf(w.guildId, w.alice)).toBe(0);
    expect(await w.core.engine.xpOf(w.guildId, w.bob)).toBe(0);
    await w.sim.waitUntil(() => !w!.sim.memberRoles(w!.guildId, w!.alice).includes(vet));
    // The standings were archived before the reset; this week's board still holds what was earned in it.
    expect(text(await w.prefix(w.bob, '!season show 2'))).toMatch(/#1\*\* <@\d+> — 100 XP\n\*\*#2\*\* <@\d+> — 20 XP ← you/);
    expect(text(await w.prefix(w.bob, '!lb 1 week'))).toMatch(/#1\*\* <@\d+> — 100 XP[\s\S]*#2\*\* <@\d+> — 20 XP ← you/);
    // Climbing back gives the role again but pays nothing twice.
    await earn(w, w.alice, 100);
    await w.core.engine.idle();
    await w.sim.waitUntil(() => w!.sim.memberRoles(w!.guildId, w!.alice).includes(vet));
    expect(w.core.reads.balance(w.alice)).toBe(150);
    expect(w.core.db.prepare('SELECT CAST(ResetCursor AS TEXT) AS c FROM XpSeason WHERE Number = 2').get()).toEqual({ c: BigInt(w.bob) > BigInt(w.alice) ? w.bob : w.alice });
  });

  it('given the wall clock stepping back and forward across the start and end of a season then it closes once and a gain keeps the season of its wall clock', async () => {
    w = await botWorld();
    expect((await w.prefix(w.admin, '!unicornia season start Step weekly')).content).toMatch(/Season 1 “Step” started/); // to Monday 5 Jan
    await earn(w, w.alice, 10);
    w.clock.stepWall(-DAY); // before the season began: in no season
    await earn(w, w.bob, 5);
    w.clock.stepWall(DAY);
    expect(lines(await w.prefix(w.bob, '!lb 1 season'))).toEqual([[w.alice, 10]]);
    w.clock.stepWall(4 * DAY); // past its end
    await w.scheduler.advance(60_000);
    await w.bot.app.seasons.check();
    expect(seasons(w).map((x) => [x.Name, x.State])).toEqual([['Step', 'closed'], ['Step 2', 'running']]);
    w.clock.stepWall(-2 * DAY); // back inside the closed season: its standings are final, and the successor has not begun
    await earn(w, w.bob, 50);
    await w.scheduler.advance(60_000);
    await w.bot.app.seasons.check();
    expect(seasons(w).map((x) => x.State)).toEqual(['closed', 'running']);
    expect(lines(await w.prefix(w.bob, '!lb 1 season'))).toEqual([]);
    w.clock.stepWall(2 * DAY); // forward again, into the successor
    await earn(w, w.bob, 7);
    expect(lines(await w.prefix(w.bob, '!lb 1 season'))).toEqual([[w.bob, 7]]);
    expect(w.core.db.prepare('SELECT CAST(UserId AS TEXT) AS u, Xp FROM XpSeasonStanding ORDER BY Rank').all()).toEqual([{ u: w.alice, Xp: 10 }]);
    expect(announcements(w)).toHaveLength(1);
  });

  it('given PostgreSQL then a season closes the same way: archived, winner role given, announced once', async () => {
    const pw = await pgBotWorld(await pgDatabaseUrl());
    w = pw as unknown as BotWorld;
    const champ = pw.sim.createRole(pw.guildId, { name: 'Champ', position: 1 }).id;
    expect((await pw.prefix(pw.admin, `!unicornia season start Spring 2026-01-05 1 <@&${champ}>`)).content).toMatch(/Season 1 “Spring” started/);
    await pw.core.engine.adjustXp(pw.guildId, pw.bob, { add: 40 });
    await pw.core.engine.adjustXp(pw.guildId, pw.alice, { add: 30 });
    expect(lines(await pw.prefix(pw.alice, '!lb 1 season'))).toEqual([[pw.bob, 40], [pw.alice, 30]]);
    expect((await pw.slash(pw.admin, { name: 'unicornia', subcommandGroup: 'season', subcommand: 'end' })).content).toMatch(/Season 1 “Spring” has ended/);
    await pw.bot.app.seasons.check();
    const s = await pw.core.stores.seasons.byNumber(pw.guildId, 1);
    expect(s).toMatchObject({ state: 'closed', ranked: 2, totalXp: 70 });
    expect(await pw.core.stores.seasons.standings(pw.guildId, s!.id, 0, 10)).toEqual([
      { userId: pw.bob, xp: 40, rank: 1 },
      { userId: pw.alice, xp: 30, rank: 2 },
    ]);
    await pw.sim.waitUntil(() => pw.sim.memberRoles(pw.guildId, pw.bob).includes(champ) || undefined);
    expect(pw.sim.memberRoles(pw.guildId, pw.alice)).not.toContain(champ);
    await pw.restart();
    await pw.bot.app.seasons.check();
    expect(pw.sim.messagesIn(pw.general).filter((m) => m.authorId === pw.botId && (m.content ?? '').startsWith('🏆'))).toHaveLength(1);
  });
});
