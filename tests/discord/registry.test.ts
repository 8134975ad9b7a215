import { describe, expect, it } from 'vitest';
import { CommandRegistry, parsePrefixArgs, tokenize, usage, type PrefixResolver } from '../../src/discord/commands/registry.js';
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
    expect(usage(registry.byFullPath(['level', 'check'])!, '!')).toBe('!level check [user]');
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
});
