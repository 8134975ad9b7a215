/**
 * The whole command tree against Discord's limits (walked here independently of the simulator's check), the
 * places the tree declares, every name of version 1 and of the seed as a prefix alias of the same command, and
 * every command's example as something the parser accepts.
 */
import { describe, expect, it } from 'vitest';
import { ApplicationCommandOptionType as T, PermissionFlagsBits, type APIApplicationCommandOption } from 'discord.js';
import { CommandRegistry, example, parsePrefixArgs, tokenize, type PrefixResolver } from '../../src/discord/commands/registry.js';
import { allCommands } from '../../src/discord/commands/index.js';
import { COMMAND_TREE } from '../../src/discord/commands/tree.js';

const registry = new CommandRegistry(allCommands);
const json = registry.slashJson();

type Node = { name: string; description: string; type?: number; required?: boolean; options?: Node[]; choices?: { name: string; value: string | number }[] };

/** Discord's limits (developer docs, Application Commands: naming, option and choice structures, limits). */
const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const MAX_PER_LEVEL = 25;
const MAX_SIZE = 8000;
const MAX_TOP_LEVEL = 100;
/** Room left for later issues: no level fuller than this, no top-level command bigger. */
const ROOM_PER_LEVEL = 20;
const ROOM_SIZE = 6000;

function size(n: Node): number {
  return n.name.length + n.description.length + (n.choices ?? []).reduce((s, c) => s + c.name.length + String(c.value).length, 0) + (n.options ?? []).reduce((s, o) => s + size(o), 0);
}

/** Problems of one node: depth 0 = a top-level command, 1 = a group, 2 = a subcommand, 3 = an option. */
function walk(n: Node, path: string, depth: number, problems: string[]): void {
  if (!NAME.test(n.name) || n.name !== n.name.toLowerCase()) problems.push(`${path}: name`);
  if (n.description.length < 1 || n.description.length > 100) problems.push(`${path}: description length ${n.description.length}`);
  for (const c of n.choices ?? []) {
    if (c.name.length < 1 || c.name.length > 100 || String(c.value).length > 100) problems.push(`${path}: choice ${c.name}`);
  }
  if ((n.choices?.length ?? 0) > MAX_PER_LEVEL) problems.push(`${path}: ${n.choices!.length} choices`);
  const options = n.options ?? [];
  if (options.length > MAX_PER_LEVEL) problems.push(`${path}: ${options.length} options`);
  const nested = options.filter((o) => o.type === T.Subcommand || o.type === T.SubcommandGroup);
  if (nested.length && nested.length !== options.length) problems.push(`${path}: subcommands mixed with options`);
  if (new Set(options.map((o) => o.name)).size !== options.length) problems.push(`${path}: repeated names`);
  let optional = false;
  for (const o of options) {
    const childDepth = o.type === T.SubcommandGroup ? 1 : o.type === T.Subcommand ? 2 : 3;
    // Groups only at the top; subcommands at the top or in a group; plain options at the top or in a subcommand.
    const allowed = childDepth === 1 ? depth === 0 : childDepth === 2 ? depth <= 1 : depth === 0 || depth === 2;
    if (!allowed) problems.push(`${path} ${o.name}: nested too deep`);
    if (childDepth === 3) {
      if (!o.required) optional = true;
      else if (optional) problems.push(`${path} ${o.name}: required after optional`);
    }
    walk(o, `${path} ${o.name}`, childDepth, problems);
  }
}

