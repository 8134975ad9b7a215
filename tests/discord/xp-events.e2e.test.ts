/**
 * Timed XP events through the simulator (DESIGN §15.5), in prefix and slash form: start now and scheduled, list,
 * cancel, the announcements at start and end driven by the injected clock, refusals that change nothing, and
 * restarts (an event goes on; one that ended while the bot was stopped is announced once).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { botWorld, pgBotWorld, type BotWorld } from '../helpers/bot.js';
import { pgDatabaseUrl } from '../helpers/pg.js';
import type { XpCore } from '../../src/core.js';

let w: BotWorld | undefined;
let pw: BotWorld<XpCore> | undefined;
afterEach(async () => {
  await w?.teardown();
  await pw?.teardown();
  w = pw = undefined;
});

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The bot's messages in a channel that start with `marker` (🎉 start, ⏰ end, ⏹️ cancelled). */
function announcements(world: BotWorld<XpCore>, marker: string, channelId = world.general): string[] {
  return world.sim.messagesIn(channelId).filter((m) => m.authorId === world.botId && m.content.startsWith(marker)).map((m) => m.content);
}

async function untilAnnounced(world: BotWorld<XpCore>, marker: string, count: number, channelId = world.general): Promise<string[]> {
  return world.sim.waitUntil(() => {
    const found = announcements(world, marker, channelId);
    return found.length >= count ? found : undefined;
  }, { description: `${count} "${marker}" announcements` });
}

const stampOf = (ms: number) => `<t:${Math.floor(ms / 1000)}:f>`;

