import { once } from 'node:events';
import {
  ChannelType,
  GatewayIntentBits,
  PermissionFlagsBits,
  type Guild,
  type GuildMember,
  type VoiceState,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { login, newClient, startSimulator, type World, world } from './support.js';

describe('given a guild where the bot may or may not manage roles', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.teardown();
    w = undefined;
  });

  it('when the bot has Manage Roles above the role, then adding and removing it succeeds and is dispatched', async () => {
    w = await world();
    w.sim.giveBotRole(w.guildId, { permissions: PermissionFlagsBits.ManageRoles });
    const reward = w.sim.createRole(w.guildId, { name: 'Level 5' });
    const member = await w.client.guilds.cache.get(w.guildId)!.members.fetch(w.alice);
    const updated = new Promise<GuildMember>((resolve) =>
      w!.client.on('guildMemberUpdate', (_, after) => after.id === w!.alice && resolve(after)),
    );
    await member.roles.add(reward.id);
    expect(w.sim.memberRoles(w.guildId, w.alice)).toEqual([reward.id]);
    expect((await updated).roles.cache.has(reward.id)).toBe(true);
    await member.roles.remove(reward.id);
    expect(w.sim.memberRoles(w.guildId, w.alice)).toEqual([]);
  });

  it('when the bot lacks Manage Roles, then the role change fails with 50013 and nothing changes', async () => {
    w = await world();
    w.sim.giveBotRole(w.guildId, { permissions: PermissionFlagsBits.SendMessages });
    const reward = w.sim.createRole(w.guildId, { name: 'Level 5' });
    const member = await w.client.guilds.cache.get(w.guildId)!.members.fetch(w.alice);
    await expect(member.roles.add(reward.id)).rejects.toMatchObject({ code: 50013, message: 'Missing Permissions' });
    expect(w.sim.memberRoles(w.guildId, w.alice)).toEqual([]);
    expect(w.sim.restLog.at(-1)?.error).toMatch(/Manage Roles/);
  });

  it('when the role is above the bot’s highest role, or managed, then the change fails with 50013', async () => {
    w = await world();
    w.sim.giveBotRole(w.guildId, { permissions: PermissionFlagsBits.ManageRoles, position: 1 });
    const above = w.sim.createRole(w.guildId, { name: 'Moderator', position: 2 });
    const managed = w.sim.createRole(w.guildId, { name: 'Other bot', managed: true });
    const member = await w.client.guilds.cache.get(w.guildId)!.members.fetch(w.alice);
    await expect(member.roles.add(above.id)).rejects.toMatchObject({ code: 50013 });
    await expect(member.roles.add(managed.id)).rejects.toMatchObject({ code: 50013 });
    await expect(member.roles.set([above.id])).rejects.toMatchObject({ code: 50013 });
    expect(w.sim.memberRoles(w.guildId, w.alice)).toEqual([]);
  });

  it('when the bot edits roles in one PATCH, then all changes apply together', async () => {
    w = await world();
    w.sim.giveBotRole(w.guildId, { permissions: PermissionFlagsBits.Administrator });
    const five = w.sim.createRole(w.guildId, { name: 'Level 5' });
    const ten = w.sim.createRole(w.guildId, { name: 'Level 10' });
    w.sim.setMemberRoles(w.guildId, w.alice, [five.id]);
    const member = await w.client.guilds.cache.get(w.guildId)!.members.fetch(w.alice);
    await member.edit({ roles: [ten.id] });
    expect(w.sim.memberRoles(w.guildId, w.alice)).toEqual([ten.id]);
    expect(w.sim.restLog.at(-1)).toMatchObject({ method: 'PATCH', body: { roles: [ten.id] }, status: 200 });
  });

  it('when the bot is added to another guild while connected, then guildCreate fires with it', async () => {
    w = await world();
    const created = once(w.client, 'guildCreate');
    const second = w.sim.createGuild({ name: 'Second' });
    const [guild] = (await created) as [Guild];
    expect(guild.id).toBe(second.id);
    expect(guild.roles.everyone.id).toBe(second.id);
  });

  it('when members join and leave, then guildMemberAdd and guildMemberRemove arrive', async () => {
    w = await world();
    const carol = w.sim.createUser({ username: 'carol' });
    const added = once(w.client, 'guildMemberAdd');
    w.sim.addMember(w.guildId, carol.id);
    expect(((await added) as [GuildMember])[0].id).toBe(carol.id);
    const removed = once(w.client, 'guildMemberRemove');
    w.sim.removeMember(w.guildId, carol.id);
    expect(((await removed) as [GuildMember])[0].id).toBe(carol.id);
    expect(w.client.guilds.cache.get(w.guildId)?.memberCount).toBe(4);
  });

  it('when a member joins, leaves and deafens in voice, then voiceStateUpdate and guild.voiceStates follow', async () => {
    w = await world();
    const guild = w.client.guilds.cache.get(w.guildId)!;
    const joined = once(w.client, 'voiceStateUpdate');
    w.sim.setVoiceState(w.guildId, w.alice, { channelId: w.voiceId });
    const [, joinState] = (await joined) as [VoiceState, VoiceState];
    expect(joinState.channelId).toBe(w.voiceId);
    expect(guild.voiceStates.cache.get(w.alice)?.channelId).toBe(w.voiceId);

    const deafened = once(w.client, 'voiceStateUpdate');
    w.sim.setVoiceState(w.guildId, w.alice, { channelId: w.voiceId, selfDeaf: true });
    const [before, after] = (await deafened) as [VoiceState, VoiceState];
    expect(before.selfDeaf).toBe(false);
    expect(after.selfDeaf).toBe(true);

    const left = once(w.client, 'voiceStateUpdate');
    w.sim.setVoiceState(w.guildId, w.alice, { channelId: null });
    await left;
    expect(guild.voiceStates.cache.get(w.alice)?.channelId ?? null).toBeNull();
  });

  it('when the bot starts with members already in voice, then GUILD_CREATE carries their voice states and AFK channel', async () => {
    const sim = await startSimulator();
    const guild = sim.createGuild({ name: 'g' });
    const voice = sim.createChannel(guild.id, { name: 'Lounge', type: ChannelType.GuildVoice });
    const afk = sim.createChannel(guild.id, { name: 'AFK', type: ChannelType.GuildVoice });
    sim.updateGuild(guild.id, { afkChannelId: afk.id });
    const bob = sim.createUser({ username: 'bob' }).id;
    sim.addMember(guild.id, bob);
    sim.setVoiceState(guild.id, bob, { channelId: voice.id, deaf: true });
    const client = newClient(sim, { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildVoiceStates] });
    try {
      await login(client, sim.token);
      const cached = client.guilds.cache.get(guild.id)!;
      expect(cached.afkChannelId).toBe(afk.id);
      expect(cached.voiceStates.cache.get(bob)?.serverDeaf).toBe(true);
      // Without GUILD_MEMBERS, GUILD_CREATE lists only the bot and members in voice, as Discord does.
      expect([...cached.members.cache.keys()].sort()).toEqual([sim.botUser.id, bob].sort());
    } finally {
      await client.destroy();
      await sim.stop();
    }
  });

  it('when the bot fetches all members, then the gateway answers op 8 with GUILD_MEMBERS_CHUNK', async () => {
    w = await world();
    for (let i = 0; i < 1_500; i++) w.sim.addMember(w.guildId, w.sim.createUser({ username: `user${i}` }).id);
    const members = await w.client.guilds.cache.get(w.guildId)!.members.fetch();
    expect(members.size).toBe(1_504);
  });

  it('when the bot lists members over REST, then it pages by user id', async () => {
    w = await world();
    expect((await w.client.guilds.cache.get(w.guildId)!.members.fetchMe({ force: true })).id).toBe(w.sim.botUser.id);
    const page = await w.client.guilds.cache.get(w.guildId)!.members.list({ limit: 2 });
    expect(page.size).toBe(2);
    const ids = [...page.keys()];
    expect(BigInt(ids[0]!) < BigInt(ids[1]!)).toBe(true);
  });
});
