import { defineCommand } from '../types.js';
import { memberLevel, formatNumber } from './level-info.js';
import { requireGuild } from '../admin/shared.js';
import { memberCardRequest } from '../../member-card.js';

export const levelCheck = defineCommand({
  path: ['level', 'check'],
  aliases: [['level'], ['xp'], ['rank']],
  description: "Show a member's level, rank and XP card",
  options: [{ name: 'user', type: 'user', description: 'Whose card (default: yours)' }] as const,
  example: { user: '@alice' },
  permission: 'everyone',
  async handler(ctx, { user }) {
    const guildId = requireGuild(ctx);
    const target = user ?? ctx.user;
    if (target.bot) return { content: `${target.displayName} is a bot; bots don't earn XP.` };
    await ctx.defer();
    const info = await memberLevel(ctx.app, guildId, target.id);
    const request = await memberCardRequest(ctx.app, guildId, target, info);
    const card = await ctx.app.cards?.render(request);
    if (card) return { files: [{ name: `level.${card.format}`, data: card.bytes }] };
    const width = 20;
    const filled = Math.round((info.xpInLevel / info.xpNeeded) * width);
    return {
      embeds: [
        {
          title: `${target.displayName} — level ${formatNumber(info.level)}`,
          description: `\`${'█'.repeat(filled)}${'░'.repeat(width - filled)}\` ${formatNumber(info.xpInLevel)} / ${formatNumber(info.xpNeeded)} XP`,
          fields: [
            { name: 'Rank', value: `#${formatNumber(info.rank)}`, inline: true },
            { name: 'Total XP', value: formatNumber(info.totalXp), inline: true },
          ],
          color: request.accent ? parseInt(request.accent.slice(1), 16) : 0x8b5cf6,
        },
      ],
    };
  },
});
