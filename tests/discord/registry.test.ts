import { describe, expect, it } from 'vitest';
import { ApplicationCommandOptionType } from 'discord.js';
import { CommandRegistry, parsePrefixArgs, parseScalar, tokenize, usage, type PrefixResolver } from '../../src/discord/commands/registry.js';
import { allCommands } from '../../src/discord/commands/index.js';
import { UserError } from '../../src/discord/commands/errors.js';

const registry = new CommandRegistry(allCommands);

describe('command registry', () => {
  it('given prefix words then the longest path and aliases match, case-insensitively', () => {
    expect(registry.match(['Level', 'leaderboard', '2'])?.command.path).toEqual(['level', 'leaderboard']);
    expect(registry.match(['lb'])?.command.path).toEqual(['level', 'leaderboard']);
    expect(registry.match(['rank', '@x'])?.words).toBe(1);
    expect(registry.didYouMean(['unicornia', 'guildd'])).toBe('unicornia guild');
    expect(registry.didYouMean(['unicornia', 'xp', 'cooldwn', '5'])).toBe('unicornia xp cooldown');
    expect(registry.didYouMean(['hello', 'there'])).toBeNull();
    expect(registry.match(['level'])?.command.path).toEqual(['level', 'check']);
  });

  it('given quotes then tokens keep their spaces', () => {
    expect(tokenize('a "b c" d')).toEqual([{ text: 'a', start: 0 }, { text: 'b c', start: 2 }, { text: 'd', start: 8 }]);
  });

  it('given typed options then prefix values are parsed and checked like slash values', async () => {
    const resolver: PrefixResolver = { user: async () => null, role: async (t) => (t === 'Mods' ? { id: '1', name: 'Mods' } : null), channel: async () => null };
    const reward = registry.byFullPath(['rewards', 'role'])!;
    await expect(parsePrefixArgs(reward, tokenize('5 Mods REMOVE'), resolver, '!')).resolves.toEqual({ level: 5, role: { id: '1', name: 'Mods' }, action: 'remove' });
    await expect(parsePrefixArgs(reward, tokenize('0 Mods'), resolver, '!')).rejects.toThrow(/at least 1/);
    await expect(parsePrefixArgs(reward, tokenize('1.5 Mods'), resolver, '!')).rejects.toThrow(/whole number/);
    await expect(parsePrefixArgs(reward, tokenize('5 Mods give stack extra'), resolver, '!')).rejects.toThrow(/don't know what to do with `extra`/);
    const err = await parsePrefixArgs(reward, tokenize(''), resolver, '?').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).usage).toBe('?rewards role <level> <role> [give|remove|delete] [stack|replace|default]');
    expect(usage(registry.byFullPath(['level', 'check'])!, '!')).toBe('!level check [user] [alltime|week|lastweek|month|lastmonth|season]');
  });

  it('given a rest-of-line option and the raw line then the text is kept as typed', async () => {
    const resolver: PrefixResolver = { user: async () => null, role: async () => null, channel: async () => null };
    const template = registry.byFullPath(['levelup', 'message'])!;
    const line = 'levelup message 🎉 "{user}"   is now\nlevel **{level}**!';
    const tokens = tokenize(line).slice(2);
    expect(await parsePrefixArgs(template, tokens, resolver, '!', line)).toEqual({ template: '🎉 "{user}"   is now\nlevel **{level}**!' });
  });

  it('given an optional typed option whose word does not fit then the word goes to the next option', async () => {
    const resolver: PrefixResolver = { user: async () => null, role: async () => null, channel: async () => null };
    const modes = registry.byFullPath(['levelup', 'where'])!;
    expect(await parsePrefixArgs(modes, tokenize('dm yes'), resolver, '!')).toEqual({ mode: 'dm', ping: true });
    await expect(parsePrefixArgs(modes, tokenize('dm maybe'), resolver, '!')).rejects.toThrow(/true or false/);
  });

  it('given slash usage then options show as name:value', () => {
    expect(usage(registry.byFullPath(['rewards', 'role'])!, '/')).toBe('/rewards role level:<level> role:<role> [action:give|remove|delete] [mode:stack|replace|default]');
  });

  it('given an option that also takes `default` then both forms read the word, check numbers with the range named, and Discord sees a text option', async () => {
    const none: PrefixResolver = { user: async () => null, role: async () => null, channel: async () => null };
    const minLength = registry.byFullPath(['unicornia', 'antispam', 'minlength'])!;
    expect(await parsePrefixArgs(minLength, tokenize('DEFAULT'), none, '!')).toEqual({ value: 'default' });
    expect(await parsePrefixArgs(minLength, tokenize('7'), none, '!')).toEqual({ value: 7 });
    await expect(parsePrefixArgs(minLength, tokenize('seven'), none, '!')).rejects.toThrow('`value` must be a whole number from 0 to 100, or `default`, not `seven`.');
    await expect(parsePrefixArgs(minLength, tokenize('101'), none, '!')).rejects.toThrow('`value` must be at most 100.');
    const muted = registry.byFullPath(['unicornia', 'voice', 'muted'])!;
    expect(parseScalar(muted.options[0]!, 'off', '')).toBe(false);
    expect(() => parseScalar(muted.options[0]!, 'maybe', '')).toThrow('`enabled` must be true or false, or `default`, not `maybe`.');
    const json = registry.slashJson().find((c) => c.name === 'unicornia')!;
    const leaf = (group: string, sub: string) => (json.options as unknown as { name: string; options: { name: string; options: Record<string, unknown>[] }[] }[]).find((g) => g.name === group)!.options.find((o) => o.name === sub)!.options[0]!;
    expect(leaf('antispam', 'minlength')).toMatchObject({ type: ApplicationCommandOptionType.String, max_length: 40 });
    expect(leaf('voice', 'muted')).toMatchObject({ type: ApplicationCommandOptionType.String, choices: ['true', 'false', 'default'].map((v) => ({ name: v, value: v })) });
  });
});
