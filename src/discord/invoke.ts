/**
 * Running a command: the permission check, the handler, and the one place where errors become replies.
 * Slash and prefix invocations build a CommandContext each (see listeners) and both end here.
 */
import type { AnyCommand, CommandContext, ReplyPayload } from './commands/types.js';
import { GENERIC_FAILURE, UserError, userMessage } from './commands/errors.js';

export interface Invoker {
  /** Manage Server in this guild. */
  canManageGuild: boolean;
}

export async function runCommand(command: AnyCommand, ctx: CommandContext, invoker: Invoker, parseArgs: () => Promise<Record<string, unknown>>): Promise<void> {
  let payload: ReplyPayload | void;
  try {
    if ((command.guildOnly ?? true) && !ctx.guildId) throw new UserError('guild_only', 'This command only works in a server.');
    const owner = ctx.app.ownerIds.has(ctx.user.id);
    if (command.permission === 'owner' && !owner) throw new UserError('not_owner', 'Only the bot owner can use this command.');
    if (command.permission === 'admin' && !owner && !invoker.canManageGuild) {
      throw new UserError('not_admin', 'You need the Manage Server permission to use this command.');
    }
    const args = await parseArgs();
    payload = await command.handler(ctx, args as never);
  } catch (error) {
    if (error instanceof UserError) {
      payload = { content: userMessage(error), ephemeral: true };
    } else {
      ctx.app.logger.error({ err: error, command: command.path.join(' '), guildId: ctx.guildId, userId: ctx.user.id }, 'command failed');
      payload = { content: GENERIC_FAILURE, ephemeral: true };
    }
  }
  if (payload) {
    await ctx.reply(payload).catch((error: unknown) => ctx.app.logger.warn({ err: error, command: command.path.join(' ') }, 'could not send a command reply'));
  }
}
