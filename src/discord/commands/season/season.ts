/**
 * `season list` and `season show <n>` (DESIGN §15.3): the server's seasons, and a closed season's archived
 * standings — the top 100, ten per page, and the caller's own line wherever they finished. The running season's
 * board is `level leaderboard season`.
 */
import { defineCommand, type AnyCommand } from '../types.js';
import { requireGuild } from '../admin/shared.js';
import { replyWithPages } from '../../paged-list.js';
import { formatNumber } from '../level/level-info.js';
import { SHOWN_STANDINGS, type Season } from '../../../seasons/season.js';
import { describeSeasonEnd, seasonLine } from './season-text.js';
import { fitLines, LIMITS } from '../../limits.js';

const PAGE = 10;

const seasonList = defineCommand({
  path: ['season', 'list'],
  aliases: [['seasons']],
  description: "This server's seasons: the running one and the past ones",
  options: [{ name: 'page', type: 'integer', description: 'Page number (default 1)', min: 1 }] as const,
  example: { page: 1 },
  permission: 'everyone',
  async handler(ctx, { page }) {
    const guildId = requireGuild(ctx);
    const seasons = ctx.app.core.stores.seasons;
    const { timeZone } = (await ctx.app.core.engine.rules(guildId)).settings;
    const first = await seasons.list(guildId, 0, 1);
    if (first.total === 0) return { content: 'No season yet. Admins start one with `unicornia season start`.' };
    await replyWithPages(
      ctx,
      {
        readsXp: false,
        pageCount: async () => Math.max(1, Math.ceil((await seasons.list(guildId, 0, 1)).total / PAGE)),
        render: async (p, pages) => {
          const { seasons: list } = await seasons.list(guildId, (p - 1) * PAGE, PAGE);
          const now = ctx.app.clock.wallNow();
          return {
            title: `${ctx.guildName ?? 'Server'} seasons`,
            description: fitLines(list.map((s) => seasonLine(s, now, timeZone)), LIMITS.description),
            footer: { text: `Page ${p} / ${pages} · season show <number> for the standings` },
            color: 0x8b5cf6,
          };
        },
      },
      page ?? 1,
    );
  },
});

const seasonShow = defineCommand({
  path: ['season', 'show'],
  description: "A past season's final standings (top 100) and your own place",
  options: [
    { name: 'number', type: 'integer', required: true, description: 'The season number (season list)', min: 1 },
    { name: 'page', type: 'integer', description: 'Page number (default 1)', min: 1, max: SHOWN_STANDINGS / PAGE },
  ] as const,
  example: { number: 1 },
  permission: 'everyone',
  async handler(ctx, { number, page }) {
    const guildId = requireGuild(ctx);
    const seasons = ctx.app.core.stores.seasons;
    const s = await seasons.byNumber(guildId, number);
    const now = ctx.app.clock.wallNow();
    if (!s || s.state === 'cancelled') return { content: `There is no season ${number} here. \`season list\` shows them.` };
    if (s.state === 'running') {
      const { timeZone } = (await ctx.app.core.engine.rules(guildId)).settings;
      return { content: `Season ${s.number} “${s.name}” is still running (${describeSeasonEnd(s, now, timeZone)}): \`level leaderboard season\` shows its board.` };
    }
    if (s.state === 'closing') return { content: `Season ${s.number} “${s.name}” has ended and its standings are being archived: try again in a moment.` };
    const mine = await seasons.standing(guildId, s.id, ctx.user.id);
    const shown = Math.min(s.ranked, SHOWN_STANDINGS);
    await replyWithPages(
      ctx,
      {
        readsXp: false,
        pageCount: () => Math.max(1, Math.ceil(shown / PAGE)),
        render: async (p, pages) => {
          const rows = await seasons.standings(guildId, s.id, (p - 1) * PAGE, PAGE);
          const lines = rows.map((r) => `**#${formatNumber(r.rank!)}** <@${r.userId}> — ${formatNumber(r.xp)} XP${r.userId === ctx.user.id ? ' ← you' : ''}`);
          return {
            title: `Season ${s.number} “${s.name}” — final standings`,
            description: lines.length ? lines.join('\n') : 'Nobody earned XP in this season.',
            fields: [{ name: 'You', value: yourLine(s, mine) }],
            footer: { text: `Page ${p} / ${pages} · ${formatNumber(s.ranked)} ranked member${s.ranked === 1 ? '' : 's'} · ${formatNumber(s.totalXp)} XP earned` },
            color: 0x8b5cf6,
          };
        },
      },
      page ?? 1,
    );
  },
});

function yourLine(s: Season, mine: { xp: number; rank: number | null } | null): string {
  if (!mine) return `You earned no XP in season ${s.number}.`;
  if (mine.rank === null) return `${formatNumber(mine.xp)} XP (not ranked: you had left the server when it ended)`;
  return `#${formatNumber(mine.rank)} of ${formatNumber(s.ranked)} with ${formatNumber(mine.xp)} XP`;
}

export const seasonMemberCommands: AnyCommand[] = [seasonList as AnyCommand, seasonShow as AnyCommand];
