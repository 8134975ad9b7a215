/** Small pieces every admin command uses: guild checks, saving settings, confirmations. */
import type { CommandContext } from '../types.js';
import { UserError } from '../errors.js';
import type { SettingsPatch } from '../../../storage/xp-writes.js';
import { formatMilli, MILLI_ONE, multiplyHalfUp, toMilli, type Milli } from '../../../engine/multiplier.js';
import type { GuildSettings } from '../../../engine/settings.js';

export function requireGuild(ctx: CommandContext): string {
  if (!ctx.guildId) throw new UserError('guild_only', 'This command only works in a server.');
  return ctx.guildId;
}

/** Writes a settings change and refreshes the engine's cached copy. */
export async function saveSettings(ctx: CommandContext, patch: SettingsPatch): Promise<void> {
  const guildId = requireGuild(ctx);
  await ctx.app.core.writer.xp.updateSettings(guildId, patch);
  ctx.app.core.engine.reloadGuild(guildId);
}

/** Runs a rules change (exclusions, rewards, multipliers) and refreshes the engine's cached copy. */
export async function changeRules(ctx: CommandContext, change: (guildId: string) => Promise<unknown>): Promise<void> {
  const guildId = requireGuild(ctx);
  await change(guildId);
  ctx.app.core.engine.reloadGuild(guildId);
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
