/**
 * State changes together with the gateway event Discord would send for them, shared by the REST routes and the
 * test driver so both produce exactly the same effects (a role added through REST or by a test looks identical
 * to the bot).
 */
import { AllowedMentionsTypes, ChannelType, GatewayIntentBits, MessageType, type APIAllowedMentions, type APIEmbed } from 'discord.js';
import type { SimContext } from './context.js';
import { isThreadType, toChannel, toMember, toMessage, toRole, toUser, toVoiceState } from './serialize.js';
import {
  EPHEMERAL,
  type SimAttachment,
  type SimChannel,
  type SimComponents,
  type SimGuild,
  type SimMember,
  type SimMessage,
  type SimRole,
  type SimVoiceState,
} from './state.js';

export interface NewMessage {
  channelId: string;
  authorId: string;
  content?: string;
  embeds?: APIEmbed[];
  components?: SimComponents;
  attachments?: SimAttachment[];
  flags?: number;
  type?: MessageType;
  replyToId?: string | null;
  webhookId?: string | null;
  interaction?: SimMessage['interaction'];
  tts?: boolean;
  /** As sent; undefined when the body had none. */
  allowedMentions?: APIAllowedMentions;
}

const USER_MENTION = /<@!?(\d{17,20})>/g;
const ROLE_MENTION = /<@&(\d{17,20})>/g;

/** Creates a message, stores it and dispatches MESSAGE_CREATE (ephemeral messages are never dispatched). */
export function createMessage(ctx: SimContext, input: NewMessage): SimMessage {
  const channel = ctx.state.channels.get(input.channelId);
  if (!channel) throw new Error(`unknown channel ${input.channelId}`);
  const content = input.content ?? '';
  const reference = input.replyToId ? ctx.state.messages.get(input.replyToId) : undefined;
  const message: SimMessage = {
    id: ctx.state.ids.next(),
    channelId: channel.id,
    guildId: channel.guildId,
    authorId: input.authorId,
    content,
    embeds: input.embeds ?? [],
    components: input.components ?? [],
    attachments: input.attachments ?? [],
    flags: input.flags ?? 0,
    type: input.type ?? (reference ? MessageType.Reply : MessageType.Default),
    reference: reference
      ? { messageId: reference.id, channelId: reference.channelId, guildId: reference.guildId }
      : null,
    timestamp: ctx.state.now(),
    editedTimestamp: null,
    webhookId: input.webhookId ?? null,
    interaction: input.interaction ?? null,
    tts: input.tts ?? false,
    allowedMentions: input.allowedMentions ?? null,
    mentionIds: [],
    mentionRoleIds: [],
    mentionEveryone: false,
  };
  Object.assign(message, pings(message, reference?.authorId ?? null));
  ctx.state.addMessage(message);
  if ((message.flags & EPHEMERAL) === 0) dispatchMessage(ctx, 'MESSAGE_CREATE', message);
  ctx.events.emit('message', message);
  return message;
}

export interface MessageEdit {
  content?: string;
  embeds?: APIEmbed[];
  components?: SimComponents;
  attachments?: SimAttachment[];
  flags?: number;
  allowedMentions?: APIAllowedMentions;
}

/** Applies an edit (fields left undefined stay as they were) and dispatches MESSAGE_UPDATE. */
export function editMessage(ctx: SimContext, message: SimMessage, edit: MessageEdit): SimMessage {
  if (edit.allowedMentions !== undefined) message.allowedMentions = edit.allowedMentions;
  if (edit.content !== undefined || edit.allowedMentions !== undefined) {
    if (edit.content !== undefined) message.content = edit.content;
    const replied = message.reference ? (ctx.state.messages.get(message.reference.messageId)?.authorId ?? null) : null;
    Object.assign(message, pings(message, replied));
  }
  if (edit.embeds !== undefined) message.embeds = edit.embeds;
  if (edit.components !== undefined) message.components = edit.components;
  if (edit.attachments !== undefined) message.attachments = edit.attachments;
  if (edit.flags !== undefined) message.flags = edit.flags;
  message.editedTimestamp = ctx.state.now();
  if ((message.flags & EPHEMERAL) === 0) dispatchMessage(ctx, 'MESSAGE_UPDATE', message);
  ctx.events.emit('messageUpdate', message);
  return message;
}

export function deleteMessage(ctx: SimContext, message: SimMessage): void {
  ctx.state.deleteMessage(message);
  if ((message.flags & EPHEMERAL) === 0) {
    ctx.gateway.dispatch(
      'MESSAGE_DELETE',
      { id: message.id, channel_id: message.channelId, ...(message.guildId ? { guild_id: message.guildId } : {}) },
      { intent: messageIntent(message), guildId: message.guildId },
    );
  }
  ctx.events.emit('messageDelete', message);
}

