/** Club membership: join (apply), leave, applicants, accept, reject, kick, ban, unban. */
import { defineCommand, type AnyCommand } from '../types.js';
import { usage } from '../registry.js';
import { UserError } from '../errors.js';
import { clubNamed, myClub, refusal } from './shared.js';

export const clubJoin = defineCommand({
  path: ['club', 'join'],
  aliases: [['club', 'apply']],
  description: 'Join a club (an open one at once; otherwise the owner approves your application)',
  options: [{ name: 'name', type: 'string', description: "The club's name", required: true, rest: true }] as const,
  permission: 'everyone',
  async handler(ctx, { name }) {
    const use = usage(clubJoin as AnyCommand, ctx.prefix);
    const club = clubNamed(ctx, name, use);
    const r = await ctx.app.core.writer.clubs.join(ctx.user.id, club.name);
    if (!r.ok) throw refusal(ctx, r.reason);
    return { content: r.joined ? `✅ You joined **${r.clubName}**.` : `📨 You applied to **${r.clubName}**. Its owner or an admin will accept or reject you.` };
  },
});

export const clubLeave = defineCommand({
  path: ['club', 'leave'],
  description: 'Leave your club',
  options: [] as const,
  permission: 'everyone',
  async handler(ctx) {
    const r = await ctx.app.core.writer.clubs.leave(ctx.user.id);
    if (!r.ok) throw refusal(ctx, r.reason);
    return { content: `✅ You left **${r.clubName}**.` };
  },
});

export const clubApplicants = defineCommand({
  path: ['club', 'applicants'],
  description: "Your club's pending applications (owner and admins)",
  options: [] as const,
  permission: 'everyone',
  async handler(ctx) {
    const club = myClub(ctx);
    const me = ctx.app.clubs.reads.membership(ctx.user.id);
    if (!me?.isAdmin) throw refusal(ctx, 'not_admin');
    const list = ctx.app.clubs.reads.applicants(club.id);
    const lines = list.slice(0, 25).map((a) => `• <@${a.userId}> · applied <t:${Math.floor(a.at / 1000)}:R>`);
    if (list.length > 25) lines.push(`…and ${list.length - 25} more`);
    return {
      embeds: [
        {
          title: `Applications to ${club.name}`,
          description: lines.length ? lines.join('\n') : 'No pending applications.',
          footer: { text: `${ctx.prefix}club accept <user> · ${ctx.prefix}club reject <user>` },
          color: 0x8b5cf6,
        },
      ],
    };
  },
});

const userOption = [{ name: 'user', type: 'user', description: 'Who', required: true }] as const;

export const clubAccept = defineCommand({
  path: ['club', 'accept'],
  description: 'Accept an application to your club (owner and admins)',
  options: userOption,
  permission: 'everyone',
  async handler(ctx, { user }) {
    const r = await ctx.app.core.writer.clubs.accept(ctx.user.id, user.id);
    if (!r.ok) {
      if (r.reason === 'already_in_club') throw new UserError('invalid_state', `<@${user.id}> has joined another club meanwhile; their application was removed.`);
      throw refusal(ctx, r.reason, usage(clubAccept as AnyCommand, ctx.prefix));
    }
    return { content: `✅ <@${user.id}> is now a member of **${r.clubName}**.` };
  },
});

export const clubReject = defineCommand({
  path: ['club', 'reject'],
  description: 'Reject an application to your club (owner and admins)',
  options: userOption,
  permission: 'everyone',
  async handler(ctx, { user }) {
    const r = await ctx.app.core.writer.clubs.reject(ctx.user.id, user.id);
    if (!r.ok) throw refusal(ctx, r.reason, usage(clubReject as AnyCommand, ctx.prefix));
    return { content: `✅ Rejected the application of <@${user.id}>.` };
  },
});

export const clubKick = defineCommand({
  path: ['club', 'kick'],
  description: 'Remove a member from your club (owner and admins)',
  options: userOption,
  permission: 'everyone',
  async handler(ctx, { user }) {
    const r = await ctx.app.core.writer.clubs.kick(ctx.user.id, user.id);
    if (!r.ok) throw refusal(ctx, r.reason, usage(clubKick as AnyCommand, ctx.prefix));
    return { content: `✅ Kicked <@${user.id}> from the club. They can apply again (ban them to stop that).` };
  },
});

export const clubBan = defineCommand({
  path: ['club', 'ban'],
  description: 'Ban someone from your club (removes them; they cannot apply) (owner and admins)',
  options: userOption,
  permission: 'everyone',
  async handler(ctx, { user }) {
    const r = await ctx.app.core.writer.clubs.ban(ctx.user.id, user.id);
    if (!r.ok) throw refusal(ctx, r.reason, usage(clubBan as AnyCommand, ctx.prefix));
    return { content: `✅ Banned <@${user.id}> from the club${r.wasMember ? ' and removed them' : ''}.` };
  },
});

export const clubUnban = defineCommand({
  path: ['club', 'unban'],
  description: 'Lift a club ban (owner and admins)',
  options: userOption,
  permission: 'everyone',
  async handler(ctx, { user }) {
    const r = await ctx.app.core.writer.clubs.unban(ctx.user.id, user.id);
    if (!r.ok) throw refusal(ctx, r.reason, usage(clubUnban as AnyCommand, ctx.prefix));
    return { content: `✅ <@${user.id}> may apply to the club again.` };
  },
});
