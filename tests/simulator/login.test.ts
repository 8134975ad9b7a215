import { afterEach, describe, expect, it } from 'vitest';
import { type World, world } from './support.js';

describe('given a discord.js client logging in to the simulator', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.teardown();
    w = undefined;
  });

  it('then it becomes ready quickly with the guild, its channels, roles and members cached', async () => {
    const started = performance.now();
    w = await world();
    expect(performance.now() - started).toBeLessThan(2_000);
    const guild = w.client.guilds.cache.get(w.guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.get(w.textId)?.name).toBe('general');
    expect(guild?.roles.everyone.id).toBe(w.guildId);
    expect(guild?.members.cache.has(w.alice)).toBe(true);
    expect(w.client.user?.id).toBe(w.sim.botUser.id);
    expect(w.client.application?.id).toBe(w.sim.applicationId);
    expect(BigInt(w.guildId) > 2n ** 53n).toBe(true);
    expect(w.sim.warnings).toEqual([]);
  });
});
