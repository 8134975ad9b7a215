/**
 * The public leaderboard page and the read API of a real bot (simulator, SQLite file, real HTTP on 127.0.0.1):
 * opt-in only, the same 404 for a private and an unknown server, order and numbers, paging, search, ?member=,
 * hidden members, reward roles with their colours; API keys and the rate limit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { botWorld, type BotWorld } from '../helpers/bot.js';
import { BotMetrics } from '../../src/ops/metrics.js';
import { WebServer } from '../../src/web/server.js';
import { pageRoutes } from '../../src/web/pages.js';
import { apiRoutes } from '../../src/web/api.js';
import { silentLogger } from '../../src/util/logger.js';

let w: BotWorld | null = null;
let web: WebServer | null = null;

afterEach(async () => {
  await web?.close();
  await w?.teardown();
  w = web = null;
});

/** Alice 500 XP, bob 250, carol 1 000, dave 40, members seen talking so the pages know their names. */
/** The API's reuse clock (ms), moved by hand (lru-cache reads a start of 0 as "no time"). */
let apiNow = 1_000_000;

async function start(options: { pageSize?: number; perMinute?: number; apiCacheMs?: number } = {}) {
  w = await botWorld();
  const carol = w.sim.createUser({ username: 'carol' }).id;
  w.sim.addMember(w.guildId, carol);
  const dave = w.sim.createUser({ username: 'dave' }).id;
  w.sim.addMember(w.guildId, dave);
  for (const u of [w.alice, w.bob, carol, dave]) await w.say(u, 'hello');
  await w.bot.webCopies.flush();
  for (const [u, xp] of [[w.alice, 500], [w.bob, 250], [carol, 1000], [dave, 40]] as const) w.core.engine.adjustXp(w.guildId, u, { set: xp });
  await w.core.flusher.flush();
  const reads = w.core.stores.web;
  web = await WebServer.start(
    {
      metrics: new BotMetrics({ defaultMetrics: false }),
      health: () => w!.bot.health(),
      logger: silentLogger,
      routes: async (app) => {
        const periods = { rules: (g: string) => w!.core.engine.rules(g), now: () => w!.clock.wallNow() };
        pageRoutes(reads, { pageSize: options.pageSize ?? 50, cacheMs: 0, periods })(app);
        await apiRoutes(reads, { perMinute: options.perMinute ?? 1000, periods, cacheMs: options.apiCacheMs ?? 0, now: () => apiNow })(app);
      },
    },
    { port: 0, host: '127.0.0.1' },
  );
  return { w, web, carol, dave };
}

const get = (url: string, init?: RequestInit) => fetch(url, { redirect: 'manual', ...init });
const names = (html: string) => [...html.matchAll(/<span class="name">([^<]*)<\/span>/g)].map((m) => m[1]);

