/** Reward modes through the simulator: stack keeps lower reward roles, replace keeps only the highest reached. */
import { afterEach, describe, expect, it } from 'vitest';
import { botWorld, type BotWorld } from '../helpers/bot.js';

let w: BotWorld | undefined;
afterEach(async () => {
  await w?.teardown();
  w = undefined;
});

async function ladder(world: BotWorld): Promise<{ bronze: string; silver: string; gold: string }> {
  const bronze = world.sim.createRole(world.guildId, { name: 'Bronze', position: 1 }).id;
  const silver = world.sim.createRole(world.guildId, { name: 'Silver', position: 1 }).id;
  const gold = world.sim.createRole(world.guildId, { name: 'Gold', position: 1 }).id;
  await world.prefix(world.admin, `!rewards role 1 <@&${bronze}>`);
  await world.prefix(world.admin, `!rewards role 2 <@&${silver}>`);
  await world.prefix(world.admin, `!rewards role 3 <@&${gold}>`);
  return { bronze, silver, gold };
}

const sorted = (ids: string[]) => [...ids].sort();

describe('reward modes', () => {
  it('given stack (the default) then a member keeps every rung; given replace then only the highest', async () => {
    w = await botWorld();
    const { bronze, silver, gold } = await ladder(w);
    await w.prefix(w.admin, `!unicornia xp set <@${w.alice}> 100`); // level 2
    await w.core.engine.idle();
    expect(sorted(w.sim.memberRoles(w.guildId, w.alice))).toEqual(sorted([bronze, silver]));

    const set = await w.prefix(w.admin, '!rewards mode replace');
    expect(set.content).toContain('Reward roles now replace');
    await w.prefix(w.admin, `!unicornia xp set <@${w.bob}> 100`);
    await w.core.engine.idle();
    expect(w.sim.memberRoles(w.guildId, w.bob)).toEqual([silver]);

    // Up a rung: the one below goes in the same change; down again: it comes back.
    await w.prefix(w.admin, `!unicornia xp set <@${w.bob}> 200`); // level 3
    await w.core.engine.idle();
    expect(w.sim.memberRoles(w.guildId, w.bob)).toEqual([gold]);
    await w.prefix(w.admin, `!unicornia xp set <@${w.bob}> 40`); // level 1
    await w.core.engine.idle();
    expect(w.sim.memberRoles(w.guildId, w.bob)).toEqual([bronze]);

    const settings = await w.prefix(w.admin, '!unicornia settings');
    expect(settings.embeds[0]!.fields!.find((f) => f.name === 'Reward roles')!.value).toBe('replace (only the highest)');
    await w.prefix(w.admin, '!rewards mode default');
    expect((await w.core.engine.rules(w.guildId)).settings.rewardMode).toBe('stack');
  });

  it("given a reward with its own mode then it wins over the server's, and re-saving the reward keeps it", async () => {
    w = await botWorld();
    const { bronze, silver, gold } = await ladder(w);
    await w.prefix(w.admin, '!rewards mode replace');
    const own = await w.prefix(w.admin, `!rewards role 1 <@&${bronze}> give stack`);
    expect(own.content).toContain('(stack)');
    await w.prefix(w.admin, `!rewards role 1 <@&${bronze}>`); // no mode given: the reward keeps its own
    const list = await w.prefix(w.admin, '!rewards roles');
    expect(list.embeds[0]!.description).toContain(`Level 1: give <@&${bronze}> (stack)`);
    expect(list.embeds[0]!.title).toBe('Role rewards (replace mode)');
    expect(list.embeds[0]!.description).toMatch(new RegExp(`Level 2: give <@&${silver}>$`, 'm'));
    await w.prefix(w.admin, `!unicornia xp set <@${w.alice}> 200`); // level 3
    await w.core.engine.idle();
    expect(sorted(w.sim.memberRoles(w.guildId, w.alice))).toEqual(sorted([bronze, gold]));
  });

  it('given a mode that does not exist then the answer lists the choices and nothing changes', async () => {
    w = await botWorld();
    const reply = await w.prefix(w.admin, '!rewards mode sometimes');
    expect(reply.content).toMatch(/stack.*replace.*default/);
    expect((await w.core.engine.rules(w.guildId)).settings.rewardMode).toBe('stack');
  });
});
