/** Club management: create, icon, description, open/closed, admins, transfer, disband. */
import { defineCommand, type AnyCommand } from '../types.js';
import { usage } from '../registry.js';
import { UserError } from '../errors.js';
import { checkClubName } from '../../../clubs/club-service.js';
import { myClub, refusal } from './shared.js';

const NONE = new Set(['none', 'remove', 'clear', '-']);

export const clubCreate = defineCommand({
  path: ['club', 'create'],
  description: 'Create a club (you become its owner)',
  options: [{ name: 'name', type: 'string', description: '2–20 letters, digits, spaces, - or _', required: true, rest: true }] as const,
  example: { name: 'Night Owls' },
  permission: 'everyone',
  guildOnly: false,
  async handler(ctx, { name }) {
    const use = usage(clubCreate as AnyCommand, ctx.prefix);
    const check = checkClubName(name);
    if (!check.ok) throw new UserError('bad_argument', check.problem, use);
    const r = await ctx.app.core.writer.clubs.create(ctx.user.id, check.name);
    if (!r.ok) throw refusal(ctx, r.reason, r.reason === 'name_taken' ? use : undefined);
    return { content: `✅ Created the club **${check.name}**. Set its icon with \`${ctx.prefix}club icon <url>\`; people join with \`${ctx.prefix}club join ${check.name}\`.` };
  },
});

export const clubIcon = defineCommand({
  path: ['club', 'icon'],
  description: "Set your club's icon (an image link; 'none' removes it)",
  options: [{ name: 'url', type: 'string', description: 'An http(s) link to a PNG, JPEG, GIF or WebP image, or none', required: true }] as const,
  example: { url: 'https://example.com/owl.png' },
  permission: 'everyone',
  guildOnly: false,
  async handler(ctx, { url }) {
    const use = usage(clubIcon as AnyCommand, ctx.prefix);
    const club = await myClub(ctx);
    if (club.ownerId !== ctx.user.id) throw refusal(ctx, 'not_owner');
    let value: string | null = null;
    if (!NONE.has(url.trim().toLowerCase())) {
      await ctx.defer();
      const check = await ctx.app.clubs.checkIcon(url);
      if (!check.ok) throw new UserError('bad_argument', check.problem, use);
      value = check.url;
    }
    const r = await ctx.app.core.writer.clubs.setIcon(ctx.user.id, value);
    if (!r.ok) throw refusal(ctx, r.reason);
    return { content: value ? `✅ Set the icon of **${club.name}**.` : `✅ Removed the icon of **${club.name}**.` };
  },
});

export const clubDescription = defineCommand({
  path: ['club', 'description'],
  aliases: [['club', 'desc']],
  description: "Set your club's description ('none' removes it)",
  options: [{ name: 'text', type: 'string', description: 'Up to 300 characters, or none', required: true, rest: true, max: 300 }] as const,
  example: { text: 'We chat after midnight.' },
  permission: 'everyone',
  guildOnly: false,
  async handler(ctx, { text }) {
    const value = NONE.has(text.trim().toLowerCase()) ? null : text.trim();
    const r = await ctx.app.core.writer.clubs.setDescription(ctx.user.id, value);
    if (!r.ok) throw refusal(ctx, r.reason);
    return { content: value ? '✅ Updated the club description.' : '✅ Removed the club description.' };
  },
});

export const clubOpen = defineCommand({
  path: ['club', 'open'],
  description: 'Open your club (anyone joins at once) or close it (joining needs approval)',
  options: [{ name: 'open', type: 'boolean', description: 'true = open, false = by application', required: true }] as const,
  example: { open: true },
  permission: 'everyone',
  guildOnly: false,
  async handler(ctx, { open }) {
    const r = await ctx.app.core.writer.clubs.setOpen(ctx.user.id, open);
    if (!r.ok) throw refusal(ctx, r.reason);
    return { content: open ? '✅ Your club is open: anyone can join at once.' : '✅ Your club is closed: people apply and you (or an admin) accept them.' };
  },
});

export const clubAdmin = defineCommand({
  path: ['club', 'admin'],
  description: 'Make a member a club admin, or not (club owner)',
  options: [
    { name: 'user', type: 'user', description: 'A member of your club', required: true },
    { name: 'admin', type: 'boolean', description: 'true = admin, false = member (default true)' },
  ] as const,
  example: { user: '@alice', admin: true },
  permission: 'everyone',
  guildOnly: false,
  async handler(ctx, { user, admin }) {
    const on = admin ?? true;
    const r = await ctx.app.core.writer.clubs.setAdmin(ctx.user.id, user.id, on);
    if (!r.ok) throw refusal(ctx, r.reason, usage(clubAdmin as AnyCommand, ctx.prefix));
    return { content: on ? `✅ <@${user.id}> is now a club admin: they can accept applicants and kick or ban members.` : `✅ <@${user.id}> is no longer a club admin.` };
  },
});

export const clubTransfer = defineCommand({
  path: ['club', 'transfer'],
  description: 'Hand your club over to a member (you stay as an admin)',
  options: [{ name: 'user', type: 'user', description: 'A member of your club', required: true }] as const,
  example: { user: '@alice' },
  permission: 'everyone',
  guildOnly: false,
  async handler(ctx, { user }) {
    const r = await ctx.app.core.writer.clubs.transfer(ctx.user.id, user.id);
    if (!r.ok) throw refusal(ctx, r.reason, usage(clubTransfer as AnyCommand, ctx.prefix));
    return { content: `✅ <@${user.id}> now owns **${r.clubName}**. You stay in it as an admin.` };
  },
});

export const clubDisband = defineCommand({
  path: ['club', 'disband'],
  description: 'Delete your club (type its name to confirm)',
  options: [{ name: 'name', type: 'string', description: "Your club's name, to confirm", required: true, rest: true }] as const,
  example: { name: 'Night Owls' },
  permission: 'everyone',
  guildOnly: false,
  async handler(ctx, { name }) {
    const club = await myClub(ctx);
    if (club.ownerId !== ctx.user.id) throw refusal(ctx, 'not_owner');
    if (name.trim().replace(/\s+/g, ' ').toLowerCase() !== club.name.toLowerCase()) {
      throw new UserError('bad_argument', `To confirm, type your club's name exactly: **${club.name}**.`, `${ctx.prefix}club disband ${club.name}`);
    }
    const r = await ctx.app.core.writer.clubs.disband(ctx.user.id);
    if (!r.ok) throw refusal(ctx, r.reason);
    return { content: `✅ Disbanded **${r.clubName}** (${r.members} member${r.members === 1 ? '' : 's'} released).` };
  },
});
