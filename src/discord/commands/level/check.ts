import { defineCommand } from '../types.js';
import { memberLevel, formatNumber } from './level-info.js';
import { requireGuild } from '../admin/shared.js';
import { memberCardRequest } from '../../member-card.js';
import { PERIOD_OPTION, resolvePeriod } from './period.js';

export const levelCheck = defineCommand({
  path: ['level', 'check'],
  aliases: [['level'], ['xp'], ['rank']],
  description: "Show a member's level, rank and XP card; with a period, their XP and rank in it",
  options: [{ name: 'user', type: 'user', description: 'Whose card (default: yours)' }, PERIOD_OPTION] as const,
  example: { user: '@alice' },
  permission: 'everyone',
  async handler(ctx, { user, period }) {
    const guildId = requireGuild(ctx);
    const target = user ?? ctx.user;
    if (target.bot) return { content: `${target.displayName} is a bot; bots don't earn XP.` };
    const chosen = await resolvePeriod(ctx, guildId, period);
    await ctx.defer();
    if (chosen) {
      await ctx.app.core.flusher.flushForReads();
      const periods = ctx.app.core.stores.periods;
      const me = await periods.memberXp(guildId, target.id, chosen.id);
      const rank = me.xp > 0 && !me.hasLeft ? `#${formatNumber(await periods.rank(guildId, target.id, chosen.id))} of ${formatNumber(await periods.memberCount(guildId, chosen.id))}` : '—';
      return {
        embeds: [
          {
            title: `${target.displayName} — ${chosen.label}`,
            fields: [
              { name: 'XP', value: formatNumber(me.xp), inline: true },
              { name: 'Rank', value: rank, inline: true },
            ],
            color: 0x8b5cf6,
          },
        ],
      };
    }
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
