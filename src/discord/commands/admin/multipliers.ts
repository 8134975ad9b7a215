/** XP multipliers for channels (and categories) and roles; 1 removes one. */
import { defineCommand, type AnyCommand } from '../types.js';
import { changeRules, ok } from './shared.js';
import type { MultiplierType } from '../../../engine/settings.js';

function multiplierCommand(kind: MultiplierType): AnyCommand {
  return defineCommand({
    path: ['unicornia', 'guild', `${kind}multiplier`],
    description: `XP multiplier for a ${kind === 'channel' ? 'channel or category' : 'role'} (1 removes it)`,
    options: [
      { name: kind, type: kind, required: true, description: `The ${kind}` },
      { name: 'multiplier', type: 'number', required: true, description: '0–10; 1 removes it', min: 0, max: 10 },
    ] as const,
    permission: 'admin',
    async handler(ctx, args) {
      const a = args as Record<string, unknown>;
      const target = a[kind] as { id: string };
      const value = a.multiplier as number;
      await changeRules(ctx, (g) => ctx.app.core.writer.xp.setMultiplier(g, kind, target.id, value === 1 ? null : value));
      const name = kind === 'channel' ? `<#${target.id}>` : `<@&${target.id}>`;
      return ok(value === 1 ? `${name} has no XP multiplier now.` : `XP in ${name} is multiplied by ${value}.`);
    },
  });
}

export const multiplierCommands: AnyCommand[] = [multiplierCommand('channel'), multiplierCommand('role')];
