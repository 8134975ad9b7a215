/**
 * Clubs end to end: the real discord.js client logged in to the in-repo simulator, the real bot on a temporary
 * SQLite file, prefix and slash forms, owner/admin rules and every refusal; club icons are checked by fetching
 * them through the SafeFetcher from a local image server (loopback allowed only through the test option).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { botWorld, type BotWorld } from '../helpers/bot.js';
import { SafeFetcher } from '../../src/net/safe-fetch.js';
import { checkClubName } from '../../src/clubs/club-service.js';
import { PNG_1x1, testShopConfig } from '../shop/helpers.js';

let w: BotWorld;
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/icon.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(PNG_1x1);
    } else if (req.url === '/page.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>not an image</html>');
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  const imageFetcher = new SafeFetcher({ allowLoopbackForTests: true, extraPorts: [port], timeoutMs: 2_000, connectTimeoutMs: 500 });
  w = await botWorld({ config: (await testShopConfig()).holder, imageFetcher });
});
afterAll(async () => {
  await w?.teardown();
  await new Promise((resolve) => server.close(resolve));
});

function member(name: string): string {
  const id = w.sim.createUser({ username: name }).id;
  w.sim.addMember(w.guildId, id);
  return id;
}

function clubRows() {
  const n = (sql: string) => Number(Object.values(w.core.db.prepare(sql).get() as object)[0]);
  return {
    clubs: n('SELECT COUNT(*) FROM Clubs'),
    members: n('SELECT COUNT(*) FROM DiscordUser WHERE ClubId IS NOT NULL'),
    applicants: n('SELECT COUNT(*) FROM ClubApplicants'),
    bans: n('SELECT COUNT(*) FROM ClubBans'),
    users: n('SELECT COUNT(*) FROM DiscordUser'),
    changes: n('SELECT total_changes()'),
  };
}

const say = (userId: string, text: string) => w.prefix(userId, text).then((m) => m.content);

describe('club names', () => {
  it.each([
    ['  Unicorn   Riders ', { ok: true, name: 'Unicorn Riders' }],
    ['Éclair_Club-2', { ok: true, name: 'Éclair_Club-2' }],
    ['x', { ok: false }],
    ['A'.repeat(21), { ok: false }],
    ['bad!name', { ok: false }],
    ['__', { ok: false }],
  ])('given %j then %j', (raw, expected) => {
    expect(checkClubName(raw)).toMatchObject(expected);
  });
});

describe('clubs, end to end', () => {
  it('given create then names follow the rules, are unique ignoring case (also beyond ASCII), and one club per person', async () => {
    const [ann, ben, cat] = [member('ann'), member('ben'), member('cat')];
    const before = clubRows();
    expect(await say(ann, '!club create x')).toBe('A club name must be 2–20 characters long (that one has 1).\nUsage: `!club create <name>`');
    expect(await say(ann, '!club create bad!name')).toBe('A club name may only contain letters, digits, spaces, - and _.\nUsage: `!club create <name>`');
    expect(await say(ann, '!club create')).toContain('Missing `name`');
    expect(clubRows()).toEqual(before);

    expect(await say(ann, '!club create Star  Riders')).toBe('✅ Created the club **Star Riders**. Set its icon with `!club icon <url>`; people join with `!club join Star Riders`.');
    expect(await say(ben, '!club create STAR riders')).toBe('That club name is taken (names are compared ignoring case). Pick another one.\nUsage: `!club create <name>`');
    expect(await say(ann, '!club create Another One')).toBe('You are already in a club. Leave it first with `!club leave` (one club per person).');
    const slash = await w.slash(ben, { name: 'club', subcommand: 'create', options: { name: 'Éclair' } });
    expect(slash.content).toContain('✅ Created the club **Éclair**');
    expect(await say(cat, '!club create éCLAIR')).toContain('That club name is taken');
    expect(await w.bot.app.clubs.clubOf(ann)).toEqual({ name: 'Star Riders', iconUrl: null });
    expect(await w.bot.app.clubs.clubOf(cat)).toBeNull();
  });

  it('given icon then the URL must fetch as an image through the safe fetcher; only the owner may set it', async () => {
    const [owner, other] = [member('iconowner'), member('iconother')];
    await say(owner, '!club create Icon Club');
    expect(await say(owner, `!club icon ${base}/page.html`)).toBe("I can't use that icon: the file is not a PNG, JPEG, GIF or WebP image.\nUsage: `!club icon <url>`");
    expect(await say(owner, `!club icon ${base}/missing.png`)).toBe("I can't use that icon: the server answered HTTP 404.\nUsage: `!club icon <url>`");
    expect(await say(owner, '!club icon http://10.0.0.1/icon.png')).toBe("I can't use that icon: the link points to a private or local address.\nUsage: `!club icon <url>`");
    expect(await say(owner, '!club icon ftp://example.com/icon.png')).toBe('The icon must be an http(s) link to an image, like `https://example.com/icon.png`.\nUsage: `!club icon <url>`');
    expect(await w.bot.app.clubs.clubOf(owner)).toEqual({ name: 'Icon Club', iconUrl: null });

    const ok = await w.slash(owner, { name: 'club', subcommand: 'icon', options: { url: `${base}/icon.png` } });
    expect(ok.content).toBe('✅ Set the icon of **Icon Club**.');
    expect(await w.bot.app.clubs.clubOf(owner)).toEqual({ name: 'Icon Club', iconUrl: `${base}/icon.png` });

    expect(await say(other, `!club icon ${base}/icon.png`)).toContain('You are not in a club.');
    await w.prefix(owner, '!club open true');
    await say(other, '!club join Icon Club');
    expect(await say(other, `!club icon ${base}/icon.png`)).toBe('Only the club owner can do that.');
    expect(await say(owner, '!club icon none')).toBe('✅ Removed the icon of **Icon Club**.');
    expect(await w.bot.app.clubs.clubOf(other)).toEqual({ name: 'Icon Club', iconUrl: null });
  });

  it('given a closed club then people apply, the owner or an admin accepts or rejects, and refusals change nothing', async () => {
    const [own, app1, app2, outsider] = [member('own'), member('app1'), member('app2'), member('outsider')];
    await say(own, '!club create Night Owls');
    expect(await say(own, '!club description Hoot hoot, we fly at night')).toBe('✅ Updated the club description.');
    expect(await say(app1, '!club join Nite Owls')).toBe('There is no club called **Nite Owls**. Did you mean **Night Owls**?\nUsage: `!club join <name>`');
    expect(await say(app1, '!club join night owls')).toBe('📨 You applied to **Night Owls**. Its owner or an admin will accept or reject you.');
    expect(await say(app1, '!club join Night Owls')).toBe('You have already applied to that club; the owner or an admin will accept or reject it.');
    await w.slash(app2, { name: 'club', subcommand: 'join', options: { name: 'Night Owls' } });

    const list = await w.prefix(own, '!club applicants');
    expect(list.embeds[0]!.title).toBe('Applications to Night Owls');
    expect(list.embeds[0]!.description).toContain(`<@${app1}>`);
    expect(list.embeds[0]!.description).toContain(`<@${app2}>`);
    expect(await say(app1, '!club applicants')).toContain('You are not in a club.');

    const before = clubRows();
    expect(await say(outsider, `!club accept <@${app1}>`)).toContain('You are not in a club.');
    expect(await say(own, `!club accept <@${outsider}>`)).toBe('That person has not applied to your club. See `!club applicants`.\nUsage: `!club accept <user>`');
    expect(clubRows()).toEqual(before);

    expect(await say(own, `!club accept <@${app1}>`)).toBe(`✅ <@${app1}> is now a member of **Night Owls**.`);
    expect(await say(app1, `!club reject <@${app2}>`)).toBe('Only the club owner and club admins can do that.');
    expect((await w.slash(own, { name: 'club', subcommand: 'reject', options: { user: app2 } })).content).toBe(`✅ Rejected the application of <@${app2}>.`);
    expect((await w.bot.app.clubs.clubOf(app1))?.name).toBe('Night Owls');
    expect(await w.bot.app.clubs.clubOf(app2)).toBeNull();
    expect(await say(app1, '!club join Star Riders')).toContain('You are already in a club.');

    expect(await say(own, '!club open yes')).toBe('✅ Your club is open: anyone can join at once.');
    expect(await say(app2, '!club join Night Owls')).toBe('✅ You joined **Night Owls**.');
    expect(await say(app2, '!club open no')).toBe('Only the club owner can do that.');
    expect(await say(app2, '!club description we rule')).toBe('Only the club owner can do that.');
    expect(await say(own, '!club description none')).toBe('✅ Removed the club description.');
    expect(w.core.stores.clubs.byName('Night Owls')!.description).toBeNull();
    expect(await say(own, '!club open maybe')).toBe('`open` must be true or false, not `maybe`.\nUsage: `!club open <open>`');
  });

  it('given leave, kick, ban, unban, admin and transfer then the owner/admin rules hold', async () => {
    const [boss, mod, m1, m2, stranger] = [member('boss'), member('mod'), member('m1'), member('m2'), member('stranger')];
    await say(boss, '!club create Moon Pack');
    await say(boss, '!club open true');
    for (const u of [mod, m1, m2]) await say(u, '!club join Moon Pack');

    expect(await say(boss, '!club leave')).toBe('The owner cannot leave the club: hand it over with `!club transfer <user>` or delete it with `!club disband <name>`.');
    expect(await say(stranger, '!club leave')).toContain('You are not in a club.');
    expect(await say(m2, '!club leave')).toBe('✅ You left **Moon Pack**.');
    await say(m2, '!club join Moon Pack');

    expect(await say(mod, `!club kick <@${m1}>`)).toBe('Only the club owner and club admins can do that.');
    expect(await say(mod, `!club admin <@${m1}>`)).toBe('Only the club owner can do that.');
    expect(await say(boss, `!club admin <@${stranger}>`)).toBe('That person is not a member of your club.\nUsage: `!club admin <user> [admin]`');
    expect(await say(boss, `!club admin <@${mod}>`)).toBe(`✅ <@${mod}> is now a club admin: they can accept applicants and kick or ban members.`);
    await say(boss, `!club admin <@${m2}> true`);
    expect((await w.slash(boss, { name: 'club', subcommand: 'admin', options: { user: m1, admin: false } })).content).toBe(`✅ <@${m1}> is no longer a club admin.`);

    expect(await say(mod, `!club kick <@${boss}>`)).toBe('The club owner cannot be kicked or banned.\nUsage: `!club kick <user>`');
    expect(await say(mod, `!club kick <@${m2}>`)).toBe('Only the club owner can kick or ban a club admin.\nUsage: `!club kick <user>`');
    expect(await say(mod, `!club kick <@${mod}>`)).toBe("You can't do that to yourself.\nUsage: `!club kick <user>`");
    expect(await say(mod, `!club kick <@${stranger}>`)).toBe('That person is not a member of your club.\nUsage: `!club kick <user>`');
    expect(await say(mod, `!club kick <@${m1}>`)).toBe(`✅ Kicked <@${m1}> from the club. They can apply again (ban them to stop that).`);
    expect(await w.bot.app.clubs.clubOf(m1)).toBeNull();

    await say(m1, '!club join Moon Pack');
    expect((await w.slash(mod, { name: 'club', subcommand: 'ban', options: { user: m1 } })).content).toBe(`✅ Banned <@${m1}> from the club and removed them.`);
    expect(await say(mod, `!club ban <@${m1}>`)).toBe('That person is already banned from your club.\nUsage: `!club ban <user>`');
    expect(await say(m1, '!club join Moon Pack')).toBe('You are banned from that club.');
    expect(await say(mod, `!club ban <@${stranger}>`)).toBe(`✅ Banned <@${stranger}> from the club.`);
    expect(await say(mod, `!club unban <@${m1}>`)).toBe(`✅ <@${m1}> may apply to the club again.`);
    expect(await say(mod, `!club unban <@${m1}>`)).toBe('That person is not banned from your club.\nUsage: `!club unban <user>`');
    expect(await say(m1, '!club join Moon Pack')).toBe('✅ You joined **Moon Pack**.');

    expect(await say(mod, `!club transfer <@${m1}>`)).toBe('Only the club owner can do that.');
    expect(await say(boss, `!club transfer <@${stranger}>`)).toBe('That person is not a member of your club.\nUsage: `!club transfer <user>`');
    expect(await say(boss, `!club transfer <@${m1}>`)).toBe(`✅ <@${m1}> now owns **Moon Pack**. You stay in it as an admin.`);
    expect(await say(boss, '!club leave')).toBe('✅ You left **Moon Pack**.');
    expect(await say(m1, '!club leave')).toContain('The owner cannot leave the club');
  });

  it('given info and the leaderboard then club XP is the sum of the members\' XP, and reading writes nothing', async () => {
    const [a, b, c] = [member('lb-a'), member('lb-b'), member('lb-c')];
    await say(a, '!club create Alpha');
    await say(a, '!club open on');
    await say(b, '!club join Alpha');
    await say(c, '!club create Gamma');
    w.core.engine.adjustXp(w.guildId, a, { set: 1000 });
    w.core.engine.adjustXp(w.guildId, b, { set: 500 });
    w.core.engine.adjustXp(w.guildId, c, { set: 1200 });
    await w.core.flusher.flush();

    const before = clubRows();
    const info = await w.prefix(b, '!club info');
    expect(info.embeds[0]!.title).toBe('Alpha');
    const fields = Object.fromEntries(info.embeds[0]!.fields!.map((f) => [f.name, f.value]));
    expect(fields).toMatchObject({ Owner: `<@${a}>`, XP: '1,500', Rank: expect.stringMatching(/^#1 of \d+$/), Joining: 'Open: anyone joins at once' });
    expect(fields['Members (2)']).toBe(`👑 <@${a}> · 1,000 XP\n• <@${b}> · 500 XP`);
    const slash = await w.slash(a, { name: 'club', subcommand: 'info', options: { name: 'gamma' } });
    expect(slash.embeds[0]!.fields!.find((f) => f.name === 'XP')!.value).toBe('1,200');
    expect(await say(a, '!club info Gama')).toBe('There is no club called **Gama**. Did you mean **Gamma**?\nUsage: `!club info [name]`');
    expect(await say(member('nobody'), '!club info')).toContain('You are not in a club.');

    const lb = await w.prefix(a, '!club leaderboard');
    const lines = lb.embeds[0]!.description!.split('\n');
    expect(lines[0]).toBe('**#1** Alpha — 1,500 XP · 2 members ← yours');
    expect(lines[1]).toBe('**#2** Gamma — 1,200 XP · 1 member');
    expect((await w.prefix(a, '!clubs 1')).embeds[0]!.title).toBe('Club leaderboard');
    expect(clubRows()).toEqual(before); // info and leaderboard only read
  });

  it('given more than ten clubs then the leaderboard pages with buttons only its invoker may press', async () => {
    for (let i = 0; i < 12; i++) await say(member(`page${i}`), `!club create Page Club ${i}`);
    const first = await w.prefix(w.alice, '!club lb');
    const total = w.core.stores.clubs.count();
    const pages = Math.ceil(total / 10);
    expect(first.embeds[0]!.footer!.text).toBe(`Page 1 / ${pages} · club XP = the sum of its members' XP`);
    const ids = (first.components as unknown as { components: { custom_id: string; disabled?: boolean }[] }[])[0]!.components;
    expect(ids.map((b) => b.custom_id.split(':').pop())).toEqual(['prev', 'next']);
    expect(ids[0]!.disabled).toBe(true);
    const stranger = await w.sim.pressButton({ messageId: first.id, customId: ids[1]!.custom_id, userId: w.bob }).reply();
    expect(stranger.content).toContain(`Only <@${w.alice}> can use these buttons`);
    const next = await w.sim.pressButton({ messageId: first.id, customId: ids[1]!.custom_id, userId: w.alice }).reply();
    expect(next.embeds[0]!.footer!.text).toMatch(/^Page 2 \//);
    expect(next.embeds[0]!.description).toMatch(/^\*\*#11\*\* /);
  });

  it('given disband then only the owner may, the name must be typed to confirm, and every member is released', async () => {
    const [o, m] = [member('dis-o'), member('dis-m')];
    await say(o, '!club create Short Lived');
    await say(o, '!club open true');
    await say(m, '!club join Short Lived');
    expect(await say(m, '!club disband Short Lived')).toBe('Only the club owner can do that.');
    expect(await say(o, '!club disband Long Lived')).toBe('To confirm, type your club\'s name exactly: **Short Lived**.\nUsage: `!club disband Short Lived`');
    expect((await w.bot.app.clubs.clubOf(m))?.name).toBe('Short Lived');
    expect(await say(o, '!club disband short lived')).toBe('✅ Disbanded **Short Lived** (2 members released).');
    expect(await w.bot.app.clubs.clubOf(o)).toBeNull();
    expect(await w.bot.app.clubs.clubOf(m)).toBeNull();
    expect(await say(m, '!club create Short Lived')).toContain('✅ Created the club **Short Lived**');
  });
});
