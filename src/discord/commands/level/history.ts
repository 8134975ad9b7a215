/**
 * `level history [user] [days]`: a member's XP per UTC day over the last 7, 30, 90 or 365 days as a chart drawn by
 * the card worker pool, message and voice stacked, level-ups marked (DESIGN §4.1, §15.1). Without a renderer (or
 * when it fails) the answer is the same numbers as text.
 */
import { defineCommand } from '../types.js';
import { requireGuild } from '../admin/shared.js';
import { formatNumber } from './level-info.js';
import { utcDay } from '../../../engine/history.js';
import { HISTORY_WINDOWS, historyChartData } from '../../history-chart.js';

export const levelHistory = defineCommand({
  path: ['level', 'history'],
  description: "A member's XP per day as a chart: messages and voice, level-ups marked",
  options: [
    { name: 'user', type: 'user', description: 'Whose history (default: yours)' },
    { name: 'days', type: 'integer', description: 'How many days: 7, 30 (default), 90 or 365', choices: HISTORY_WINDOWS },
  ] as const,
  example: { user: '@alice', days: 90 },
  permission: 'everyone',
  async handler(ctx, { user, days }) {
    const guildId = requireGuild(ctx);
    const target = user ?? ctx.user;
    if (target.bot) return { content: `${target.displayName} is a bot; bots don't earn XP.` };
    const window = days ?? 30;
    await ctx.defer();
    // History is written by the flush (DESIGN §15.1): flush first, as a rank read does.
    await ctx.app.core.flusher.flushForReads();
    const toDay = utcDay(ctx.app.clock.wallNow());
    const { settings } = await ctx.app.core.engine.rules(guildId);
    const retention = settings.historyRetentionDays;
    // Days past the retention are kept only as monthly sums: say so rather than draw them as empty days.
    const cut = retention > 0 && retention < window ? ` · daily detail kept ${retention} days` : '';
    const data = historyChartData({
      window: await ctx.app.core.stores.history.memberWindow(guildId, target.id, toDay - window + 1, toDay),
      toDay,
      days: window,
      curve: settings.curve,
      title: target.displayName,
      subtitle: `Last ${window} days (UTC)${cut}`,
      template: ctx.app.config.current.card,
    });
    const sum = data.totals.reduce((a, t) => a + t.xp, 0);
    const parts = data.totals.map((t) => `${formatNumber(t.xp)} ${t.name.toLowerCase()}`).join(' · ');
    const ups = data.levelUps === 1 ? '1 level-up' : `${formatNumber(data.levelUps)} level-ups`;
    const description = data.totals.length === 0 ? `No XP in these ${window} days.` : `**${formatNumber(sum)} XP** (${parts}) · ${ups}${cut}`;
    const png = await ctx.app.cards?.historyChart(data.chart);
    return {
      embeds: [
        {
          title: `${target.displayName} — XP in the last ${window} days`,
          description,
          color: 0x8b5cf6,
          ...(png ? { image: { url: 'attachment://history.png' } } : {}),
        },
      ],
      files: png ? [{ name: 'history.png', data: png }] : undefined,
    };
  },
});
