/**
 * Who may use a command where: the one rule both running a command and listing it in `help` follow, so help never
 * offers what would be refused.
 */
import type { AnyCommand, CommandContext } from './types.js';
import { UserError } from './errors.js';

export interface Caller {
  /** A bot owner (OWNER_IDS): admin everywhere. */
  owner: boolean;
  /** Manage Server in this server. */
  canManageGuild: boolean;
  /** In a server (false in DMs). */
  inGuild: boolean;
}

/** Why the caller may not use the command here, as the error they get; null when they may. */
export function refusal(command: AnyCommand, caller: Caller): UserError | null {
  if ((command.guildOnly ?? true) && !caller.inGuild) return new UserError('guild_only', 'This command only works in a server.');
  if (command.permission === 'owner' && !caller.owner) return new UserError('not_owner', 'Only the bot owner can use this command.');
  if (command.permission === 'admin' && !caller.owner && !caller.canManageGuild) return new UserError('not_admin', 'You need the Manage Server permission to use this command.');
  return null;
}

/** The caller of a command context. */
export function callerOf(ctx: Pick<CommandContext, 'app' | 'user' | 'canManageGuild' | 'guildId'>): Caller {
  return { owner: ctx.app.ownerIds.has(ctx.user.id), canManageGuild: ctx.canManageGuild, inGuild: ctx.guildId !== null };
}
