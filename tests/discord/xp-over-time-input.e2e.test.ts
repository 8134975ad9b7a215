/**
 * The XP-over-time commands (seasons, XP events, decay, history, period boards, calendar and history settings,
 * DESIGN §15) used as a clumsy admin, a member without Manage Server and a bot short of permissions would use
 * them, through the simulator in both forms: every refusal is one clear sentence naming what is wrong (never
 * empty, `undefined`, `NaN` or `[object Object]`), pings nobody, and leaves every row of the database as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botWorld, roleUpdated, withoutSendMessages, type BotWorld } from '../helpers/bot.js';
import type { SimMessage, SlashCommandInput } from '../../src/simulator/index.js';

let w: BotWorld;
let champ: string;
let outsider: string;
beforeAll(async () => {
  w = await botWorld();
  champ = w.sim.createRole(w.guildId, { name: 'Champ', position: 1 }).id;
  outsider = w.sim.createUser({ username: 'outsider' }).id;
});
afterAll(async () => {
  await w?.teardown();
});

type Slash = Omit<SlashCommandInput, 'userId' | 'guildId' | 'channelId'>;
const admin = (group: string, subcommand: string, options: Slash['options']): Slash => ({ name: 'unicornia', subcommandGroup: group, subcommand, options });

const text = (m: SimMessage) =>
  [m.content, ...m.embeds.flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value]), e.footer?.text ?? ''])].join('\n');

/**
 * Every row of every table after a flush, so a refusal that wrote or buffered anything anywhere shows. The lease
 * of the shard and the flush sequence are the process's housekeeping, renewed as time passes.
 */
