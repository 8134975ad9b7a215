/**
 * Every built-in command in both forms: the prefix line in one server and the slash command in another must give
 * the same reply and leave the same settings (ids differ between the two servers, so they are named first).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botWorld, type BotWorld } from '../helpers/bot.js';
import { allCommands } from '../../src/discord/commands/index.js';
import { COMMAND_TREE } from '../../src/discord/commands/tree.js';
import type { OptionValue } from '../../src/simulator/index.js';
import { XpCardService } from '../../src/discord/xp-card.js';
import { XpConfigHolder } from '../../src/config/xp-config.js';
import { silentLogger } from '../../src/util/logger.js';
import { memberCardRequest } from '../../src/discord/member-card.js';
import { levelStats } from '../../src/levels/curve.js';
import { DEFAULT_SETTINGS } from '../../src/engine/settings.js';

interface Fixture {
  w: BotWorld;
  role: string;
  spam: string;
  names: Map<string, string>;
}

async function fixture(): Promise<Fixture> {
  // Real cards: the accent commands judge a colour on the card they draw.
  const fetcher = { fetchImage: () => Promise.reject(new Error('no network in tests')) };
  const w = await botWorld({ cards: XpCardService.create(silentLogger, { fetcher, renderer: { size: 1 } }), config: await XpConfigHolder.load('xp_config.yml') });
  // The first render loads fonts and decodes the background (seconds on a loaded machine): done here, outside the
  // simulator's reply timeout.
  const user = { id: w.alice, username: 'alice', displayName: 'alice', bot: false, avatarUrl: null };
  await w.bot.app.cards!.render(await memberCardRequest(w.bot.app, w.guildId, user, { ...levelStats(0), rank: 1 }));
  const role = w.sim.createRole(w.guildId, { name: 'Novice', position: 1 }).id;
  const spam = w.sim.createChannel(w.guildId, { name: 'spam' }).id;
  w.core.engine.adjustXp(w.guildId, w.alice, { set: 500 });
  w.core.engine.adjustXp(w.guildId, w.bob, { set: 250 });
  const names = new Map([[w.alice, 'ALICE'], [w.bob, 'BOB'], [w.admin, 'ADMIN'], [role, 'ROLE'], [spam, 'SPAM'], [w.general, 'GENERAL'], [w.category, 'CATEGORY'], [w.guildId, 'GUILD']]);
  return { w, role, spam, names };
}

type Case = {
  path: string;
  prefix: (f: Fixture) => string;
  options?: (f: Fixture) => Record<string, OptionValue>;
  /** Shows a secret: the prefix form refuses (its answer is public); the slash form's private answer matches this. */
  secret?: RegExp;
};

