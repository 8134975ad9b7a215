/**
 * Every built-in command in both forms: the prefix line in one server and the slash command in another must give
 * the same reply and leave the same settings (ids differ between the two servers, so they are named first).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botWorld, type BotWorld } from '../helpers/bot.js';
import { allCommands } from '../../src/discord/commands/index.js';
import type { OptionValue } from '../../src/simulator/index.js';

interface Fixture {
  w: BotWorld;
  role: string;
  spam: string;
  names: Map<string, string>;
}

async function fixture(): Promise<Fixture> {
  const w = await botWorld();
  const role = w.sim.createRole(w.guildId, { name: 'Novice', position: 1 }).id;
  const spam = w.sim.createChannel(w.guildId, { name: 'spam' }).id;
  w.core.engine.adjustXp(w.guildId, w.alice, { set: 500 });
  w.core.engine.adjustXp(w.guildId, w.bob, { set: 250 });
  const names = new Map([[w.alice, 'ALICE'], [w.bob, 'BOB'], [w.admin, 'ADMIN'], [role, 'ROLE'], [spam, 'SPAM'], [w.general, 'GENERAL'], [w.guildId, 'GUILD']]);
  return { w, role, spam, names };
}

type Case = { path: string; prefix: (f: Fixture) => string; options?: (f: Fixture) => Record<string, OptionValue> };

const cases: Case[] = [
  { path: 'level check', prefix: (f) => `level check <@${f.w.bob}>`, options: (f) => ({ user: f.w.bob }) },
  { path: 'level leaderboard', prefix: () => 'level leaderboard 1', options: () => ({ page: 1 }) },
  { path: 'unicornia guild xpenabled', prefix: () => 'unicornia guild xpenabled off', options: () => ({ enabled: false }) },
  { path: 'unicornia guild xppermessage', prefix: () => 'unicornia guild xppermessage 3', options: () => ({ value: 3 }) },
  { path: 'unicornia guild cooldown', prefix: () => 'unicornia guild cooldown 30', options: () => ({ value: 30 }) },
  { path: 'unicornia guild xprate', prefix: () => 'unicornia guild xprate 1.5', options: () => ({ value: 1.5 }) },
  { path: 'unicornia guild voicexp', prefix: () => 'unicornia guild voicexp 2 false 600', options: () => ({ perminute: 2, antifarm: false, dailycap: 600 }) },
  { path: 'unicornia guild curve', prefix: () => 'unicornia guild curve 10 20', options: () => ({ a: 10, c: 20 }) },
  { path: 'unicornia guild prefix', prefix: () => 'unicornia guild prefix ?', options: () => ({ prefix: '?' }) },
  { path: 'unicornia guild rejoinroles', prefix: () => '?unicornia guild rejoinroles no', options: () => ({ enabled: false }) },
  { path: 'unicornia guild excludechannel', prefix: (f) => `?unicornia guild excludechannel <#${f.spam}>`, options: (f) => ({ channel: f.spam }) },
  { path: 'unicornia guild includechannel', prefix: (f) => `?unicornia guild includechannel ${f.spam}`, options: (f) => ({ channel: f.spam }) },
  { path: 'unicornia guild excluderole', prefix: () => '?unicornia guild excluderole Novice', options: (f) => ({ role: f.role }) },
  { path: 'unicornia guild includerole', prefix: (f) => `?unicornia guild includerole <@&${f.role}>`, options: (f) => ({ role: f.role }) },
  { path: 'unicornia guild excludeuser', prefix: (f) => `?unicornia guild excludeuser <@${f.w.bob}>`, options: (f) => ({ user: f.w.bob }) },
  { path: 'unicornia guild includeuser', prefix: (f) => `?unicornia guild includeuser ${f.w.bob}`, options: (f) => ({ user: f.w.bob }) },
  { path: 'unicornia guild excluderole', prefix: () => '?unicornia guild excluderole Novice', options: (f) => ({ role: f.role }) },
  { path: 'unicornia guild exclusions', prefix: () => '?unicornia guild exclusions' },
  { path: 'unicornia guild rolereward', prefix: (f) => `?unicornia guild rolereward 5 <@&${f.role}>`, options: (f) => ({ level: 5, role: f.role }) },
  { path: 'unicornia guild rolereward', prefix: () => '?unicornia guild rolereward 9 Novice remove', options: (f) => ({ level: 9, role: f.role, action: 'remove' }) },
  { path: 'unicornia guild rolerewards', prefix: () => '?unicornia guild rolerewards' },
  { path: 'unicornia guild currencyreward', prefix: () => '?unicornia guild currencyreward 5 1,000', options: () => ({ level: 5, amount: 1000 }) },
  { path: 'unicornia guild currencyrewards', prefix: () => '?unicornia guild currencyrewards' },
  { path: 'unicornia guild levelupmessages', prefix: (f) => `?unicornia guild levelupmessages fixed <#${f.spam}> true`, options: (f) => ({ mode: 'fixed', channel: f.spam, ping: true }) },
  { path: 'unicornia guild levelupmessage', prefix: () => '?unicornia guild levelupmessage GG {user}, level {level}!', options: () => ({ template: 'GG {user}, level {level}!' }) },
  { path: 'unicornia guild channelmultiplier', prefix: (f) => `?unicornia guild channelmultiplier <#${f.spam}> 2`, options: (f) => ({ channel: f.spam, multiplier: 2 }) },
  { path: 'unicornia guild rolemultiplier', prefix: () => '?unicornia guild rolemultiplier Novice 0.5', options: (f) => ({ role: f.role, multiplier: 0.5 }) },
  { path: 'unicornia guild xp', prefix: (f) => `?unicornia guild xp add <@${f.w.alice}> 100`, options: (f) => ({ action: 'add', user: f.w.alice, amount: 100 }) },
  { path: 'unicornia guild xp', prefix: (f) => `?unicornia guild xp reset <@${f.w.bob}>`, options: (f) => ({ action: 'reset', user: f.w.bob }) },
  { path: 'unicornia guild settings', prefix: () => '?unicornia guild settings' },
];

function normalize(f: Fixture, value: unknown): string {
  let text = JSON.stringify(value);
  for (const [id, name] of f.names) text = text.replaceAll(id, name);
  return text;
}

function rulesSnapshot(f: Fixture): string {
  const r = f.w.core.engine.rules(f.w.guildId);
  return normalize(f, {
    ...r,
    excludedChannels: [...r.excludedChannels],
    excludedRoles: [...r.excludedRoles],
    excludedUsers: [...r.excludedUsers],
    channelMultipliers: [...r.channelMultipliers],
    roleMultipliers: [...r.roleMultipliers],
    xp: [f.w.alice, f.w.bob].map((u) => f.w.core.engine.xpOf(f.w.guildId, u)),
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
    const builtIn = allCommands.map((c) => c.path.join(' ')).filter((x) => x.startsWith('level ') || x.startsWith('unicornia '));
    expect(new Set(cases.map((c) => c.path))).toEqual(new Set(builtIn));
  });

  it('given each command in both forms then replies and resulting settings are the same', async () => {
    for (const c of cases) {
      const line = c.prefix(p);
      const viaPrefix = await p.w.prefix(p.w.admin, line.startsWith('?') ? line : `!${line}`);
      const [name, group, sub] = c.path.split(' ') as [string, string, string?];
      const viaSlash = await s.w.slash(s.w.admin, { name, subcommandGroup: sub ? group : undefined, subcommand: sub ?? group, options: c.options?.(s) ?? {} });
      const shape = (f: Fixture, m: typeof viaPrefix) => normalize(f, { content: m.content, embeds: m.embeds, files: m.attachments.map((a) => a.filename) });
      expect(shape(s, viaSlash), c.path).toBe(shape(p, viaPrefix));
      expect(rulesSnapshot(s), c.path).toBe(rulesSnapshot(p));
    }
  });
});