async function snapshot(only?: RegExp): Promise<string> {
  await w.core.flusher.flushForReads(0);
  const all = w.core.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('ShardClaim', 'FlushState') ORDER BY name").all() as { name: string }[];
  const tables = all.filter(({ name }) => !only || only.test(name));
  return JSON.stringify(tables.map(({ name }) => [name, w.core.db.prepare(`SELECT * FROM "${name}"`).safeIntegers(true).all()]), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** What the bot sent since `from` in the REST log: every message body and interaction answer. */
function sentBodies(from: number): { allowed_mentions?: unknown }[] {
  return w.sim.restLog
    .slice(from)
    .filter((r) => r.method !== 'GET' && /\/messages|\/callback|\/webhooks\//.test(r.route ?? r.path))
    .map((r) => r.body as { allowed_mentions?: unknown; data?: { allowed_mentions?: unknown } } | null)
    .filter((b): b is { allowed_mentions?: unknown; data?: { allowed_mentions?: unknown } } => b !== null && typeof b === 'object')
    .map((b) => (b.data && typeof b.data === 'object' ? b.data : b));
}

/** The bot's messages that pinged someone (everyone, a role or a user), as the simulator delivered them. */
function pinging(): string[] {
  return w.sim
    .messagesIn(w.general)
    .filter((m) => m.authorId === w.botId && (m.mentionEveryone || m.mentionIds.length > 0 || m.mentionRoleIds.length > 0))
    .map((m) => m.content);
}

function expectClearSentence(reply: SimMessage, label: string): void {
  const said = text(reply);
  expect(said.trim(), label).not.toBe('');
  expect(said, label).not.toMatch(/undefined|NaN|\[object Object\]|Error:|\bat \S+\.(?:ts|js):\d+/);
}

describe('XP-over-time commands under hostile input', () => {
  it('given bad numbers, lengths, dates, zones, names and words in either form then each is refused with what is allowed, and no row changes', async () => {
    await w.prefix(w.admin, '!unicornia xp add <@' + w.alice + '> 50'); // a member with XP, so the history rows exist
    const before = await snapshot();
    const from = w.sim.restLog.length;
    // [prefix line, slash form (where it exists: slash options are typed, so a non-number never reaches the bot), answer]
    const table: [string, Slash | null, string][] = [
      // seasons
      [`!unicornia season start ${'x'.repeat(500)} 2026-03-01`, admin('season', 'start', { name: 'x'.repeat(500), end: '2026-03-01' }), '`name` must be at most 50 characters.'],
      ['!unicornia season start "   " 2026-03-01', admin('season', 'start', { name: '   ', end: '2026-03-01' }), '`name` needs at least one visible character.'],
      ['!unicornia season start \u200b\u2060\u200b 2026-03-01', admin('season', 'start', { name: '\u200b \u200d', end: '2026-03-01' }), '`name` needs at least one visible character.'],
      ['!unicornia season start Spring 0m', admin('season', 'start', { name: 'Spring', end: '0m' }), '`end` is a date (YYYY-MM-DD, in the server\'s time zone UTC), `weekly` or `monthly`.'],
      ['!unicornia season start Spring -5h', admin('season', 'start', { name: 'Spring', end: '-5h' }), '`end` is a date (YYYY-MM-DD, in the server\'s time zone UTC), `weekly` or `monthly`.'],
      ['!unicornia season start Spring 99999d', admin('season', 'start', { name: 'Spring', end: '99999d' }), '`end` is a date (YYYY-MM-DD, in the server\'s time zone UTC), `weekly` or `monthly`.'],
      ['!unicornia season start Spring 2026-02-30', admin('season', 'start', { name: 'Spring', end: '2026-02-30' }), '`end` is a date (YYYY-MM-DD'],
      ['!unicornia season start Spring 2025-12-31', admin('season', 'start', { name: 'Spring', end: '2025-12-31' }), '2025-12-31 has already ended in UTC: pick a later date.'],
      ['!unicornia season start Spring 2037-01-01', admin('season', 'start', { name: 'Spring', end: '2037-01-01' }), 'A season lasts at most 3660 days: pick an earlier date.'],
      [`!unicornia season start Spring 2026-03-01 0 <@&${champ}>`, admin('season', 'start', { name: 'Spring', end: '2026-03-01', winners: 0, role: champ }), '`winners` must be at least 1.'],
      [`!unicornia season start Spring 2026-03-01 -1 <@&${champ}>`, admin('season', 'start', { name: 'Spring', end: '2026-03-01', winners: -1, role: champ }), '`winners` must be at least 1.'],
      [`!unicornia season start Spring 2026-03-01 26 <@&${champ}>`, admin('season', 'start', { name: 'Spring', end: '2026-03-01', winners: 26, role: champ }), '`winners` must be at most 25.'],
      [`!unicornia season start Spring 2026-03-01 1.5 <@&${champ}>`, null, '`winners` must be a whole number from 1 to 25, not `1.5`.'],
      ['!unicornia season start Spring 2026-03-01 2', admin('season', 'start', { name: 'Spring', end: '2026-03-01', winners: 2 }), '`winners` needs a `role` to give them.'],
      [`!unicornia season start Spring 2026-03-01 2 <@&${w.guildId}>`, admin('season', 'start', { name: 'Spring', end: '2026-03-01', role: w.guildId }), 'cannot be a winner role: everyone has @everyone'],
      ['!unicornia season start Spring 2026-03-01 2 @everyone', null, 'cannot be a winner role: everyone has @everyone'],
      ['!unicornia season end', admin('season', 'end', {}), 'No season is running. Start one with `unicornia season start`.'],
      ['!unicornia season cancel', admin('season', 'cancel', {}), 'No season is running.'],
      ['!season show 0', { name: 'season', subcommand: 'show', options: { number: 0 } }, '`number` must be at least 1.'],
      ['!season show 7', { name: 'season', subcommand: 'show', options: { number: 7 } }, 'There is no season 7 here. `season list` shows them.'],
      ['!season show 99999999999999999999', null, '`number` must be a whole number, not `99999999999999999999`.'],
      ['!season show 1 11', { name: 'season', subcommand: 'show', options: { number: 1, page: 11 } }, '`page` must be at most 10.'],
      ['!season list 0', { name: 'season', subcommand: 'list', options: { page: 0 } }, '`page` must be at least 1.'],
      // XP events
      ['!unicornia xpevent start 1.5x 2h', null, '`multiplier` must be a number, not `1.5x`.'],
      ['!unicornia xpevent start x2 2h', null, '`multiplier` must be a number, not `x2`.'],
      ['!unicornia xpevent start -2 2h', admin('xpevent', 'start', { multiplier: -2, duration: '2h' }), '`multiplier` must be from 1.1 to 10 in steps of 0.001 (2 doubles XP), not `-2`.'],
      ['!unicornia xpevent start 2 0m', admin('xpevent', 'start', { multiplier: 2, duration: '0m' }), '`duration` must be a length such as `30m`, `2h`, `3d` or `1d12h`, from 1 minute to 30 days; not `0m`.'],
      ['!unicornia xpevent start 2 -5h', admin('xpevent', 'start', { multiplier: 2, duration: '-5h' }), 'from 1 minute to 30 days; not `-5h`.'],
      ['!unicornia xpevent start 2 99999d', admin('xpevent', 'start', { multiplier: 2, duration: '99999d' }), 'from 1 minute to 30 days; not `99999d`.'],
      ['!unicornia xpevent start 2 1.5h', admin('xpevent', 'start', { multiplier: 2, duration: '1.5h' }), 'from 1 minute to 30 days; not `1.5h`.'],
      ['!unicornia xpevent start 2 2h in 2h', admin('xpevent', 'start', { multiplier: 2, duration: '2h', starts: 'in' }), '`starts` takes its delay in one word: `2h`, or in quotes: `"in 2h"`.'],
      ['!unicornia xpevent start 2 2h 2025-12-31T23:00', admin('xpevent', 'start', { multiplier: 2, duration: '2h', starts: '2025-12-31T23:00' }), 'is in the past. Use `now` or a later time.'],
      ['!unicornia xpevent start 2 2h now <#1>', admin('xpevent', 'start', { multiplier: 2, duration: '2h', channels: '<#1>' }), "I can't find the channel `<#1>` here."],
      ['!unicornia xpevent start 2 2h now general @everyone', admin('xpevent', 'start', { multiplier: 2, duration: '2h', roles: '@everyone' }), 'Everyone holds @everyone: for an event for everyone, leave `roles` out.'],
      ['!unicornia xpevent start 2 2h now general Nobody', admin('xpevent', 'start', { multiplier: 2, duration: '2h', roles: 'Nobody' }), "I can't find the role `Nobody` here."],
      [`!unicornia xpevent start 2 2h now general Champ ${w.category}`, admin('xpevent', 'start', { multiplier: 2, duration: '2h', announce: w.category }), '`announce` must be a channel messages can be sent in'],
      ['!unicornia xpevent cancel 0', admin('xpevent', 'cancel', { id: 0 }), '`id` must be at least 1.'],
      ['!unicornia xpevent cancel 5', admin('xpevent', 'cancel', { id: 5 }), 'There is no XP event `#5` here. `xpevent list` shows those running or scheduled.'],
      ['!unicornia xpevent cancel abc', null, '`id` must be a whole number, not `abc`.'],
      // decay
      ['!unicornia decay set 0 5% week', admin('decay', 'set', { after_days: '0', amount: '5%', per: 'week' }), '`after_days` must be at least 1.'],
      ['!unicornia decay set 30 0% week', admin('decay', 'set', { after_days: '30', amount: '0%', per: 'week' }), '`amount` is a percentage from 1% to 100% (like `5%`) or a number of XP from 1 to 1,000,000 (like `50`), not `0%`.'],
      ['!unicornia decay set 30 -5% week', admin('decay', 'set', { after_days: '30', amount: '-5%', per: 'week' }), 'not `-5%`.'],
      ['!unicornia decay set 30 5.5% week', admin('decay', 'set', { after_days: '30', amount: '5.5%', per: 'week' }), 'not `5.5%`.'],
      ['!unicornia decay set 30 1e3 week', admin('decay', 'set', { after_days: '30', amount: '1e3', per: 'week' }), 'not `1e3`.'],
      ['!unicornia decay set 30 5% month', null, '`per` must be one of `day`, `week`.'],
      ['!unicornia decay set 30 5%', admin('decay', 'set', { after_days: '30', amount: '5%' }), 'With `after_days`, give `amount` and `per` too'],
      ['!unicornia decay set 1.5 5% week', admin('decay', 'set', { after_days: '1.5', amount: '5%', per: 'week' }), '`after_days` must be a whole number from 1 to 365, or `default`, not `1.5`.'],
      ['!unicornia decay floor -1', admin('decay', 'floor', { level: '-1' }), '`level` must be at least 0.'],
      ['!unicornia decay floor 100001', admin('decay', 'floor', { level: '100001' }), '`level` must be at most 100000.'],
      ['!unicornia decay exempt frob Champ', null, '`action` must be one of `add`, `remove`.'],
      ['!unicornia decay exempt add @everyone', null, 'Everyone holds @everyone: to stop decay for everyone, use `unicornia decay off`.'],
      [`!unicornia decay exempt add <@&${w.guildId}>`, admin('decay', 'exempt', { action: 'add', role: w.guildId }), 'Everyone holds @everyone: to stop decay for everyone, use `unicornia decay off`.'],
      ['!unicornia decay preview 0', admin('decay', 'preview', { after_days: 0 }), '`after_days` must be at least 1.'],
      ['!unicornia decay preview 500', admin('decay', 'preview', { after_days: 500 }), '`after_days` must be at most 365.'],
      ['!unicornia decay preview 30 5%', admin('decay', 'preview', { after_days: 30, amount: '5%' }), 'With `after_days`, give `amount` and `per` too'],
      // history chart and period boards
      ['!level history 14', null, '`days` must be one of `7`, `30`, `90`, `365`.'],
      ['!level history 0', null, '`days` must be one of `7`, `30`, `90`, `365`.'],
      ['!level history -7', null, '`days` must be one of `7`, `30`, `90`, `365`.'],
      [`!level history <@${w.bob}> 365000`, null, '`days` must be one of `7`, `30`, `90`, `365`.'],
      ['!level history 123456789012345678', null, "I can't find the user `123456789012345678` here."],
      [`!level history <@${w.botId}>`, { name: 'level', subcommand: 'history', options: { user: w.botId } }, "is a bot; bots don't earn XP."],
      ['!lb weeek', null, '`period` must be one of `alltime`, `week`, `lastweek`, `month`, `lastmonth`, `season`.'],
      ['!lb 1 weeek', null, '`period` must be one of `alltime`, `week`, `lastweek`, `month`, `lastmonth`, `season`.'],
      [`!level check <@${w.alice}> mnoth`, null, '`period` must be one of `alltime`'],
      ['!lb 1 season', { name: 'level', subcommand: 'leaderboard', options: { period: 'season' } }, 'No season is running in this server.'],
      // calendar and history settings
      ['!unicornia settings calendar Mars/Phobos', admin('settings', 'calendar', { timezone: 'Mars/Phobos' }), '`Mars/Phobos` is not a time zone name. Use an IANA name such as `UTC`'],
      ['!unicornia settings calendar +01:00', admin('settings', 'calendar', { timezone: '+01:00' }), 'is not a time zone name'],
      [`!unicornia settings calendar ${'A'.repeat(200)}`, admin('settings', 'calendar', { timezone: 'A'.repeat(200) }), '`timezone` must be at most 40 characters.'],
      ['!unicornia settings calendar Europe/Berlin funday', admin('settings', 'calendar', { timezone: 'Europe/Berlin', weekstart: 'funday' }), '`weekstart` is a day of the week (`mon` or `monday`): sunday, monday'],
      ['!unicornia settings history 10', admin('settings', 'history', { days: '10' }), '`days` is 0 (keep every day) or 35–3650, or `default` (0)'],
      ['!unicornia settings history -1', admin('settings', 'history', { days: '-1' }), '`days` must be at least 0.'],
      ['!unicornia settings history 3651', admin('settings', 'history', { days: '3651' }), '`days` must be at most 3650.'],
      ['!unicornia settings history 1.5', admin('settings', 'history', { days: '1.5' }), '`days` must be a whole number from 0 to 3,650, or `default`, not `1.5`.'],
    ];
    for (const [line, slash, answer] of table) {
      const viaPrefix = await w.prefix(w.admin, line);
      expectClearSentence(viaPrefix, line);
      expect(text(viaPrefix), line).toContain(answer);
      if (!slash) continue;
      const viaSlash = await w.slash(w.admin, slash);
      expectClearSentence(viaSlash, `/${JSON.stringify(slash)}`);
      expect(text(viaSlash), `/${JSON.stringify(slash)}`).toContain(answer);
    }
    await w.core.engine.idle();
    expect(await snapshot()).toBe(before);
    // No answer pinged anybody, in either form: as sent, and as the simulator (Discord's rules) delivered it.
    const bodies = sentBodies(from);
    expect(bodies.length).toBeGreaterThan(table.length);
    for (const b of bodies) expect(b.allowed_mentions).toMatchObject({ parse: [] });
    expect(pinging()).toEqual([]);
  });

  it('given a weekday abbreviated (`sun`, `Tues`) in either form then the calendar takes it', async () => {
    expect((await w.prefix(w.admin, '!unicornia settings calendar Europe/Berlin sun')).content).toContain('Europe/Berlin, weeks start sunday');
    expect((await w.core.engine.rules(w.guildId)).settings).toMatchObject({ timeZone: 'Europe/Berlin', weekStart: 0 });
    expect((await w.slash(w.admin, admin('settings', 'calendar', { timezone: 'utc', weekstart: 'Tues' }))).content).toContain('UTC, weeks start tuesday');
    expect((await w.prefix(w.admin, '!unicornia settings calendar default default')).content).toContain('UTC, weeks start monday');
  });

  it('given an empty board of last week or last month then it says nobody earned XP then, not "yet"', async () => {
    expect(text(await w.prefix(w.bob, '!lb 1 lastweek'))).toContain('Nobody earned XP last week.');
    expect(text(await w.slash(w.bob, { name: 'level', subcommand: 'leaderboard', options: { period: 'lastmonth' } }))).toContain('Nobody earned XP last month.');
  });

  it('given a season named with @everyone, a role mention and markdown then its start, list, show, end and close announcement ping nobody', async () => {
    const name = `@everyone **Cup** <@&${champ}>`;
    const started = await w.slash(w.admin, admin('season', 'start', { name, end: '2026-01-20' }));
    expect(started.content).toContain(`Season 1 “${name}” started`);
    expect(text(await w.prefix(w.bob, '!lb 1 season'))).toContain(`Nobody has earned XP in season “${name}” yet.`);
    await w.core.engine.adjustXp(w.guildId, w.alice, { add: 5 });
    expect(text(await w.prefix(w.bob, '!season list'))).toContain(`**1.** ${name} —`);
    expect(text(await w.prefix(w.bob, '!season show 1'))).toContain('still running');
    expect((await w.prefix(w.admin, '!unicornia season end')).content).toContain(`Season 1 “${name}” has ended`);
    await w.bot.app.seasons.check();
    await w.sim.waitUntil(() => w.sim.messagesIn(w.general).some((m) => m.authorId === w.botId && m.content.startsWith('🏆')));
    const closed = w.sim.messagesIn(w.general).find((m) => m.authorId === w.botId && m.content.startsWith('🏆'))!;
    expect(closed.content).toContain(`🏆 Season 1 “${name}” has ended`);
    expect(text(await w.slash(w.bob, { name: 'season', subcommand: 'show', options: { number: 1 } }))).toContain(`Season 1 “${name}” — final standings`);
    expect(pinging()).toEqual([]);
  });

  it('given a word no command has under one of the groups then the answer says so and lists the group, instead of silence', async () => {
    // An unknown command is chat (DESIGN §2.1: it may earn XP); no setting, season, event or decay row changes.
    const settings = /^Xp(Settings|Season|Event|Decay)/;
    const before = await snapshot(settings);
    const cases: [string, string, string][] = [
      ['!unicornia decay default', 'There is no `!unicornia decay default`. Commands under `!unicornia decay`:', '`!unicornia decay set <after_days> [amount] [day|week]`'],
      ['!unicornia xpevent stop 1', 'There is no `!unicornia xpevent stop`. Commands under `!unicornia xpevent`:', '`!unicornia xpevent cancel <id>`'],
      ['!unicornia season finish', 'There is no `!unicornia season finish`. Commands under `!unicornia season`:', '`!unicornia season end`'],
    ];
    for (const [line, head, listed] of cases) {
      const reply = await w.prefix(w.admin, line);
      expect(reply.content, line).toContain(head);
      expect(reply.content, line).toContain(listed);
    }
    expect(await snapshot(settings)).toBe(before);
  });
});

describe('XP event times', () => {
  it('given a start on a day that does not exist (30 February) in either form then it is refused, not moved to 2 March; an event that is over cannot be cancelled and the answer says when it ended', async () => {
    const v = await botWorld();
    try {
      v.clock.stepWall(40 * 86_400_000); // 10 February 2026: 2 March is within the 30 days an event may be scheduled ahead
      const refusal = '`starts` `2026-02-30T10:00` is not a date and time that exists (UTC, such as `2026-12-24T18:00`).';
      expect((await v.prefix(v.admin, '!unicornia xpevent start 2 2h 2026-02-30T10:00')).content).toBe(refusal);
      expect((await v.slash(v.admin, admin('xpevent', 'start', { multiplier: 2, duration: '2h', starts: '2026-02-30T10:00' }))).content).toBe(refusal);
      expect((await v.prefix(v.admin, '!unicornia xpevent start 2 2h 2026-02-28T23:00-01:00')).content).toContain('from <t:1772323200:f> (in 19 days)') // 1 March 00:00 UTC;
      expect((await v.prefix(v.admin, '!unicornia xpevent start 2 2h "in 2h"')).content).toContain('(in 2 h)');
      expect(await v.core.writer.xpEvents.list(v.guildId, 0)).toHaveLength(2);
      // An event that is over cannot be cancelled, and the answer says why rather than "no such event".
      const start = v.clock.wallNow();
      await v.prefix(v.admin, '!unicornia xpevent start 2 1m');
      v.clock.advance(120_000);
      await v.scheduler.advance(10_000);
      const over = `XP event \`#3\` ended <t:${Math.floor(start / 1000) + 60}:f>: there is nothing left to cancel.`;
      expect((await v.prefix(v.admin, '!unicornia xpevent cancel 3')).content).toBe(over);
      expect((await v.slash(v.admin, admin('xpevent', 'cancel', { id: 3 }))).content).toBe(over);
    } finally {
      await v.teardown();
    }
  });
});

describe('XP-over-time commands used without the permissions they need', () => {
  it('given a member without Manage Server then every admin command is refused in a sentence and nothing changes', async () => {
    const before = await snapshot();
    const lines = [
      '!unicornia season start Spring 2026-03-01',
      '!unicornia season end',
      '!unicornia season cancel',
      '!unicornia xpevent start 2 2h',
      '!unicornia xpevent list',
      '!unicornia xpevent cancel 1',
      '!unicornia decay set 30 5% week',
      '!unicornia decay off',
      '!unicornia decay floor 3',
      '!unicornia decay exempt add Champ',
      '!unicornia decay preview',
      '!unicornia settings calendar Europe/Berlin',
      '!unicornia settings history 100',
    ];
    for (const line of lines) expect((await w.prefix(w.alice, line)).content, line).toBe('You need the Manage Server permission to use this command.');
    await w.scheduler.advance(60_000); // no announcer or season check finds anything either
    expect(await snapshot()).toBe(before);
  });

  it('given a bot that cannot post in the channel and a winner role above its own then the admin is told at setup, both are saved, and the winner role lands once when it is moved below the bot', async () => {
    const v = await botWorld();
    try {
      const roles = () => [...v.sim.guild(v.guildId)!.roles.values()];
      const crown = v.sim.createRole(v.guildId, { name: 'Crown', position: 1 }).id;
      const top = roles().length - 1;
      const above = roleUpdated(v, (r) => r.id === crown && r.position === top);
      v.sim.moveRole(v.guildId, crown, top);
      await above;
      // Send Messages comes from @everyone (Discord's defaults) and the bot's own role: an admin took it from both.
      const restore = await withoutSendMessages(v);

      const event = await v.slash(v.admin, admin('xpevent', 'start', { multiplier: 2, duration: '2h' }));
      expect(event.content).toContain('✅ XP event `#1`: ×2 XP for everyone for 2 h');
      expect(event.content).toContain(`\n⚠️ But I can't post in <#${v.general}>: I lack the Send Messages permission there.`);
      const season = await v.slash(v.admin, admin('season', 'start', { name: 'Cup', end: '2026-01-10', role: crown }));
      expect(season.content).toContain('✅ Season 1 “Cup” started');
      expect(season.content).toContain("⚠️ But I can't manage that role yet: it is not below my highest role");
      expect(season.content).toContain("\n⚠️ Its end is announced in this channel, but I can't post here: I lack the Send Messages permission there.");
      // With the permission, neither warning: the warning reads the bot's permissions, not a fixed answer.
      await restore();
      const fine = await v.slash(v.admin, admin('xpevent', 'start', { multiplier: 3, duration: '1h', starts: '1h' }));
      expect(fine.content).toContain('✅ XP event `#2`');
      expect(fine.content).not.toContain('⚠️');

      // The season closes while the role is above the bot: the winner's role waits in the queue, then lands once.
      await v.core.engine.adjustXp(v.guildId, v.alice, { add: 10 });
      expect((await v.slash(v.admin, admin('season', 'end', {}))).content).toContain('Season 1 “Cup” has ended');
      await v.bot.app.seasons.check();
      await v.sim.waitUntil(() => (v.core.db.prepare('SELECT State FROM XpSeason').get() as { State: string }).State === 'closed');
      await v.bot.app.roleQueue.idle();
      expect(v.sim.memberRoles(v.guildId, v.alice)).toEqual([]);
      expect(v.core.db.prepare('SELECT COUNT(*) AS n FROM RoleChangeQueue').safeIntegers(false).get()).toEqual({ n: 1 });
      const landed = v.sim.waitFor('memberUpdate', (m) => m.userId === v.alice && m.roles.includes(crown));
      v.sim.moveRole(v.guildId, crown, 1);
      await landed;
      await v.bot.app.roleQueue.idle();
      await v.bot.app.seasons.check();
      expect(v.sim.memberRoles(v.guildId, v.alice)).toEqual([crown]);
      expect(v.core.db.prepare('SELECT COUNT(*) AS n FROM RoleChangeQueue').safeIntegers(false).get()).toEqual({ n: 0 });
      expect(v.sim.restLog.filter((r) => r.method === 'PUT' && r.path.endsWith(`/roles/${crown}`)).map((r) => r.status)).toEqual([204]);
    } finally {
      await v.teardown();
    }
  });
});

