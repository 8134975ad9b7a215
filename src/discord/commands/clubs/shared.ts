/** What the club commands share: the refusal texts (one table) and small lookups. */
import type { CommandContext } from '../types.js';
import { UserError, type UserErrorCode } from '../errors.js';
import type { ClubRefusal } from '../../../storage/club-writes.js';
import type { ClubInfo } from '../../../storage/club-reads.js';

const REFUSALS: Record<ClubRefusal, [UserErrorCode, (p: string) => string]> = {
  name_taken: ['invalid_state', () => 'That club name is taken (names are compared ignoring case). Pick another one.'],
  already_in_club: ['invalid_state', (p) => `You are already in a club. Leave it first with \`${p}club leave\` (one club per person).`],
  no_club: ['invalid_state', (p) => `You are not in a club. Create one with \`${p}club create <name>\` or join one with \`${p}club join <name>\`.`],
  club_not_found: ['not_found', (p) => `There is no club with that name. See \`${p}club leaderboard\`.`],
  not_owner: ['invalid_state', () => 'Only the club owner can do that.'],
  not_admin: ['invalid_state', () => 'Only the club owner and club admins can do that.'],
  banned: ['invalid_state', () => 'You are banned from that club.'],
  already_applied: ['invalid_state', () => 'You have already applied to that club; the owner or an admin will accept or reject it.'],
  not_applicant: ['invalid_state', (p) => `That person has not applied to your club. See \`${p}club applicants\`.`],
  not_member: ['invalid_state', () => 'That person is not a member of your club.'],
  target_is_owner: ['invalid_state', () => 'The club owner cannot be kicked or banned.'],
  target_is_admin: ['invalid_state', () => 'Only the club owner can kick or ban a club admin.'],
  already_banned: ['invalid_state', () => 'That person is already banned from your club.'],
  not_banned: ['invalid_state', () => 'That person is not banned from your club.'],
  owner_cannot_leave: ['invalid_state', (p) => `The owner cannot leave the club: hand it over with \`${p}club transfer <user>\` or delete it with \`${p}club disband <name>\`.`],
  self: ['bad_argument', () => "You can't do that to yourself."],
};

/** Refusals about the argument given (the usage line helps); the others are about the invoker's own standing. */
const ABOUT_ARGUMENT = new Set<ClubRefusal>(['name_taken', 'not_applicant', 'not_member', 'target_is_owner', 'target_is_admin', 'already_banned', 'not_banned', 'self']);

export function refusal(ctx: CommandContext, reason: ClubRefusal, use?: string): UserError {
  const [code, text] = REFUSALS[reason];
  return new UserError(code, text(ctx.prefix), ABOUT_ARGUMENT.has(reason) ? use : undefined);
}

/** The club with this name, or a "not found" error suggesting the closest name. */
export async function clubNamed(ctx: CommandContext, name: string, use?: string): Promise<ClubInfo> {
  const club = await ctx.app.clubs.reads.byName(name.trim().replace(/\s+/g, ' '));
  if (club) return club;
  const guess = await ctx.app.clubs.suggest(name);
  throw new UserError('not_found', `There is no club called **${name}**.${guess ? ` Did you mean **${guess}**?` : ''}`, use);
}

/** The invoker's club, or the "you are not in a club" error. */
export async function myClub(ctx: CommandContext): Promise<ClubInfo> {
  const club = await ctx.app.clubs.reads.clubOfUser(ctx.user.id);
  if (!club) throw refusal(ctx, 'no_club');
  return club;
}
