/**
 * The retention rule end to end (DESIGN §13): `server data retention` in both forms, members leaving through the
 * simulator's GUILD_MEMBER_REMOVE, the injected clock passing the days, the bot's retention job sweeping, and the
 * database checked row by row: who left long enough ago is gone from that server, who came back is kept. (The job's
 * hourly timer on the injected scheduler is exercised in retention.test.ts; here days pass on the clock alone, since
 * stepping the scheduler through them would run every 30 s flush of those days.)
 */
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botWorld, joinedGuild, type BotWorld } from '../helpers/bot.js';
import { DAY_MS } from '../../src/engine/calendar.js';

let w: BotWorld;
let g2: string;

beforeAll(async () => {
  w = await botWorld();
  g2 = (await joinedGuild(w, 'Second Farm')).guildId;
});
afterAll(async () => {
  await w?.teardown();
});

function member(name: string, guilds: string[]): string {
  const id = w.sim.createUser({ username: name }).id;
  for (const g of guilds) w.sim.addMember(g, id);
  return id;
}

/** Every row about the member, table by table, with ids as text. */
function rowsAbout(userId: string) {
  const u = BigInt(userId);
  const q = (sql: string) => w.core.db.prepare(sql).all(u);
  return {
    xp: q('SELECT CAST(GuildId AS TEXT) g, Xp, HasLeft, LeftAt FROM UserXpStats WHERE UserId = ? ORDER BY GuildId'),
    excluded: q("SELECT CAST(GuildId AS TEXT) g FROM XpExcludedItem WHERE ItemType = 'user' AND ItemId = ?"),
    adminLog: q('SELECT CAST(GuildId AS TEXT) g, Amount FROM XpAdminAction WHERE UserId = ?'),
    total: w.core.db.prepare('SELECT TotalXp FROM DiscordUser WHERE UserId = ?').pluck().get(u),
  };
}

/** The days pass, and the retention job runs as its daily check would (it returns once its sweep is done). */
async function passDays(days: number): Promise<void> {
  w.clock.advance(days * DAY_MS);
  await w.bot.app.retention.tick();
}

async function rejoin(userId: string): Promise<void> {
  const joined = once(w.bot.client, 'guildMemberAdd');
  w.sim.addMember(w.guildId, userId);
  await joined;
  await w.core.writer.state.get('fence'); // queued after the listener's own write
}

describe('server data retention', () => {
  it('given bad values then each is refused with the allowed range, and nothing changes', async () => {
    for (const bad of ['0', '3651', 'soon', '2.5']) {
      const reply = await w.prefix(w.admin, `!server data retention ${bad}`);
      expect(reply.content).toContain('a whole number of days from 1 to 3,650, or `off`');
    }
    expect((await w.core.engine.rules(w.guildId)).settings.retentionDays).toBeNull();
    expect(w.core.db.prepare('SELECT COUNT(*) FROM XpSettings WHERE RetentionDays IS NOT NULL').pluck().get()).toBe(0);
  });

  it('given 2 days (slash) then a member gone 2 days is erased in that server by the daily sweep, one who came back is kept', async () => {
    const dan = member('dan', [w.guildId, g2]);
    const eve = member('eve', [w.guildId]);
    const set = await w.slash(w.admin, { name: 'server', subcommandGroup: 'data', subcommand: 'retention', options: { days: '2' } });
    expect(set.content).toContain('erased 2 days after they left');
    const settings = await w.prefix(w.admin, '!unicornia settings');
    expect(JSON.stringify(settings.embeds)).toContain('erased 2 days after leaving');

    w.core.engine.adjustXp(w.guildId, dan, { set: 300 });
    w.core.engine.adjustXp(g2, dan, { set: 45 });
    w.core.engine.adjustXp(w.guildId, eve, { set: 120 });
    await w.core.flusher.flush();
    await w.prefix(w.admin, `!unicornia exclusions adduser <@${dan}>`);
    await w.prefix(w.admin, `!unicornia xp add <@${dan}> 5`);
    await w.core.flusher.flush();

    const leftAt = w.clock.wallNow();
    await w.leave(dan);
    await w.leave(eve);
    expect(rowsAbout(dan).xp).toEqual([
      { g: w.guildId, Xp: 305, HasLeft: 1, LeftAt: leftAt },
      { g: g2, Xp: 45, HasLeft: 0, LeftAt: null },
    ]);

    await passDays(1);
    await rejoin(eve); // a day later: she keeps everything
    expect(rowsAbout(eve).xp).toEqual([{ g: w.guildId, Xp: 120, HasLeft: 0, LeftAt: null }]);
    expect(rowsAbout(dan).xp).toHaveLength(2); // 1 day is not 2

    await passDays(1);
    expect(rowsAbout(dan)).toEqual({ xp: [{ g: g2, Xp: 45, HasLeft: 0, LeftAt: null }], excluded: [], adminLog: [], total: 45 });
    expect(w.core.db.prepare('SELECT CAST(UserId AS TEXT) u, CAST(GuildId AS TEXT) g FROM PrivacyErasure').all()).toEqual([{ u: dan, g: w.guildId }]);
    // The server's audit keeps the change, without the member's id.
    expect(w.core.db.prepare('SELECT CAST(UserId AS TEXT) u, Amount FROM XpAdminAction WHERE GuildId = ?').all(BigInt(w.guildId))).toEqual([{ u: '0', Amount: 5 }]);
    expect(rowsAbout(eve).xp).toEqual([{ g: w.guildId, Xp: 120, HasLeft: 0, LeftAt: null }]);

    // Back after the erasure: they start from zero.
    await rejoin(dan);
    const check = await w.prefix(dan, '!level check');
    expect(JSON.stringify([check.content, check.embeds])).not.toContain('305');
    expect(w.core.engine.xpOf(w.guildId, dan)).toBe(0);
    await w.core.flusher.flush();
    expect(rowsAbout(dan).xp).toEqual([{ g: g2, Xp: 45, HasLeft: 0, LeftAt: null }]);
  });

  it('given off (prefix) then members who left are kept however long ago they left', async () => {
    const fay = member('fay', [w.guildId]);
    w.core.engine.adjustXp(w.guildId, fay, { set: 60 });
    await w.core.flusher.flush();
    const off = await w.prefix(w.admin, '!server data retention off');
    expect(off.content).toContain('is kept (the default)');
    expect((await w.core.engine.rules(w.guildId)).settings.retentionDays).toBeNull();
    await w.leave(fay);
    await passDays(3);
    expect(rowsAbout(fay).xp).toEqual([{ g: w.guildId, Xp: 60, HasLeft: 1, LeftAt: expect.any(Number) }]);
  });
});
