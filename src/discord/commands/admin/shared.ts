/** Small pieces every admin command uses: guild checks, saving settings, confirmations. */
import type { CommandContext } from '../types.js';
import { UserError } from '../errors.js';
import type { SettingsPatch } from '../../../storage/xp-writes.js';

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
