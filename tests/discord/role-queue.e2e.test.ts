/**
 * The role-change queue (DESIGN §2.7) through the simulator: reward roles land however Discord fails — 5xx and
 * dropped connections, a restart in between, a role above the bot, a missing permission — and a newer decision is
 * never undone by the retry of an older one. Role calls are single-role PUT/DELETE, never a whole-list PATCH.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PermissionFlagsBits, type Role } from 'discord.js';
import { botWorld, type BotWorld } from '../helpers/bot.js';

const ROLE_ROUTE = '/guilds/:guildId/members/:userId/roles/:roleId';

let w: BotWorld | undefined;
afterEach(async () => {
  await w?.teardown();
  w = undefined;
});

/** A world with a level-2 reward role below the bot's role. */
async function rewardWorld(): Promise<{ w: BotWorld; role: string; botRole: string }> {
  w = await botWorld();
  const role = w.sim.createRole(w.guildId, { name: 'Veteran', position: 1 }).id;
  await w.prefix(w.admin, `!unicornia guild rolereward 2 <@&${role}>`);
  const botRole = [...w.sim.guild(w.guildId)!.roles.values()].find((r) => r.botId === w!.botId)!.id;
  return { w, role, botRole };
}

/** Level changes and the queue's attempts have all finished. */
async function settled(world: BotWorld): Promise<void> {
  await world.core.engine.idle();
  await world.bot.app.roleQueue.idle();
}

function roleCalls(world: BotWorld, method: 'PUT' | 'DELETE') {
  return world.sim.restLog.filter((c) => c.method === method && c.route === ROLE_ROUTE);
}

function queue(world: BotWorld) {
  return world.core.stores.roles.summary(world.guildId);
}

/** Resolves when the bot's client has seen a role update that satisfies `check`. */
function clientSees(world: BotWorld, check: (role: Role) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const listener = (_old: Role, role: Role) => {
      if (!check(role)) return;
      world.bot.client.off('roleUpdate', listener);
      resolve();
    };
    world.bot.client.on('roleUpdate', listener);
  });
}

