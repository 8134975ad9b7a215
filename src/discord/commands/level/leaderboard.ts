import type { APIActionRowComponent, APIComponentInMessageActionRow } from 'discord.js';
import { defineCommand, type CommandContext, type ReplyPayload } from '../types.js';
import { requireGuild } from '../admin/shared.js';
import { formatNumber } from './level-info.js';
import { levelFromXp } from '../../../levels/curve.js';
import { sessionButtonId } from '../../sessions.js';

export const PAGE_SIZE = 10;

export const levelLeaderboard = defineCommand({
  path: ['level', 'leaderboard'],
  aliases: [['lb'], ['top'], ['leaderboard']],
  description: "The server's XP leaderboard",
  options: [{ name: 'page', type: 'integer', description: 'Page number (default 1)', min: 1 }] as const,
  permission: 'everyone',
  async handler(ctx, { page }) {
    const guildId = requireGuild(ctx);
    await ctx.app.core.flusher.flush(); // the page must agree with the ranks on cards
    let current = Math.min(page ?? 1, pageCount(ctx, guildId));
    const session = ctx.app.sessions.reserve();
    let payload = renderPage(ctx, guildId, current, session);
    ctx.app.sessions.open(
      session,
      {
        invokerId: ctx.user.id,
        current: () => payload,
        press: async (action) => {
          await ctx.app.core.flusher.flush();
          const pages = pageCount(ctx, guildId);
          if (action === 'prev') current = Math.max(1, current - 1);
          else if (action === 'next') current = Math.min(pages, current + 1);
          else if (action === 'me') current = pageOf(ctx, guildId, ctx.user.id) ?? current;
          payload = renderPage(ctx, guildId, current, session);
          return payload;
        },
      },
      ctx.edit,
    );
    await ctx.reply(payload);
  },
});

function pageCount(ctx: CommandContext, guildId: string): number {
  return Math.max(1, Math.ceil(ctx.app.core.reads.memberCount(guildId) / PAGE_SIZE));
}

function pageOf(ctx: CommandContext, guildId: string, userId: string): number | null {
  const row = ctx.app.core.reads.userRow(guildId, userId);
  if (!row || row.hasLeft) return null;
  return Math.ceil(ctx.app.core.reads.rank(guildId, userId, row.xp) / PAGE_SIZE);
}

function renderPage(ctx: CommandContext, guildId: string, page: number, session: string): ReplyPayload {
  const pages = pageCount(ctx, guildId);
  const rows = ctx.app.core.reads.leaderboard(guildId, (page - 1) * PAGE_SIZE, PAGE_SIZE);
  const curve = ctx.app.core.engine.rules(guildId).settings.curve;
  const lines = rows.map((r, i) => {
    const rank = (page - 1) * PAGE_SIZE + i + 1;
    const me = r.userId === ctx.user.id ? ' ← you' : '';
    return `**#${formatNumber(rank)}** <@${r.userId}> — level ${formatNumber(levelFromXp(r.xp, curve))} · ${formatNumber(r.xp)} XP${me}`;
  });
  const buttons: APIActionRowComponent<APIComponentInMessageActionRow> = {
    type: 1,
    components: [
      { type: 2, style: 2, custom_id: sessionButtonId(session, 'prev'), label: '◀', disabled: page <= 1 },
      { type: 2, style: 2, custom_id: sessionButtonId(session, 'next'), label: '▶', disabled: page >= pages },
      { type: 2, style: 1, custom_id: sessionButtonId(session, 'me'), label: 'Jump to me' },
    ],
  };
  return {
    embeds: [
      {
        title: `${ctx.guildName ?? 'Server'} leaderboard`,
        description: lines.length ? lines.join('\n') : 'Nobody has earned XP here yet. Start chatting!',
        footer: { text: `Page ${page} / ${pages}` },
        color: 0x8b5cf6,
      },
    ],
    components: [buttons],
  };
}