describe('the leaderboard page', () => {
  it('given a server that did not opt in then its page is the same 404 as an unknown server, naming nothing', async () => {
    const { w, web } = await start();
    const own = await get(`${web.url}/g/${w.guildId}`);
    const unknown = await get(`${web.url}/g/123456789012345678`);
    const slug = await get(`${web.url}/g/unicorn-farm`);
    expect([own.status, unknown.status, slug.status]).toEqual([404, 404, 404]);
    const [a, b, c] = await Promise.all([own.text(), unknown.text(), slug.text()]);
    expect(a).toBe(b);
    expect(c).toBe(b);
    expect(a).not.toContain('Unicorn Farm');
    expect(a).not.toContain('alice');
  });

  it('given web public on then the page lists members by XP with rank, level, XP and progress, at /g/<id> and /g/<slug>', async () => {
    const { w, web } = await start();
    const on = await w.slash(w.admin, { name: 'server', subcommandGroup: 'web', subcommand: 'public', options: { state: 'on' } });
    expect(on.content).toContain('/g/unicorn-farm');
    const res = await get(`${web.url}/g/unicorn-farm`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('<h1>Unicorn Farm</h1>');
    expect(names(html)).toEqual(['carol', 'alice', 'bob', 'dave']);
    // carol: 1 000 XP = level 11, 109 / 135 into it (DESIGN §1's table).
    expect(html).toMatch(/#1<\/span>.*?carol.*?Level 11<\/span> · <span class="xp">1,000 XP<\/span><\/span><progress max="135" value="109"/);
    expect(html).toContain('4 ranked members');
    expect(await (await get(`${web.url}/g/${w.guildId}`)).text()).toBe(html);

    await w.slash(w.admin, { name: 'server', subcommandGroup: 'web', subcommand: 'public', options: { state: 'off' } });
    expect((await get(`${web.url}/g/unicorn-farm`)).status).toBe(404);
  });

  it('given web public in both forms then settings shows it, a bad slug changes nothing, and default turns the page off', async () => {
    const { w, web } = await start();
    const field = async () => {
      const shown = await w.prefix(w.admin, '!unicornia settings');
      return (shown.embeds[0]!.fields as { name: string; value: string }[]).find((f) => f.name === 'Web page')!.value;
    };
    expect(await field()).toBe('off');
    const bad = await w.prefix(w.admin, '!server web public on 12345');
    expect(bad.content).toContain('use 2–40 of a–z, 0–9 and inner dashes, not only digits');
    expect(await field()).toBe('off');
    await w.prefix(w.admin, '!server web public on farm');
    expect(await field()).toBe('on, /g/farm');
    const reset = await w.slash(w.admin, { name: 'server', subcommandGroup: 'web', subcommand: 'public', options: { state: 'default' } });
    expect(reset.content).toContain('The web leaderboard is off');
    expect(await field()).toBe('off');
    expect((await get(`${web.url}/g/farm`)).status).toBe(404);
  });

  it('given a page that is off then no names are kept; on takes them from the member list, off deletes them again', async () => {
    const { w, web } = await start(); // everyone has spoken, with the page off
    const profiles = () => w.core.db.prepare('SELECT COUNT(*) FROM MemberProfile').pluck().get() as number;
    expect(profiles()).toBe(0);
    const quiet = w.sim.createUser({ username: 'quiet' }).id;
    w.sim.addMember(w.guildId, quiet); // never spoke
    await w.prefix(w.admin, '!server web public on');
    expect(names(await (await get(`${web.url}/g/unicorn-farm`)).text())).toEqual(['carol', 'alice', 'bob', 'dave']);
    expect(w.core.db.prepare('SELECT Name FROM MemberProfile WHERE UserId = ?').pluck().get(BigInt(quiet))).toBe('quiet');
    await w.prefix(w.admin, '!server web public off');
    expect(profiles()).toBe(0);
    const late = w.sim.createUser({ username: 'late' }).id;
    w.sim.addMember(w.guildId, late);
    await w.say(late, 'first words, with the page off');
    await w.bot.webCopies.flush();
    expect(profiles()).toBe(0);
  });

  it('given more members than a page then links page without script, and a fragment gives the next rows and link', async () => {
    const { w, web } = await start({ pageSize: 3 });
    await w.prefix(w.admin, '!server web public on farm');
    const first = await (await get(`${web.url}/g/farm`)).text();
    expect(names(first)).toEqual(['carol', 'alice', 'bob']);
    expect(first).toContain('<a rel="next" href="/g/farm?page=2">');
    const second = await (await get(`${web.url}/g/farm?page=2`)).text();
    expect(names(second)).toEqual(['dave']);
    expect(second).toContain('<ol class="board" start="4"');
    expect(second).toContain('rel="prev"');
    const fragment = await get(`${web.url}/g/farm?page=1&fragment=1`);
    expect(fragment.headers.get('x-next')).toBe('/g/farm?page=2');
    expect((await fragment.text()).startsWith('<li class="row top1"')).toBe(true);
    expect((await get(`${web.url}/g/farm?page=3`)).status).toBe(404);
    expect((await get(`${web.url}/g/farm?page=x`)).status).toBe(404);
  });

  it('given ?member= then it goes to their page and highlights them; search finds names, case and accents folded', async () => {
    const { w, web } = await start({ pageSize: 2 });
    await w.prefix(w.admin, '!server web public on');
    const jump = await get(`${web.url}/g/unicorn-farm?member=${w.bob}`);
    expect(jump.status).toBe(303);
    expect(jump.headers.get('location')).toBe(`/g/unicorn-farm?page=2&member=${w.bob}#m-${w.bob}`);
    const page = await (await get(`${web.url}${jump.headers.get('location')!.split('#')[0]}`)).text();
    expect(page).toContain(`<li class="row top3 me" id="m-${w.bob}" data-rank="3" aria-current="true">`);
    const found = await (await get(`${web.url}/g/unicorn-farm?q=ALÍ`)).text();
    expect(names(found)).toEqual(['alice']);
    expect(found).toContain('data-rank="2"');
    expect(await (await get(`${web.url}/g/unicorn-farm?q=zzz`)).text()).toContain('Nobody here is called “zzz”.');
  });

  it('given a member who hid then the page shows "hidden member" in their place, without name or avatar, and search skips them', async () => {
    const { w, web } = await start();
    await w.prefix(w.admin, '!server web public on');
    const hide = await w.prefix(w.alice, '!level privacy hide');
    expect(hide.content).toContain('hidden member');
    const html = await (await get(`${web.url}/g/unicorn-farm`)).text();
    expect(names(html)).toEqual(['carol', 'hidden member', 'bob', 'dave']);
    expect(html).not.toContain('alice');
    expect(html).not.toMatch(new RegExp(`avatars/${w.alice}`));
    expect(names(await (await get(`${web.url}/g/unicorn-farm?q=alice`)).text())).toEqual([]);
    await w.slash(w.alice, { name: 'level', subcommandGroup: 'privacy', subcommand: 'show' });
    expect(names(await (await get(`${web.url}/g/unicorn-farm`)).text())).toContain('alice');
  });

  it('given reward roles then the page lists them with their colours', async () => {
    const { w, web } = await start();
    const gold = w.sim.createRole(w.guildId, { name: 'Gold <VIP>', color: 0xf1c40f, position: 1 }).id;
    await w.prefix(w.admin, `!unicornia rewards role 5 <@&${gold}>`);
    await w.prefix(w.admin, '!server web public on');
    const html = await (await get(`${web.url}/g/unicorn-farm`)).text();
    expect(html).toContain('<circle cx="6" cy="6" r="6" fill="#f1c40f"/></svg><span class="lv">Level 5</span> <span class="role">Gold &lt;VIP&gt;</span>');
  });
});

describe('the period tabs', () => {
  it('given XP earned in a new week then the tabs show each board, and paging, search and ?member= stay in the period', async () => {
    const { w, web, dave } = await start({ pageSize: 1 });
    await w.prefix(w.admin, '!server web public on');
    // Before the new week: last week is empty and over, this week not yet over.
    expect(await (await get(`${web.url}/g/unicorn-farm?period=lastweek`)).text()).toContain('<p class="empty">Nobody earned XP here last week.</p>');
    w.clock.stepWall(7 * 86_400_000);
    w.core.engine.adjustXp(w.guildId, dave, { add: 100 });
    w.core.engine.adjustXp(w.guildId, w.alice, { add: 30 });
    await w.core.flusher.flush();
    const all = await (await get(`${web.url}/g/unicorn-farm`)).text();
    const tabs = [...all.matchAll(/<a href="([^"]*)"( aria-current="page")?>([^<]*)<\/a>/g)].filter((m) => m[0].includes('period') || m[3] === 'All time');
    expect(tabs.map((m) => [m[1], m[3], m[2] !== undefined])).toEqual([
      ['/g/unicorn-farm', 'All time', true],
      ['/g/unicorn-farm?period=week', 'This week', false],
      ['/g/unicorn-farm?period=lastweek', 'Last week', false],
      ['/g/unicorn-farm?period=month', 'This month', false],
      ['/g/unicorn-farm?period=lastmonth', 'Last month', false],
    ]);
    expect(names(all)).toEqual(['carol']); // one per page
    const week = await (await get(`${web.url}/g/unicorn-farm?period=week`)).text();
    expect(week).toContain('aria-current="page">This week</a>');
    expect(week).toContain('2 ranked members this week');
    expect(names(week)).toEqual(['dave']);
    // dave: 140 XP all-time is level 3, 5 of 63 into it (DESIGN §1's table); the number is the week's.
    expect(week).toMatch(/dave.*?Level 3<\/span> · <span class="xp">100 XP this week<\/span><\/span><progress max="63" value="5"/);
    expect(week).toContain('<a rel="next" href="/g/unicorn-farm?period=week&amp;page=2">');
    expect(week).toContain('<input type="hidden" name="period" value="week">');
    expect(week).toContain('data-base="/g/unicorn-farm?period=week"');
    expect(names(await (await get(`${web.url}/g/unicorn-farm?period=week&page=2`)).text())).toEqual(['alice']);
    const fragment = await get(`${web.url}/g/unicorn-farm?period=week&page=1&fragment=1`);
    expect(fragment.headers.get('x-next')).toBe('/g/unicorn-farm?period=week&page=2');
    const search = await (await get(`${web.url}/g/unicorn-farm?period=week&q=ALI`)).text();
    expect(search).toMatch(/data-rank="2".*?alice.*?30 XP this week/);
    const jump = await get(`${web.url}/g/unicorn-farm?period=week&member=${w.alice}`);
    expect(jump.status).toBe(303);
    expect(jump.headers.get('location')).toBe(`/g/unicorn-farm?period=week&page=2&member=${w.alice}#m-${w.alice}`);
    expect(names(await (await get(`${web.url}/g/unicorn-farm?period=lastweek&page=4`)).text())).toEqual(['dave']);
    // No season runs: no tab, and its address is the 404 page; so is a period that does not exist.
    expect(all).not.toContain('period=season');
    expect((await get(`${web.url}/g/unicorn-farm?period=season`)).status).toBe(404);
    expect((await get(`${web.url}/g/unicorn-farm?period=fortnight`)).status).toBe(404);
  });
});

describe('the read API', () => {
  it('given a public server then the board, a member and the rewards read without a key, ids as strings', async () => {
    const { w, web, carol } = await start();
    await w.prefix(w.admin, '!server web public on');
    const board = (await (await get(`${web.url}/api/v1/guilds/${w.guildId}/board?limit=2`)).json()) as Record<string, unknown>;
    expect(board).toMatchObject({ guild: { id: w.guildId, name: 'Unicorn Farm', slug: 'unicorn-farm', public: true, memberCount: 4 }, period: 'alltime', periodStart: null, periodEnd: null, page: 1, limit: 2, pages: 2 });
    expect(board.members).toEqual([
      { rank: 1, userId: carol, name: 'carol', avatarUrl: expect.any(String), hidden: false, level: 11, xp: 1000, totalXp: 1000, xpInLevel: 109, xpForNextLevel: 135 },
      { rank: 2, userId: w.alice, name: 'alice', avatarUrl: expect.any(String), hidden: false, level: 7, xp: 500, totalXp: 500, xpInLevel: 59, xpForNextLevel: 99 },
    ]);
    const member = await get(`${web.url}/api/v1/guilds/unicorn-farm/members/${w.bob}`);
    expect(member.headers.get('ratelimit-limit')).toBe('1000');
    expect(await member.json()).toMatchObject({ guildId: w.guildId, rank: 3, userId: w.bob, level: 4, xp: 250 });
    expect((await get(`${web.url}/api/v1/guilds/${w.guildId}/members/1`)).status).toBe(404);
    expect(await (await get(`${web.url}/api/v1/guilds/${w.guildId}/rewards`)).json()).toEqual({ guildId: w.guildId, roles: [] });
    expect(await (await get(`${web.url}/api/v1/guilds/${w.guildId}/board?period=all`)).json()).toMatchObject({ period: 'alltime', guild: { memberCount: 4 } });
    expect(await (await get(`${web.url}/api/v1/guilds/${w.guildId}/board?period=fortnight`)).json()).toMatchObject({ error: { code: 'bad_period' } });
    expect(await (await get(`${web.url}/api/v1/guilds/${w.guildId}/board?period=season`)).json()).toMatchObject({ error: { code: 'no_season' } });
  });

  it('given XP earned in a new week then ?period= reads the week, last week and the month, with all-time levels beside', async () => {
    const { w, web, carol, dave } = await start();
    await w.prefix(w.admin, '!server web public on');
    // The manual clock starts on Thursday 1 January 2026 (UTC; weeks start on Monday): a week on is the week of 5 January.
    w.clock.stepWall(7 * 86_400_000);
    w.core.engine.adjustXp(w.guildId, dave, { add: 100 });
    w.core.engine.adjustXp(w.guildId, w.alice, { add: 30 });
    await w.core.flusher.flush();
    const api = async (path: string) => (await get(`${web.url}/api/v1/guilds/${w.guildId}/${path}`)).json() as Promise<Record<string, unknown>>;
    const week = await api('board?period=week');
    expect(week).toMatchObject({ period: 'week', periodStart: '2026-01-05T00:00:00.000Z', periodEnd: '2026-01-12T00:00:00.000Z', guild: { memberCount: 2 }, pages: 1 });
    expect(week.members).toEqual([
      expect.objectContaining({ rank: 1, userId: dave, xp: 100, totalXp: 140 }),
      // 530 XP all-time: level 7, 89 of 99 into it.
      expect.objectContaining({ rank: 2, userId: w.alice, xp: 30, totalXp: 530, level: 7, xpInLevel: 89, xpForNextLevel: 99 }),
    ]);
    const last = await api('board?period=lastweek');
    expect((last.members as { userId: string; xp: number }[]).map((m) => [m.userId, m.xp])).toEqual([[carol, 1000], [w.alice, 500], [w.bob, 250], [dave, 40]]);
    expect(await api('board?period=month')).toMatchObject({ periodStart: '2026-01-01T00:00:00.000Z', guild: { memberCount: 4 } });
    expect(await api(`members/${w.alice}?period=week`)).toMatchObject({ period: 'week', rank: 2, xp: 30, totalXp: 530 });
    expect(await api(`members/${w.bob}?period=week`)).toMatchObject({ error: { code: 'member_not_found' } });
    expect(await api(`members/${w.bob}?period=lastweek`)).toMatchObject({ rank: 3, xp: 250 });
    expect(await api(`members/${w.bob}?period=decade`)).toMatchObject({ error: { code: 'bad_period' } });
  });

  it('given the default reuse of 5 s then a member polled again is answered from memory until the time is up, a server turned private at once', async () => {
    const { w, web } = await start({ apiCacheMs: 5000 });
    await w.prefix(w.admin, '!server web public on');
    const bob = async () => (await get(`${web.url}/api/v1/guilds/${w.guildId}/members/${w.bob}`)).json() as Promise<Record<string, unknown>>;
    expect(await bob()).toMatchObject({ rank: 3, xp: 250 });
    w.core.engine.adjustXp(w.guildId, w.bob, { set: 2000 });
    await w.core.flusher.flush();
    apiNow += 4999;
    expect(await bob()).toMatchObject({ rank: 3, xp: 250 }); // stored XP, at most 5 s older than the flush
    apiNow += 2;
    expect(await bob()).toMatchObject({ rank: 1, xp: 2000, level: 17 });
    // The server's own facts are reused the same way: turning the page off shows within the 5 s.
    await w.prefix(w.admin, '!server web public off');
    expect(await bob()).toMatchObject({ rank: 1 });
    apiNow += 5001;
    expect(await bob()).toMatchObject({ error: { code: 'not_found' } });
  });

  it("given the MEE6 curve preset then levels and progress follow the server's quadratic curve", async () => {
    const { w, web, carol } = await start();
    await w.core.writer.xp.updateSettings(w.guildId, { curve: { q: 5, a: 50, c: 50 } });
    await w.prefix(w.admin, '!server web public on');
    // 5L² + 50L + 100 per level: 100, 155, 220, 295, 380 … so 1 000 XP is level 4 (from 770), 230 of 380.
    expect(await (await get(`${web.url}/api/v1/guilds/${w.guildId}/members/${carol}`)).json()).toMatchObject({ level: 4, xp: 1000, xpInLevel: 230, xpForNextLevel: 380 });
    expect(await (await get(`${web.url}/g/unicorn-farm`)).text()).toMatch(/carol.*?Level 4<\/span>.*?<progress max="380" value="230"/);
  });

  it('given a private server then it is a 404 without a key, readable with its own key, and a revoked key is refused', async () => {
    const { w, web } = await start();
    expect((await get(`${web.url}/api/v1/guilds/${w.guildId}/board`)).status).toBe(404);
    const refused = await w.prefix(w.admin, '!server web apikey create');
    expect(refused.content).toContain('Nothing was created');
    const created = await w.slash(w.admin, { name: 'server', subcommandGroup: 'web', subcommand: 'apikey-create' });
    const key = /`(unk_[\w-]+)`/.exec(created.content!)![1]!;
    const auth = { headers: { authorization: `Bearer ${key}` } };
    expect(w.core.db.prepare('SELECT COUNT(*) AS n FROM WebApiKey WHERE Hash = ?').get(key)).toEqual({ n: 0 }); // stored hashed
    const board = await get(`${web.url}/api/v1/guilds/${w.guildId}/board`, auth);
    expect(board.status).toBe(200);
    expect(((await board.json()) as { members: unknown[] }).members).toHaveLength(4);
    // A key opens its own server only, and the pages stay private.
    expect((await get(`${web.url}/api/v1/guilds/123456789012345678/board`, auth)).status).toBe(404);
    expect((await get(`${web.url}/g/${w.guildId}`, auth)).status).toBe(404);
    const list = await w.prefix(w.admin, '!server web apikey list');
    expect(JSON.stringify(list.embeds)).toContain(key.slice(0, 8));
    await w.prefix(w.admin, '!server web apikey revoke 1');
    const revoked = await get(`${web.url}/api/v1/guilds/${w.guildId}/board`, auth);
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toEqual({ error: { code: 'bad_key', message: 'That API key is not valid (revoked, or mistyped).' } });
  });

  it('given more requests than the limit then 429 with RateLimit and Retry-After headers, per client', async () => {
    const { w, web } = await start({ perMinute: 3 });
    await w.prefix(w.admin, '!server web public on');
    const url = `${web.url}/api/v1/guilds/${w.guildId}/rewards`;
    const remaining = [];
    for (let i = 0; i < 3; i++) remaining.push((await get(url)).headers.get('ratelimit-remaining'));
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await get(url);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    // Another client (a key counts as its own client) is not limited by this one.
    const created = await w.slash(w.admin, { name: 'server', subcommandGroup: 'web', subcommand: 'apikey-create' });
    const key = /`(unk_[\w-]+)`/.exec(created.content!)![1]!;
    expect((await get(url, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
  });
});
