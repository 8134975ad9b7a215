import { defineCommand, type CommandContext } from '../types.js';
import { requireGuild } from '../admin/shared.js';
import { formatNumber } from './level-info.js';
import { levelFromXp } from '../../../levels/curve.js';
import { replyWithPages } from '../../paged-list.js';
import { PERIOD_OPTION, resolvePeriod, type ResolvedPeriod } from './period.js';
import { isPastPeriod } from '../../../engine/period-names.js';

export const PAGE_SIZE = 10;

export const levelLeaderboard = defineCommand({
  path: ['level', 'leaderboard'],
  aliases: [['lb'], ['top'], ['leaderboard']],
  description: "The server's XP leaderboard: all-time, this or last week or month, or this season",
  options: [{ name: 'page', type: 'integer', description: 'Page number (default 1)', min: 1 }, PERIOD_OPTION] as const,
  example: { page: 2, period: 'week' },
  permission: 'everyone',
  async handler(ctx, { page, period }) {
    const guildId = requireGuild(ctx);
    const reads = ctx.app.core.reads;
    const chosen = await resolvePeriod(ctx, guildId, period);
    if (chosen) {
      // Period totals are written by the flush (DESIGN §15.2): flush first, as a rank read does.
      await ctx.app.core.flusher.flushForReads();
      const periods = ctx.app.core.stores.periods;
      await replyWithPages(
        ctx,
        {
          pageCount: async () => Math.max(1, Math.ceil((await periods.memberCount(guildId, chosen.id)) / PAGE_SIZE)),
          render: (p, pages) => renderPage(ctx, guildId, p, pages, chosen),
          invokerPage: async () => {
            const me = await periods.memberXp(guildId, ctx.user.id, chosen.id);
            return me.hasLeft || me.xp <= 0 ? null : Math.ceil((await periods.rank(guildId, ctx.user.id, chosen.id)) / PAGE_SIZE);
          },
        },
        page ?? 1,
      );
      return;
    }
    await replyWithPages(
      ctx,
      {
        pageCount: async () => Math.max(1, Math.ceil((await reads.memberCount(guildId)) / PAGE_SIZE)),
        render: (p, pages) => renderPage(ctx, guildId, p, pages, null),
        invokerPage: async () => {
          const row = await reads.userRow(guildId, ctx.user.id);
          return !row || row.hasLeft ? null : Math.ceil((await reads.rank(guildId, ctx.user.id, row.xp)) / PAGE_SIZE);
        },
      },
      page ?? 1,
    );
  },
});

async function renderPage(ctx: CommandContext, guildId: string, page: number, pages: number, period: ResolvedPeriod | null) {
  const offset = (page - 1) * PAGE_SIZE;
  const rows = period ? await ctx.app.core.stores.periods.leaderboard(guildId, period.id, offset, PAGE_SIZE) : await ctx.app.core.reads.leaderboard(guildId, offset, PAGE_SIZE);
  const curve = (await ctx.app.core.engine.rules(guildId)).settings.curve;
  const lines = rows.map((r, i) => {
    const rank = offset + i + 1;
    const me = r.userId === ctx.user.id ? ' ← you' : '';
    // A period board ranks the XP earned in the period; the level shown is always the all-time one.
    return period
      ? `**#${formatNumber(rank)}** <@${r.userId}> — ${formatNumber(r.xp)} XP${me}`
      : `**#${formatNumber(rank)}** <@${r.userId}> — level ${formatNumber(levelFromXp(r.xp, curve))} · ${formatNumber(r.xp)} XP${me}`;
  });
  // 'this week' reads on after "XP"; a season needs its "in" (as on the web board).
  const empty = !period
    ? 'Nobody has earned XP here yet. Start chatting!'
    : isPastPeriod(period.name)
      ? `Nobody earned XP ${period.label}.`
      : `Nobody has earned XP ${period.name === 'season' ? 'in ' : ''}${period.label} yet.`;
  return {
    title: `${ctx.guildName ?? 'Server'} leaderboard${period ? ` — ${period.label}` : ''}`,
    description: lines.length ? lines.join('\n') : empty,
    footer: { text: `Page ${page} / ${pages}` },
    color: 0x8b5cf6,
  };
}
