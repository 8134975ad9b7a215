/**
 * `/healthz` and `/metrics` of a real bot logged in to the simulator, over real HTTP on 127.0.0.1: health follows
 * the gateway, the flusher and shutdown; the metrics count what the engine, the flusher and REST calls did.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { botWorld, type BotWorld } from '../helpers/bot.js';
import { BotMetrics } from '../../src/ops/metrics.js';
import { WebServer } from '../../src/web/server.js';
import { silentLogger } from '../../src/util/logger.js';

let w: BotWorld | null = null;
let web: WebServer | null = null;

afterEach(async () => {
  await web?.close();
  if (w && !w.bot.app.gate.isOpen) await w.sim.stop();
  else await w?.teardown();
  w = web = null;
});

async function start(options: { separateOps?: boolean } = {}) {
  const metrics = new BotMetrics();
  w = await botWorld({ metrics });
  const bot = () => w!.bot;
  web = await WebServer.start(
    { metrics, health: () => bot().health(), logger: silentLogger },
    { port: 0, host: '127.0.0.1', ...(options.separateOps ? { opsPort: 0 } : {}) },
  );
  return { w, web, metrics };
}

const metricValue = (text: string, line: string) => {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
};

describe('health', () => {
  it('given a connected bot then 200; a failing flush makes it 503 naming the flush until a retry succeeds', async () => {
    const { w, web } = await start();
    const ok = await fetch(`${web.opsUrl}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, status: 'ok', reasons: [] });

    w.core.db.exec(`CREATE TRIGGER boom BEFORE INSERT ON UserXpStats BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;`);
    await w.say(w.alice, 'hello there');
    expect(await w.core.flusher.flush()).toBe(false);
    const failing = await fetch(`${web.opsUrl}/healthz`);
    expect(failing.status).toBe(503);
    expect(((await failing.json()) as { reasons: string[] }).reasons).toEqual(['last XP flush failed (gains stay buffered and are retried)']);

    w.core.db.exec('DROP TRIGGER boom');
    await w.scheduler.advance(1000); // the retry
    expect((await fetch(`${web.opsUrl}/healthz`)).status).toBe(200);
  });

  it('given a bot that stopped then 503 with shutdown and the gateway as reasons', async () => {
    const { w, web } = await start();
    await w.bot.stop();
    const res = await fetch(`${web.opsUrl}/healthz`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { reasons: string[] }).reasons).toEqual(['shutting down', 'gateway not connected']);
  });

  it('given OPS_PORT then health and metrics are on their own address and not on the public one', async () => {
    const { web } = await start({ separateOps: true });
    expect(web.opsUrl).not.toBe(web.url);
    expect((await fetch(`${web.opsUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${web.opsUrl}/metrics`)).status).toBe(200);
    expect((await fetch(`${web.url}/healthz`)).status).toBe(404);
    expect((await fetch(`${web.url}/metrics`)).status).toBe(404);
  });
});

describe('metrics', () => {
  it('given messages, a command, a flush and REST calls then the counters, histograms and gauges show them', async () => {
    const { w, web } = await start();
    await w.say(w.alice, 'hello'); // counted
    await w.say(w.alice, 'again'); // cooldown: seen, not counted
    await w.say(w.bob, 'hi'); // counted
    const buffered = await (await fetch(`${web.opsUrl}/metrics`)).text();
    expect(metricValue(buffered, 'unicornia_xp_buffer_entries')).toBe(2);
    // The first heartbeat comes ~41 s after login (Discord's interval, kept by the simulator): set what it measures.
    w.bot.client.ws.shards.first()!.ping = 42;
    await w.prefix(w.alice, '!level check'); // a command: seen, not counted; a REST call for the reply (and a flush for the rank)
    const before = await (await fetch(`${web.opsUrl}/metrics`)).text();
    expect(metricValue(before, 'unicornia_messages_seen_total')).toBe(4);
    expect(metricValue(before, 'unicornia_messages_counted_total')).toBe(2);
    expect(metricValue(before, 'unicornia_xp_granted_total{source="message"}')).toBe(2);
    expect(metricValue(before, 'unicornia_discord_rest_duration_seconds_count{method="POST",status="2xx"}')).toBeGreaterThanOrEqual(1);
    expect(metricValue(before, 'unicornia_gateway_latency_seconds{shard="0"}')).toBe(0.042);
    expect(before).toMatch(/^unicornia_nodejs_eventloop_lag_p99_seconds \d/m);
    const ratio = metricValue(before, 'unicornia_xp_cache_hit_ratio')!;
    expect(ratio).toBeGreaterThan(0);
    expect(ratio).toBeLessThan(1);

    await w.say(w.bob, 'later'); // cooldown: seen only
    w.clock.advance(60_000);
    await w.say(w.bob, 'after the cooldown');
    await w.core.flusher.flush();
    const after = await (await fetch(`${web.opsUrl}/metrics`)).text();
    expect(metricValue(after, 'unicornia_flush_duration_seconds_count{result="ok"}')).toBe(2);
    expect(metricValue(after, 'unicornia_xp_buffer_entries')).toBe(0);
    // A total read at scrape time adds only what it grew by: not counted twice by the later scrapes.
    expect(metricValue(after, 'unicornia_messages_seen_total')).toBe(6);
    expect(metricValue(after, 'unicornia_messages_counted_total')).toBe(3);
  });

  it('given a failed flush and a 429 from Discord then the failure and the rate limit are counted', async () => {
    const { w, web, metrics } = await start();
    w.core.db.exec(`CREATE TRIGGER boom BEFORE INSERT ON UserXpStats BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;`);
    await w.say(w.alice, 'hello');
    await w.core.flusher.flush();
    metrics.observeRest('patch', 120, 429);
    const text = await (await fetch(`${web.opsUrl}/metrics`)).text();
    expect(metricValue(text, 'unicornia_flush_failures_total')).toBe(1);
    expect(metricValue(text, 'unicornia_flush_duration_seconds_count{result="failed"}')).toBe(1);
    expect(metricValue(text, 'unicornia_discord_rest_429_total')).toBe(1);
    expect(metricValue(text, 'unicornia_discord_rest_duration_seconds_count{method="PATCH",status="429"}')).toBe(1);
    w.core.db.exec('DROP TRIGGER boom');
  });
});