function dispatchMessage(ctx: SimContext, event: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE', message: SimMessage): void {
  // Gateway messages also carry `channel_type`: discord.js needs it to build an uncached DM channel.
  const payload = { ...toMessage(ctx.state, message), channel_type: ctx.state.channels.get(message.channelId)?.type };
  // Discord blanks content-bearing fields for apps without MESSAGE_CONTENT, except in DMs, in the app's own
  // messages and in messages that mention it.
  const exempt =
    message.guildId === null || message.authorId === ctx.botUserId || message.mentionIds.includes(ctx.botUserId);
  ctx.gateway.dispatch(event, payload, {
    intent: messageIntent(message),
    guildId: message.guildId,
    ...(exempt
      ? {}
      : {
          reduced: {
            intent: GatewayIntentBits.MessageContent,
            data: () => ({ ...payload, content: '', embeds: [], attachments: [], components: [] }),
          },
        }),
  });
}

function messageIntent(message: SimMessage): number {
  return message.guildId === null ? GatewayIntentBits.DirectMessages : GatewayIntentBits.GuildMessages;
}

/** What Discord parses when a body has no `allowed_mentions`: everything in a channel message, users only in an interaction's or a webhook's. */
const DEFAULT_PARSE: Record<'message' | 'webhook', readonly string[]> = {
  message: [AllowedMentionsTypes.User, AllowedMentionsTypes.Role, AllowedMentionsTypes.Everyone],
  webhook: [AllowedMentionsTypes.User],
};

/**
 * Who a message pings, as Discord decides it: the mentions written in its content that its `allowed_mentions` let
 * through — the kinds named in `parse`, plus single `users` and `roles` — and, for a reply, the replied-to author
 * unless `replied_user` is false (its default once `allowed_mentions` is given). A bot that forgets
 * `allowed_mentions` pings whatever a member wrote into its reply, and a test sees it here.
 */
function pings(message: SimMessage, repliedAuthor: string | null): Pick<SimMessage, 'mentionIds' | 'mentionRoleIds' | 'mentionEveryone'> {
  const { content, allowedMentions: allowed } = message;
  const parse = allowed ? (allowed.parse ?? []) : DEFAULT_PARSE[message.webhookId ? 'webhook' : 'message'];
  const lets = (kind: string, list: readonly string[] | undefined, id: string) => parse.includes(kind) || (list ?? []).includes(id);
  // Cheap when there is no '<': the bulk-load path sends plain text.
  const written = (re: RegExp) => (content.includes('<') ? [...new Set([...content.matchAll(re)].map((m) => m[1] as string))] : []);
  const mentionIds = written(USER_MENTION).filter((id) => lets(AllowedMentionsTypes.User, allowed?.users, id));
  if (repliedAuthor && (allowed ? allowed.replied_user === true : true) && !mentionIds.includes(repliedAuthor)) mentionIds.push(repliedAuthor);
  return {
    mentionIds,
    mentionRoleIds: written(ROLE_MENTION).filter((id) => lets(AllowedMentionsTypes.Role, allowed?.roles, id)),
    mentionEveryone: parse.includes(AllowedMentionsTypes.Everyone) && /@(everyone|here)\b/.test(content),
  };
}

/** Replaces a member's roles and nickname (undefined = unchanged) and dispatches GUILD_MEMBER_UPDATE. */
export function updateMember(
  ctx: SimContext,
  guild: SimGuild,
  member: SimMember,
  change: { roles?: string[]; nick?: string | null },
): SimMember {
  if (change.roles) member.roles = [...new Set(change.roles.filter((id) => id !== guild.id))];
  if (change.nick !== undefined) member.nick = change.nick;
  ctx.gateway.dispatch(
    'GUILD_MEMBER_UPDATE',
    { guild_id: guild.id, ...toMember(ctx.state, member) },
    { intent: GatewayIntentBits.GuildMembers, guildId: guild.id },
  );
  ctx.events.emit('memberUpdate', member);
  return member;
}

export function addMember(ctx: SimContext, guild: SimGuild, member: SimMember): void {
  guild.members.set(member.userId, member);
  ctx.gateway.dispatch(
    'GUILD_MEMBER_ADD',
    { guild_id: guild.id, ...toMember(ctx.state, member) },
    { intent: GatewayIntentBits.GuildMembers, guildId: guild.id },
  );
  ctx.events.emit('change', undefined);
}

