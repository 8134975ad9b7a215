/**
 * ReplyPayload → discord.js message options. Replies never ping anyone. `files` is left out when the payload has
 * none, so editing a message (a button page, a timed-out session) keeps the attachments it already has.
 */
import { AttachmentBuilder, type BaseMessageOptions } from 'discord.js';
import type { ReplyPayload } from './commands/types.js';
import { fitEmbeds, fitText, LIMITS } from './limits.js';

export function toMessageOptions(p: ReplyPayload): BaseMessageOptions {
  const content = p.content ?? '';
  return {
    // Discord refuses a whole message when one part is over its limit, and the user would get no answer at all.
    content: fitText(content, LIMITS.content),
    embeds: fitEmbeds(p.embeds ?? []),
    components: p.components ?? [],
    ...(p.files ? { files: p.files.map((f) => new AttachmentBuilder(f.data, { name: f.name })) } : {}),
    allowedMentions: { parse: [], repliedUser: false },
  };
}