describe('role-change queue', () => {
  it('given member-role edits that fail (5xx, dropped connections) then the role is retried with backoff until it lands', async () => {
    const { w, role } = await rewardWorld();
    w.sim.failRequests({ method: 'PUT', route: ROLE_ROUTE, times: 4, kind: 503 }); // discord.js tries 4 times per call
    w.sim.failRequests({ method: 'PUT', route: ROLE_ROUTE, times: 2, kind: 'disconnect' });
    w.core.engine.adjustXp(w.guildId, w.alice, { set: 100 }); // level 2
    await settled(w);
    expect(w.sim.memberRoles(w.guildId, w.alice)).toEqual([]);
    expect(roleCalls(w, 'PUT').map((c) => c.status)).toEqual([503, 503, 503, 503]);
    expect(queue(w).pending).toBe(1);
    expect((await w.prefix(w.admin, '!unicornia guild rolerewards')).embeds[0]!.description).toContain('🔁 1 role change being applied or retried after a Discord error.');

    await w.scheduler.advance(4_999);
    await settled(w);
    expect(roleCalls(w, 'PUT')).toHaveLength(4); // not before the backoff
    await w.scheduler.advance(1);
    await settled(w);
    await w.scheduler.advance(10_000); // backoff doubles: a dropped connection is one failed call each
    await settled(w);
    expect(w.sim.memberRoles(w.guildId, w.alice)).toEqual([]);
    await w.scheduler.advance(20_000);
    await settled(w);
    expect(w.sim.memberRoles(w.guildId, w.alice)).toEqual([role]);
    expect(roleCalls(w, 'PUT').map((c) => c.status)).toEqual([503, 503, 503, 503, 0, 0, 204]);
    expect(w.sim.restLog.some((c) => c.method === 'PATCH' && c.route === '/guilds/:guildId/members/:userId')).toBe(false);
    expect(queue(w)).toEqual({ pending: 0, waiting: [], dropped: 0, recentlyDropped: [] });
    expect((await w.prefix(w.admin, '!unicornia guild rolerewards')).embeds[0]!.description).not.toContain('Not applied yet');
  });

  it('given member-role edits that go unanswered (timeouts) then discord.js gives up, and the queue retries later', async () => {
    w = await botWorld({ restTimeoutMs: 50 });
    const role = w.sim.createRole(w.guildId, { name: 'Veteran', position: 1 }).id;
    await w.prefix(w.admin, `!unicornia guild rolereward 2 <@&${role}>`);
    w.sim.failRequests({ method: 'PUT', route: ROLE_ROUTE, times: 4, kind: 'timeout' });
    w.core.engine.adjustXp(w.guildId, w.alice, { set: 100 });
    await settled(w);
    expect(w.sim.memberRoles(w.guildId, w.alice)).toEqual([]);
    expect(queue(w).pending).toBe(1);
    await w.scheduler.advance(5_000);
    await settled(w);
    expect(w.sim.memberRoles(w.guildId, w.alice)).toEqual([role]);
    // An unanswered request is logged when the client gives up on it, so the order of the log may vary.
    expect(roleCalls(w, 'PUT').map((c) => c.status).sort()).toEqual([0, 0, 0, 0, 204]);
  });

  it('given a change still pending when the bot restarts then the new process applies it', async () => {
    const { w, role } = await rewardWorld();
    w.sim.failRequests({ method: 'PUT', route: ROLE_ROUTE, times: 1000, kind: 500 });
    w.core.engine.adjustXp(w.guildId, w.alice, { set: 100 });
    await settled(w);
    await w.bot.stop();
    w.sim.clearFaults(); // Discord recovers while the bot is down
    await w.restart({ alreadyStopped: true });
    expect(w.core.reads.userRow(w.guildId, w.alice)?.rewardedLevel).toBe(2);
    await w.scheduler.advance(5_000);
    await settled(w);
    expect(w.sim.memberRoles(w.guildId, w.alice)).toEqual([role]);
    expect(queue(w).pending).toBe(0);
  });

  it('given the role moved above the bot then the change waits without calling Discord, and moving it back lets it through', async () => {
    const { w, role, botRole } = await rewardWorld();
    const top = w.sim.guild(w.guildId)!.roles.size - 1;
    const above = clientSees(w, (r) => r.id === role && r.position === top);
    w.sim.moveRole(w.guildId, role, top);
    await above;
    w.core.engine.adjustXp(w.guildId, w.alice, { set: 100 });
    await settled(w);
    expect(w.sim.memberRoles(w.guildId, w.alice)).toEqual([]);
    expect(roleCalls(w, 'PUT')).toEqual([]); // no 403s to count against the invalid-request limit
    const list = await w.prefix(w.admin, '!unicornia guild rolerewards');
    expect(list.embeds[0]!.description).toContain('⏳ 1 role change waiting: it is not below my highest role');

    const landed = w.sim.waitFor('memberUpdate', (m) => m.userId === w.alice && m.roles.includes(role));
    w.sim.moveRole(w.guildId, role, 1); // an admin drags it back below the bot
    await landed;
    await settled(w);
    expect(w.sim.guild(w.guildId)!.roles.get(botRole)!.position).toBeGreaterThan(w.sim.guild(w.guildId)!.roles.get(role)!.position);
    expect(queue(w).waiting).toEqual([]);
  });

  it('given Manage Roles missing then changes wait, and granting it lets them through', async () => {
    const { w, role, botRole } = await rewardWorld();
    const revoked = clientSees(w, (r) => r.id === botRole && !r.permissions.has(PermissionFlagsBits.ManageRoles));
    w.sim.updateRole(w.guildId, botRole, { permissions: PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel });
    await revoked;
    w.core.engine.adjustXp(w.guildId, w.alice, { set: 100 });
    w.core.engine.adjustXp(w.guildId, w.bob, { set: 100 });
    await settled(w);
    expect(queue(w).waiting).toEqual([{ reason: 'I lack the Manage Roles permission', count: 2 }]);
    const both = w.sim.waitUntil(() => w.sim.memberRoles(w.guildId, w.alice).includes(role) && w.sim.memberRoles(w.guildId, w.bob).includes(role));
    w.sim.updateRole(w.guildId, botRole, { permissions: PermissionFlagsBits.ManageRoles | PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel });
    await both;
    await settled(w);
    expect(queue(w).waiting).toEqual([]);
  });

  it('given a level up then down before the first edit lands then the role ends off and no retry adds it back', async () => {
    const { w, role } = await rewardWorld();
    w.sim.failRequests({ method: 'PUT', route: ROLE_ROUTE, times: 1000, kind: 500 });
    w.core.engine.adjustXp(w.guildId, w.alice, { set: 100 }); // up to level 2: give, which keeps failing
    w.core.engine.adjustXp(w.guildId, w.alice, { set: 0 }); // back to 0 before it lands: take away
    await settled(w);
    expect(roleCalls(w, 'DELETE').map((c) => c.status)).toEqual([204]);
    w.sim.clearFaults();
    await w.scheduler.advance(3_600_000);
    await settled(w);
    expect(w.sim.memberRoles(w.guildId, w.alice)).toEqual([]);
    expect(roleCalls(w, 'PUT').every((c) => c.status === 500)).toBe(true);
    expect(queue(w).pending).toBe(0);
    expect(w.sim.memberRoles(w.guildId, w.alice)).not.toContain(role);
  });

  it('given a deleted role or a member who left then the change is dropped with the reason admins see', async () => {
    const { w, role } = await rewardWorld();
    const gone = w.sim.createRole(w.guildId, { name: 'Gone', position: 1 }).id;
    await w.prefix(w.admin, `!unicornia guild rolereward 1 <@&${gone}>`);
    w.sim.deleteRole(w.guildId, gone);
    await w.leave(w.bob);
    w.core.engine.adjustXp(w.guildId, w.alice, { set: 40 }); // level 1: the deleted role
    w.core.engine.adjustXp(w.guildId, w.bob, { set: 100 }); // gone from the server
    await settled(w);
    const s = queue(w);
    expect(s.dropped).toBe(3);
    expect(s.recentlyDropped.map((d) => [d.userId, d.roleId, d.reason]).sort()).toEqual(
      [
        [w.alice, gone, 'the role no longer exists'],
        [w.bob, gone, 'the role no longer exists'],
        [w.bob, role, 'the member is no longer in the server'],
      ].sort(),
    );
    const list = (await w.prefix(w.admin, '!unicornia guild rolerewards')).embeds[0]!.description!;
    expect(list).toContain('❌ 3 role changes dropped (they cannot succeed):');
    expect(list).toContain(`• <@${w.bob}>: give <@&${role}> — the member is no longer in the server`);
  });
});