const cases: Case[] = [
  { path: 'level check', prefix: (f) => `level check <@${f.w.bob}>`, options: (f) => ({ user: f.w.bob }) },
  { path: 'level leaderboard', prefix: () => 'level leaderboard 1', options: () => ({ page: 1 }) },
  { path: 'level history', prefix: (f) => `level history <@${f.w.bob}> 7`, options: (f) => ({ user: f.w.bob, days: 7 }) },
  // A member's objection to tracking (the admin runs them here, for themselves).
  { path: 'level optout', prefix: () => 'optout', options: () => ({}) },
  { path: 'level optin', prefix: () => 'level optin' },
  { path: 'level optout', prefix: () => 'level optout yes', options: () => ({ erase: true }) },
  { path: 'level optin', prefix: () => 'optin' },
  { path: 'level card color', prefix: () => 'level card colour #FFA3E0', options: () => ({ color: '#ffa3e0' }) },
  { path: 'level card color', prefix: () => 'level card color #ff66cc', options: () => ({ color: '#ff66cc' }) },
  { path: 'level card color', prefix: () => 'level card color' },
  { path: 'unicornia card accent', prefix: () => 'unicornia card accent #6acefa', options: () => ({ color: '#6acefa' }) },
  // Version 1's names (prefix aliases) and the new ones, both reaching the same commands.
  { path: 'unicornia xp enabled', prefix: () => 'unicornia guild xpenabled off', options: () => ({ enabled: 'false' }) },
  { path: 'unicornia xp permessage', prefix: () => 'unicornia xp permessage 3', options: () => ({ value: '3' }) },
  { path: 'unicornia xp cooldown', prefix: () => 'unicornia guild cooldown 30', options: () => ({ value: '30' }) },
  { path: 'unicornia xp rate', prefix: () => 'unicornia xp rate 1.5', options: () => ({ value: '1.5' }) },
  { path: 'unicornia voice xp', prefix: () => 'unicornia guild voicexp 2 false 600', options: () => ({ perminute: '2', antifarm: 'false', dailycap: '600' }) },
  { path: 'unicornia voice muted', prefix: () => 'unicornia voice muted off', options: () => ({ enabled: 'false' }) },
  { path: 'unicornia voice stageaudience', prefix: () => 'unicornia voice stageaudience 40', options: () => ({ value: '40' }) },
  { path: 'unicornia curve set', prefix: () => 'unicornia curve set 10 20', options: () => ({ a: 10, c: 20 }) },
  { path: 'unicornia curve preset', prefix: () => 'unicornia curve preset mee6', options: () => ({ preset: 'mee6' }) },
  { path: 'unicornia curve preview', prefix: () => 'unicornia curve preview 10 20', options: () => ({ curve: '10', c: 20 }) },
  { path: 'unicornia settings prefix', prefix: () => 'unicornia guild prefix ?', options: () => ({ prefix: '?' }) },
  { path: 'rewards rejoinroles', prefix: () => '?unicornia rewards rejoinroles no', options: () => ({ enabled: 'false' }) },
  { path: 'unicornia exclusions addchannel', prefix: (f) => `?unicornia guild excludechannel <#${f.spam}>`, options: (f) => ({ channel: f.spam }) },
  { path: 'unicornia exclusions removechannel', prefix: (f) => `?unicornia exclusions removechannel ${f.spam}`, options: (f) => ({ channel: f.spam }) },
  { path: 'unicornia exclusions addrole', prefix: () => '?unicornia exclusions addrole Novice', options: (f) => ({ role: f.role }) },
  { path: 'unicornia exclusions removerole', prefix: (f) => `?unicornia guild includerole <@&${f.role}>`, options: (f) => ({ role: f.role }) },
  { path: 'unicornia exclusions adduser', prefix: (f) => `?unicornia exclusions adduser <@${f.w.bob}>`, options: (f) => ({ user: f.w.bob }) },
  { path: 'unicornia exclusions removeuser', prefix: (f) => `?unicornia guild includeuser ${f.w.bob}`, options: (f) => ({ user: f.w.bob }) },
  { path: 'unicornia exclusions addrole', prefix: () => '?unicornia guild excluderole Novice', options: (f) => ({ role: f.role }) },
  { path: 'unicornia exclusions list', prefix: () => '?unicornia exclusions list' },
  { path: 'rewards role', prefix: (f) => `?unicornia guild rolereward 5 <@&${f.role}>`, options: (f) => ({ level: 5, role: f.role }) },
  { path: 'rewards role', prefix: () => '?rewards role 9 Novice remove', options: (f) => ({ level: 9, role: f.role, action: 'remove' }) },
  { path: 'rewards role', prefix: () => '?rewards role 12 Novice give replace', options: (f) => ({ level: 12, role: f.role, action: 'give', mode: 'replace' }) },
  { path: 'rewards mode', prefix: () => '?unicornia rewards mode replace', options: () => ({ mode: 'replace' }) },
  { path: 'rewards roles', prefix: () => '?rewards roles' },
  { path: 'rewards sync', prefix: (f) => `?rewards sync <@${f.w.bob}>`, options: (f) => ({ member: f.w.bob }) },
  { path: 'rewards sync', prefix: () => '?rolerewards sync all' },
  { path: 'unicornia settings show', prefix: () => '?unicornia settings show' },
  { path: 'rewards mode', prefix: () => '?rewards mode default', options: () => ({ mode: 'default' }) },
  { path: 'rewards currency', prefix: () => '?unicornia guild currencyreward 5 1,000', options: () => ({ level: 5, amount: 1000 }) },
  { path: 'rewards currencies', prefix: () => '?rewards currencies' },
  { path: 'levelup where', prefix: (f) => `?unicornia guild levelupmessages fixed <#${f.spam}> true`, options: (f) => ({ mode: 'fixed', channel: f.spam, ping: 'true' }) },
  { path: 'levelup message', prefix: () => '?levelup message GG {user}, level {level}!', options: () => ({ template: 'GG {user}, level {level}!' }) },
  { path: 'levelup style', prefix: () => '?levelup style embed', options: () => ({ style: 'embed' }) },
  { path: 'levelup title', prefix: () => '?levelup title {username} is level {level}', options: () => ({ title: '{username} is level {level}' }) },
  { path: 'levelup footer', prefix: () => '?levelup footer Rank {rank} · next: {nextreward}', options: () => ({ footer: 'Rank {rank} · next: {nextreward}' }) },
  { path: 'levelup color', prefix: () => '?unicornia levelup colour #F59E0B', options: () => ({ color: '#f59e0b' }) },
  { path: 'levelup thumbnail', prefix: () => '?levelup thumbnail no', options: () => ({ enabled: 'false' }) },
  { path: 'levelup level', prefix: () => '?levelup level 5 🏆 {user} is level {level}!', options: () => ({ level: 5, template: '🏆 {user} is level {level}!' }) },
  { path: 'levelup levels', prefix: () => '?levelup levels' },
  { path: 'levelup card', prefix: () => '?levelup card on', options: () => ({ card: 'on' }) },
  { path: 'levelup preview', prefix: () => '?unicornia guild levelupmessage preview 5', options: () => ({ level: 5 }) },
  { path: 'levelup card', prefix: () => '?levelup card default', options: () => ({ card: 'default' }) },
  { path: 'levelup level', prefix: () => '?levelup level 5 default', options: () => ({ level: 5, template: 'default' }) },
  { path: 'levelup title', prefix: () => '?levelup title {guild}{guild}{guild}', options: () => ({ title: '{guild}{guild}{guild}' }) },
  { path: 'levelup style', prefix: () => '?levelup style text', options: () => ({ style: 'text' }) },
  { path: 'levelup preview', prefix: () => '?levelup preview' },
  { path: 'unicornia multipliers channel', prefix: (f) => `?unicornia guild channelmultiplier <#${f.spam}> 2`, options: (f) => ({ channel: f.spam, multiplier: '2' }) },
  { path: 'unicornia multipliers role', prefix: () => '?unicornia multipliers role Novice 0.5', options: (f) => ({ role: f.role, multiplier: '0.5' }) },
  { path: 'unicornia xpevent start', prefix: (f) => `?unicornia xpevent start 2 1d12h now <#${f.spam}> Novice`, options: (f) => ({ multiplier: 2, duration: '1d12h', starts: 'now', channels: `<#${f.spam}>`, roles: 'Novice' }) },
  { path: 'unicornia xpevent list', prefix: () => '?unicornia xpevent list' },
  { path: 'unicornia xpevent cancel', prefix: () => '?unicornia xpevent cancel 1', options: () => ({ id: 1 }) },
  // Seasons (DESIGN §15.3): the XP changes below count in the first one; it ends (closed in the background), a
  // weekly one starts and is cancelled.
  { path: 'unicornia season start', prefix: () => '?unicornia season start "Spring Cup" 2026-02-01 2 Novice', options: (f) => ({ name: 'Spring Cup', end: '2026-02-01', winners: 2, role: f.role }) },
  { path: 'unicornia xp add', prefix: (f) => `?unicornia guild xp add <@${f.w.alice}> 100`, options: (f) => ({ user: f.w.alice, amount: 100 }) },
  { path: 'unicornia xp set', prefix: (f) => `?unicornia xp set <@${f.w.alice}> 900`, options: (f) => ({ user: f.w.alice, amount: 900 }) },
  { path: 'unicornia season end', prefix: () => '?unicornia season end' },
  { path: 'unicornia season start', prefix: () => '?unicornia season start Weekly weekly', options: () => ({ name: 'Weekly', end: 'weekly' }) },
  { path: 'unicornia season cancel', prefix: () => '?unicornia season cancel' },
  { path: 'unicornia xp reset', prefix: (f) => `?unicornia guild xp reset <@${f.w.bob}>`, options: (f) => ({ user: f.w.bob }) },
  // Nadeko's `.xprate #channel <amount> <minutes>`: 2 minutes is the slash form's 120 seconds.
  { path: 'unicornia channels rate', prefix: (f) => `?xprate <#${f.spam}> 5 2`, options: (f) => ({ channel: f.spam, xp: '5', cooldown: '120' }) },
  { path: 'unicornia channels rate', prefix: (f) => `?unicornia channels rate <#${f.w.general}> 0`, options: (f) => ({ channel: f.w.general, xp: '0' }) },
  { path: 'unicornia channels rate', prefix: (f) => `?unicornia channels rate <#${f.w.category}> 2 15`, options: (f) => ({ channel: f.w.category, xp: '2', cooldown: '15' }) },
  { path: 'unicornia channels list', prefix: () => '?xpratelist' },
  { path: 'unicornia channels reset', prefix: (f) => `?xpratereset <#${f.w.general}>`, options: (f) => ({ channel: f.w.general }) },
  { path: 'unicornia antispam minlength', prefix: () => '?unicornia antispam minlength 5', options: () => ({ value: '5' }) },
  { path: 'unicornia antispam similarity', prefix: () => '?unicornia antispam similarity 85', options: () => ({ percent: '85' }) },
  { path: 'server data retention', prefix: () => '?server data retention 30', options: () => ({ days: '30' }) },
  { path: 'level privacy hide', prefix: () => '?level privacy hide' },
  { path: 'level privacy show', prefix: () => '?level privacy web show' },
  { path: 'server web public', prefix: () => '?server web public on', options: () => ({ state: 'on' }) },
  { path: 'server web apikey-revoke', prefix: () => '?server web apikey revoke 99', options: () => ({ id: 99 }) },
  { path: 'server web apikey-list', prefix: () => '?server web apikey list' },
  { path: 'server web apikey-create', prefix: () => '?server web apikey create', secret: /API key #1 .*\n`unk_[\w-]{32}`/ },
  { path: 'server web webhook-list', prefix: () => '?server web webhook list' },
  { path: 'server web webhook-remove', prefix: () => '?server web webhook remove 99', options: () => ({ id: 99 }) },
  // Offline, a private address is the URL the slash form can be given: it is refused like any unsafe target.
  { path: 'server web webhook-add', prefix: () => '?server web webhook add https://10.0.0.1/hook', options: () => ({ url: 'https://10.0.0.1/hook' }), secret: /cannot receive webhooks: .*10\.0\.0\.1/ },
  { path: 'unicornia settings history', prefix: () => '?unicornia historyretention 400', options: () => ({ days: '400' }) },
  { path: 'unicornia settings calendar', prefix: () => '?unicornia timezone europe/berlin sunday', options: () => ({ timezone: 'Europe/Berlin', weekstart: 'sunday' }) },
  { path: 'unicornia settings history', prefix: () => '?unicornia settings history 0', options: () => ({ days: '0' }) },
  { path: 'unicornia settings calendar', prefix: () => '?unicornia settings calendar utc monday', options: () => ({ timezone: 'UTC', weekstart: 'monday' }) },
  // `default` puts each back, also a week start alone after a zone (DESIGN §15.1, §15.2).
  { path: 'unicornia settings history', prefix: () => '?unicornia settings history 90', options: () => ({ days: '90' }) },
  { path: 'unicornia settings calendar', prefix: () => '?unicornia settings calendar asia/tokyo friday', options: () => ({ timezone: 'Asia/Tokyo', weekstart: 'friday' }) },
  { path: 'unicornia settings calendar', prefix: () => '?unicornia settings calendar Asia/Tokyo Default', options: () => ({ timezone: 'Asia/Tokyo', weekstart: 'default' }) },
  // XP decay (DESIGN §15.4): a preview before it is on, the policy, exempt roles, off, and back to the default.
  { path: 'unicornia decay preview', prefix: () => '?unicornia decay preview 14 10% week', options: () => ({ after_days: 14, amount: '10%', per: 'week' }) },
  { path: 'unicornia decay set', prefix: () => '?unicornia decay set 30 5% day', options: () => ({ after_days: '30', amount: '5%', per: 'day' }) },
  { path: 'unicornia decay floor', prefix: () => '?unicornia decay floor 2', options: () => ({ level: '2' }) },
  { path: 'unicornia decay exempt', prefix: () => '?unicornia decay exempt add Novice', options: (f) => ({ action: 'add', role: f.role }) },
  { path: 'unicornia decay preview', prefix: () => '?unicornia decay preview' },
  { path: 'unicornia settings show', prefix: () => '?unicornia settings show' },
  { path: 'unicornia decay off', prefix: () => '?unicornia decay off' },
  { path: 'unicornia decay exempt', prefix: (f) => `?unicornia decay exempt remove <@&${f.role}>`, options: (f) => ({ action: 'remove', role: f.role }) },
  { path: 'unicornia decay floor', prefix: () => '?unicornia decay floor default', options: () => ({ level: 'default' }) },
  { path: 'unicornia decay set', prefix: () => '?unicornia decay set default', options: () => ({ after_days: 'default' }) },
  { path: 'level leaderboard', prefix: () => '?level leaderboard 1 week', options: () => ({ page: 1, period: 'week' }) },
  { path: 'level check', prefix: (f) => `?level check <@${f.w.bob}> month`, options: (f) => ({ user: f.w.bob, period: 'month' }) },
  { path: 'unicornia settings show', prefix: () => '?unicornia guild settings' },
  { path: 'server data export', prefix: () => '?unicornia data export' },
  { path: 'server data delete', prefix: () => '?server data delete' },
  { path: 'unicornia card accent', prefix: () => '?unicornia card accent default', options: () => ({ color: 'default' }) },
  // The word `default` puts every setting back (prefix and slash alike).
  { path: 'unicornia xp enabled', prefix: () => '?unicornia xp enabled default', options: () => ({ enabled: 'default' }) },
  { path: 'unicornia xp permessage', prefix: () => '?unicornia xp permessage DEFAULT', options: () => ({ value: 'default' }) },
  { path: 'unicornia xp cooldown', prefix: () => '?unicornia xp cooldown default', options: () => ({ value: 'default' }) },
  { path: 'unicornia xp rate', prefix: () => '?unicornia xp rate default', options: () => ({ value: 'default' }) },
  { path: 'unicornia voice xp', prefix: () => '?unicornia voice xp default default default', options: () => ({ perminute: 'default', antifarm: 'default', dailycap: 'default' }) },
  { path: 'unicornia voice muted', prefix: () => '?unicornia voice muted default', options: () => ({ enabled: 'default' }) },
  { path: 'unicornia voice stageaudience', prefix: () => '?unicornia voice stageaudience default', options: () => ({ value: 'default' }) },
  { path: 'unicornia antispam minlength', prefix: () => '?unicornia antispam minlength default', options: () => ({ value: 'default' }) },
  { path: 'unicornia antispam similarity', prefix: () => '?unicornia antispam similarity default', options: () => ({ percent: 'default' }) },
  { path: 'unicornia channels rate', prefix: (f) => `?unicornia channels rate <#${f.w.category}> 4 default`, options: (f) => ({ channel: f.w.category, xp: '4', cooldown: 'default' }) },
  { path: 'unicornia channels rate', prefix: (f) => `?unicornia channels rate <#${f.w.category}> default`, options: (f) => ({ channel: f.w.category, xp: 'default' }) },
  { path: 'unicornia multipliers role', prefix: () => '?unicornia multipliers role Novice default', options: (f) => ({ role: f.role, multiplier: 'default' }) },
  { path: 'rewards rejoinroles', prefix: () => '?rewards rejoinroles default', options: () => ({ enabled: 'default' }) },
  { path: 'levelup where', prefix: () => '?levelup where default default', options: () => ({ mode: 'default', ping: 'default' }) },
  { path: 'levelup style', prefix: () => '?levelup style default', options: () => ({ style: 'default' }) },
  { path: 'levelup thumbnail', prefix: () => '?levelup thumbnail default', options: () => ({ enabled: 'default' }) },
  { path: 'levelup message', prefix: () => '?levelup message default', options: () => ({ template: 'default' }) },
  { path: 'levelup title', prefix: () => '?levelup title default', options: () => ({ title: 'default' }) },
  { path: 'levelup footer', prefix: () => '?levelup footer default', options: () => ({ footer: 'default' }) },
  { path: 'levelup color', prefix: () => '?levelup color default', options: () => ({ color: 'default' }) },
  { path: 'levelup card', prefix: () => '?levelup card default', options: () => ({ card: 'default' }) },
  { path: 'unicornia curve preset', prefix: () => '?unicornia curve preset default', options: () => ({ preset: 'default' }) },
  { path: 'server data retention', prefix: () => '?server data retention default', options: () => ({ days: 'default' }) },
  { path: 'unicornia settings show', prefix: () => '?unicornia settings' },
  { path: 'unicornia settings history', prefix: () => '?unicornia historyretention default', options: () => ({ days: 'default' }) },
  { path: 'unicornia settings calendar', prefix: () => '?unicornia settings calendar DEFAULT', options: () => ({ timezone: 'default' }) },
  // Last: the text prefix back to the bot's own ('!').
  { path: 'unicornia settings prefix', prefix: () => '?unicornia settings prefix default', options: () => ({ prefix: 'default' }) },
];

function normalize(f: Fixture, value: unknown): string {
  let text = JSON.stringify(value);
  for (const [id, name] of f.names) text = text.replaceAll(id, name);
  return text;
}

async function rulesSnapshot(f: Fixture): Promise<string> {
  const r = await f.w.core.engine.rules(f.w.guildId);
  return normalize(f, {
    ...r,
    excludedChannels: [...r.excludedChannels],
    excludedRoles: [...r.excludedRoles],
    excludedUsers: [...r.excludedUsers],
    optedOut: [...r.optedOut],
    channelMultipliers: [...r.channelMultipliers],
    roleMultipliers: [...r.roleMultipliers],
    channelRates: [...r.channelRates],
    levelUpMessages: [...r.levelUpMessages],
    xp: await Promise.all([f.w.alice, f.w.bob].map((u) => f.w.core.engine.xpOf(f.w.guildId, u))),
    accent: await f.w.bot.app.shop.accentOf(f.w.admin),
  });
}

describe('prefix and slash forms', () => {
  let p: Fixture;
  let s: Fixture;
  beforeAll(async () => {
    [p, s] = await Promise.all([fixture(), fixture()]);
  });
  afterAll(async () => {
    await Promise.all([p?.w.teardown(), s?.w.teardown()]);
  });

  it('given the case list then it covers every built-in command', () => {
    const builtIn = allCommands.map((c) => c.path).filter((p) => p[0] === 'level' || COMMAND_TREE[p[0]!]?.audience === 'admin').map((p) => p.join(' '));
    expect(new Set(cases.map((c) => c.path))).toEqual(new Set(builtIn));
  });

  it('given each command in both forms then replies and resulting settings are the same', async () => {
    for (const c of cases) {
      const line = c.prefix(p);
      const viaPrefix = await p.w.prefix(p.w.admin, line.startsWith('?') ? line : `!${line}`);
      const [name, group, sub] = c.path.split(' ') as [string, string?, string?];
      const viaSlash = await s.w.slash(s.w.admin, { name, subcommandGroup: sub ? group : undefined, subcommand: sub ?? group, options: c.options?.(s) ?? {} });
      const shape = (f: Fixture, m: typeof viaPrefix) => normalize(f, { content: m.content, embeds: m.embeds, files: m.attachments.map((a) => a.filename) });
      if (c.secret) {
        expect(viaPrefix.content, c.path).toContain('Nothing was created');
        expect(viaSlash.content, c.path).toMatch(c.secret);
        continue;
      }
      expect(shape(s, viaSlash), c.path).toBe(shape(p, viaPrefix));
      expect(await rulesSnapshot(s), c.path).toBe(await rulesSnapshot(p));
    }
  });

  it('given the cases end with every setting set to `default` then every setting is at its default, in both servers', async () => {
    for (const f of [p, s]) {
      // The fixed announcement channel stays remembered (only mode fixed uses it).
      expect((await f.w.core.engine.rules(f.w.guildId)).settings).toEqual({ ...DEFAULT_SETTINGS, announceChannelId: f.spam });
    }
  });
});
