/**
 * Running a command: the permission check, the handler, and the one place where errors become replies.
 * Slash and prefix invocations build a CommandContext each (see listeners) and both end here.
 */
import type { AnyCommand, CommandContext, ReplyPayload } from './commands/types.js';
import { GENERIC_FAILURE, UserError, userMessage } from './commands/errors.js';
import { EngineClosedError } from '../engine/xp-engine.js';
import { RESTARTING } from './command-gate.js';
import { callerOf, refusal } from './commands/access.js';

/**
 * Runs a command, or answers that the bot is restarting when shutdown has begun (DESIGN §2.2). A running command
 * is tracked, so shutdown waits for it (within a bound) before the final flush.
 */
export function runCommand(command: AnyCommand, ctx: CommandContext, parseArgs: () => Promise<Record<string, unknown>>): Promise<void> {
  const { gate } = ctx.app;
  return gate.track(gate.isOpen ? run(command, ctx, parseArgs) : send(ctx, command, { content: RESTARTING, ephemeral: true }));
}

async function run(command: AnyCommand, ctx: CommandContext, parseArgs: () => Promise<Record<string, unknown>>): Promise<void> {
  let payload: ReplyPayload | void;
  try {
    const refused = refusal(command, callerOf(ctx));
    if (refused) throw refused;
    const args = await parseArgs();
    payload = await command.handler(ctx, args as never);
  } catch (error) {
    if (error instanceof UserError) {
      payload = { content: userMessage(error), ephemeral: true };
    } else if (error instanceof EngineClosedError) {
      // It ran past the shutdown bound: the engine refused the change, so nothing was changed.
      payload = { content: RESTARTING, ephemeral: true };
    } else {
      ctx.app.logger.error({ err: error, command: command.path.join(' '), guildId: ctx.guildId, userId: ctx.user.id }, 'command failed');
      payload = { content: GENERIC_FAILURE, ephemeral: true };
    }
  }
  if (payload) await send(ctx, command, payload);
}

async function send(ctx: CommandContext, command: AnyCommand, payload: ReplyPayload): Promise<void> {
  await ctx.reply(payload).catch((error: unknown) => ctx.app.logger.warn({ err: error, command: command.path.join(' ') }, 'could not send a command reply'));
}
