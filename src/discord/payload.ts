/** ReplyPayload → discord.js message options. Replies never ping anyone. */
import { AttachmentBuilder, type BaseMessageOptions } from 'discord.js';
import type { ReplyPayload } from './commands/types.js';

export function toMessageOptions(p: ReplyPayload): BaseMessageOptions {
  return {
    content: p.content ?? '',
    embeds: p.embeds ?? [],
    components: p.components ?? [],
    files: (p.files ?? []).map((f) => new AttachmentBuilder(f.data, { name: f.name })),
    allowedMentions: { parse: [], repliedUser: false },
  };
}
