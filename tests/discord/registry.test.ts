import { describe, expect, it } from 'vitest';
import type { APIApplicationCommandOption } from 'discord.js';
import { CommandRegistry, parsePrefixArgs, tokenize, usage, type PrefixResolver } from '../../src/discord/commands/registry.js';
import { allCommands } from '../../src/discord/commands/index.js';
import { UserError } from '../../src/discord/commands/errors.js';

const registry = new CommandRegistry(allCommands);

describe('command registry', () => {
  it('given the slash JSON then it fits Discord limits (names, 100-char descriptions, 25 options, required first)', () => {
    const problems: string[] = [];
    const walk = (o: { name: string; description: string; options?: APIApplicationCommandOption[] }, path: string) => {
      if (!/^[-_\p{Ll}\p{N}]{1,32}$/u.test(o.name)) problems.push(`${path}: name`);
      if (o.description.length < 1 || o.description.length > 100) problems.push(`${path}: description length ${o.description.length}`);
      if ((o.options?.length ?? 0) > 25) problems.push(`${path}: ${o.options!.length} options`);
      let optional = false;
      for (const c of o.options ?? []) {
        if ('required' in c) {
          if (!c.required) optional = true;
          else if (optional) problems.push(`${path} ${c.name}: required after optional`);
        }
        walk(c as never, `${path} ${c.name}`);
      }
    };
    for (const c of registry.slashJson()) walk(c as never, c.name);
    expect(problems).toEqual([]);
  });

  it('given prefix words then the longest path and aliases match, case-insensitively', () => {
    expect(registry.match(['Level', 'leaderboard', '2'])?.command.path).toEqual(['level', 'leaderboard']);
    expect(registry.match(['lb'])?.command.path).toEqual(['level', 'leaderboard']);
    expect(registry.match(['rank', '@x'])?.words).toBe(1);
    expect(registry.didYouMean(['unicornia', 'guildd'])).toBe('unicornia guild');
    expect(registry.didYouMean(['unicornia', 'guild', 'cooldwn', '5'])).toBe('unicornia guild cooldown');
    expect(registry.didYouMean(['hello', 'there'])).toBeNull();
    expect(registry.match(['level'])?.command.path).toEqual(['level', 'check']);
    expect(registry.match(['unicornia', 'guild'])).toBeNull();
    expect(registry.under(['unicornia', 'guild']).length).toBeGreaterThan(20);
  });

  it('given quotes then tokens keep their spaces', () => {
    expect(tokenize('a "b c" d')).toEqual([{ text: 'a', start: 0 }, { text: 'b c', start: 2 }, { text: 'd', start: 8 }]);
  });

  it('given typed options then prefix values are parsed and checked like slash values', async () => {
    const resolver: PrefixResolver = { user: async () => null, role: async (t) => (t === 'Mods' ? { id: '1', name: 'Mods' } : null), channel: async () => null };
    const reward = registry.byFullPath(['unicornia', 'guild', 'rolereward'])!;
    await expect(parsePrefixArgs(reward, tokenize('5 Mods REMOVE'), resolver, '!')).resolves.toEqual({ level: 5, role: { id: '1', name: 'Mods' }, action: 'remove' });
    await expect(parsePrefixArgs(reward, tokenize('0 Mods'), resolver, '!')).rejects.toThrow(/at least 1/);
    await expect(parsePrefixArgs(reward, tokenize('1.5 Mods'), resolver, '!')).rejects.toThrow(/whole number/);
    await expect(parsePrefixArgs(reward, tokenize('5 Mods give extra'), resolver, '!')).rejects.toThrow(/don't know what to do with `extra`/);
    const err = await parsePrefixArgs(reward, tokenize(''), resolver, '?').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).usage).toBe('?unicornia guild rolereward <level> <role> [give|remove|delete]');
    expect(usage(registry.byFullPath(['level', 'check'])!, '!')).toBe('!level check [user]');
  });

  it('given a rest-of-line option and the raw line then the text is kept as typed', async () => {
    const resolver: PrefixResolver = { user: async () => null, role: async () => null, channel: async () => null };
    const template = registry.byFullPath(['unicornia', 'guild', 'levelupmessage'])!;
    const line = 'unicornia guild levelupmessage 🎉 "{user}"   is now\nlevel **{level}**!';
    const tokens = tokenize(line).slice(3);
    expect(await parsePrefixArgs(template, tokens, resolver, '!', line)).toEqual({ template: '🎉 "{user}"   is now\nlevel **{level}**!' });
  });

  it('given an optional typed option whose word does not fit then the word goes to the next option', async () => {
    const resolver: PrefixResolver = { user: async () => null, role: async () => null, channel: async () => null };
    const modes = registry.byFullPath(['unicornia', 'guild', 'levelupmessages'])!;
    expect(await parsePrefixArgs(modes, tokenize('dm yes'), resolver, '!')).toEqual({ mode: 'dm', ping: true });
    await expect(parsePrefixArgs(modes, tokenize('dm maybe'), resolver, '!')).rejects.toThrow(/true or false/);
  });

  it('given slash usage then options show as name:value', () => {
    expect(usage(registry.byFullPath(['unicornia', 'guild', 'rolereward'])!, '/')).toBe('/unicornia guild rolereward level:<level> role:<role> [action:give|remove|delete]');
  });
});
