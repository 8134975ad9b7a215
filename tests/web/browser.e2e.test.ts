/**
 * The leaderboard page in a real headless Chromium (playwright-core driving the binary of @sparticuz/chromium,
 * unpacked by tests/setup/chromium.ts), against a real bot on the simulator. Only 127.0.0.1 is reachable: Discord's
 * CDN avatars are answered by the test with a plain coloured square (so the screenshots show avatars), every other
 * request is aborted. Screenshots of the desktop and phone layouts, light and dark, are written to out/web/ to look at.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { createCanvas } from '@napi-rs/canvas';
import { botWorld, type BotWorld } from '../helpers/bot.js';
import { BotMetrics } from '../../src/ops/metrics.js';
import { WebServer } from '../../src/web/server.js';
import { pageRoutes } from '../../src/web/pages.js';
import { silentLogger } from '../../src/util/logger.js';

const SHOTS = 'out/web';
const LONG = 'Wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww'; // 32 wide letters, Discord's longest name, no space to break at

let w: BotWorld;
let web: WebServer;
let browser: Browser;
let privateGuild: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  w = await botWorld();
  const extra = (name: string) => {
    const id = w.sim.createUser({ username: name }).id;
    w.sim.addMember(w.guildId, id);
    return id;
  };
  Object.assign(ids, { alice: w.alice, bob: w.bob, carol: extra('carol'), dave: extra('dave'), erin: extra('erin'), long: extra(LONG) });
  for (const id of Object.values(ids)) await w.say(id, 'hello');
  await w.bot.webCopies.flush();
  const xp: Record<string, number> = { carol: 1000, alice: 500, long: 420, bob: 250, dave: 40, erin: 12 };
  for (const [name, value] of Object.entries(xp)) w.core.engine.adjustXp(w.guildId, ids[name]!, { set: value });
  await w.core.flusher.flush();
  // A week later (the manual clock starts on Thursday 1 January 2026) erin earns 1 XP: this week's board is hers.
  w.clock.stepWall(7 * 86_400_000);
  w.core.engine.adjustXp(w.guildId, ids.erin!, { add: 1 });
  await w.core.flusher.flush();
  const gold = w.sim.createRole(w.guildId, { name: 'Gold', color: 0xf1c40f, position: 1 }).id;
  await w.prefix(w.admin, `!rewards role 5 <@&${gold}>`);
  await w.prefix(w.admin, '!server web public on');
  await w.prefix(w.bob, '!level privacy hide');
  privateGuild = w.sim.createGuild({ name: 'Secret Garden' }).id;
  web = await WebServer.start(
    { metrics: new BotMetrics({ defaultMetrics: false }), health: () => w.bot.health(), logger: silentLogger, routes: (app) => pageRoutes(w.core.stores.web, { pageSize: 4, cacheMs: 0, periods: { rules: (g) => w.core.engine.rules(g), now: () => w.clock.wallNow() } })(app) },
    { port: 0, host: '127.0.0.1' },
  );
  const c = inject('chromium');
  browser = await chromium.launch({ executablePath: c.executablePath, args: c.args, env: { ...process.env, ...c.env } as Record<string, string>, headless: true });
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await w?.teardown();
});

/** A 64×64 PNG in a colour taken from the avatar's URL, standing in for Discord's CDN. */
function fakeAvatar(url: string): Buffer {
  let hash = 0;
  for (const ch of url) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const canvas = createCanvas(64, 64);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = `hsl(${hash % 360} 55% 60%)`;
  ctx.fillRect(0, 0, 64, 64);
  return canvas.toBuffer('image/png');
}

const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 } };
const PHONE: BrowserContextOptions = { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

async function open(options: BrowserContextOptions, path: string): Promise<{ page: Page; status: number | undefined }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await page.route('**/*', (route) => {
    const url = route.request().url();
    const host = new URL(url).hostname;
    if (host === '127.0.0.1') return route.continue();
    if (host === 'cdn.discordapp.com') return route.fulfill({ contentType: 'image/png', body: fakeAvatar(url) });
    return route.abort();
  });
  const res = await page.goto(`${web.url}${path}`);
  return { page, status: res?.status() };
}

