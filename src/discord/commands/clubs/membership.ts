/** Club membership: join (apply), leave, applicants, accept, reject, kick, ban, unban. */
import { defineCommand, type AnyCommand, type CommandContext } from '../types.js';
import type { ClubResult } from '../../../storage/club-writes.js';
import { usage } from '../registry.js';
import { UserError } from '../errors.js';
import { clubNamed, myClub, refusal } from './shared.js';

export const clubJoin = defineCommand({
  path: ['club', 'join'],
  aliases: [['club', 'apply']],
  description: 'Join a club (an open one at once; otherwise the owner approves your application)',
  options: [{ name: 'name', type: 'string', description: "The club's name", required: true, rest: true }] as const,
  example: { name: 'Night Owls' },
  permission: 'everyone',
  guildOnly: false,
  async handler(ctx, { name }) {
    const use = usage(clubJoin as AnyCommand, ctx.prefix);
    const club = await clubNamed(ctx, name, use);
    const r = await ctx.app.core.writer.clubs.join(ctx.user.id, club.name);
    if (!r.ok) throw refusal(ctx, r.reason);
    return { content: r.joined ? `✅ You joined **${r.clubName}**.` : `📨 You applied to **${r.clubName}**. Its owner or an admin will accept or reject you.` };
  },
});

export const clubLeave = defineCommand({
  path: ['club', 'leave'],
  description: 'Leave your club',
  options: [] as const,
  example: {},
  permission: 'everyone',
  guildOnly: false,
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
  example: {},
  permission: 'everyone',
  guildOnly: false,
  async handler(ctx) {
    const club = await myClub(ctx);
    const me = await ctx.app.clubs.reads.membership(ctx.user.id);
    if (!me?.isAdmin) throw refusal(ctx, 'not_admin');
    const list = await ctx.app.clubs.reads.applicants(club.id);
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

/**
 * accept / reject / kick / ban / unban: an owner or admin acting on one user. They differ in the write and the
 * wording; the refusals (not in a club, not an admin, …) are shared.
 */
function clubUserAction<R extends object>(
  name: string,
  description: string,
  write: (ctx: CommandContext, actorId: string, userId: string) => Promise<ClubResult<R>>,
  done: (r: R, userId: string) => string,
): AnyCommand {
  const command: AnyCommand = defineCommand({
    path: ['club', name],
    description,
    options: userOption,
    example: { user: '@alice' },
    permission: 'everyone',
    guildOnly: false,
    async handler(ctx, { user }) {
      const r = await write(ctx, ctx.user.id, user.id);
      if (!r.ok) {
        if (r.reason === 'already_in_club' && name === 'accept') throw new UserError('invalid_state', `<@${user.id}> has joined another club meanwhile; their application was removed.`);
        throw refusal(ctx, r.reason, usage(command, ctx.prefix));
      }
      return { content: done(r, user.id) };
    },
  }) as AnyCommand;
  return command;
}

const clubs = (ctx: CommandContext) => ctx.app.core.writer.clubs;

export const clubAccept = clubUserAction('accept', 'Accept an application to your club (owner and admins)', (ctx, a, u) => clubs(ctx).accept(a, u), (r, u) => `✅ <@${u}> is now a member of **${r.clubName}**.`);
export const clubReject = clubUserAction('reject', 'Reject an application to your club (owner and admins)', (ctx, a, u) => clubs(ctx).reject(a, u), (_r, u) => `✅ Rejected the application of <@${u}>.`);
export const clubKick = clubUserAction('kick', 'Remove a member from your club (owner and admins)', (ctx, a, u) => clubs(ctx).kick(a, u), (_r, u) => `✅ Kicked <@${u}> from the club. They can apply again (ban them to stop that).`);
export const clubBan = clubUserAction('ban', 'Ban someone from your club (removes them; they cannot apply) (owner and admins)', (ctx, a, u) => clubs(ctx).ban(a, u), (r, u) => `✅ Banned <@${u}> from the club${r.wasMember ? ' and removed them' : ''}.`);
export const clubUnban = clubUserAction('unban', 'Lift a club ban (owner and admins)', (ctx, a, u) => clubs(ctx).unban(a, u), (_r, u) => `✅ <@${u}> may apply to the club again.`);
