/**
 * XP decay through the simulator (DESIGN §15.4): the policy in both forms, bad input refused changing nothing, the
 * preview before decay is on, and the daily job on an injected clock — XP and a reward role taken, an exempt member
 * untouched, a run cut short by a restart not applied twice, and currency not paid again when a member climbs back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { botWorld, pgBotWorld, type BotWorld } from '../helpers/bot.js';
import { pgDatabaseUrl } from '../helpers/pg.js';
import type { XpCore } from '../../src/core.js';
import { SOURCE_CODE, utcDay } from '../../src/engine/history.js';
import { DEFAULT_SETTINGS } from '../../src/engine/settings.js';

const DAY = 86_400_000;

let w: BotWorld<XpCore> | undefined;
afterEach(async () => {
  await w?.teardown();
  w = undefined;
});

/** Two counted messages of 100 XP each (the cooldown passes between them). */
async function earn200(world: BotWorld<XpCore>, userId: string): Promise<void> {
  await world.say(userId, 'hello there');
  world.clock.advance(61_000);
  await world.say(userId, 'hello again');
  world.clock.advance(61_000);
  // On PostgreSQL a gain may wait for the member's stored XP: a read queues behind it.
  await world.core.engine.xpOf(world.guildId, userId);
}

async function settingsLine(world: BotWorld<XpCore>): Promise<string> {
  const m = await world.prefix(world.admin, '!unicornia settings');
  return m.embeds[0]!.fields!.find((f) => f.name === 'Decay')!.value;
}

describe('XP decay', () => {
  it('given the policy commands in both forms then set, floor, exempt, off and default show in settings; bad input changes nothing', async () => {
    w = await botWorld();
    const staff = w.sim.createRole(w.guildId, { name: 'Staff', position: 1 }).id;
    expect(await settingsLine(w)).toBe('off: −5 % per week after 30 days without earning XP');

    const set = await w.prefix(w.admin, '!unicornia decay set 14 10% day');
    expect(set.content).toContain('Decay is on: −10 % per day after 14 days without earning XP');
    const slash = await w.slash(w.admin, { name: 'unicornia', subcommandGroup: 'decay', subcommand: 'set', options: { after_days: '21', amount: '250', per: 'week' } });
    expect(slash.content).toContain('Decay is now: −250 XP per week after 21 days');
    await w.slash(w.admin, { name: 'unicornia', subcommandGroup: 'decay', subcommand: 'floor', options: { level: '3' } });
    await w.prefix(w.admin, '!unicornia decay exempt add Staff');
    expect(await settingsLine(w)).toBe(`on: −250 XP per week after 21 days without earning XP, never below level 3; exempt: <@&${staff}>`);
    const today = utcDay(w.clock.wallNow());
    expect((await w.core.engine.rules(w.guildId)).settings).toMatchObject({ decayEnabled: true, decaySinceDay: today });

    // Bad input, in both forms: a clear answer naming the range, and nothing changes.
    const before = JSON.stringify((await w.core.engine.rules(w.guildId)).settings);
    const refusals: [string, RegExp][] = [
      ['!unicornia decay set 14 150% day', /percentage from 1% to 100%.*or a number of XP from 1 to 1,000,000/],
      ['!unicornia decay set 14 0 day', /from 1 to 1,000,000/],
      ['!unicornia decay set 14 lots day', /`amount` is a percentage/],
      ['!unicornia decay set 14', /give `amount` and `per` too/],
      ['!unicornia decay set 0 5% day', /`after_days` must be at least 1/],
      ['!unicornia decay set 400 5% day', /`after_days` must be at most 365/],
      ['!unicornia decay set 14 5% month', /`per` must be one of `day`, `week`/],
      ['!unicornia decay floor 100001', /`level` must be at most 100000/],
      ['!unicornia decay exempt maybe Staff', /add.*remove/],
    ];
    for (const [line, answer] of refusals) expect((await w.prefix(w.admin, line)).content, line).toMatch(answer);
    const bad = await w.slash(w.admin, { name: 'unicornia', subcommandGroup: 'decay', subcommand: 'set', options: { after_days: '400', amount: '5%', per: 'day' } });
    expect(bad.content).toMatch(/`after_days` must be at most 365/);
    const badAmount = await w.slash(w.admin, { name: 'unicornia', subcommandGroup: 'decay', subcommand: 'set', options: { after_days: '7', amount: '101%', per: 'day' } });
    expect(badAmount.content).toMatch(/from 1% to 100%/);
    expect(JSON.stringify((await w.core.engine.rules(w.guildId)).settings)).toBe(before);
    expect(await w.core.stores.decay.exemptRoles(w.guildId)).toEqual([staff]);

    expect((await w.prefix(w.admin, '!unicornia decay off')).content).toContain('Decay is off');
    expect(await settingsLine(w)).toMatch(/^off: −250 XP per week/);
    expect((await w.slash(w.admin, { name: 'unicornia', subcommandGroup: 'decay', subcommand: 'off' })).content).toBe('Decay was already off.');
    await w.slash(w.admin, { name: 'unicornia', subcommandGroup: 'decay', subcommand: 'exempt', options: { action: 'remove', role: staff } });
    await w.prefix(w.admin, '!unicornia decay floor default');
    const reset = await w.slash(w.admin, { name: 'unicornia', subcommandGroup: 'decay', subcommand: 'set', options: { after_days: 'default' } });
    expect(reset.content).toContain('Decay is off, and its policy is back to the default');
    expect((await w.core.engine.rules(w.guildId)).settings).toEqual(DEFAULT_SETTINGS);
    expect(await settingsLine(w)).toBe('off: −5 % per week after 30 days without earning XP');
  });

});

