/**
 * A destructive command asks first: its reply carries a red confirm button and a cancel button (a button session,
 * so only the invoker can press them, and they are disabled when it times out). The action runs on the press, and
 * its answer replaces the question without buttons, so it cannot run twice from one message.
 */
import type { APIActionRowComponent, APIComponentInMessageActionRow } from 'discord.js';
import type { CommandContext, ReplyPayload } from './commands/types.js';
import { sessionButtonId } from './sessions.js';

export interface Confirmation {
  /** The question: what will happen, naming what is lost. */
  question: string;
  /** The red button's label. */
  confirmLabel: string;
  /** Runs on the confirm press; its answer replaces the question. */
  onConfirm(): Promise<ReplyPayload>;
  /** The answer to a cancel press. */
  cancelled: string;
}

export async function askToConfirm(ctx: CommandContext, c: Confirmation): Promise<void> {
  const session = ctx.app.sessions.reserve();
  const row: APIActionRowComponent<APIComponentInMessageActionRow> = {
    type: 1,
    components: [
      { type: 2, style: 4, custom_id: sessionButtonId(session, 'confirm'), label: c.confirmLabel },
      { type: 2, style: 2, custom_id: sessionButtonId(session, 'cancel'), label: 'Cancel' },
    ],
  };
  let payload: ReplyPayload = { content: c.question, components: [row], ephemeral: true };
  let answered = false;
  ctx.app.sessions.open(
    session,
    {
      invokerId: ctx.user.id,
      current: () => payload,
      press: async (action) => {
        if (answered) return payload; // a second press (or one racing the first) runs nothing
        answered = true;
        payload = action === 'confirm' ? { ...(await c.onConfirm()), components: [] } : { content: c.cancelled, components: [] };
        return payload;
      },
    },
    ctx.edit,
  );
  await ctx.reply(payload);
}
