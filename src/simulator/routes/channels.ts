/** Channels, messages and DMs. The bot's own messages come back through the gateway too, as on Discord. */
import { ChannelType, PermissionFlagsBits } from 'discord.js';
import type { SimContext } from '../context.js';
import { ApiError } from '../errors.js';
import { createMessage, deleteMessage, editMessage, openDm } from '../mutations.js';
import { asMessageBody, resolveAttachments, toEdit } from '../payload.js';
import { hasPermission } from '../permissions.js';
import { json, type Route } from '../server.js';
import { holdsMessages, toChannel, toMessage } from '../serialize.js';
import type { SimChannel } from '../state.js';
import { botMember, requireChannel, requireMessage } from './lookup.js';

export function channelRoutes(ctx: SimContext): Route[] {
  /** Guild channels need the bot to hold `bits` (guild-level; overwrites are not simulated). */
  const requirePermission = (channel: SimChannel, bits: bigint): void => {
    const guild = channel.guildId ? ctx.state.guilds.get(channel.guildId) : undefined;
    if (!guild) return;
    if (!hasPermission(guild, botMember(ctx, guild), PermissionFlagsBits.ViewChannel)) {
      throw new ApiError('MissingAccess');
    }
    if (!hasPermission(guild, botMember(ctx, guild), bits)) throw new ApiError('MissingPermissions');
  };

  return [
    {
      method: 'GET',
      path: '/channels/:channelId',
      auth: true,
      handle: ({ params }) => json(toChannel(ctx.state, requireChannel(ctx, params.channelId))),
    },
    {
      method: 'POST',
      path: '/channels/:channelId/messages',
      auth: true,
      handle: ({ params, body, files }) => {
        const channel = requireChannel(ctx, params.channelId);
        requirePermission(
          channel,
          PermissionFlagsBits.SendMessages | (files.length ? PermissionFlagsBits.AttachFiles : 0n),
        );
        if (!holdsMessages(channel.type)) throw new ApiError('NonTextChannel');
        if (channel.type === ChannelType.DM && ctx.state.users.get(channel.recipientId ?? '')?.acceptsDms === false) {
          throw new ApiError('CannotSendToUser');
        }
        const msg = asMessageBody(body ?? {});
        const attachments = resolveAttachments(ctx, channel.id, msg, files) ?? [];
        if (!msg.content && !msg.embeds?.length && !msg.components?.length && attachments.length === 0) {
          throw new ApiError('EmptyMessage');
        }
        const replyToId = msg.message_reference?.message_id ?? null;
        if (replyToId) requireMessage(ctx, channel, replyToId);
        const message = createMessage(ctx, {
          channelId: channel.id,
          authorId: ctx.botUserId,
          content: msg.content ?? '',
          embeds: msg.embeds ?? [],
          components: msg.components ?? [],
          attachments,
          // Only SUPPRESS_EMBEDS (4) and SUPPRESS_NOTIFICATIONS (4096) may be set when sending.
          flags: (msg.flags ?? 0) & (4 | 4096),
          replyToId,
          tts: msg.tts ?? false,
          allowedMentions: msg.allowed_mentions,
        });
        return json(toMessage(ctx.state, message));
      },
    },
    {
      // "Bot is typing…": nothing to store, but a bot that types before a slow card render must not get a 404.
      method: 'POST',
      path: '/channels/:channelId/typing',
      auth: true,
      handle: ({ params }) => {
        requirePermission(requireChannel(ctx, params.channelId), PermissionFlagsBits.SendMessages);
        return undefined;
      },
    },
    {
      method: 'GET',
      path: '/channels/:channelId/messages',
      auth: true,
      handle: ({ params, query }) => {
        const channel = requireChannel(ctx, params.channelId);
        requirePermission(channel, PermissionFlagsBits.ReadMessageHistory);
        const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? 50)));
        const before = query.get('before');
        const after = query.get('after');
        let list = ctx.state.channelMessages.get(channel.id) ?? [];
        if (before) list = list.filter((m) => BigInt(m.id) < BigInt(before));
        if (after) list = list.filter((m) => BigInt(m.id) > BigInt(after));
        // Newest first, as Discord returns them; `after` pages take the oldest ones past the cursor.
        const page = after ? list.slice(0, limit) : list.slice(-limit);
        return json(page.reverse().map((m) => toMessage(ctx.state, m)));
      },
    },
    {
      method: 'GET',
      path: '/channels/:channelId/messages/:messageId',
      auth: true,
      handle: ({ params }) => {
        const channel = requireChannel(ctx, params.channelId);
        return json(toMessage(ctx.state, requireMessage(ctx, channel, params.messageId)));
      },
    },
    {
      method: 'PATCH',
      path: '/channels/:channelId/messages/:messageId',
      auth: true,
      handle: ({ params, body, files }) => {
        const channel = requireChannel(ctx, params.channelId);
        const message = requireMessage(ctx, channel, params.messageId);
        if (message.authorId !== ctx.botUserId || message.webhookId) throw new ApiError('CannotEditOthersMessage');
        editMessage(ctx, message, toEdit(ctx, message, asMessageBody(body ?? {}), files));
        return json(toMessage(ctx.state, message));
      },
    },
    {
      method: 'DELETE',
      path: '/channels/:channelId/messages/:messageId',
      auth: true,
      handle: ({ params }) => {
        const channel = requireChannel(ctx, params.channelId);
        const message = requireMessage(ctx, channel, params.messageId);
        if (message.authorId !== ctx.botUserId) requirePermission(channel, PermissionFlagsBits.ManageMessages);
        deleteMessage(ctx, message);
        return undefined;
      },
    },
    {
      method: 'POST',
      path: '/users/@me/channels',
      auth: true,
      handle: ({ body }) => {
        const recipientId = (body as { recipient_id?: unknown } | null)?.recipient_id;
        if (typeof recipientId !== 'string' || !ctx.state.users.has(recipientId)) {
          throw new ApiError('InvalidForm', 'recipient_id must be a known user id');
        }
        return json(toChannel(ctx.state, openDm(ctx, recipientId)));
      },
    },
  ];
}
