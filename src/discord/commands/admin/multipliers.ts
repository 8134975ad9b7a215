/** XP multipliers for channels (and categories) and roles; 1 removes one. */
import { defineCommand, type AnyCommand } from '../types.js';
import { changeRules, multiplierArg, ok, oldPath, requireGuild } from './shared.js';
import { formatMilli, MILLI_ONE } from '../../../engine/multiplier.js';
import type { MultiplierType } from '../../../engine/settings.js';

function multiplierCommand(kind: MultiplierType): AnyCommand {
  return defineCommand({
    path: ['unicornia', 'multipliers', kind],
    aliases: [oldPath(`${kind}multiplier`)],
    description: `XP multiplier for a ${kind === 'channel' ? 'channel or category' : 'role'} (1 removes it)`,
    options: [
      { name: kind, type: kind, required: true, description: `The ${kind}` },
      { name: 'multiplier', type: 'number', required: true, description: '0–10 in steps of 0.001; 1 or "default" removes it', min: 0, max: 10, orDefault: true },
    ] as const,
    example: { [kind]: kind === 'channel' ? '#events' : '@Booster', multiplier: 1.5 },
    permission: 'admin',
    async handler(ctx, args) {
      const a = args as Record<string, unknown>;
      const target = a[kind] as { id: string };
      const milli = a.multiplier === 'default' ? MILLI_ONE : multiplierArg('multiplier', a.multiplier as number, (await ctx.app.core.engine.rules(requireGuild(ctx))).settings, 'extra');
      await changeRules(ctx, (g) => ctx.app.core.writer.xp.setMultiplier(g, kind, target.id, milli === MILLI_ONE ? null : milli));
      const name = kind === 'channel' ? `<#${target.id}>` : `<@&${target.id}>`;
      if (milli === MILLI_ONE) return ok(`${name} has no XP multiplier now.`);
      const where = kind === 'channel' ? `XP in ${name}` : `XP of members with ${name}`;
      return ok(milli === 0 ? `${where} is multiplied by 0: nothing is earned there.` : `${where} is multiplied by ${formatMilli(milli)}.`);
    },
  });
}

export const multiplierCommands: AnyCommand[] = [multiplierCommand('channel'), multiplierCommand('role')];
