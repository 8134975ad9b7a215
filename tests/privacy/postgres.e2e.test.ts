/**
 * Privacy on PostgreSQL (DESIGN §13, §7.1): `privacy export|delete`, `level optout` and `server data export|delete`
 * through the real discord.js client against the simulator, the bot's store a real PostgreSQL
 * database, checked through the store's own reads afterwards.
 */
import { once } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { joinedGuild, pgBotWorld, type BotWorld } from '../helpers/bot.js';
import { pgDatabaseUrl } from '../helpers/pg.js';
import type { XpCore } from '../../src/core.js';
import type { SimMessage } from '../../src/simulator/index.js';
import { DAY_MS } from '../../src/engine/calendar.js';

let w: BotWorld<XpCore> | undefined;
afterEach(async () => {
  await w?.teardown();
  w = undefined;
});

function button(m: SimMessage, label: string): string {
  for (const row of m.components as { components: { label?: string; custom_id?: string }[] }[]) {
    for (const c of row.components) if (c.label === label) return c.custom_id!;
  }
  throw new Error(`no button ${label} in ${JSON.stringify(m.components)}`);
}

describe('privacy on PostgreSQL', () => {
  it('given a member in two servers then export, optout, privacy delete and the server data commands work as on SQLite', async () => {
    w = await pgBotWorld(await pgDatabaseUrl());
    const world = w;
    const { guildId: g2, channelId: g2chat } = await joinedGuild(world, 'Second Farm');
    const { alice, bob, admin } = world;
    world.sim.addMember(g2, alice);
    await world.core.engine.adjustXp(world.guildId, alice, { set: 1234 });
    await world.core.engine.adjustXp(g2, alice, { set: 99 });
    await world.core.engine.adjustXp(world.guildId, bob, { set: 50 });
    await world.core.writer.wallet.adjust(alice, 300, 'gift', 'welcome');
    await world.say(alice, 'hello there', g2chat); // buffered: the export still holds it

    // privacy export: every row about alice, ids as exact strings.
    const dm = world.sim.nextDm(alice);
    expect((await world.prefix(alice, '!privacy export')).content).toContain('direct message');
    const data = JSON.parse((await dm).attachments[0]!.data.toString('utf8'));
    expect(data.servers).toEqual([
      { guildId: world.guildId, xp: 1234, level: 13, hasLeft: false },
      { guildId: g2, xp: 100, level: 2, hasLeft: false },
    ].sort((a, b) => (BigInt(a.guildId) < BigInt(b.guildId) ? -1 : 1)));
    expect(data.tables.DiscordUser).toEqual([expect.objectContaining({ UserId: alice, TotalXp: 1334, CurrencyAmount: 300 })]);

    // level optout in the second server: nothing new is stored there, the first still counts.
    expect((await world.prefix(alice, '!level optout', g2chat)).content).toContain('You no longer earn XP in **Second Farm**');
    world.clock.advance(120_000);
    await world.say(alice, 'more chat', g2chat);
    await world.say(alice, 'and here', world.general);
    await world.core.flusher.flush();
    expect((await world.core.stores.xp.storedXp(g2, alice)).xp).toBe(100);
    expect((await world.core.stores.xp.storedXp(world.guildId, alice)).xp).toBe(1235);

    // server data export, then delete (confirmed) of the first server only.
    const adminDm = world.sim.nextDm(admin);
    expect((await world.prefix(admin, '!server data export')).content).toContain('Unicorn Farm');
    const files = new Map((await adminDm).attachments.map((a) => [a.filename, a.data.toString('utf8')]));
    expect(files.get(`unicornia-${world.guildId}.csv`)!.split('\n').filter(Boolean)).toHaveLength(3);
    const question = await world.slash(admin, { name: 'server', subcommandGroup: 'data', subcommand: 'delete' });
    const erased = await world.sim.pressButton({ messageId: question.id, customId: button(question, 'Erase all data of Unicorn Farm'), userId: admin }).reply();
    expect(erased.content).toContain('rows about **Unicorn Farm**');
    await world.core.flusher.flush();
    expect(await world.core.stores.privacy.guildRows(world.guildId)).toEqual({});
    expect(await world.core.engine.xpOf(world.guildId, alice)).toBe(0);
    expect(await world.core.engine.xpOf(g2, alice)).toBe(100);

    // privacy delete (confirmed): alice is gone everywhere but her objection; the ledger keeps its amounts anonymously.
    const ask = await world.prefix(alice, '!privacy delete');
    const done = await world.sim.pressButton({ messageId: ask.id, customId: button(ask, 'Erase everything'), userId: alice }).reply();
    expect(done.content).toContain('rows erased');
    await world.core.flusher.flush();
    expect(Object.keys(await world.core.stores.privacy.memberRows(alice))).toEqual(['XpOptOut']);
    expect(await world.core.engine.xpOf(g2, alice)).toBe(0);
    expect((await world.core.stores.privacy.memberRows('0')).CurrencyTransaction!.map((r) => r.Amount as number).sort((x, y) => x - y)).toEqual([-300, 300]);
    await world.restart();
    expect(await world.core.engine.xpOf(g2, alice)).toBe(0);
    expect(await world.core.stores.wallet.balance(alice)).toBe(0);
  });

  it('given a retention rule then a member gone past it is erased in that server by the sweep, one who came back is kept', async () => {
    w = await pgBotWorld(await pgDatabaseUrl());
    const world = w;
    const { guildId: g2 } = await joinedGuild(world, 'Second Farm');
    const { alice, bob, admin } = world;
    world.sim.addMember(g2, alice);
    await world.core.engine.adjustXp(world.guildId, alice, { set: 400 });
    await world.core.engine.adjustXp(g2, alice, { set: 30 });
    await world.core.engine.adjustXp(world.guildId, bob, { set: 20 });
    await world.core.flusher.flush();
    expect((await world.prefix(admin, '!server data retention 2')).content).toContain('2 days after they left');
    // Leave and join listeners write through the pool, so a read on another connection is no fence: each step
    // waits until its row says so (under load a later write could otherwise land first).
    const leftFlags = async (user: string) =>
      (await world.core.stores.privacy.memberRows(user)).UserXpStats!.filter((r) => r.GuildId === world.guildId).map((r) => Number(r.HasLeft));
    const stored = (user: string, flags: number[]) => vi.waitFor(async () => expect(await leftFlags(user)).toEqual(flags), { timeout: 20_000, interval: 20 });
    await world.leave(alice);
    await world.leave(bob);
    await stored(alice, [1]);
    await stored(bob, [1]);
    const back = once(world.bot.client, 'guildMemberAdd');
    world.sim.addMember(world.guildId, bob);
    await back;
    await stored(bob, [0]);
    world.clock.advance(2 * DAY_MS);
    expect(await world.bot.app.retention.tick()).toEqual({ guilds: 1, erased: 1 });
    expect((await world.core.stores.privacy.memberRows(alice)).UserXpStats!.map((r) => [r.GuildId, r.Xp])).toEqual([[g2, 30]]);
    expect((await world.core.stores.privacy.memberRows(bob)).UserXpStats!.map((r) => [r.GuildId, r.Xp, r.HasLeft, r.LeftAt])).toEqual([[world.guildId, 20, 0, null]]);
    expect(await world.core.engine.xpOf(world.guildId, alice)).toBe(0);
  });
});