describe('timed XP events', () => {
  it('given a ×2 event started now (prefix) then it is announced, messages earn double, list shows the time left, and its end is announced once', async () => {
    w = await botWorld();
    const start = w.clock.wallNow();
    const reply = await w.prefix(w.admin, '!unicornia xpevent start 2 1h');
    expect(reply.content).toBe(`✅ XP event \`#1\`: ×2 XP for everyone for 1 h, from now until ${stampOf(start + HOUR)}. Its start and end are announced in <#${w.general}>.`);
    expect(await untilAnnounced(w, '🎉', 1)).toEqual([`🎉 **XP event!** ×2 XP for 1 h, until ${stampOf(start + HOUR)}.`]);
    await w.say(w.alice, 'hello there');
    expect(w.core.engine.xpOf(w.guildId, w.alice)).toBe(2);

    await w.scheduler.advance(20 * MINUTE);
    expect((await w.prefix(w.admin, '!unicornia xpevent list')).content).toBe(`**XP events**\n\`#1\` ×2 — running, 40 min left (until ${stampOf(start + HOUR)})`);

    await w.scheduler.advance(40 * MINUTE + 10_000);
    expect(await untilAnnounced(w, '⏰', 1)).toEqual(['⏰ The ×2 XP event is over. XP is back to normal.']);
    await w.say(w.alice, 'back to normal');
    expect(w.core.engine.xpOf(w.guildId, w.alice)).toBe(3);
    await w.scheduler.advance(HOUR);
    expect(announcements(w, '⏰')).toHaveLength(1);
    expect(announcements(w, '🎉')).toHaveLength(1);
    expect((await w.prefix(w.admin, '!unicornia xpevent list')).content).toBe('No XP event is running or scheduled. Start one with `!unicornia xpevent start`.');
    // The bonus was written as its own history source.
    await w.core.flusher.flush();
    const sources = w.core.db.prepare('SELECT Source, SUM(Xp) AS xp FROM XpHistoryDaily WHERE UserId = ? GROUP BY Source ORDER BY Source').safeIntegers(false).all(BigInt(w.alice));
    expect(sources).toEqual([
      { Source: 1, xp: 2 },
      { Source: 6, xp: 1 },
    ]);
  });

  it('given a scheduled ×1.5 event limited to a channel (slash) then it starts on time, counts only there, and a cancel announces its early end', async () => {
    w = await botWorld();
    await w.prefix(w.admin, '!unicornia xp permessage 10');
    const start = w.clock.wallNow() + 2 * HOUR;
    const reply = await w.slash(w.admin, { name: 'unicornia', subcommandGroup: 'xpevent', subcommand: 'start', options: { multiplier: 1.5, duration: '3h', starts: 'in 2h', channels: `<#${w.general}>`, announce: w.lounge } });
    expect(reply.content).toBe(
      `✅ XP event \`#1\`: ×1.5 XP in <#${w.general}> for 3 h, from ${stampOf(start)} (in 2 h) until ${stampOf(start + 3 * HOUR)}. Its start and end are announced in <#${w.lounge}>.`,
    );
    const list = await w.slash(w.admin, { name: 'unicornia', subcommandGroup: 'xpevent', subcommand: 'list' });
    expect(list.content).toBe(`**XP events**\n\`#1\` ×1.5 in <#${w.general}> — starts ${stampOf(start)} (in 2 h), lasts 3 h`);
    await w.say(w.alice, 'before the start');
    expect(w.core.engine.xpOf(w.guildId, w.alice)).toBe(10);

    await w.scheduler.advance(2 * HOUR - 20_000);
    expect(announcements(w, '🎉', w.lounge)).toEqual([]);
    await w.scheduler.advance(20_000);
    expect(await untilAnnounced(w, '🎉', 1, w.lounge)).toEqual([`🎉 **XP event!** ×1.5 XP in <#${w.general}> for 3 h, until ${stampOf(start + 3 * HOUR)}.`]);
    await w.say(w.alice, 'during the event');
    expect(w.core.engine.xpOf(w.guildId, w.alice)).toBe(25);
    await w.say(w.bob, 'elsewhere', w.lounge);
    expect(w.core.engine.xpOf(w.guildId, w.bob)).toBe(10);

    await w.scheduler.advance(30 * MINUTE);
    const cancelled = await w.slash(w.admin, { name: 'unicornia', subcommandGroup: 'xpevent', subcommand: 'cancel', options: { id: 1 } });
    expect(cancelled.content).toBe(`✅ The ×1.5 XP event \`#1\` has ended; its end is announced in <#${w.lounge}>.`);
    expect(await untilAnnounced(w, '⏹️', 1, w.lounge)).toEqual([`⏹️ The ×1.5 XP event in <#${w.general}> was ended early by an admin. XP is back to normal.`]);
    await w.scheduler.advance(2 * MINUTE);
    await w.say(w.alice, 'after the cancel');
    expect(w.core.engine.xpOf(w.guildId, w.alice)).toBe(35);
    await w.scheduler.advance(4 * HOUR);
    expect(announcements(w, '⏰', w.lounge)).toEqual([]);
    expect(announcements(w, '⏹️', w.lounge)).toHaveLength(1);
  });

  it('given a scheduled event cancelled before its start (prefix) then nothing is ever announced and nobody gets a bonus', async () => {
    w = await botWorld();
    await w.prefix(w.admin, `!unicornia xpevent start 3 1h 30m`);
    expect((await w.prefix(w.admin, '!unicornia xpevent cancel 1')).content).toBe('✅ The scheduled ×3 XP event `#1` was cancelled before it started.');
    expect((await w.prefix(w.admin, '!unicornia xpevent cancel 1')).content).toMatch(/^XP event `#1` was cancelled <t:\d+:f>: there is nothing left to cancel\.$/);
    await w.scheduler.advance(2 * HOUR);
    await w.say(w.alice, 'hi');
    expect(w.core.engine.xpOf(w.guildId, w.alice)).toBe(1);
    expect(announcements(w, '🎉')).toEqual([]);
    expect(announcements(w, '⏰')).toEqual([]);
  });

  it('given bad input in either form then it is refused with a message naming what is allowed, and nothing is stored', async () => {
    w = await botWorld();
    const refusals: [string, Record<string, string | number>, string][] = [
      ['0.5 2h', { multiplier: 0.5, duration: '2h' }, '`multiplier` must be from 1.1 to 10 in steps of 0.001 (2 doubles XP), not `0.5`.'],
      ['11 2h', { multiplier: 11, duration: '2h' }, '`multiplier` must be from 1.1 to 10 in steps of 0.001 (2 doubles XP), not `11`.'],
      ['1.0005 2h', { multiplier: 1.0005, duration: '2h' }, '`multiplier` must be from 1.1 to 10'],
      ['1.2 2h', { multiplier: 1.2, duration: '2h' }, '×1.2 adds nothing to 1 XP (the bonus rounds to 0), so the event would change nothing. Use at least ×1.5.'],
      ['2 0m', { multiplier: 2, duration: '0m' }, '`duration` must be a length such as `30m`, `2h`, `3d` or `1d12h`, from 1 minute to 30 days; not `0m`.'],
      ['2 31d', { multiplier: 2, duration: '31d' }, '`duration` must be a length such as `30m`, `2h`, `3d` or `1d12h`, from 1 minute to 30 days; not `31d`.'],
      ['2 forever', { multiplier: 2, duration: 'forever' }, '`duration` must be a length such as'],
      ['2 2h yesterday', { multiplier: 2, duration: '2h', starts: 'yesterday' }, '`starts` is `now`, a delay such as `30m` or `in 2h`, or a UTC time such as `2026-12-24T18:00`; not `yesterday`.'],
      ['2 2h 2025-12-31T10:00', { multiplier: 2, duration: '2h', starts: '2025-12-31T10:00' }, 'is in the past. Use `now` or a later time.'],
      ['2 2h 40d', { multiplier: 2, duration: '2h', starts: '40d' }, '`starts` may be at most 30 days ahead.'],
      ['2 2h now #nowhere', { multiplier: 2, duration: '2h', starts: 'now', channels: '#nowhere' }, "I can't find the channel `#nowhere` here."],
      ['2 2h now general @Nobody', { multiplier: 2, duration: '2h', starts: 'now', channels: 'general', roles: '@Nobody' }, "I can't find the role `@Nobody` here."],
    ];
    for (const [words, options, message] of refusals) {
      expect((await w.prefix(w.admin, `!unicornia xpevent start ${words}`)).content, words).toContain(message);
      expect((await w.slash(w.admin, { name: 'unicornia', subcommandGroup: 'xpevent', subcommand: 'start', options })).content, words).toContain(message);
    }
    expect(await w.core.writer.xpEvents.list(w.guildId, 0)).toEqual([]);
    expect((await w.core.engine.rules(w.guildId)).xpEvents).toEqual([]);
    expect((await w.prefix(w.alice, '!unicornia xpevent start 2 2h')).content).not.toContain('✅');
    await w.scheduler.advance(MINUTE);
    expect(announcements(w, '🎉')).toEqual([]);
    expect(w.core.db.prepare('SELECT COUNT(*) AS n FROM XpEvent').safeIntegers(false).get()).toEqual({ n: 0 });
  });

  it('given restarts then a running event goes on, and one that ended while the bot was stopped is announced once at the next start', async () => {
    w = await botWorld();
    const start = w.clock.wallNow();
    await w.prefix(w.admin, '!unicornia xpevent start 2 2h');
    await untilAnnounced(w, '🎉', 1);
    await w.restart();
    await w.bot.app.xpEvents.check();
    expect(announcements(w, '🎉')).toHaveLength(1); // not announced again by the new process
    await w.say(w.alice, 'after a restart');
    expect(w.core.engine.xpOf(w.guildId, w.alice)).toBe(2);
    // A second event that starts and ends while the bot is stopped: only its end is announced.
    await w.prefix(w.admin, '!unicornia xpevent start 3 30m 1h');

    await w.bot.stop();
    w.clock.advance(3 * HOUR); // the bot is down: no timer runs
    await w.restart({ alreadyStopped: true });
    expect(await untilAnnounced(w, '⏰', 2)).toEqual(['⏰ The ×2 XP event is over. XP is back to normal.', '⏰ The ×3 XP event is over. XP is back to normal.']);
    expect(announcements(w, '🎉')).toHaveLength(1);
    await w.restart();
    await w.bot.app.xpEvents.check();
    await w.scheduler.advance(MINUTE);
    expect(announcements(w, '⏰')).toHaveLength(2);
    await w.say(w.alice, 'long after');
    expect(w.core.engine.xpOf(w.guildId, w.alice)).toBe(3);
    expect(w.clock.wallNow() - start).toBeGreaterThan(3 * HOUR);
  });
});

