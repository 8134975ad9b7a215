/**
 * Webhooks end to end: a real bot on the simulator, a real receiver on 127.0.0.1. Events are recorded with the state
 * they report, signed, retried with backoff across a restart, never sent again once answered 2xx, and dropped with a
 * log entry after a day. Targets pass the same address policy as image fetches.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { botWorld, type BotWorld } from '../helpers/bot.js';
import { verifySignature, webhookReceiver } from '../helpers/webhook-receiver.js';
import { SafeFetcher } from '../../src/net/safe-fetch.js';
import { silentLogger, type Logger } from '../../src/util/logger.js';
import { PrivacyService } from '../../src/privacy/privacy-service.js';

let w: BotWorld | null = null;
const hooks: Awaited<ReturnType<typeof webhookReceiver>>[] = [];

afterEach(async () => {
  await w?.teardown();
  for (const h of hooks.splice(0)) await h.close();
  w = null;
});

async function receiver() {
  const r = await webhookReceiver();
  hooks.push(r);
  return r;
}

async function start(port: number, logger: Logger = silentLogger) {
  w = await botWorld({
    logger,
    webhooks: { poster: new SafeFetcher({ allowLoopbackForTests: true, extraPorts: [port], timeoutMs: 5000 }), allowHttpForTests: true },
  });
  return w;
}

async function addHook(w: BotWorld, url: string, events?: string) {
  const reply = await w.slash(w.admin, { name: 'server', subcommandGroup: 'web', subcommand: 'webhook-add', options: { url, ...(events ? { events } : {}) } });
  const secret = /Signing secret \(shown once\): `([\w-]+)`/.exec(reply.content ?? '')?.[1];
  return { reply, secret: secret! };
}

const verify = verifySignature;

const outbox = (w: BotWorld) => w.core.db.prepare('SELECT Event, Attempts, NextAttemptAt FROM WebhookOutbox ORDER BY Id').all() as { Event: string; Attempts: number; NextAttemptAt: number }[];

describe('webhooks', () => {
  it('given a level-up with a currency reward then level_up and currency_paid arrive signed, with an idempotency key', async () => {
    const r = await receiver();
    const w = await start(r.port);
    await w.prefix(w.admin, '!rewards currency 2 150');
    const { secret } = await addHook(w, r.url, 'level_up currency_paid');
    w.core.engine.adjustXp(w.guildId, w.alice, { set: 100 }); // level 2
    await w.core.engine.idle();
    expect(outbox(w).map((o) => o.Event)).toEqual(['level_up', 'currency_paid']);
    expect(await w.bot.webhooks.deliverDue()).toBe(2);
    expect(r.received).toHaveLength(2);
    const bodies = r.received.map((x) => JSON.parse(x.body) as { id: string; type: string; guildId: string; data: Record<string, unknown> });
    expect(bodies.map((b) => [b.type, b.guildId, b.data])).toEqual([
      ['level_up', w.guildId, { userId: w.alice, oldLevel: 0, newLevel: 2 }],
      ['currency_paid', w.guildId, { userId: w.alice, amount: 150, levels: [2] }],
    ]);
    for (const [i, x] of r.received.entries()) {
      expect(verify(x, secret)).toBe(true);
      expect(verify(x, `${secret}x`)).toBe(false);
      expect(x.headers['idempotency-key']).toBe(bodies[i]!.id);
      expect(x.headers['x-unicornia-event']).toBe(bodies[i]!.type);
    }
    expect(outbox(w)).toEqual([]);
    expect(await w.bot.webhooks.deliverDue()).toBe(0);
    expect(r.received).toHaveLength(2);
  });

  it('given a receiver that fails then the delivery is retried with backoff, across a restart, and sent no more once it succeeded', async () => {
    const r = await receiver();
    const w = await start(r.port);
    await addHook(w, r.url, 'level_up');
    r.state.status = 500;
    w.core.engine.adjustXp(w.guildId, w.alice, { set: 40 });
    await w.core.engine.idle();
    await w.bot.webhooks.deliverDue();
    const first = outbox(w)[0]!;
    expect(first.Attempts).toBe(1);
    expect(first.NextAttemptAt).toBe(w.clock.wallNow() + 10_000);
    w.clock.advance(5_000);
    await w.bot.webhooks.deliverDue(); // not due yet
    expect(r.received).toHaveLength(1);
    w.clock.advance(5_000);
    await w.bot.webhooks.deliverDue(); // second failure: next in 20 s
    expect(outbox(w)[0]).toMatchObject({ Attempts: 2, NextAttemptAt: w.clock.wallNow() + 20_000 });

    await w.restart();
    r.state.status = 204;
    w.clock.advance(20_000);
    expect(await w.bot.webhooks.deliverDue()).toBe(1);
    expect(r.received).toHaveLength(3);
    expect(new Set(r.received.map((x) => x.headers['idempotency-key'])).size).toBe(1);
    expect(r.received.map((x) => x.headers['x-unicornia-delivery'])).toEqual(['1', '2', '3']);
    w.clock.advance(3_600_000);
    await w.bot.webhooks.deliverDue();
    expect(r.received).toHaveLength(3);
  });

  it('given a receiver failing for a day then the delivery is dropped with a log entry', async () => {
    const r = await receiver();
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (_o: unknown, m: string) => warnings.push(m), child: () => logger } as unknown as Logger;
    const w = await start(r.port, logger);
    await addHook(w, r.url);
    r.state.status = 503;
    w.core.engine.adjustXp(w.guildId, w.alice, { set: 40 });
    await w.core.engine.idle();
    await w.bot.webhooks.deliverDue();
    for (let hour = 0; hour < 25 && outbox(w).length > 0; hour++) {
      w.clock.advance(3_600_000);
      await w.bot.webhooks.deliverDue();
    }
    expect(outbox(w)).toEqual([]);
    expect(warnings).toContain('webhook delivery dropped: not delivered within a day');
    const attempts = r.received.length;
    expect(attempts).toBeGreaterThan(5);
    w.clock.advance(3_600_000);
    await w.bot.webhooks.deliverDue();
    expect(r.received).toHaveLength(attempts);
  });

  it('given a member who erases their data before delivery then their events are not sent; a server deletion takes its webhooks', async () => {
    const r = await receiver();
    const w = await start(r.port);
    await addHook(w, r.url, 'level_up');
    w.core.engine.adjustXp(w.guildId, w.alice, { set: 40 });
    w.core.engine.adjustXp(w.guildId, w.bob, { set: 40 });
    await w.core.engine.idle();
    expect(outbox(w)).toHaveLength(2);
    await new PrivacyService(w.core, w.clock).eraseMember(w.alice);
    expect(await w.bot.webhooks.deliverDue()).toBe(1);
    expect(r.received.map((x) => (JSON.parse(x.body) as { data: { userId: string } }).data.userId)).toEqual([w.bob]);
    await new PrivacyService(w.core, w.clock).eraseGuild(w.guildId);
    expect(w.core.db.prepare('SELECT COUNT(*) FROM Webhook').pluck().get()).toBe(0);
  });

  it('given a role reward then role_reward_given arrives once Discord confirmed the role', async () => {
    const r = await receiver();
    const w = await start(r.port);
    const role = w.sim.createRole(w.guildId, { name: 'Regular', position: 1 }).id;
    await w.prefix(w.admin, `!rewards role 1 <@&${role}>`);
    await addHook(w, r.url, 'role_reward_given,role_reward_failed');
    w.core.engine.adjustXp(w.guildId, w.alice, { set: 40 });
    await w.core.engine.idle();
    await w.bot.webhooks.deliverDue();
    expect(r.received.map((x) => JSON.parse(x.body) as { type: string; data: unknown }).map((b) => [b.type, b.data])).toEqual([
      ['role_reward_given', { userId: w.alice, roleId: role, action: 'add' }],
    ]);
  });

  it('given a URL that is not https or points at a private address then it is refused and nothing is added; the prefix form never shows a secret', async () => {
    const r = await receiver();
    const w = await start(r.port);
    const plain = await w.slash(w.admin, { name: 'server', subcommandGroup: 'web', subcommand: 'webhook-add', options: { url: 'ftp://example.com/x' } });
    expect(plain.content).toContain('it must start with https://');
    const inside = await w.slash(w.admin, { name: 'server', subcommandGroup: 'web', subcommand: 'webhook-add', options: { url: 'https://10.1.2.3/hook' } });
    expect(inside.content).toMatch(/cannot receive webhooks: .*10\.1\.2\.3/);
    const events = await w.slash(w.admin, { name: 'server', subcommandGroup: 'web', subcommand: 'webhook-add', options: { url: r.url, events: 'level_up, levelup' } });
    expect(events.content).toContain('Unknown event `levelup`');
    const prefix = await w.prefix(w.admin, `!server web webhook add ${r.url}`);
    expect(prefix.content).toContain('Nothing was created');
    expect(w.core.db.prepare('SELECT COUNT(*) AS n FROM Webhook').get()).toEqual({ n: 0 });
  });
});
