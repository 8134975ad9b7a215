/**
 * Faults a black-box review found, end to end against the simulator: settings that could never work, commands on
 * global data refused in DMs, dev-server commands left behind, and two bot instances on one database.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { botWorld, type BotWorld } from '../helpers/bot.js';
import { createCore } from '../../src/core.js';
import { UnicorniaBot } from '../../src/discord/bot.js';
import { ManualClock, ManualScheduler } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { openDatabase } from '../../src/storage/database.js';
import { ShardClaimStore } from '../../src/storage/shard-claims.js';

let w: BotWorld | undefined;
const extra: UnicorniaBot[] = [];
afterEach(async () => {
  for (const b of extra.splice(0)) await b.stop().catch(() => {});
  await w?.teardown();
  w = undefined;
});

/** A second bot on the world's simulator and database, with its own clock (a separate process, as far as time goes). */
function secondBot(world: BotWorld, clock = new ManualClock(0, world.clock.wallNow()), options: { devGuildId?: string } = {}) {
  const scheduler = new ManualScheduler(clock);
  const core = createCore({ dbPath: world.dbPath, clock, scheduler, logger: silentLogger, writer: 'inline' });
  const bot = new UnicorniaBot({ token: world.sim.token, apiUrl: world.sim.restUrl, core, clock, scheduler, logger: silentLogger, ...options });
  extra.push(bot);
  return { bot, core, clock, scheduler };
}

describe('settings that can never work are refused', () => {
  it('given @everyone or a managed role as a role reward then it is refused and nothing is saved; deleting still works', async () => {
    w = await botWorld();
    const managed = w.sim.createRole(w.guildId, { name: 'Booster', managed: true, position: 1 }).id;
    const everyone = await w.prefix(w.admin, `!unicornia guild rolereward 5 <@&${w.guildId}>`);
    expect(everyone.content).toContain('cannot be a reward: everyone has @everyone');
    const integration = await w.prefix(w.admin, `!unicornia guild rolereward 5 <@&${managed}>`);
    expect(integration.content).toContain('cannot be a reward: the role is managed by an integration');
    const slash = await w.slash(w.admin, { name: 'rewards', subcommand: 'role', options: { level: 3, role: managed } });
    expect(slash.content).toContain('cannot be a reward');
    expect((await w.core.engine.rules(w.guildId)).roleRewards).toEqual([]);
    // A role above the bot can be fixed by an admin: saved, with the warning.
    const high = w.sim.createRole(w.guildId, { name: 'Staff', position: 50 }).id;
    expect((await w.prefix(w.admin, `!unicornia guild rolereward 5 <@&${high}>`)).content).toContain("But I can't manage that role yet: it is not below my highest role");
    expect((await w.core.engine.rules(w.guildId)).roleRewards).toHaveLength(1);
    expect((await w.prefix(w.admin, `!unicornia guild rolereward 5 <@&${high}> delete`)).content).toContain('Removed the level 5 reward');
    expect((await w.core.engine.rules(w.guildId)).roleRewards).toEqual([]);
  });

  it('given a bot to exclude then it is refused (bots never earn XP)', async () => {
    w = await botWorld();
    const reply = await w.prefix(w.admin, `!unicornia guild excludeuser <@${w.botId}>`);
    expect(reply.content).toContain('is a bot, and bots never earn XP');
    expect((await w.core.engine.rules(w.guildId)).excludedUsers.size).toBe(0);
  });

  it('given "-0" for a whole number then it is stored and shown as 0', async () => {
    w = await botWorld();
    expect((await w.prefix(w.admin, '!unicornia guild xp add @alice -0')).content).toContain('now has 0 XP');
    expect((await w.prefix(w.admin, '!unicornia guild cooldown -0')).content).toContain('at most once every 0 s');
  });
});

describe('commands on global data in DMs', () => {
  it('given balance, wallet history and the shop in a DM then they answer (wallets and backgrounds are global)', async () => {
    w = await botWorld();
    const ask = async (content: string) => {
      const dm = w!.sim.nextDm(w!.alice);
      w!.sim.sendDm({ userId: w!.alice, content });
      return (await dm).content + JSON.stringify((await dm).embeds);
    };
    expect(await ask('!balance')).toContain('You have 0');
    expect(await ask('!wallet history')).toContain('No transactions yet');
    expect(await ask('!xpshop owned')).toContain('default');
    expect(await ask('!level check')).toContain('This command only works in a server.');
    const slash = w.sim.runSlashCommand({ userId: w.alice, name: 'balance' });
    expect((await slash.reply()).content).toContain('You have 0');
    expect(() => w!.sim.runSlashCommand({ userId: w!.alice, name: 'level', subcommand: 'check' })).toThrow(/not available in DMs/);
  });
});

describe('DEV_GUILD_ID', () => {
  it('given the bot ran with a dev server and then without, then the old server commands are removed', async () => {
    w = await botWorld({ devGuildId: undefined });
    await w.bot.stop();
    const dev = secondBot(w, undefined, { devGuildId: w.guildId });
    await dev.bot.start();
    expect(w.sim.commands(w.guildId).length).toBeGreaterThan(0);
    await dev.bot.stop();
    extra.splice(0);
    await w.restart({ alreadyStopped: true });
    expect(w.sim.commands(w.guildId)).toEqual([]);
    expect(w.sim.commands().map((c) => c.name)).toContain('unicornia');
  });
});

