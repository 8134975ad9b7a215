import { once } from 'node:events';
import { GatewayIntentBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { DiscordSimulator } from '../../src/simulator/index.js';
import { login, newClient, startSimulator, type World, world } from './support.js';

/** Reads gateway frames from a raw socket, in order, without sleeping. */
function frames(ws: WebSocket): () => Promise<{ op: number; t?: string; d?: unknown }> {
  const queue: { op: number }[] = [];
  const waiting: ((f: { op: number }) => void)[] = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as { op: number };
    const next = waiting.shift();
    if (next) next(frame);
    else queue.push(frame);
  });
  return () => {
    const frame = queue.shift();
    return frame ? Promise.resolve(frame) : new Promise((resolve) => waiting.push(resolve));
  };
}

async function rawGateway(sim: DiscordSimulator): Promise<{ ws: WebSocket; next: ReturnType<typeof frames> }> {
  const ws = new WebSocket(`${sim.gatewayUrl}?v=10&encoding=json`);
  const next = frames(ws);
  await once(ws, 'open');
  return { ws, next };
}

describe('given a discord.js client logging in to the simulator', () => {
  let w: World | undefined;
  let sim: DiscordSimulator | undefined;
  afterEach(async () => {
    await w?.teardown();
    await sim?.stop();
    w = undefined;
    sim = undefined;
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
    expect(guild?.memberCount).toBe(4);
    expect(w.client.user?.id).toBe(w.sim.botUser.id);
    expect(w.client.application?.id).toBe(w.sim.applicationId);
    expect(BigInt(w.guildId) > 2n ** 53n).toBe(true);
    expect(w.sim.warnings).toEqual([]);
  });

  it('then the application owner can be fetched (for bot-owner checks)', async () => {
    w = await world();
    const app = await w.client.application!.fetch();
    expect(app.owner?.id).toBe(w.sim.owner.id);
  });

  it('with a wrong token, then login rejects (REST answers 401 before the gateway is tried)', async () => {
    sim = await startSimulator();
    const client = newClient(sim);
    await expect(client.login('wrong-token')).rejects.toThrow(/invalid token/i);
    await client.destroy();
  });

  it('with a privileged intent the application has not enabled, then the gateway closes 4014 and login rejects', async () => {
    sim = await startSimulator({ privilegedIntents: { messageContent: false } });
    sim.createGuild({ name: 'g' });
    const closed = sim.waitFor('gatewayClose');
    const client = newClient(sim);
    await expect(client.login(sim.token)).rejects.toThrow(/disallowed intents/i);
    expect((await closed).code).toBe(4014);
    await client.destroy();
  });

  it('without the privileged intent it lacks, then the same client logs in', async () => {
    sim = await startSimulator({ privilegedIntents: { messageContent: false } });
    const client = newClient(sim, {
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.GuildMembers],
    });
    await login(client, sim.token);
    expect(client.isReady()).toBe(true);
    await client.destroy();
  });

  it('when told to reconnect, then the client RESUMEs and receives what was sent meanwhile', async () => {
    w = await world();
    const resumed = w.sim.waitFor('resume');
    w.sim.requestReconnect();
    // Sent while the client is reconnecting: kept by the session and replayed on RESUME.
    w.sim.sendMessage({ channelId: w.textId, authorId: w.alice, content: 'while you were away' });
    const received = once(w.client, 'messageCreate');
    await resumed;
    const [message] = (await received) as [{ content: string }];
    expect(message.content).toBe('while you were away');
  });
});

describe('given a raw gateway connection', () => {
  let sim: DiscordSimulator;
  afterEach(async () => sim.stop());

  it('then HELLO comes first and every heartbeat is acknowledged', async () => {
    sim = await startSimulator({ heartbeatIntervalMs: 1234 });
    const { ws, next } = await rawGateway(sim);
    expect(await next()).toEqual({ op: 10, d: { heartbeat_interval: 1234 } });
    ws.send(JSON.stringify({ op: 1, d: null }));
    expect((await next()).op).toBe(11);
    ws.send(JSON.stringify({ op: 1, d: null }));
    expect((await next()).op).toBe(11);
    ws.close();
  });

  it('when IDENTIFY carries a bad token, then the connection closes with 4004', async () => {
    sim = await startSimulator();
    const { ws, next } = await rawGateway(sim);
    await next();
    ws.send(JSON.stringify({ op: 2, d: { token: 'nope', intents: 1, properties: {} } }));
    const [code] = (await once(ws, 'close')) as [number];
    expect(code).toBe(4004);
  });

  it('when IDENTIFY succeeds, then READY carries the fields discord.js needs, then one GUILD_CREATE per guild', async () => {
    sim = await startSimulator();
    const guild = sim.createGuild({ name: 'g' });
    const { ws, next } = await rawGateway(sim);
    await next();
    ws.send(JSON.stringify({ op: 2, d: { token: sim.token, intents: GatewayIntentBits.Guilds, properties: {} } }));
    const ready = (await next()) as { t: string; d: Record<string, unknown> };
    expect(ready.t).toBe('READY');
    expect(ready.d).toMatchObject({
      v: 10,
      user: { id: sim.botUser.id, bot: true },
      guilds: [{ id: guild.id, unavailable: true }],
      resume_gateway_url: sim.gatewayUrl,
      application: { id: sim.applicationId },
    });
    expect(typeof ready.d.session_id).toBe('string');
    const create = (await next()) as { t: string; d: { id: string; roles: { id: string }[] } };
    expect(create.t).toBe('GUILD_CREATE');
    expect(create.d.roles[0]?.id).toBe(guild.id);
    ws.close();
  });

  it('when a frame is not a JSON object, then the connection closes with 4002', async () => {
    sim = await startSimulator();
    const { ws, next } = await rawGateway(sim);
    await next();
    ws.send('null');
    const [code] = (await once(ws, 'close')) as [number];
    expect(code).toBe(4002);
  });

  it('when a payload comes before IDENTIFY, then the connection closes with 4003', async () => {
    sim = await startSimulator();
    const { ws, next } = await rawGateway(sim);
    await next();
    ws.send(JSON.stringify({ op: 8, d: { guild_id: '1' } }));
    const [code] = (await once(ws, 'close')) as [number];
    expect(code).toBe(4003);
  });
});
