import { once } from 'node:events';
import { AttachmentBuilder, ChannelType, GatewayIntentBits, type Message } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { PNG, type World, world } from './support.js';

const nextMessage = async (w: World): Promise<Message> => ((await once(w.client, 'messageCreate')) as [Message])[0];

describe('given a logged-in client', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.teardown();
    w = undefined;
  });

  it('when a member posts, then messageCreate has the content, author, member and a snowflake id', async () => {
    w = await world();
    const received = nextMessage(w);
    const sent = w.sim.sendMessage({ channelId: w.textId, authorId: w.alice, content: 'hello unicorns' });
    const message = await received;
    expect(message.id).toBe(sent.id);
    expect(message.content).toBe('hello unicorns');
    expect(message.author.id).toBe(w.alice);
    expect(message.member?.id).toBe(w.alice);
    expect(message.guildId).toBe(w.guildId);
  });

  it('without the MESSAGE_CONTENT intent, then content is blank unless the bot is mentioned', async () => {
    w = await world({}, { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages] });
    const plain = nextMessage(w);
    w.sim.sendMessage({ channelId: w.textId, authorId: w.alice, content: '!level check' });
    expect((await plain).content).toBe('');
    const mention = nextMessage(w);
    w.sim.sendMessage({ channelId: w.textId, authorId: w.alice, content: `<@${w.sim.botUser.id}> hi` });
    const mentioned = await mention;
    expect(mentioned.content).toBe(`<@${w.sim.botUser.id}> hi`);
    expect(mentioned.mentions.users.has(w.sim.botUser.id)).toBe(true);
    expect(w.sim.messagesIn(w.textId).map((m) => m.content)).toEqual(['!level check', `<@${w.sim.botUser.id}> hi`]);
  });

  it('without the GUILD_MESSAGES intent, then guild messages are not dispatched at all', async () => {
    w = await world({}, { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages] });
    let seen = 0;
    w.client.on('messageCreate', () => seen++);
    w.sim.sendMessage({ channelId: w.textId, authorId: w.alice, content: 'in guild' });
    const dm = nextMessage(w);
    w.sim.sendDm({ userId: w.alice, content: 'in dm' });
    expect((await dm).content).toBe('in dm');
    expect(seen).toBe(1);
  });

  it('when a member posts in a thread, then the client sees a thread message under its parent', async () => {
    w = await world();
    const thread = w.sim.createChannel(w.guildId, { name: 'help', type: ChannelType.PublicThread, parentId: w.textId });
    const received = nextMessage(w);
    w.sim.sendMessage({ channelId: thread.id, authorId: w.bob, content: 'in a thread' });
    const message = await received;
    expect(message.channel.isThread()).toBe(true);
    expect(message.channel.isThread() && message.channel.parentId).toBe(w.textId);
  });

  it('when the bot sends a PNG attachment, then the simulator keeps the bytes and serves them', async () => {
    w = await world();
    const channel = w.client.channels.cache.get(w.textId);
    if (!channel?.isSendable()) throw new Error('expected a text channel');
    const next = w.sim.nextMessage(w.textId, { authorId: w.sim.botUser.id });
    const sent = await channel.send({
      content: 'your card',
      files: [new AttachmentBuilder(PNG, { name: 'card.png' })],
    });
    const stored = await next;
    expect(stored.id).toBe(sent.id);
    expect(stored.attachments[0]?.data.equals(PNG)).toBe(true);
    expect(stored.attachments[0]?.contentType).toBe('image/png');
    expect(sent.attachments.first()?.width).toBe(2);
    expect(sent.attachments.first()?.height).toBe(3);
    const served = await fetch(sent.attachments.first()!.url);
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
    expect(w.sim.restLog.at(-1)).toMatchObject({ method: 'POST', route: '/channels/:channelId/messages', status: 200 });
  });

  it('when the bot replies, edits and deletes, then the simulator reflects each step', async () => {
    w = await world();
    const received = nextMessage(w);
    w.sim.sendMessage({ channelId: w.textId, authorId: w.alice, content: 'ping' });
    const ping = await received;
    const reply = await ping.reply('pong');
    expect(w.sim.message(reply.id)?.reference?.messageId).toBe(ping.id);
    await reply.edit('pong!');
    expect(w.sim.message(reply.id)?.content).toBe('pong!');
    expect(w.sim.message(reply.id)?.editedTimestamp).not.toBeNull();
    await reply.delete();
    expect(w.sim.message(reply.id)).toBeUndefined();
    if (!ping.channel.isSendable()) throw new Error('expected a text channel');
    await ping.channel.sendTyping();
    expect(w.sim.warnings).toEqual([]);
  });

  it('when the bot sends mentions, then only what allowed_mentions lets through pings, with Discord\'s defaults without it', async () => {
    w = await world();
    const role = w.sim.createRole(w.guildId, { name: 'Crew' }).id;
    const channel = await w.client.channels.fetch(w.textId);
    if (!channel?.isSendable()) throw new Error('expected a text channel');
    const content = `@everyone <@${w.alice}> <@&${role}> @here`;
    const pinged = async (p: Promise<{ id: string }>) => {
      const m = w!.sim.message((await p).id)!;
      return { everyone: m.mentionEveryone, users: m.mentionIds, roles: m.mentionRoleIds };
    };
    // Without allowed_mentions a channel message parses everything (Discord's default for messages).
    expect(await pinged(channel.send({ content }))).toEqual({ everyone: true, users: [w.alice], roles: [role] });
    expect(await pinged(channel.send({ content, allowedMentions: { parse: [] } }))).toEqual({ everyone: false, users: [], roles: [] });
    expect(await pinged(channel.send({ content, allowedMentions: { users: [w.alice] } }))).toEqual({ everyone: false, users: [w.alice], roles: [] });
    expect(await pinged(channel.send({ content, allowedMentions: { parse: ['roles'] } }))).toEqual({ everyone: false, users: [], roles: [role] });
    await expect(channel.send({ content, allowedMentions: { parse: ['users'], users: [w.alice] } })).rejects.toMatchObject({ code: 50035 });
    // A reply pings its author unless allowed_mentions says otherwise (`replied_user` is false once it is given).
    const received = nextMessage(w);
    w.sim.sendMessage({ channelId: w.textId, authorId: w.bob, content: 'ping' });
    const ping = await received;
    expect(await pinged(ping.reply('pong'))).toEqual({ everyone: false, users: [w.bob], roles: [] });
    expect(await pinged(ping.reply({ content: 'pong', allowedMentions: { parse: [] } }))).toEqual({ everyone: false, users: [], roles: [] });
    // An edit with new allowed_mentions is judged by them.
    const edited = await channel.send({ content: 'soon', allowedMentions: { parse: [] } });
    await edited.edit({ content, allowedMentions: { parse: ['everyone'] } });
    expect(w.sim.message(edited.id)).toMatchObject({ mentionEveryone: true, mentionIds: [], mentionRoleIds: [] });
  });

  it('when the bot DMs a user, then the DM is stored; a user with closed DMs gives 50007', async () => {
    w = await world();
    const alice = await w.client.users.fetch(w.alice);
    const dm = w.sim.nextDm(w.alice);
    await alice.send('you reached level 5');
    expect((await dm).content).toBe('you reached level 5');
    expect(w.sim.dmsWith(w.alice).map((m) => m.content)).toEqual(['you reached level 5']);

    const closed = w.sim.createUser({ username: 'hermit', acceptsDms: false });
    const hermit = await w.client.users.fetch(closed.id);
    await expect(hermit.send('hi')).rejects.toMatchObject({ code: 50007 });
  });

  it('when the bot calls a route the simulator does not know, then it gets 404 and the route is reported', async () => {
    w = await world();
    await expect(w.client.rest.get('/guilds/1/audit-logs')).rejects.toMatchObject({ status: 404 });
    expect(w.sim.warnings.join('\n')).toMatch(/no simulated route for GET \/api\/v10\/guilds\/1\/audit-logs/);
  });

  it('when a request has no bot token, then it is refused with 401', async () => {
    w = await world();
    const res = await fetch(`${w.sim.restUrl}/v10/users/@me`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: 0, message: '401: Unauthorized' });
  });

  it('when 5 000 messages are pushed, then the client receives them all, in order, quickly', async () => {
    w = await world();
    const total = 5_000;
    let count = 0;
    let ordered = true;
    let last = 0;
    const done = new Promise<void>((resolve) => {
      w!.client.on('messageCreate', (m) => {
        const n = Number(m.content);
        if (n !== last + 1) ordered = false;
        last = n;
        if (++count === total) resolve();
      });
    });
    const started = performance.now();
    for (let i = 1; i <= total; i++) {
      w.sim.sendMessage({ channelId: w.textId, authorId: i % 2 ? w.alice : w.bob, content: String(i) });
      if (i % 1000 === 0) await w.sim.drain();
    }
    await done;
    expect(ordered).toBe(true);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
