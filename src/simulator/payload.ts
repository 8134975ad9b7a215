/**
 * Reading the message bodies the bot sends (channel messages, interaction replies, webhook edits), JSON or
 * multipart. One reader for all of them, so an embed or attachment behaves the same whichever route carried it.
 */
import type { APIAllowedMentions, APIEmbed } from 'discord.js';
import type { SimContext } from './context.js';
import { ApiError } from './errors.js';
import type { MessageEdit } from './mutations.js';
import type { SimAttachment, SimComponents, SimMessage } from './state.js';

/** A `files[n]` part of a multipart request. */
export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string | null;
  data: Buffer;
}

/** The subset of Discord's message create/edit JSON the simulator understands. */
export interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: SimComponents;
  flags?: number;
  tts?: boolean;
  attachments?: { id: string | number; filename?: string; description?: string }[];
  message_reference?: { message_id?: string };
  allowed_mentions?: APIAllowedMentions;
}

export function asMessageBody(body: unknown): MessageBody {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError('InvalidForm', 'expected a JSON object');
  }
  const b = body as Record<string, unknown>;
  if (b.content !== undefined && b.content !== null && typeof b.content !== 'string') {
    throw new ApiError('InvalidForm', 'content must be a string');
  }
  if (typeof b.content === 'string' && b.content.length > 2000) {
    throw new ApiError('InvalidForm', 'content must be 2000 or fewer in length');
  }
  for (const key of ['embeds', 'components', 'attachments'] as const) {
    if (b[key] !== undefined && b[key] !== null && !Array.isArray(b[key])) {
      throw new ApiError('InvalidForm', `${key} must be an array`);
    }
  }
  if (Array.isArray(b.embeds)) checkEmbeds(b.embeds as APIEmbed[]);
  checkAllowedMentions(b.allowed_mentions);
  return body as MessageBody;
}

/** Discord refuses `parse: ['users']` beside a `users` list (and the same for roles): one or the other. */
function checkAllowedMentions(value: unknown): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'object' || Array.isArray(value)) throw new ApiError('InvalidForm', 'allowed_mentions must be an object');
  const a = value as APIAllowedMentions;
  for (const kind of ['users', 'roles'] as const) {
    if ((a.parse as string[] | undefined)?.includes(kind) && a[kind]?.length) throw new ApiError('InvalidForm', `allowed_mentions: parse ${kind} and a ${kind} list are mutually exclusive`);
  }
}

/** Discord's embed limits: per field, and 6 000 characters for all embeds of a message together. */
function checkEmbeds(embeds: APIEmbed[]): void {
  if (embeds.length > 10) throw new ApiError('InvalidForm', 'at most 10 embeds');
  let total = 0;
  const text = (value: unknown, max: number, where: string, required = false): number => {
    if (value === undefined || value === null) {
      if (required) throw new ApiError('InvalidForm', `${where}: this field is required`);
      return 0;
    }
    if (typeof value !== 'string') throw new ApiError('InvalidForm', `${where} must be a string`);
    if (required && value.trim() === '') throw new ApiError('InvalidForm', `${where}: this field is required`);
    if (value.length > max) throw new ApiError('InvalidForm', `${where} must be ${max} or fewer in length`);
    return value.length;
  };
  embeds.forEach((e, i) => {
    total += text(e.title, 256, `embeds.${i}.title`);
    total += text(e.description, 4096, `embeds.${i}.description`);
    total += text(e.footer?.text, 2048, `embeds.${i}.footer.text`, e.footer !== undefined);
    total += text(e.author?.name, 256, `embeds.${i}.author.name`, e.author !== undefined);
    if ((e.fields?.length ?? 0) > 25) throw new ApiError('InvalidForm', `embeds.${i}.fields must be 25 or fewer in length`);
    (e.fields ?? []).forEach((f, j) => {
      total += text(f.name, 256, `embeds.${i}.fields.${j}.name`, true);
      total += text(f.value, 1024, `embeds.${i}.fields.${j}.value`, true);
    });
  });
  if (total > 6000) throw new ApiError('InvalidForm', `embeds: the embeds hold ${total} characters, more than 6000 in total`);
}

/**
 * The attachments a body ends up with. `attachments` entries with an id matching a `files[n]` index are new
 * uploads; other ids keep an existing attachment (edits). Without an `attachments` list, all files are new and,
 * on an edit, the existing attachments stay.
 */
export function resolveAttachments(
  ctx: SimContext,
  channelId: string,
  body: MessageBody,
  files: UploadedFile[],
  existing: SimAttachment[] = [],
): SimAttachment[] | undefined {
  const upload = (file: UploadedFile, description?: string): SimAttachment => {
    const id = ctx.state.ids.next();
    return {
      id,
      filename: file.filename,
      contentType: file.contentType,
      description: description ?? null,
      data: file.data,
      url: `${ctx.baseUrl()}/attachments/${channelId}/${id}/${encodeURIComponent(file.filename)}`,
    };
  };
  const byIndex = new Map(files.map((file) => [file.field.replace(/^files\[(\d+)\]$/, '$1'), file]));
  if (!body.attachments) {
    if (files.length === 0) return undefined;
    return [...existing, ...files.map((file) => upload(file))];
  }
  return body.attachments.flatMap((entry) => {
    const id = String(entry.id);
    const file = byIndex.get(id);
    if (file) return [upload(file, entry.description)];
    const kept = existing.find((a) => a.id === id);
    return kept ? [kept] : [];
  });
}

/** The edit a body describes; fields the body leaves out stay unchanged. */
export function toEdit(ctx: SimContext, message: SimMessage, body: MessageBody, files: UploadedFile[]): MessageEdit {
  const attachments = resolveAttachments(ctx, message.channelId, body, files, message.attachments);
  return {
    ...(body.content !== undefined ? { content: body.content ?? '' } : {}),
    ...(body.embeds ? { embeds: body.embeds } : {}),
    ...(body.components ? { components: body.components } : {}),
    ...(attachments ? { attachments } : {}),
    ...(body.allowed_mentions ? { allowedMentions: body.allowed_mentions } : {}),
  };
}
