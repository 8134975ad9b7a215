import { defineCommand, type CommandContext } from '../types.js';
import { requireGuild } from '../admin/shared.js';
import { formatNumber } from './level-info.js';
import { levelFromXp } from '../../../levels/curve.js';
import { replyWithPages } from '../../paged-list.js';

export const PAGE_SIZE = 10;

export const levelLeaderboard = defineCommand({
  path: ['level', 'leaderboard'],
  aliases: [['lb'], ['top'], ['leaderboard']],
  description: "The server's XP leaderboard",
  options: [{ name: 'page', type: 'integer', description: 'Page number (default 1)', min: 1 }] as const,
  example: { page: 2 },
  permission: 'everyone',
  async handler(ctx, { page }) {
    const guildId = requireGuild(ctx);
    const reads = ctx.app.core.reads;
    await replyWithPages(
      ctx,
      {
        pageCount: async () => Math.max(1, Math.ceil((await reads.memberCount(guildId)) / PAGE_SIZE)),
        render: (p, pages) => renderPage(ctx, guildId, p, pages),
        invokerPage: async () => {
          const row = await reads.userRow(guildId, ctx.user.id);
          return !row || row.hasLeft ? null : Math.ceil((await reads.rank(guildId, ctx.user.id, row.xp)) / PAGE_SIZE);
        },
      },
      page ?? 1,
    );
  },
});

async function renderPage(ctx: CommandContext, guildId: string, page: number, pages: number) {
  const rows = await ctx.app.core.reads.leaderboard(guildId, (page - 1) * PAGE_SIZE, PAGE_SIZE);
  const curve = (await ctx.app.core.engine.rules(guildId)).settings.curve;
  const lines = rows.map((r, i) => {
    const rank = (page - 1) * PAGE_SIZE + i + 1;
    const me = r.userId === ctx.user.id ? ' ← you' : '';
    return `**#${formatNumber(rank)}** <@${r.userId}> — level ${formatNumber(levelFromXp(r.xp, curve))} · ${formatNumber(r.xp)} XP${me}`;
  });
  return {
    title: `${ctx.guildName ?? 'Server'} leaderboard`,
    description: lines.length ? lines.join('\n') : 'Nobody has earned XP here yet. Start chatting!',
    footer: { text: `Page ${page} / ${pages}` },
    color: 0x8b5cf6,
  };
}