describe('timed XP events on PostgreSQL', () => {
  it('given an event on a PostgreSQL store then the bonus counts on the week board, it goes on after a restart, and its end while stopped is announced once', async () => {
    const w = (pw = await pgBotWorld(await pgDatabaseUrl()));
    expect((await w.prefix(w.admin, '!unicornia xpevent start 3 2h')).content).toContain('✅ XP event `#1`: ×3 XP for everyone for 2 h');
    await untilAnnounced(w, '🎉', 1);
    await w.say(w.alice, 'triple');
    expect(await w.core.engine.xpOf(w.guildId, w.alice)).toBe(3);
    const week = await w.prefix(w.bob, '!level leaderboard 1 week');
    expect(JSON.stringify(week.embeds)).toMatch(new RegExp(`this week.*<@${w.alice}> — 3 XP`));
    await w.restart();
    await w.scheduler.advance(MINUTE);
    // The new process lists it as running (and has read the server's rules before the next message).
    expect((await w.prefix(w.admin, '!unicornia xpevent list')).content).toMatch(/^\*\*XP events\*\*\n`#1` ×3 — running, 1 h 59 min left/);
    await w.say(w.alice, 'still triple');
    expect(await w.core.engine.xpOf(w.guildId, w.alice)).toBe(6);
    await w.bot.stop();
    w.clock.advance(2 * HOUR);
    await w.restart({ alreadyStopped: true });
    expect(await untilAnnounced(w, '⏰', 1)).toEqual(['⏰ The ×3 XP event is over. XP is back to normal.']);
    await w.restart();
    await w.bot.app.xpEvents.check();
    expect(announcements(w, '⏰')).toHaveLength(1);
    expect(announcements(w, '🎉')).toHaveLength(1);
    await w.prefix(w.admin, '!unicornia xpevent list');
    await w.say(w.alice, 'normal again');
    expect(await w.core.engine.xpOf(w.guildId, w.alice)).toBe(7);
  });
});
