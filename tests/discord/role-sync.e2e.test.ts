/**
 * `rewards sync` through the simulator: only members whose roles differ are edited (one call per role), currency is
 * never paid, and a sync cut short by a restart continues after the last chunk it wrote.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { botWorld, type BotWorld } from '../helpers/bot.js';

let w: BotWorld | undefined;
afterEach(async () => {
  await w?.teardown();
  w = undefined;
});

const roleEdits = (world: BotWorld) => world.sim.restLog.filter((c) => c.route === '/guilds/:guildId/members/:userId/roles/:roleId');

/** Five members at levels 0–3 and rewards Bronze at 1, Silver at 2 (stack), with everyone's roles already right. */
async function world(chunk = 250): Promise<{ w: BotWorld; bronze: string; silver: string; members: string[] }> {
  const world = await botWorld({ roleSync: { chunk } });
  const bronze = world.sim.createRole(world.guildId, { name: 'Bronze', position: 1 }).id;
  const silver = world.sim.createRole(world.guildId, { name: 'Silver', position: 1 }).id;
  await world.prefix(world.admin, `!rewards role 1 <@&${bronze}>`);
  await world.prefix(world.admin, `!rewards role 2 <@&${silver}>`);
  await world.prefix(world.admin, '!rewards currency 1 50');
  const extra = ['carol', 'dave', 'erin'].map((username) => {
    const id = world.sim.createUser({ username }).id;
    world.sim.addMember(world.guildId, id);
    return id;
  });
  const members = [world.alice, world.bob, ...extra];
  const xp = [100, 40, 200, 0, 60]; // levels 2, 1, 3, 0, 1
  for (const [i, id] of members.entries()) if (xp[i]! > 0) await world.prefix(world.admin, `!unicornia xp set <@${id}> ${xp[i]}`);
  await world.core.engine.idle();
  await world.bot.app.roleQueue.idle();
  return { w: world, bronze, silver, members };
}

describe('rewards sync', () => {
  it('given roles changed by hand then a sync edits only the members who differ, one role per call, and pays nothing', async () => {
    const f = await world();
    w = f.w;
    const [alice, bob, carol, dave] = f.members as [string, string, string, string, string];
    w.sim.setMemberRoles(w.guildId, alice, [f.silver]); // lost Bronze
    w.sim.setMemberRoles(w.guildId, dave, [f.silver]); // level 0 with Silver
    await w.prefix(w.admin, `!unicornia xp set <@${carol}> 200`); // nothing changes: carol's roles are right
    const balances = f.members.map((id) => w!.core.reads.balance(id));
    const before = roleEdits(w).length;

    const reply = await w.prefix(w.admin, '!rewards sync');
    expect(reply.content).toContain('Syncing reward roles');
    await w.bot.app.passes.idle();
    await w.bot.app.roleQueue.idle();
    const edits = roleEdits(w).slice(before);
    expect(edits.map((e) => `${e.method} ${e.path.split('/')[4]}`).sort()).toEqual([`DELETE ${dave}`, `PUT ${alice}`].sort());
    expect(w.sim.memberRoles(w.guildId, alice).sort()).toEqual([f.bronze, f.silver].sort());
    expect(w.sim.memberRoles(w.guildId, dave)).toEqual([]);
    expect(w.sim.memberRoles(w.guildId, bob)).toEqual([f.bronze]);
    expect(f.members.map((id) => w!.core.reads.balance(id))).toEqual(balances);
    const done = w.sim.messagesIn(w.general).find((m) => m.id === reply.id)!;
    expect(done.content).toContain('8 members checked, 2 were out of line; 2 role changes queued');

    // Everyone in line now: a second sync makes no call at all.
    const again = roleEdits(w).length;
    const second = await w.prefix(w.admin, '!rolerewards sync');
    await w.bot.app.passes.idle();
    await w.bot.app.roleQueue.idle();
    expect(roleEdits(w).length).toBe(again);
    expect(w.sim.messagesIn(w.general).find((m) => m.id === second.id)!.content).toContain('all 8 members already had the right roles');
  });

  it('given replace mode then a sync takes the lower rungs off', async () => {
    const f = await world();
    w = f.w;
    await w.prefix(w.admin, '!rewards mode replace');
    await w.prefix(w.admin, '!rewards sync');
    await w.bot.app.passes.idle();
    await w.bot.app.roleQueue.idle();
    expect(w.sim.memberRoles(w.guildId, w.alice)).toEqual([f.silver]);
    expect(w.sim.memberRoles(w.guildId, w.bob)).toEqual([f.bronze]);
  });

  it('given one member then only they are synced, and the answer names the roles', async () => {
    const f = await world();
    w = f.w;
    w.sim.setMemberRoles(w.guildId, w.alice, []);
    w.sim.setMemberRoles(w.guildId, w.bob, []);
    const reply = await w.slash(w.admin, { name: 'rewards', subcommand: 'sync', options: { member: w.alice } });
    expect(reply.content).toBe(`✅ <@${w.alice}>: give <@&${f.bronze}>, <@&${f.silver}>.`);
    expect(w.sim.memberRoles(w.guildId, w.alice).sort()).toEqual([f.bronze, f.silver].sort());
    expect(w.sim.memberRoles(w.guildId, w.bob)).toEqual([]);
    const same = await w.prefix(w.admin, `!rewards sync <@${w.alice}>`);
    expect(same.content).toBe(`<@${w.alice}> already has the right reward roles.`);
  });

  it('given a sync cut short by a restart then the next start continues after the last chunk written', async () => {
    const f = await world(2);
    w = f.w;
    for (const id of f.members) w.sim.setMemberRoles(w.guildId, id, []);
    const humans = w.bot.client.guilds.cache.get(w.guildId)!.members.cache.filter((m) => !m.user.bot).map((m) => m.id);
    const sorted = humans.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    // What a process that died after its first chunk leaves behind: the job, its cursor past two members.
    await w.core.writer.jobs.start({ guildId: w.guildId, kind: 'rolesync', total: sorted.length, channelId: w.general, startedBy: w.admin, startedAt: 0, data: null });
    await w.core.writer.jobs.advance(w.guildId, 'rolesync', sorted[1]!, sorted.length, { checked: 2, changed: 0, queued: 0 }, [], 'sync', 0);
    const posted = w.sim.waitFor('message', (m) => m.authorId === w!.botId && m.channelId === w!.general && m.content.startsWith('🔄 Continuing'));
    await w.restart();
    await posted;
    await w.bot.app.passes.idle();
    await w.bot.app.roleQueue.idle();
    const fixed = f.members.filter((id) => w!.sim.memberRoles(w!.guildId, id).length > 0);
    const expected = f.members.filter((id) => sorted.indexOf(id) > 1 && id !== f.members[3]); // dave is level 0
    expect(fixed.sort()).toEqual(expected.sort());
    expect(w.bot.app.passes.reads.get(w.guildId, 'rolesync')).toBeNull();
    expect(w.sim.messagesIn(w.general).at(-1)!.content).toContain(`Reward roles synced: ${sorted.length} members checked`);
  });
});