describe.each(['sqlite', 'postgres'] as const)('XP decay on %s', (kind) => {
  const open = async () => (kind === 'sqlite' ? botWorld() : pgBotWorld(await pgDatabaseUrl()));

  it('given inactive members then the preview (before decay is on) and the daily job agree: XP and a reward role go, the exempt stay, a restart mid-run applies nothing twice, currency is not paid again', async () => {
    w = await open();
    const expert = w.sim.createRole(w.guildId, { name: 'Expert', position: 1 }).id;
    const staff = w.sim.createRole(w.guildId, { name: 'Staff', position: 1 }).id;
    await w.prefix(w.admin, '!unicornia xp permessage 100');
    await w.prefix(w.admin, `!rewards role 4 <@&${expert}>`);
    await w.prefix(w.admin, '!rewards currency 4 500');
    w.sim.setMemberRoles(w.guildId, w.bob, [staff]);
    await earn200(w, w.alice); // 200 XP: level 4
    await earn200(w, w.bob);
    await w.core.engine.idle();
    await w.bot.app.roleQueue.idle();
    expect(w.sim.memberRoles(w.guildId, w.alice)).toContain(expert);
    const paid = await w.core.stores.xp.balance(w.alice);
    expect(paid).toBe(500);
    await w.prefix(w.admin, '!unicornia decay exempt add Staff');
    await w.prefix(w.admin, '!unicornia decay floor 1'); // 36 XP

    // The preview, before decay is on: after 3 days without XP, half per day. Alice: 200 → 100 → 50 → 36 (the floor),
    // all in the first week; Bob is exempt.
    const preview = await w.prefix(w.admin, '!unicornia decay preview 3 50% day');
    const text = preview.embeds[0]!.description!;
    expect(text).toContain('not on yet');
    expect(text).toContain('Members affected: **1** of 2');
    expect(text).toContain('XP lost per week: 164 · 0 · 0 · 0 (**164** in all)');
    expect(text).toContain('Level drops: 1 member (3 levels in all)');
    expect(text).toContain(`Reward roles removed: <@&${expert}> ×1`);
    expect(text).toContain(`1. <@${w.alice}> 200 → 36 XP (−164) · level 4 → 1 · loses <@&${expert}>`);
    expect((await w.core.engine.xpOf(w.guildId, w.alice))).toBe(200); // a preview changes nothing

    const d0 = utcDay(w.clock.wallNow());
    await w.prefix(w.admin, '!unicornia decay set 3 50% day');
    expect(await w.bot.app.decay.tick()).toEqual([{ guildId: w.guildId, day: d0, decayed: 0, xpLost: 0 }]);

    // Day 4 after her last message: the first decay. The cached total follows, the role goes through the queue.
    w.clock.advance(4 * DAY);
    expect(await w.bot.app.decay.tick()).toEqual([{ guildId: w.guildId, day: d0 + 4, decayed: 1, xpLost: 100 }]);
    expect(await w.bot.app.decay.tick()).toEqual([]); // once a day
    await w.bot.app.roleQueue.idle();
    expect(await w.core.engine.xpOf(w.guildId, w.alice)).toBe(100);
    expect(await w.core.engine.xpOf(w.guildId, w.bob)).toBe(200);
    expect(w.sim.memberRoles(w.guildId, w.alice)).not.toContain(expert);
    expect(w.sim.memberRoles(w.guildId, w.bob).sort()).toEqual([staff, expert].sort());
    expect(await w.core.stores.history.memberHistory(w.guildId, w.alice, d0 + 4, d0 + 4)).toEqual([{ day: d0 + 4, bySource: new Map([[SOURCE_CODE.decay, -100]]) }]);
    expect(await w.core.stores.history.memberTotal(w.guildId, w.alice)).toBe(100);

    // Day 5: a process takes the run and dies after its first chunk (Alice done, the cursor past her).
    w.clock.advance(DAY);
    expect(BigInt(w.alice) < BigInt(w.bob)).toBe(true);
    expect(await w.core.writer.decay.claim(w.guildId, d0 + 5, w.clock.wallNow())).toBe(true);
    const chunk = [{ userId: w.alice, fromXp: 100, toXp: 50, fromLevel: 2, toLevel: 1, roles: { add: [], remove: [] } }];
    expect(await w.core.writer.decay.applyChunk(w.guildId, d0 + 5, '0', w.alice, chunk, w.clock.wallNow())).toEqual([w.alice]);
    await w.restart();
    await w.bot.app.decay.tick(); // the start's check: the run continues after Alice
    expect(await w.core.stores.decay.run(w.guildId)).toMatchObject({ doneDay: d0 + 5, runDay: null });
    expect(await w.core.engine.xpOf(w.guildId, w.alice)).toBe(50);
    await w.restart();
    await w.bot.app.decay.tick();
    expect(await w.core.engine.xpOf(w.guildId, w.alice)).toBe(50);

    // Day 6: down to the floor and no further.
    w.clock.advance(DAY);
    await w.bot.app.decay.tick();
    w.clock.advance(DAY);
    await w.bot.app.decay.tick();
    expect(await w.core.engine.xpOf(w.guildId, w.alice)).toBe(36);
    expect(await w.core.engine.xpOf(w.guildId, w.bob)).toBe(200);

    // Alice comes back: level 4 again, the role comes back, the level's currency is not paid twice.
    await earn200(w, w.alice);
    await w.core.engine.idle();
    await w.bot.app.roleQueue.idle();
    expect(await w.core.engine.xpOf(w.guildId, w.alice)).toBe(236);
    expect(w.sim.memberRoles(w.guildId, w.alice)).toContain(expert);
    expect(await w.core.stores.xp.balance(w.alice)).toBe(paid);
    // She earned today: the next runs leave her alone until three full days have passed.
    await w.core.flusher.flush();
    w.clock.advance(3 * DAY);
    await w.bot.app.decay.tick();
    expect(await w.core.engine.xpOf(w.guildId, w.alice)).toBe(236);
    w.clock.advance(DAY);
    await w.bot.app.decay.tick();
    expect(await w.core.engine.xpOf(w.guildId, w.alice)).toBe(118);
  });

  it('given a wall clock that steps back and forward then no day is decayed twice', async () => {
    w = await open();
    await w.prefix(w.admin, '!unicornia xp permessage 100');
    await earn200(w, w.alice);
    await w.prefix(w.admin, '!unicornia decay set 3 50% day');
    const d0 = utcDay(w.clock.wallNow());
    w.clock.advance(4 * DAY);
    expect(await w.bot.app.decay.tick()).toEqual([{ guildId: w.guildId, day: d0 + 4, decayed: 1, xpLost: 100 }]);
    // Back two days (NTP, a resumed VM): those days' runs are done; nothing is claimed or applied again.
    w.clock.stepWall(-2 * DAY);
    expect(await w.bot.app.decay.tick()).toEqual([]);
    w.clock.stepWall(2 * DAY);
    expect(await w.bot.app.decay.tick()).toEqual([]);
    expect(await w.core.engine.xpOf(w.guildId, w.alice)).toBe(100);
    // Forward two days at once: both missed days are caught up, each once.
    w.clock.stepWall(2 * DAY);
    expect(await w.bot.app.decay.tick()).toEqual([{ guildId: w.guildId, day: d0 + 6, decayed: 1, xpLost: 75 }]);
    expect(await w.core.engine.xpOf(w.guildId, w.alice)).toBe(25);
  });
});
