/**
 * Progress of a long pass (a role sync, a re-levelling) shown as one message that is edited as the pass advances.
 * Edits are spaced (`minGapMs` on the monotonic clock) so a fast pass does not spend Discord's edit rate limit; the
 * first and the final text always go out.
 */
import type { Client } from 'discord.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type { CommandContext } from './commands/types.js';

export interface ProgressSink {
  /** Shows `text`; `force` for the first and the final text, which are never skipped. */
  update(text: string, force?: boolean): Promise<void>;
}

/** Two edits of one progress message at least this far apart, unless forced. */
export const PROGRESS_GAP_MS = 3000;

abstract class SpacedProgress implements ProgressSink {
  private lastAt = -Infinity;

  constructor(protected readonly clock: Clock) {}

  async update(text: string, force = false): Promise<void> {
    const now = this.clock.now();
    if (!force && now - this.lastAt < PROGRESS_GAP_MS) return;
    this.lastAt = now;
    await this.show(text);
  }

  protected abstract show(text: string): Promise<void>;
}

/**
 * A message the bot posts in a channel itself and then edits: it can be edited at any time, unlike an interaction's
 * reply, whose token expires after 15 minutes (a pass resumed after a restart uses one of these).
 */
export class ProgressMessage extends SpacedProgress {
  private messageId: string | null = null;

  constructor(
    private readonly client: Client,
    private readonly channelId: string,
    clock: Clock,
    private readonly logger: Logger,
  ) {
    super(clock);
  }

  protected async show(text: string): Promise<void> {
    try {
      const channel = await this.client.channels.fetch(this.channelId);
      if (!channel?.isSendable()) return;
      const body = { content: text, allowedMentions: { parse: [] } };
      if (this.messageId) await channel.messages.edit(this.messageId, body);
      else this.messageId = (await channel.send(body)).id;
    } catch (error) {
      this.logger.warn({ err: error, channelId: this.channelId }, 'could not show progress');
    }
  }
}

/**
 * The command's own reply, edited as the pass advances; when an edit fails (the interaction's token expired on a
 * long pass), a message the bot posts itself in the channel takes over.
 */
export class ReplyProgress extends SpacedProgress {
  private replied = false;
  private fallback: ProgressMessage | null = null;

  constructor(
    private readonly ctx: CommandContext,
    private readonly channelMessage: () => ProgressMessage,
  ) {
    super(ctx.app.clock);
  }

  protected async show(text: string): Promise<void> {
    if (this.fallback) return this.fallback.update(text, true);
    try {
      if (this.replied) await this.ctx.edit({ content: text });
      else {
        this.replied = true;
        await this.ctx.reply({ content: text });
      }
    } catch {
      this.fallback = this.channelMessage();
      await this.fallback.update(text, true);
    }
  }
}
