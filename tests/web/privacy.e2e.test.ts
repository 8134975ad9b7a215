/**
 * The web side's tables under the privacy rules (DESIGN §13, §14): a member's profile, their choice to hide and the
 * API keys they created are in their export and go (or stay, with the reason) when they erase their data; a
 * server's page, its copies, keys and webhooks go with `server data delete`; secrets are never exported; a look
 * seen before an erasure, or of a member who opted out, is not written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botWorld, joinedGuild, type BotWorld } from '../helpers/bot.js';
import { BotMetrics } from '../../src/ops/metrics.js';
import { WebServer } from '../../src/web/server.js';
import { pageRoutes } from '../../src/web/pages.js';
import { apiRoutes } from '../../src/web/api.js';
import { PrivacyService } from '../../src/privacy/privacy-service.js';
import { silentLogger } from '../../src/util/logger.js';

let w: BotWorld;
let web: WebServer;
let g2: string;
let g2chat: string;

beforeAll(async () => {
  w = await botWorld();
  ({ guildId: g2, channelId: g2chat } = await joinedGuild(w, 'Second Farm'));
  // Names are kept only for servers whose page is on.
  for (const [g, name] of [[w.guildId, 'Unicorn Farm'], [g2, 'Second Farm']]) await w.core.writer.web.setPublic(g!, true, null, { name: name!, iconUrl: null }, w.clock.wallNow());
  const reads = w.core.stores.web;
  web = await WebServer.start(
    {
      metrics: new BotMetrics({ defaultMetrics: false }),
      health: () => w.bot.health(),
      logger: silentLogger,
      routes: async (app) => {
        pageRoutes(reads, { cacheMs: 0 })(app);
        await apiRoutes(reads, { perMinute: 1000, cacheMs: 0 })(app);
      },
    },
    { port: 0, host: '127.0.0.1' },
  );
});
afterAll(async () => {
  await web?.close();
  await w?.teardown();
});

const service = () => new PrivacyService(w.core, w.clock);
const count = (sql: string, ...params: unknown[]) => w.core.db.prepare(sql).pluck().get(...params) as number;

function member(name: string): string {
  const id = w.sim.createUser({ username: name }).id;
  w.sim.addMember(w.guildId, id);
  w.sim.addMember(g2, id);
  return id;
}

async function apiKey(): Promise<string> {
  const created = await w.slash(w.admin, { name: 'server', subcommandGroup: 'web', subcommand: 'apikey-create' });
  return /`(unk_[\w-]+)`/.exec(created.content!)![1]!;
}

describe('a member', () => {
  it('given a profile and the choice to hide then the export holds both; erasure deletes the profile and keeps the choice', async () => {
    const ann = member('ann');
    await w.say(ann, 'hello');
    await w.say(ann, 'hello there', g2chat);
    await w.bot.webCopies.flush();
    await w.prefix(ann, '!level privacy hide');
    expect(count('SELECT COUNT(*) FROM MemberProfile WHERE UserId = ?', BigInt(ann))).toBe(2);

    const data = await service().exportMember(ann);
    expect(data.tables.MemberProfile!.map((r) => [r.GuildId, r.UserId, r.Name])).toEqual(expect.arrayContaining([[w.guildId, ann, 'ann'], [g2, ann, 'ann']]));
    expect(data.tables.WebHiddenMember).toEqual([expect.objectContaining({ UserId: ann })]);
    expect(data.onErase.WebHiddenMember).toMatch(/^keep: your choice to be hidden/);

    await service().eraseMember(ann);
    expect(count('SELECT COUNT(*) FROM MemberProfile WHERE UserId = ?', BigInt(ann))).toBe(0);
    expect(count('SELECT COUNT(*) FROM WebHiddenMember WHERE UserId = ?', BigInt(ann))).toBe(1);
  });

  it('given a look seen before the erasure and written after it then it is not written', async () => {
    const bea = member('bea');
    await w.say(bea, 'hi'); // seen: pending in the web copies' batch
    await service().eraseMember(bea);
    await w.bot.webCopies.flush(); // the batch is written after the erasure
    expect(count('SELECT COUNT(*) FROM MemberProfile WHERE UserId = ?', BigInt(bea))).toBe(0);
  });

  it('given a member who opted out in a server then no profile is written for them there', async () => {
    const cid = member('cid');
    await w.prefix(cid, '!level optout');
    await w.say(cid, 'talking here', w.general);
    await w.say(cid, 'and there', g2chat);
    await w.bot.webCopies.flush();
    const rows = w.core.db.prepare('SELECT CAST(GuildId AS TEXT) g FROM MemberProfile WHERE UserId = ?').pluck().all(BigInt(cid));
    expect(rows).toEqual([g2]);
  });

  it('given an admin who created an API key then their export shows it without its hash, and erasing them keeps the key working', async () => {
    const key = await apiKey();
    const data = await service().exportMember(w.admin);
    expect(data.tables.WebApiKey).toEqual([expect.objectContaining({ GuildId: w.guildId, CreatedById: w.admin, Hint: key.slice(0, 8) })]);
    expect(JSON.stringify(data)).not.toMatch(/"Hash"/);
    await service().eraseMember(w.admin);
    expect(w.core.db.prepare('SELECT CAST(CreatedById AS TEXT) FROM WebApiKey').pluck().all()).toEqual(['0']);
    expect((await fetch(`${web.url}/api/v1/guilds/${w.guildId}/rewards`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    await w.slash(w.admin, { name: 'server', subcommandGroup: 'web', subcommand: 'apikey-revoke', options: { id: 1 } });
  });
});

describe('a server', () => {
  it('given a public page, copies, keys and webhooks then the export leaves secrets out and the deletion takes it all', async () => {
    await w.prefix(w.admin, '!server web public on');
    const key = await apiKey();
    await w.core.writer.web.addWebhook(w.guildId, 'https://example.com/hook', 'sekret-value', ['level_up'], w.clock.wallNow());
    w.sim.addMember(g2, w.alice);
    await w.say(w.alice, 'hello');
    await w.say(w.alice, 'hello', g2chat);
    await w.bot.webCopies.flush();
    w.core.engine.adjustXp(w.guildId, w.alice, { set: 100 });
    await w.core.flusher.flush();
    expect((await fetch(`${web.url}/g/unicorn-farm`)).status).toBe(200);

    const exported = await service().exportGuild(w.guildId);
    for (const table of ['WebGuild', 'WebRole', 'MemberProfile', 'WebApiKey', 'Webhook']) expect(exported.json.tables[table], table).toBeDefined();
    const text = JSON.stringify(exported.json);
    expect(text).not.toContain('sekret-value');
    expect(text).not.toMatch(/"Hash"/);

    await service().eraseGuild(w.guildId);
    for (const table of ['WebGuild', 'WebRole', 'MemberProfile', 'WebApiKey', 'Webhook']) {
      expect(count(`SELECT COUNT(*) FROM ${table} WHERE GuildId = ?`, BigInt(w.guildId)), table).toBe(0);
    }
    expect(count('SELECT COUNT(*) FROM MemberProfile WHERE GuildId = ?', BigInt(g2))).toBeGreaterThan(0); // the other server keeps its own
    expect((await fetch(`${web.url}/g/unicorn-farm`)).status).toBe(404);
    expect((await fetch(`${web.url}/api/v1/guilds/${w.guildId}/board`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
  });
});