/** Removes a member; one still in voice is disconnected first, as Discord does when someone leaves. */
export function removeMember(ctx: SimContext, guild: SimGuild, userId: string): void {
  if (guild.voiceStates.has(userId)) setVoiceState(ctx, guild, userId, null);
  const member = guild.members.get(userId);
  const user = ctx.state.users.get(userId);
  if (!member || !user) return;
  guild.members.delete(userId);
  ctx.gateway.dispatch(
    'GUILD_MEMBER_REMOVE',
    { guild_id: guild.id, user: toUser(user) },
    { intent: GatewayIntentBits.GuildMembers, guildId: guild.id },
  );
  ctx.events.emit('change', undefined);
}

/** Moves a member into a voice channel (state) or out of voice (null) and dispatches VOICE_STATE_UPDATE. */
export function setVoiceState(ctx: SimContext, guild: SimGuild, userId: string, state: SimVoiceState | null): void {
  const before = guild.voiceStates.get(userId);
  if (state) guild.voiceStates.set(userId, state);
  else guild.voiceStates.delete(userId);
  // Leaving voice is the last state with channel_id null.
  const shown = state ?? before ?? voiceState(guild.id, userId, '');
  const member = guild.members.get(userId);
  ctx.gateway.dispatch(
    'VOICE_STATE_UPDATE',
    {
      guild_id: guild.id,
      ...toVoiceState(shown),
      channel_id: state ? state.channelId : null,
      ...(member ? { member: toMember(ctx.state, member) } : {}),
    },
    { intent: GatewayIntentBits.GuildVoiceStates, guildId: guild.id },
  );
  ctx.events.emit('voiceStateUpdate', { guildId: guild.id, userId, state });
}

/** A voice state with every flag off. */
export function voiceState(guildId: string, userId: string, channelId: string): SimVoiceState {
  return {
    guildId,
    userId,
    channelId,
    sessionId: `voice-${userId}`,
    selfDeaf: false,
    selfMute: false,
    deaf: false,
    mute: false,
    selfVideo: false,
    selfStream: false,
    suppress: false,
  };
}

export function createRoleRecord(ctx: SimContext, guild: SimGuild, role: SimRole): SimRole {
  // Discord keeps positions dense: inserting at N moves every role at N or above up by one.
  for (const other of guild.roles.values()) {
    if (other.id !== guild.id && other.position >= role.position) {
      other.position += 1;
      dispatchRole(ctx, 'GUILD_ROLE_UPDATE', other);
    }
  }
  guild.roles.set(role.id, role);
  dispatchRole(ctx, 'GUILD_ROLE_CREATE', role);
  return role;
}

export function dispatchRole(ctx: SimContext, event: 'GUILD_ROLE_CREATE' | 'GUILD_ROLE_UPDATE', role: SimRole): void {
  ctx.gateway.dispatch(
    event,
    { guild_id: role.guildId, role: toRole(role) },
    { intent: GatewayIntentBits.Guilds, guildId: role.guildId },
  );
  ctx.events.emit('change', undefined);
}

export function deleteRole(ctx: SimContext, guild: SimGuild, role: SimRole): void {
  guild.roles.delete(role.id);
  // Members silently lose the role; Discord sends only GUILD_ROLE_DELETE and clients drop it from their caches.
  for (const member of guild.members.values()) member.roles = member.roles.filter((id) => id !== role.id);
  ctx.gateway.dispatch(
    'GUILD_ROLE_DELETE',
    { guild_id: guild.id, role_id: role.id },
    { intent: GatewayIntentBits.Guilds, guildId: guild.id },
  );
  ctx.events.emit('change', undefined);
}

export function addChannel(ctx: SimContext, channel: SimChannel): SimChannel {
  ctx.state.channels.set(channel.id, channel);
  const guild = channel.guildId ? ctx.state.guilds.get(channel.guildId) : undefined;
  if (!guild) return channel;
  guild.channelIds.push(channel.id);
  const thread = isThreadType(channel.type);
  ctx.gateway.dispatch(
    thread ? 'THREAD_CREATE' : 'CHANNEL_CREATE',
    { ...toChannel(ctx.state, channel), ...(thread ? { newly_created: true } : {}) },
    { intent: GatewayIntentBits.Guilds, guildId: guild.id },
  );
  ctx.events.emit('change', undefined);
  return channel;
}

/** The bot's DM channel with a user, created on first use (Discord returns the same channel every time). */
export function openDm(ctx: SimContext, userId: string): SimChannel {
  const existing = ctx.state.dmChannelByUser.get(userId);
  const found = existing ? ctx.state.channels.get(existing) : undefined;
  if (found) return found;
  const channel: SimChannel = {
    id: ctx.state.ids.next(),
    type: ChannelType.DM,
    guildId: null,
    name: null,
    parentId: null,
    position: 0,
    recipientId: userId,
    lastMessageId: null,
  };
  ctx.state.channels.set(channel.id, channel);
  ctx.state.dmChannelByUser.set(userId, channel.id);
  return channel;
}
