/**
 * `level optout|optin` end to end (DESIGN §13): after opting out nothing new is stored about the member in that
 * server — messages, admin changes, leaving — and the database is checked row by row; both forms.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botWorld, joinedGuild, type BotWorld } from '../helpers/bot.js';

let w: BotWorld;
let g2: string;
let g2chat: string;

beforeAll(async () => {
  w = await botWorld();
  ({ guildId: g2, channelId: g2chat } = await joinedGuild(w, 'Second Farm'));
});
afterAll(async () => {
  await w?.teardown();
});

function member(name: string): string {
  const id = w.sim.createUser({ username: name }).id;
  w.sim.addMember(w.guildId, id);
  w.sim.addMember(g2, id);
  return id;
}

function rowsOf(userId: string) {
  return w.core.db
    .prepare('SELECT CAST(GuildId AS TEXT) g, Xp, AwardedXp, HasLeft FROM UserXpStats WHERE UserId = ? ORDER BY GuildId')
    .all(BigInt(userId));
}

async function chat(userId: string, channelId = w.general): Promise<void> {
  w.clock.advance(61_000); // past the cooldown
  await w.say(userId, 'just chatting', channelId);
  await w.core.flusher.flush();
}

describe('level optout', () => {
  it('given a member who opts out (prefix) then messages, admin changes and leaving store nothing new; optin resumes', async () => {
    const fay = member('fay');
    await chat(fay);
    await chat(fay, g2chat);
    expect(rowsOf(fay)).toEqual([{ g: w.guildId, Xp: 1, AwardedXp: 0, HasLeft: 0 }, { g: g2, Xp: 1, AwardedXp: 0, HasLeft: 0 }]);

    const reply = await w.prefix(fay, '!level optout');
    expect(reply.content).toContain('You no longer earn XP in **Unicorn Farm**');
    expect(reply.content).toContain('Your 1 XP here stay');
    await chat(fay);
    await chat(fay, g2chat); // the other server still counts
    const refused = await w.prefix(w.admin, `!unicornia xp add <@${fay}> 100`);
    expect(refused.content).toContain('opted out of XP in this server');
    await w.core.flusher.flush();
    expect(rowsOf(fay)).toEqual([{ g: w.guildId, Xp: 1, AwardedXp: 0, HasLeft: 0 }, { g: g2, Xp: 2, AwardedXp: 0, HasLeft: 0 }]);
    expect(w.core.db.prepare('SELECT COUNT(*) FROM XpOptOut WHERE UserId = ?').pluck().get(BigInt(fay))).toBe(1);
    expect((await w.prefix(fay, '!optout')).content).toContain('You had already opted out');

    const back = await w.prefix(fay, '!optin');
    expect(back.content).toBe('✅ You earn XP in **Unicorn Farm** again.');
    await chat(fay);
    expect(rowsOf(fay)[0]).toEqual({ g: w.guildId, Xp: 2, AwardedXp: 0, HasLeft: 0 });
    expect(w.core.db.prepare('SELECT COUNT(*) FROM XpOptOut').pluck().get()).toBe(0);
  });

  it('given a member with nothing stored who opts out and leaves then no row is made for them', async () => {
    const gus = member('gus');
    await w.prefix(gus, '!level optout');
    await w.leave(gus);
    expect(rowsOf(gus)).toEqual([]);
  });

  it('given the slash form with erase then the member is erased in this server only, and stays out', async () => {
    const hal = member('hal');
    w.core.engine.adjustXp(w.guildId, hal, { set: 800 });
    w.core.engine.adjustXp(g2, hal, { set: 90 });
    await w.core.flusher.flush();
    await w.core.writer.wallet.adjust(hal, 25, 'gift', null);
    const reply = await w.slash(hal, { name: 'level', subcommand: 'optout', options: { erase: true } });
    expect(reply.content).toContain('Your XP and levels here are erased.');
    await chat(hal);
    expect(rowsOf(hal)).toEqual([{ g: g2, Xp: 90, AwardedXp: 90, HasLeft: 0 }]);
    expect(w.core.db.prepare('SELECT TotalXp, CurrencyAmount FROM DiscordUser WHERE UserId = ?').get(BigInt(hal))).toEqual({ TotalXp: 90, CurrencyAmount: 25 });
    expect(w.core.engine.xpOf(w.guildId, hal)).toBe(0);
  });
});