describe('the shard claim: two bot instances on one database', () => {
  it('given a running bot then a second one on the same shards refuses to start before logging in, saying why', async () => {
    w = await botWorld();
    const identifies = () => w!.sim.restLog.filter((r) => r.path === '/gateway/bot').length;
    const before = identifies();
    const second = secondBot(w);
    await expect(second.bot.start()).rejects.toThrow(/Another Unicornia process already serves every server \(no sharding\) on this database .* two processes on one bot token would each count every message twice/s);
    expect(identifies()).toBe(before);
    // Both counting would double XP; only the first one counts.
    await w.say(w.alice, 'hello');
    expect(w.core.engine.xpOf(w.guildId, w.alice)).toBe(1);
  });

  it('given the first bot stops cleanly then the second one starts at once', async () => {
    w = await botWorld();
    await w.bot.stop();
    const second = secondBot(w);
    await second.bot.start();
    expect(second.bot.client.isReady()).toBe(true);
    await second.bot.stop();
    extra.splice(0);
    await w.restart({ alreadyStopped: true });
  });

  it('given the holder stops heartbeating (a crash) then its claim expires after the TTL and no sooner', async () => {
    w = await botWorld();
    // The first bot keeps running but its clock never moves again: no heartbeat, as if it had died.
    const later = new ManualClock(0, w.clock.wallNow() + 59_000);
    await expect(secondBot(w, later).bot.start()).rejects.toThrow(/claim expires by itself .* \(in 1 s\)/);
    const expired = new ManualClock(0, w.clock.wallNow() + 60_000);
    const second = secondBot(w, expired);
    await second.bot.start();
    const db = openDatabase(w.dbPath);
    expect(new ShardClaimStore(db).rows().map((r) => r.holder.id)).toEqual([second.bot.claim.holder.id]);
    db.close();
  });

  it('given heartbeats then the claim stays alive past the TTL', async () => {
    w = await botWorld();
    await w.scheduler.advance(10 * 60_000);
    const now = new ManualClock(0, w.clock.wallNow());
    await expect(secondBot(w, now).bot.start()).rejects.toThrow(/already serves/);
  });
});

describe('messages Discord would refuse', () => {
  it('given a template whose placeholders can fill past 2 000 characters then it is refused, whatever its own length', async () => {
    w = await botWorld();
    const reply = await w.prefix(w.admin, `!unicornia guild levelupmessage ${'{user}'.repeat(250)}`);
    expect(reply.content).toContain('As plain text, the level-up text can reach 5,750 characters');
    expect((await w.core.engine.rules(w.guildId)).settings.announceTemplate).toBeNull();
    expect((await w.prefix(w.admin, `!unicornia guild levelupmessage ${'{user} '.repeat(60)}`)).content).toContain('saved');
  });

  it('given a stored template that fills past the limit (an import, an older version) then the announcement is still sent, shortened', async () => {
    w = await botWorld();
    w.sim.updateGuild(w.guildId, { name: 'G'.repeat(100) });
    await w.core.writer.xp.updateSettings(w.guildId, { announceTemplate: `{user} ${'{guild}'.repeat(30)}` });
    w.core.engine.reloadGuild(w.guildId);
    await w.prefix(w.admin, '!unicornia guild xppermessage 100');
    const announced = w.sim.waitFor('message', (m) => m.authorId === w!.botId && m.content.startsWith(`<@${w!.alice}>`), { timeoutMs: 5_000 });
    await w.say(w.alice, 'level me up');
    const m = await announced;
    expect(m.content.length).toBeLessThanOrEqual(2000);
    expect(m.content.endsWith('…')).toBe(true);
  });

  it('given more exclusions, multipliers and rewards than an embed holds then the lists say how many more, and every reply arrives', async () => {
    w = await botWorld();
    for (let i = 0; i < 60; i++) {
      const id = String(900_000_000_000_000_000n + BigInt(i));
      await w.core.writer.xp.setExcluded(w.guildId, 'channel', id, true);
      await w.core.writer.xp.setRoleReward(w.guildId, i + 1, id, false);
      await w.core.writer.xp.setCurrencyReward(w.guildId, i + 1, 1_000_000);
    }
    w.core.engine.reloadGuild(w.guildId);
    const exclusions = (await w.prefix(w.admin, '!unicornia guild exclusions')).embeds[0]!;
    const channels = exclusions.fields!.find((f) => f.name.startsWith('Channels'))!.value;
    expect(channels.length).toBeLessThanOrEqual(1024);
    expect(channels).toMatch(/… and \d+ more$/);
    const rewards = (await w.prefix(w.admin, '!unicornia guild rolerewards')).embeds[0]!;
    expect(rewards.description!.length).toBeLessThanOrEqual(4096);
    expect(rewards.description).toMatch(/… and \d+ more/);
  });
});
