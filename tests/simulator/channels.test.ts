/** Threads, forums, stages and the AFK channel behave as on Discord (see the simulator README). */
import { once } from 'node:events';
import { ChannelType, DiscordAPIError, type ForumChannel, type VoiceState } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type World, world } from './support.js';

describe('given a logged-in client', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.teardown();
    w = undefined;
  });

  it('when threads are created, then only in the parents Discord allows, and a forum post is a thread of the forum', async () => {
    w = await world();
    const sim = w.sim;
    const forum = sim.createChannel(w.guildId, { name: 'ideas', type: ChannelType.GuildForum });
    const category = sim.createChannel(w.guildId, { name: 'Chat', type: ChannelType.GuildCategory });
    expect(() => sim.createChannel(w!.guildId, { name: 'x', type: ChannelType.PublicThread, parentId: category.id })).toThrow(/cannot be created in a channel of type 4/);
    expect(() => sim.createChannel(w!.guildId, { name: 'x', type: ChannelType.PrivateThread, parentId: forum.id })).toThrow(/type 15/);
    expect(() => sim.createChannel(w!.guildId, { name: 'x', type: ChannelType.AnnouncementThread, parentId: w!.textId })).toThrow(/type 0/);
    const created = once(w.client, 'threadCreate');
    const post = sim.createChannel(w.guildId, { name: 'a post', type: ChannelType.PublicThread, parentId: forum.id });
    await created;
    const thread = w.client.channels.cache.get(post.id);
    expect(thread?.isThread() && thread.parent?.type).toBe(ChannelType.GuildForum);
  });

  it('when a message goes to a forum or a category, then the driver refuses a member and Discord answers the bot 50008', async () => {
    w = await world();
    const forum = w.sim.createChannel(w.guildId, { name: 'ideas', type: ChannelType.GuildForum });
    const category = w.sim.createChannel(w.guildId, { name: 'Chat', type: ChannelType.GuildCategory });
    for (const id of [forum.id, category.id]) {
      expect(() => w!.sim.sendMessage({ channelId: id, authorId: w!.alice, content: 'hi' })).toThrow(/holds no messages/);
    }
    const error = await w.client.rest.post(`/channels/${forum.id}/messages`, { body: { content: 'hi' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(50008);
    expect(w.sim.messagesIn(forum.id)).toEqual([]);
    expect((w.client.channels.cache.get(forum.id) as ForumChannel).type).toBe(ChannelType.GuildForum);
  });

  it('when members enter a stage, then they are its audience (suppressed) until invited to speak; a voice channel clears it', async () => {
    w = await world();
    const stage = w.sim.createChannel(w.guildId, { name: 'Town hall', type: ChannelType.GuildStageVoice });
    const next = () => once(w!.client, 'voiceStateUpdate').then(([, s]) => s as VoiceState);
    let seen = next();
    w.sim.setVoiceState(w.guildId, w.alice, { channelId: stage.id, selfMute: true });
    expect((await seen).suppress).toBe(true);
    seen = next();
    w.sim.setVoiceState(w.guildId, w.alice, { channelId: stage.id, suppress: false });
    const speaking = await seen;
    expect([speaking.suppress, speaking.selfMute]).toEqual([false, true]);
    seen = next();
    w.sim.setVoiceState(w.guildId, w.alice, { channelId: stage.id, selfDeaf: true });
    expect((await seen).suppress).toBe(false); // staying on the stage keeps the invitation
    seen = next();
    w.sim.setVoiceState(w.guildId, w.alice, { channelId: w.voiceId });
    const moved = await seen;
    expect([moved.suppress, moved.selfMute, moved.selfDeaf]).toEqual([false, true, true]);
  });

  it('when a member enters the AFK channel, then they are suppressed there', async () => {
    w = await world();
    const afk = w.sim.createChannel(w.guildId, { name: 'AFK', type: ChannelType.GuildVoice });
    w.sim.updateGuild(w.guildId, { afkChannelId: afk.id });
    const seen = once(w.client, 'voiceStateUpdate').then(([, s]) => s as VoiceState);
    w.sim.setVoiceState(w.guildId, w.bob, { channelId: afk.id });
    expect((await seen).suppress).toBe(true);
  });
});
