/**
 * The whole bot on PostgreSQL (DESIGN §7.1): the real discord.js client against the simulator, its store a real
 * PostgreSQL database. Chat XP, the cooldown, a level-up with its currency reward and role, level check, the
 * leaderboard (all-time and this week's), the history, a purchase, a club, a restart on the same database.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pgBotWorld, type BotWorld } from '../helpers/bot.js';
import { pgDatabaseUrl } from '../helpers/pg.js';
import type { XpCore } from '../../src/core.js';

let w: BotWorld<XpCore> | undefined;
afterEach(async () => {
  await w?.teardown();
  w = undefined;
});

describe('the bot on PostgreSQL', () => {
  it('given chat, a level-up, commands and a restart then XP, rewards, ranks and the wallet are as on SQLite', async () => {
    w = await pgBotWorld(await pgDatabaseUrl());
    const novice = w.sim.createRole(w.guildId, { name: 'Novice' }).id;
    expect((await w.prefix(w.admin, `!unicornia rewards role 1 <@&${novice}>`)).content).toContain('✅');
    expect((await w.prefix(w.admin, '!unicornia rewards currency 1 250')).content).toContain('✅');
    await w.say(w.alice, 'hello');
    await w.say(w.alice, 'inside the cooldown');
    expect(await w.core.engine.xpOf(w.guildId, w.alice)).toBe(1);
    await w.prefix(w.admin, `!unicornia xp add <@${w.alice}> 40`);
    expect(await w.core.engine.xpOf(w.guildId, w.alice)).toBe(41);
    await w.core.engine.idle();
    expect(await w.core.stores.wallet.balance(w.alice)).toBe(250);
    expect(w.sim.memberRoles(w.guildId, w.alice)).toContain(novice);
    w.clock.advance(60_000);
    await w.say(w.bob, 'hi');
    // bob is not cached: on PostgreSQL his gain waits for his row's read. A board is stored XP at most 5 s old
    // (DESIGN §15.2); with the manual clock standing still, the check's flush must be the one that carries his gain,
    // so wait until it is applied (a read of his total queues behind it).
    expect(await w.core.engine.xpOf(w.guildId, w.bob)).toBe(1);
    const check = await w.prefix(w.alice, '!level check');
    expect(JSON.stringify(check.embeds)).toMatch(/#1/);
    const lb = await w.prefix(w.bob, '!level leaderboard');
    expect(JSON.stringify(lb.embeds)).toMatch(new RegExp(`<@${w.alice}>.*41 XP.*<@${w.bob}>.*1 XP`));
    // The week's board and the history come from the period totals and history rows the flush wrote (DESIGN §14).
    const week = await w.prefix(w.bob, '!level leaderboard 1 week');
    expect(JSON.stringify(week.embeds)).toMatch(new RegExp(`this week.*<@${w.alice}> — 41 XP.*<@${w.bob}> — 1 XP`));
    const history = await w.prefix(w.alice, '!level history 7');
    expect(history.embeds[0]!.description).toBe('**41 XP** (1 messages · 40 admin) · 1 level-up');
    expect((await w.prefix(w.alice, '!club create Night Owls')).content).toContain('Night Owls');
    expect((await w.prefix(w.bob, '!club join night owls')).content).toMatch(/joined|applied/i);
    await w.restart();
    expect(await w.core.engine.xpOf(w.guildId, w.alice)).toBe(41);
    expect(await w.core.engine.xpOf(w.guildId, w.bob)).toBe(1);
    expect(await w.core.stores.wallet.balance(w.alice)).toBe(250);
    expect((await w.core.stores.clubs.clubOfUser(w.alice))?.name).toBe('Night Owls');
  });
});
