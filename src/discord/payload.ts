/**
 * ReplyPayload → discord.js message options. Replies never ping anyone. `files` is left out when the payload has
 * none, so editing a message (a button page, a timed-out session) keeps the attachments it already has.
 */
import { AttachmentBuilder, type BaseMessageOptions } from 'discord.js';
import type { ReplyPayload } from './commands/types.js';

export function toMessageOptions(p: ReplyPayload): BaseMessageOptions {
  return {
    content: p.content ?? '',
    embeds: p.embeds ?? [],
    components: p.components ?? [],
    ...(p.files ? { files: p.files.map((f) => new AttachmentBuilder(f.data, { name: f.name })) } : {}),
    allowedMentions: { parse: [], repliedUser: false },
  };
}