const rows = (page: Page) => page.$$eval('ol.board > li', (lis) => lis.map((li) => [li.querySelector('.rank')!.textContent, li.querySelector('.name')!.textContent, li.querySelector('.level')!.textContent, li.querySelector('.xp')!.textContent]));

describe('the leaderboard page in a browser', () => {
  it('given the desktop layout then the seeded order and numbers show, reward roles in colour, and more rows load on scroll', async () => {
    const { page, status } = await open(DESKTOP, '/g/unicorn-farm');
    expect(status).toBe(200);
    expect(await page.textContent('h1')).toBe('Unicorn Farm');
    // The first page as the server sent it (the script may already be appending page 2: the pager is in view).
    expect((await rows(page)).slice(0, 4)).toEqual([
      ['#1', 'carol', 'Level 11', '1,000 XP'],
      ['#2', 'alice', 'Level 7', '500 XP'],
      ['#3', LONG, 'Level 6', '420 XP'],
      ['#4', 'hidden member', 'Level 4', '250 XP'],
    ]);
    expect(await page.$eval('.rewards circle', (c) => c.getAttribute('fill'))).toBe('#f1c40f');
    expect(await page.$eval('.row.top1 progress', (p: any) => [p.value, p.max])).toEqual([109, 135]);
    await page.screenshot({ path: `${SHOTS}/desktop-light.png`, fullPage: true });
    // The script loads page 2 as the pager comes into view.
    await page.mouse.wheel(0, 5000);
    await page.waitForSelector('ol.board > li:nth-child(6)');
    expect((await rows(page)).map((r) => r[1])).toEqual(['carol', 'alice', LONG, 'hidden member', 'dave', 'erin']);
    expect(await page.isHidden('.pager')).toBe(true);
    await page.context().close();
  });

  it('given no JavaScript then the pager links to the next page and the search form submits', async () => {
    const { page } = await open({ ...DESKTOP, javaScriptEnabled: false }, '/g/unicorn-farm');
    expect((await rows(page)).map((r) => r[1])).toEqual(['carol', 'alice', LONG, 'hidden member']);
    await page.click('a[rel=next]');
    expect(page.url()).toContain('/g/unicorn-farm?page=2');
    expect(await rows(page)).toEqual([
      ['#5', 'dave', 'Level 1', '40 XP'],
      ['#6', 'erin', 'Level 0', '13 XP'],
    ]);
    await page.fill('input[name=q]', 'car');
    await page.press('input[name=q]', 'Enter');
    await page.waitForURL(/\?q=car/);
    expect((await rows(page)).map((r) => r[1])).toEqual(['carol']);
    await page.context().close();
  });

  it('given the period tabs then a click shows that board, the current tab is marked, and a search stays in the period', async () => {
    const { page } = await open(DESKTOP, '/g/unicorn-farm');
    expect(await page.locator('nav.tabs a[aria-current=page]').textContent()).toBe('All time');
    await page.click('nav.tabs >> text=This week');
    await page.waitForURL(/period=week/);
    expect(await page.locator('nav.tabs a[aria-current=page]').textContent()).toBe('This week');
    expect(await rows(page)).toEqual([['#1', 'erin', 'Level 0', '1 XP this week']]);
    expect(await page.textContent('.count')).toBe('1 ranked member this week');
    await page.click('nav.tabs >> text=Last week');
    await page.waitForURL(/period=lastweek/);
    expect((await rows(page)).slice(0, 2)).toEqual([
      ['#1', 'carol', 'Level 11', '1,000 XP last week'],
      ['#2', 'alice', 'Level 7', '500 XP last week'],
    ]);
    await page.fill('input[name=q]', 'dav');
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('ol.board > li').length === 1);
    expect(await rows(page)).toEqual([['#5', 'dave', 'Level 1', '40 XP last week']]);
    expect(page.url()).toContain('period=lastweek&q=dav');
    await page.screenshot({ path: `${SHOTS}/desktop-lastweek.png`, fullPage: true });
    await page.context().close();
  });

  it('given a search typed into the box then only matching members show, with their real rank', async () => {
    const { page } = await open(DESKTOP, '/g/unicorn-farm');
    await page.fill('input[name=q]', 'ERI');
    // A function, not text: the page's CSP forbids eval, which text would need.
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('ol.board > li').length === 1);
    expect(await rows(page)).toEqual([['#6', 'erin', 'Level 0', '13 XP']]);
    expect(page.url()).toContain('?q=ERI');
    // The hidden member cannot be found by their name.
    await page.fill('input[name=q]', 'bob');
    await page.waitForSelector('p.empty');
    expect(await page.$$('ol.board > li')).toHaveLength(0);
    await page.context().close();
  });

  it('given ?member= then the page of that member opens with them highlighted and in view', async () => {
    const { page } = await open(DESKTOP, `/g/unicorn-farm?member=${ids.dave}`);
    expect(page.url()).toContain(`page=2&member=${ids.dave}#m-${ids.dave}`);
    const me = page.locator('li.me');
    expect(await me.locator('.name').textContent()).toBe('dave');
    await expect.poll(() => me.evaluate((el: any) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= el.ownerDocument.defaultView.innerHeight; })).toBe(true);
    // This project's TypeScript has no DOM types: page code takes `any` and reaches the window through the element.
    const border = (el: any) => el.ownerDocument.defaultView.getComputedStyle(el).borderColor;
    expect(await me.evaluate(border)).not.toBe(await page.locator('li:not(.me)').first().evaluate(border));
    await page.context().close();
  });

  it('given a hidden member then no name or avatar of theirs is on the page', async () => {
    const { page } = await open(DESKTOP, '/g/unicorn-farm');
    const html = await page.content();
    expect(html).not.toContain('>bob<');
    expect(await page.locator(`#m-${ids.bob} img`).count()).toBe(0);
    expect(await page.locator(`#m-${ids.bob} .name`).textContent()).toBe('hidden member');
    await page.context().close();
  });

  it('given a server that is not public then its page is a 404 naming nothing', async () => {
    const { page, status } = await open(DESKTOP, `/g/${privateGuild}`);
    expect(status).toBe(404);
    expect(await page.textContent('h1')).toBe('Not found');
    expect(await page.content()).not.toContain('Secret Garden');
    await page.context().close();
  });

  it('given a phone then nothing scrolls sideways, long names are cut with an ellipsis, and dark mode follows the device', async () => {
    const { page } = await open(PHONE, '/g/unicorn-farm');
    const widths = (await page.evaluate('({ scroll: document.documentElement.scrollWidth, view: innerWidth })')) as { scroll: number; view: number };
    expect(widths.scroll).toBeLessThanOrEqual(widths.view);
    const long = page.locator(`#m-${ids.long} .name`);
    expect(await long.evaluate((el: any) => el.scrollWidth > el.clientWidth && el.ownerDocument.defaultView.getComputedStyle(el).textOverflow === 'ellipsis')).toBe(true);
    await page.screenshot({ path: `${SHOTS}/phone-light.png`, fullPage: true });
    const background = 'getComputedStyle(document.body).backgroundColor';
    const light = await page.evaluate(background);
    await page.context().close();

    const dark = await open({ ...PHONE, colorScheme: 'dark' }, '/g/unicorn-farm');
    expect(await dark.page.evaluate(background)).not.toBe(light);
    await dark.page.screenshot({ path: `${SHOTS}/phone-dark.png`, fullPage: true });
    await dark.page.context().close();
    const desktopDark = await open({ ...DESKTOP, colorScheme: 'dark' }, '/g/unicorn-farm');
    await desktopDark.page.screenshot({ path: `${SHOTS}/desktop-dark.png`, fullPage: true });
    await desktopDark.page.context().close();
  });
});
