/** Small pieces every admin command uses: guild checks, saving settings, confirmations. */
import { defineCommand, type AnyCommand, type CommandContext } from '../types.js';
import { UserError } from '../errors.js';
import type { SettingsPatch } from '../../../storage/xp-writes.js';
import { formatMilli, MILLI_ONE, multiplyHalfUp, toMilli, type Milli } from '../../../engine/multiplier.js';
import { DEFAULT_SETTINGS, type GuildSettings } from '../../../engine/settings.js';

/**
 * A path of version 1, when every admin command was `unicornia guild <name>`: kept as a prefix alias of the
 * command that does it now, so old habits, old docs and the seed's `unicornia guild excludechannel` still work.
 */
export function oldPath(...words: string[]): string[] {
  return ['unicornia', 'guild', ...words];
}

/**
 * A path from when every admin command sat under `/unicornia` (`unicornia rewards role`, `unicornia levelup
 * message`, `unicornia data export`): rewards, level-up messages and the server's data moved to top-level commands
 * of their own to leave `/unicornia` room (DESIGN §3.1); the old path stays a prefix alias.
 */
export function formerPath(...words: string[]): string[] {
  return ['unicornia', ...words];
}

export function requireGuild(ctx: CommandContext): string {
  if (!ctx.guildId) throw new UserError('guild_only', 'This command only works in a server.');
  return ctx.guildId;
}

/** Writes a settings change and refreshes the engine's cached copy. */
export async function saveSettings(ctx: CommandContext, patch: SettingsPatch): Promise<void> {
  const guildId = requireGuild(ctx);
  await ctx.app.core.writer.xp.updateSettings(guildId, patch);
  await ctx.app.core.engine.reloadGuild(guildId);
}

/** Runs a rules change (exclusions, rewards, multipliers) and refreshes the engine's cached copy. */
export async function changeRules(ctx: CommandContext, change: (guildId: string) => Promise<unknown>): Promise<void> {
  const guildId = requireGuild(ctx);
  await change(guildId);
  await ctx.app.core.engine.reloadGuild(guildId);
}

export function ok(text: string): { content: string } {
  return { content: `✅ ${text}` };
}

/**
 * A multiplier typed by an admin, in the thousandths it is stored as (DESIGN §2.6). Refused when it has more
 * decimals than are stored (0.0000001 would become 0 and switch XP off), or when it is above 0 and still rounds
 * both a message's and a voice minute's XP to 0 (it would look set and do nothing). `kind` 'rate' replaces the
 * server's rate; 'extra' (channel or role) multiplies with it.
 */
export function multiplierArg(option: string, value: number, settings: GuildSettings, kind: 'rate' | 'extra'): Milli {
  const milli = toMilli(value);
  if (milli === null) {
    const typed = value.toLocaleString('en-US', { maximumFractionDigits: 20, useGrouping: false });
    throw new UserError('bad_argument', `\`${option}\` takes at most three decimals (steps of 0.001); \`${typed}\` cannot be stored as typed.`);
  }
  const rate = kind === 'rate' ? MILLI_ONE : settings.rateMilli;
  if (milli > 0 && [settings.xpPerMessage, settings.voiceXpPerMinute].every((base) => multiplyHalfUp(base, rate, milli) === 0)) {
    const withRate = kind === 'rate' ? '' : ` at the server rate ×${formatMilli(rate)}`;
    throw new UserError(
      'bad_argument',
      `×${formatMilli(milli)} rounds both ${settings.xpPerMessage} XP per message and ${settings.voiceXpPerMinute} XP per voice minute to 0${withRate}, ` +
        'so it would change nothing but stop XP. Use a larger value, or 0 if no XP is what you want.',
    );
  }
  return milli;
}

type NumericField = 'xpPerMessage' | 'cooldownSeconds' | 'antispamMinLength' | 'stageAudiencePercent';

/** One command per whole-number setting; they differ only in place, bounds and wording. */
export function numericSetting(
  path: readonly string[],
  field: NumericField,
  o: { min: number; max: number; description: string; example: number; aliases: readonly (readonly string[])[]; done: (v: number) => string },
): AnyCommand {
  const fallback = DEFAULT_SETTINGS[field];
  return defineCommand({
    path,
    aliases: o.aliases,
    description: o.description,
    options: [{ name: 'value', type: 'integer', required: true, description: `${o.min}–${o.max}, or "default" (${fallback})`, min: o.min, max: o.max, orDefault: true }] as const,
    example: { value: o.example },
    permission: 'admin',
    async handler(ctx, { value }) {
      const v = value === 'default' ? fallback : value;
      await saveSettings(ctx, { [field]: v } as Partial<GuildSettings>);
      return ok(`${o.done(v)}${value === 'default' ? ' (the default)' : ''}`);
    },
  });
}

/** One command per on/off setting. */
export function switchSetting(
  path: readonly string[],
  field: 'xpEnabled' | 'reapplyRolesOnRejoin' | 'voiceMutedEarn',
  o: { description: string; on: string; off: string; aliases: readonly (readonly string[])[] },
): AnyCommand {
  const fallback = DEFAULT_SETTINGS[field];
  return defineCommand({
    path,
    aliases: o.aliases,
    description: o.description,
    options: [{ name: 'enabled', type: 'boolean', required: true, description: `true or false, or "default" (${fallback})`, orDefault: true }] as const,
    example: { enabled: true },
    permission: 'admin',
    async handler(ctx, { enabled }) {
      const on = enabled === 'default' ? fallback : enabled;
      await saveSettings(ctx, { [field]: on });
      return ok(`${on ? o.on : o.off}${enabled === 'default' ? ' (the default)' : ''}`);
    },
  });
}
