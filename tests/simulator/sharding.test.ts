/** Sharding as Discord does it: 4011 past 2 500 guilds per session, the shard recommendation, guild routing. */
import { afterEach, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import type { Client } from 'discord.js';
import WebSocket from 'ws';
import { shardOf, type DiscordSimulator } from '../../src/simulator/index.js';
import { login, newClient, startSimulator } from './support.js';

let sim: DiscordSimulator | undefined;
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.destroy();
  await sim?.stop();
  sim = undefined;
});

async function gatewayBot(s: DiscordSimulator): Promise<{ shards: number; session_start_limit: Record<string, number> }> {
  const response = await fetch(`${s.restUrl}/v10/gateway/bot`, { headers: { authorization: `Bot ${s.token}` } });
  return (await response.json()) as { shards: number; session_start_limit: Record<string, number> };
}

describe('given a bot in more guilds than one session may handle', () => {
  it('then an unsharded login is closed with 4011, and GET /gateway/bot recommends enough shards', async () => {
    sim = await startSimulator({ shardLimits: { maxGuildsPerShard: 5, recommendedGuildsPerShard: 2 } });
    for (let i = 0; i < 6; i++) sim.createGuild({ name: `g${i}` });
    const info = await gatewayBot(sim);
    expect(info.shards).toBe(3);
    const closed = sim.waitFor('gatewayClose');
    const client = newClient(sim);
    clients.push(client);
    const disconnected = new Promise<number>((resolve) => client.on('shardDisconnect', (event) => resolve(event.code)));
    void client.login(sim.token).catch(() => {});
    expect((await closed).code).toBe(4011);
    expect(await disconnected).toBe(4011);
  });

  it('then the recommended shard count logs in, each guild arriving on the shard (guild_id >> 22) % count', async () => {
    sim = await startSimulator({ shardLimits: { maxGuildsPerShard: 2, recommendedGuildsPerShard: 2 } });
    const guilds = [0, 1, 2, 0, 1, 2].map((shard, i) => sim!.createGuild({ name: `g${i}`, onShard: [shard, 3] }).id);
    expect(guilds.map((id) => shardOf(id, 3))).toEqual([0, 1, 2, 0, 1, 2]);
    expect((await gatewayBot(sim)).shards).toBe(3);
    const seen = new Map<string, number>();
    for (const shard of [0, 1, 2]) {
      const client = newClient(sim, { shards: [shard], shardCount: 3 });
      clients.push(client);
      await login(client, sim.token);
      for (const id of client.guilds.cache.keys()) seen.set(id, shard);
    }
    expect([...seen.entries()].sort()).toEqual(guilds.map((id, i) => [id, i % 3]).sort());
  });
});

describe('given a small bot', () => {
  it('then GET /gateway/bot recommends one shard and counts identifies down from 1 000 like Discord', async () => {
    sim = await startSimulator();
    sim.createGuild({ name: 'g' });
    const before = await gatewayBot(sim);
    expect(before).toMatchObject({ shards: 1, session_start_limit: { total: 1000, remaining: 1000, max_concurrency: 1 } });
    expect(before.session_start_limit.reset_after).toBeGreaterThan(86_000_000);
    const client = newClient(sim);
    clients.push(client);
    await login(client, sim.token);
    expect((await gatewayBot(sim)).session_start_limit.remaining).toBe(999);
  });

  it('when one shard identifies afresh while another is away, then the one away can still RESUME and gets what it missed', async () => {
    sim = await startSimulator();
    const g0 = sim.createGuild({ name: 'g0', onShard: [0, 2] });
    const text = sim.createChannel(g0.id, { name: 'general' }).id;
    const alice = sim.createUser({ username: 'alice' }).id;
    sim.addMember(g0.id, alice);
    // Shard 0 on a raw socket: identify, then drop the connection without a clean close (its session stays).
    const first = await rawSocket(sim);
    first.ws.send(JSON.stringify({ op: 2, d: { token: sim.token, intents: 33281, properties: {}, shard: [0, 2] } }));
    const ready = (await first.until((f) => f.t === 'READY')) as { d: { session_id: string } };
    const seq = (await first.until((f) => f.t === 'GUILD_CREATE')).s!;
    first.ws.close(4000);
    await once(first.ws, 'close');
    // Shard 1 identifies afresh meanwhile (another process starting).
    const other = newClient(sim, { shards: [1], shardCount: 2 });
    clients.push(other);
    await login(other, sim.token);
    sim.sendMessage({ channelId: text, authorId: alice, content: 'while shard 0 was away' });
    const again = await rawSocket(sim);
    again.ws.send(JSON.stringify({ op: 6, d: { token: sim.token, session_id: ready.d.session_id, seq } }));
    const replayed = (await again.until((f) => f.op === 9 || f.t === 'MESSAGE_CREATE')) as { t?: string; d: { content?: string } };
    expect(replayed.t).toBe('MESSAGE_CREATE');
    expect(replayed.d.content).toBe('while shard 0 was away');
    again.ws.close();
  });
});

interface Frame {
  op: number;
  t?: string;
  s?: number;
  d?: unknown;
}

/** A raw gateway socket and a reader that waits for the first frame matching a condition. */
async function rawSocket(s: DiscordSimulator): Promise<{ ws: WebSocket; until: (match: (f: Frame) => boolean) => Promise<Frame> }> {
  const ws = new WebSocket(`${s.gatewayUrl}?v=10&encoding=json`);
  const frames: Frame[] = [];
  let wake: (() => void) | null = null;
  ws.on('message', (data) => {
    frames.push(JSON.parse(data.toString()) as Frame);
    wake?.();
  });
  await once(ws, 'open');
  return {
    ws,
    async until(match) {
      for (;;) {
        const i = frames.findIndex(match);
        if (i >= 0) return frames.splice(0, i + 1).at(-1)!;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}
