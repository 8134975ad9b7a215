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
    expect(registry.match(['rank', '@x'])?.rest).toEqual(['@x']);
    expect(registry.match(['level'])?.command.path).toEqual(['level', 'check']);
    expect(registry.match(['unicornia', 'guild'])).toBeNull();
    expect(registry.under(['unicornia', 'guild']).length).toBeGreaterThan(20);
  });

  it('given quotes then tokens keep their spaces', () => {
    expect(tokenize('a "b c" d')).toEqual(['a', 'b c', 'd']);
  });

  it('given typed options then prefix values are parsed and checked like slash values', async () => {
    const resolver: PrefixResolver = { user: async () => null, role: async (t) => (t === 'Mods' ? { id: '1', name: 'Mods' } : null), channel: async () => null };
    const reward = registry.byFullPath(['unicornia', 'guild', 'rolereward'])!;
    await expect(parsePrefixArgs(reward, ['5', 'Mods', 'REMOVE'], resolver, '!')).resolves.toEqual({ level: 5, role: { id: '1', name: 'Mods' }, action: 'remove' });
    await expect(parsePrefixArgs(reward, ['0', 'Mods'], resolver, '!')).rejects.toThrow(/at least 1/);
    await expect(parsePrefixArgs(reward, ['1.5', 'Mods'], resolver, '!')).rejects.toThrow(/whole number/);
    await expect(parsePrefixArgs(reward, ['5', 'Mods', 'give', 'extra'], resolver, '!')).rejects.toThrow(/don't know what to do with `extra`/);
    const err = await parsePrefixArgs(reward, [], resolver, '?').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).usage).toBe('?unicornia guild rolereward <level> <role> [give|remove|delete]');
    expect(usage(registry.byFullPath(['level', 'check'])!, '!')).toBe('!level check [user]');
  });
});
