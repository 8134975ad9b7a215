/** `level optout|optin`: a member stops (or restarts) XP tracking in this server (DESIGN §13). */
import { defineCommand, type AnyCommand } from '../types.js';
import { requireGuild } from '../admin/shared.js';

export const levelOptOut = defineCommand({
  path: ['level', 'optout'],
  aliases: [['optout']],
  description: 'Stop earning XP here: nothing new about you is stored in this server',
  options: [{ name: 'erase', type: 'boolean', description: 'Also erase your XP and levels in this server (default false)' }] as const,
  example: { erase: true },
  permission: 'everyone',
  async handler(ctx, { erase }) {
    const guildId = requireGuild(ctx);
    const xp = await ctx.app.core.engine.xpOf(guildId, ctx.user.id);
    const { changed, erased } = await ctx.app.privacy.optOut(guildId, ctx.user.id, erase ?? false);
    const head = changed ? `You no longer earn XP in **${ctx.guildName}**; nothing new about you is stored here.` : `You had already opted out in **${ctx.guildName}**.`;
    const kept = erased
      ? 'Your XP and levels here are erased.'
      : xp > 0
        ? `Your ${xp.toLocaleString('en-US')} XP here stay as they are (and on the leaderboard): \`level optout erase:true\` erases them.`
        : '';
    return { content: [head, kept, '`level optin` starts tracking again.'].filter(Boolean).join(' '), ephemeral: true };
  },
});

export const levelOptIn = defineCommand({
  path: ['level', 'optin'],
  aliases: [['optin']],
  description: 'Earn XP here again after opting out',
  options: [] as const,
  example: {},
  permission: 'everyone',
  async handler(ctx) {
    const guildId = requireGuild(ctx);
    const changed = await ctx.app.privacy.optIn(guildId, ctx.user.id);
    return {
      content: changed ? `✅ You earn XP in **${ctx.guildName}** again.` : `You had not opted out in **${ctx.guildName}**: you earn XP here.`,
      ephemeral: true,
    };
  },
});

export const optOutCommands: AnyCommand[] = [levelOptOut as AnyCommand, levelOptIn as AnyCommand];
