/** `unicornia xp …`: message XP on or off, per message, cooldown, and the server's rate (DESIGN §2.5, §2.6). */
import { defineCommand, type AnyCommand } from '../types.js';
import { multiplierArg, numericSetting, ok, oldPath, requireGuild, saveSettings, switchSetting } from './shared.js';
import { formatMilli } from '../../../engine/multiplier.js';
import { DEFAULT_SETTINGS } from '../../../engine/settings.js';

export const xpSettingCommands: AnyCommand[] = [
  switchSetting(['unicornia', 'xp', 'enabled'], 'xpEnabled', {
    aliases: [oldPath('xpenabled')],
    description: 'Turn XP on or off in this server',
    on: 'XP is on in this server.',
    off: 'XP is off in this server: nobody earns XP until it is turned back on.',
  }),
  numericSetting(['unicornia', 'xp', 'permessage'], 'xpPerMessage', {
    aliases: [oldPath('xppermessage')],
    min: 0,
    max: 1000,
    description: 'XP per counted message',
    example: 5,
    done: (v) => `Each counted message now earns ${v} XP (before multipliers).`,
  }),
  numericSetting(['unicornia', 'xp', 'cooldown'], 'cooldownSeconds', {
    aliases: [oldPath('cooldown')],
    min: 0,
    max: 86_400,
    description: 'Seconds between messages that earn XP',
    example: 60,
    done: (v) => `A member earns message XP at most once every ${v} s.`,
  }),
  defineCommand({
    path: ['unicornia', 'xp', 'rate'],
    aliases: [oldPath('xprate')],
    description: 'Multiplier for all XP in this server',
    options: [{ name: 'value', type: 'number', required: true, description: 'Multiplier for all XP in this server, 0–100 in steps of 0.001, or "default" (1)', min: 0, max: 100, orDefault: true }] as const,
    example: { value: 1.5 },
    permission: 'admin',
    async handler(ctx, { value }) {
      const rateMilli = value === 'default' ? DEFAULT_SETTINGS.rateMilli : multiplierArg('value', value, (await ctx.app.core.engine.rules(requireGuild(ctx))).settings, 'rate');
      await saveSettings(ctx, { rateMilli });
      const shown = formatMilli(rateMilli);
      return ok(rateMilli === 0 ? 'All XP is now multiplied by 0: nobody earns XP until the rate is raised.' : `All XP is now multiplied by ${shown}.`);
    },
  }),
];