describe('the command tree', () => {
  it("given the slash JSON then every command fits Discord's limits with room to spare", () => {
    const problems: string[] = [];
    expect(json.length).toBeLessThanOrEqual(MAX_TOP_LEVEL);
    for (const c of json) {
      walk(c as unknown as Node, `/${c.name}`, 0, problems);
      const s = size(c as unknown as Node);
      if (s > MAX_SIZE) problems.push(`/${c.name}: ${s} characters`);
      if (s > ROOM_SIZE) problems.push(`/${c.name}: ${s} characters leaves too little room`);
      const levels = [c.options ?? [], ...(c.options ?? []).filter((o) => o.type === T.SubcommandGroup).map((g) => (g as { options?: unknown[] }).options ?? [])];
      for (const level of levels) if (level.length > ROOM_PER_LEVEL) problems.push(`/${c.name}: a level holds ${level.length}`);
    }
    expect(problems).toEqual([]);
  });

  it('given the walk then it catches what Discord refuses (26 subcommands, 101-character description, a group in a group, 8 001 characters)', () => {
    const problems: string[] = [];
    const sub = (name: string): Node => ({ type: T.Subcommand, name, description: 'd' });
    walk({ name: 'a', description: 'x', options: Array.from({ length: 26 }, (_, i) => sub(`s${i}`)) }, '/a', 0, problems);
    walk({ name: 'b', description: 'x'.repeat(101) }, '/b', 0, problems);
    walk({ name: 'c', description: 'x', options: [{ type: T.SubcommandGroup, name: 'g', description: 'd', options: [{ type: T.SubcommandGroup, name: 'h', description: 'd', options: [sub('s')] }] }] }, '/c', 0, problems);
    expect(problems).toEqual(['/a: 26 options', '/b: description length 101', '/c g h: nested too deep']);
    expect(size({ name: 'a', description: 'x'.repeat(7999) })).toBe(8000);
  });

  it('given the tree then member and admin commands are apart: admin tops only for Manage Server, member tops for everyone', () => {
    for (const c of json) {
      const decl = COMMAND_TREE[c.name];
      expect(decl, `/${c.name} is declared in tree.ts`).toBeDefined();
      if (decl!.audience === 'admin') expect(c.default_member_permissions, c.name).toBe(PermissionFlagsBits.ManageGuild.toString());
      else expect(c.default_member_permissions, c.name).toBeUndefined();
    }
    for (const c of allCommands) {
      if (COMMAND_TREE[c.path[0]!]!.audience === 'member') continue;
      expect(c.permission, c.path.join(' ')).not.toBe('everyone');
    }
    expect(json.filter((c) => COMMAND_TREE[c.name]!.audience === 'admin').map((c) => c.name).sort()).toEqual(['levelup', 'rewards', 'server', 'unicornia']);
  });

  it('given a command in an undeclared group then the registry refuses it', () => {
    const stray = { ...allCommands.find((c) => c.path.join(' ') === 'unicornia xp rate')!, path: ['unicornia', 'nowhere', 'rate'], aliases: [] };
    expect(() => new CommandRegistry([stray])).toThrow(/not a group of the command tree/);
    const open = { ...allCommands.find((c) => c.path.join(' ') === 'level check')!, path: ['unicornia', 'xp', 'open'], aliases: [] };
    expect(() => new CommandRegistry([open])).toThrow(/for everyone under the admin command/);
  });

  it('given every name of version 1 and of the seed then each still reaches the same command as a prefix alias', () => {
    const old: Record<string, string> = {
      'unicornia guild xpenabled': 'unicornia xp enabled',
      'unicornia guild xppermessage': 'unicornia xp permessage',
      'unicornia guild cooldown': 'unicornia xp cooldown',
      'unicornia guild xprate': 'unicornia xp rate',
      'unicornia guild voicexp': 'unicornia voice xp',
      'unicornia guild curve': 'unicornia curve set',
      'unicornia guild prefix': 'unicornia settings prefix',
      'unicornia guild rejoinroles': 'rewards rejoinroles',
      'unicornia guild excludechannel': 'unicornia exclusions addchannel',
      'unicornia guild includechannel': 'unicornia exclusions removechannel',
      'unicornia guild excluderole': 'unicornia exclusions addrole',
      'unicornia guild includerole': 'unicornia exclusions removerole',
      'unicornia guild excludeuser': 'unicornia exclusions adduser',
      'unicornia guild includeuser': 'unicornia exclusions removeuser',
      'unicornia guild exclusions': 'unicornia exclusions list',
      'unicornia guild rolereward': 'rewards role',
      'unicornia guild rolerewards': 'rewards roles',
      'unicornia guild currencyreward': 'rewards currency',
      'unicornia guild currencyrewards': 'rewards currencies',
      'unicornia guild levelupmessages': 'levelup where',
      'unicornia guild levelupmessage': 'levelup message',
      'unicornia guild channelmultiplier': 'unicornia multipliers channel',
      'unicornia guild rolemultiplier': 'unicornia multipliers role',
      'unicornia guild xp add': 'unicornia xp add',
      'unicornia guild xp set': 'unicornia xp set',
      'unicornia guild xp reset': 'unicornia xp reset',
      'unicornia guild settings': 'unicornia settings show',
      'unicornia settings': 'unicornia settings show',
      'unicornia guild levelupmessage preview': 'levelup preview',
      // Issue 10 moved rewards, level-up messages and the server's data out of /unicornia (DESIGN §3.1).
      'unicornia rewards role': 'rewards role',
      'unicornia rewards roles': 'rewards roles',
      'unicornia rewards currency': 'rewards currency',
      'unicornia rewards currencies': 'rewards currencies',
      'unicornia rewards rejoinroles': 'rewards rejoinroles',
      'unicornia rewards mode': 'rewards mode',
      'unicornia rewards sync': 'rewards sync',
      'rolerewards sync': 'rewards sync',
      'rolerewards sync all': 'rewards sync',
      'rewards sync all': 'rewards sync',
      'unicornia levelup where': 'levelup where',
      'unicornia levelup message': 'levelup message',
      'unicornia levelup style': 'levelup style',
      'unicornia levelup title': 'levelup title',
      'unicornia levelup footer': 'levelup footer',
      'unicornia levelup color': 'levelup color',
      'unicornia levelup colour': 'levelup color',
      'unicornia levelup thumbnail': 'levelup thumbnail',
      'unicornia levelup preview': 'levelup preview',
      'unicornia data export': 'server data export',
      'unicornia export': 'server data export',
      'unicornia data delete': 'server data delete',
      level: 'level check',
      xp: 'level check',
      rank: 'level check',
      lb: 'level leaderboard',
      top: 'level leaderboard',
      leaderboard: 'level leaderboard',
      'xpshop bgs': 'xpshop backgrounds',
      'xpshop equip': 'xpshop use',
      'xpshop inventory': 'xpshop owned',
      bal: 'balance',
      'wallet balance': 'balance',
      'club lb': 'club leaderboard',
      clubs: 'club leaderboard',
      'club apply': 'club join',
      'club desc': 'club description',
    };
    for (const [was, now] of Object.entries(old)) {
      const target = registry.byFullPath(now.split(' '));
      expect(target, now).toBeDefined();
      const words = [...was.split(' '), 'arg'];
      const match = registry.match(words);
      expect(match?.command, was).toBe(target);
      expect(match?.words, was).toBe(was.split(' ').length);
    }
    // Names that stayed: every path of version 1 that is not listed above is still a command's own path.
    for (const path of ['level check', 'level leaderboard', 'xpshop backgrounds', 'xpshop buy', 'xpshop use', 'xpshop owned', 'xpshop give', 'xpshop reload', 'balance', 'wallet give', 'wallet take', 'wallet history', 'club info', 'club create', 'club disband']) {
      expect(registry.byFullPath(path.split(' '))?.path.join(' ')).toBe(path);
    }
  });

  it('given words that go on into a group then they name the group, not the shorter alias with an argument', () => {
    expect(registry.match(['unicornia', 'guild'])).toBeNull();
    expect(registry.under(['unicornia', 'guild']).length).toBe(28); // version 1's 25, its xp split in add, set, reset; levelupmessage preview
    expect(registry.match(['unicornia', 'xp'])).toBeNull();
    expect(registry.under(['unicornia', 'xp']).map((c) => c.path.at(-1))).toEqual(['enabled', 'permessage', 'cooldown', 'rate', 'add', 'set', 'reset']);
    expect(registry.match(['level', '@alice'])?.command.path).toEqual(['level', 'check']);
    expect(registry.didYouMean(['unicornia', 'rewardz'])).toBe('unicornia rewards');
    expect(registry.didYouMean(['unicornia', 'guild', 'cooldwn', '5'])).toBe('unicornia guild cooldown');
  });

  it('given every command then it has one help text: a description of one line and an example the parser accepts in both forms', async () => {
    const resolver: PrefixResolver = {
      user: async (t) => (t.startsWith('@') ? { id: '1', username: t, displayName: t, bot: false, avatarUrl: null } : null),
      role: async (t) => (t.startsWith('@') ? { id: '2', name: t } : null),
      channel: async (t) => (t.startsWith('#') ? { id: '3', name: t, kind: 'text' } : null),
    };
    for (const c of allCommands) {
      const where = c.path.join(' ');
      expect(c.description, where).not.toMatch(/\n/);
      const line = example(c, '!').slice(1);
      const tokens = tokenize(line);
      const args = await parsePrefixArgs(c, tokens.slice(c.path.length), resolver, '!', line);
      const given = Object.keys(c.example);
      expect(Object.keys(args).sort(), where).toEqual(given.sort());
      const slash = example(c, '/');
      for (const name of given) expect(slash, where).toContain(` ${name}:`);
    }
  });
});
