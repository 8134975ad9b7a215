/**
 * ReplyPayload → discord.js message options. Replies never ping anyone. `files` is left out when the payload has
 * none, so editing a message (a button page, a timed-out session) keeps the attachments it already has.
 */
import { AttachmentBuilder, type BaseMessageOptions } from 'discord.js';
import type { ReplyPayload } from './commands/types.js';

export function toMessageOptions(p: ReplyPayload): BaseMessageOptions {
  const content = p.content ?? '';
  return {
    // Discord refuses a message over 2 000 characters, and the user would get no answer at all.
    content: content.length > 2000 ? `${content.slice(0, 1999)}…` : content,
    embeds: p.embeds ?? [],
    components: p.components ?? [],
    ...(p.files ? { files: p.files.map((f) => new AttachmentBuilder(f.data, { name: f.name })) } : {}),
    allowedMentions: { parse: [], repliedUser: false },
  };
}
