/**
 * `club info [name]` and `club leaderboard [page]`. A club's XP is the sum of its members' global XP (clubs are
 * global, like the wallet), so the leaderboard is the same in every server. Read only.
 */
import type { APIEmbed } from 'discord.js';
import { defineCommand, type CommandContext, type ReplyPayload } from '../types.js';
import type { ClubInfo } from '../../../storage/club-reads.js';
import { replyWithPages } from '../../paged-list.js';
import { clubNamed, myClub } from './shared.js';

export const clubInfo = defineCommand({
  path: ['club', 'info'],
  description: 'A club: owner, members, XP, rank (default: yours)',
  options: [{ name: 'name', type: 'string', description: "The club's name (default: your club)", rest: true }] as const,
  example: { name: 'Night Owls' },
  permission: 'everyone',
  guildOnly: false,
  async handler(ctx, { name }): Promise<ReplyPayload> {
    await ctx.app.core.flusher.flushForReads(); // club XP sums members' saved XP
    const club: ClubInfo = name ? await clubNamed(ctx, name, `${ctx.prefix}club info [name]`) : await myClub(ctx);
    const reads = ctx.app.clubs.reads;
    const members = await reads.members(club.id);
    const shown = members.slice(0, 15).map((m) => `${m.isOwner ? '👑' : m.isAdmin ? '🛡️' : '•'} <@${m.userId}> · ${m.totalXp.toLocaleString('en-US')} XP`);
    if (members.length > 15) shown.push(`…and ${members.length - 15} more`);
    return {
      embeds: [
        {
          title: club.name,
          description: club.description ?? undefined,
          ...(club.iconUrl ? { thumbnail: { url: club.iconUrl } } : {}),
          fields: [
            { name: 'Owner', value: `<@${club.ownerId}>`, inline: true },
            { name: 'Rank', value: `#${(await reads.rank(club)).toLocaleString('en-US')} of ${(await reads.count()).toLocaleString('en-US')}`, inline: true },
            { name: 'XP', value: club.xp.toLocaleString('en-US'), inline: true },
            { name: 'Joining', value: club.isOpen ? 'Open: anyone joins at once' : 'By application', inline: true },
            { name: `Members (${club.members})`, value: shown.join('\n') || '—' },
          ],
          color: 0x8b5cf6,
        },
      ],
    };
  },
});

const PAGE = 10;

export const clubLeaderboard = defineCommand({
  path: ['club', 'leaderboard'],
  aliases: [['club', 'lb'], ['clubs']],
  description: 'Clubs ranked by their members’ XP',
  options: [{ name: 'page', type: 'integer', description: 'Page number (default 1)', min: 1 }] as const,
  example: { page: 2 },
  permission: 'everyone',
  guildOnly: false,
  async handler(ctx, { page }) {
    await replyWithPages(ctx, { pageCount: () => pages(ctx), render: (p, total) => render(ctx, p, total) }, page ?? 1);
  },
});

async function pages(ctx: CommandContext): Promise<number> {
  return Math.max(1, Math.ceil((await ctx.app.clubs.reads.count()) / PAGE));
}

async function render(ctx: CommandContext, page: number, total: number): Promise<APIEmbed> {
  const rows = await ctx.app.clubs.reads.leaderboard((page - 1) * PAGE, PAGE);
  const mine = (await ctx.app.clubs.reads.membership(ctx.user.id))?.clubId;
  const lines = rows.map((r) => `**#${r.rank}** ${r.name} — ${r.xp.toLocaleString('en-US')} XP · ${r.members} member${r.members === 1 ? '' : 's'}${r.id === mine ? ' ← yours' : ''}`);
  return {
    title: 'Club leaderboard',
    description: lines.length ? lines.join('\n') : `No clubs yet. Create one with \`${ctx.prefix}club create <name>\`.`,
    footer: { text: `Page ${page} / ${total} · club XP = the sum of its members' XP` },
    color: 0x8b5cf6,
  };
}
