/**
 * Records → the JSON shapes Discord sends, typed against discord-api-types so a field discord.js relies on cannot
 * be forgotten silently. Gateway and REST share these, so a member looks the same in GUILD_CREATE, a message and an
 * interaction.
 */
import {
  ChannelType,
  type APIAttachment,
  type ChannelFlags,
  type GuildMemberFlags,
  type GuildSystemChannelFlags,
  type RoleFlags,
  type UserFlags,
  type APIChannel,
  type APIGuildMember,
  type APIMessage,
  type APIRole,
  type APIUser,
  type GatewayGuildCreateDispatchData,
  type GatewayVoiceState,
} from 'discord.js';
import type {
  SimAttachment,
  SimChannel,
  SimGuild,
  SimMember,
  SimMessage,
  SimRole,
  SimState,
  SimUser,
  SimVoiceState,
} from './state.js';

/** Discord's flag fields are enums; "no flags" is 0, which TypeScript only accepts through a cast. */
const NO_FLAGS = 0;

const iso = (ms: number): string => new Date(ms).toISOString();

export function toUser(user: SimUser): APIUser {
  return {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: user.globalName,
    avatar: user.avatar,
    bot: user.bot,
    system: false,
    public_flags: NO_FLAGS as UserFlags,
    flags: NO_FLAGS as UserFlags,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
    primary_guild: null,
  };
}

/** A member without `user`: the form Discord embeds in messages and resolved interaction data. */
export function toPartialMember(member: SimMember): Omit<APIGuildMember, 'user'> {
  return {
    roles: [...member.roles],
    nick: member.nick,
    avatar: null,
    banner: null,
    joined_at: iso(member.joinedAt),
    premium_since: null,
    deaf: member.deaf,
    mute: member.mute,
    flags: NO_FLAGS as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

export function toMember(state: SimState, member: SimMember): APIGuildMember {
  return { ...toPartialMember(member), user: toUser(mustUser(state, member.userId)) };
}

export function toRole(role: SimRole): APIRole {
  return {
    id: role.id,
    name: role.name,
    color: role.color,
    colors: { primary_color: role.color, secondary_color: null, tertiary_color: null },
    hoist: role.hoist,
    icon: null,
    unicode_emoji: null,
    position: role.position,
    permissions: role.permissions.toString(),
    managed: role.managed,
    mentionable: role.mentionable,
    flags: NO_FLAGS as RoleFlags,
    ...(role.botId ? { tags: { bot_id: role.botId } } : {}),
  };
}

const THREAD_TYPES: ReadonlySet<ChannelType> = new Set([
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
]);

export function isThreadType(type: ChannelType): boolean {
  return THREAD_TYPES.has(type);
}

/**
 * Channels that hold messages themselves. A category holds none; a forum or media channel holds posts (threads),
 * and Discord refuses a message sent to the channel itself (50008).
 */
export function holdsMessages(type: ChannelType): boolean {
  return type !== ChannelType.GuildCategory && type !== ChannelType.GuildForum && type !== ChannelType.GuildMedia && type !== ChannelType.GuildDirectory;
}

/** The channel types a thread of each type can be created in, as Discord allows. */
export const THREAD_PARENTS: ReadonlyMap<ChannelType, readonly ChannelType[]> = new Map([
  [ChannelType.PublicThread, [ChannelType.GuildText, ChannelType.GuildForum, ChannelType.GuildMedia]],
  [ChannelType.PrivateThread, [ChannelType.GuildText]],
  [ChannelType.AnnouncementThread, [ChannelType.GuildAnnouncement]],
]);

function isThread(channel: SimChannel): boolean {
  return isThreadType(channel.type);
}

export function toChannel(state: SimState, channel: SimChannel): APIChannel {
  if (channel.type === ChannelType.DM) {
    const recipient = channel.recipientId ? state.users.get(channel.recipientId) : undefined;
    return {
      id: channel.id,
      type: ChannelType.DM,
      last_message_id: channel.lastMessageId,
      recipients: recipient ? [toUser(recipient)] : [],
      flags: NO_FLAGS as ChannelFlags,
      name: null,
    };
  }
  const base = {
    id: channel.id,
    type: channel.type,
    guild_id: channel.guildId,
    name: channel.name,
    parent_id: channel.parentId,
    position: channel.position,
    permission_overwrites: [],
    nsfw: false,
    flags: 0,
  };
  if (isThread(channel)) {
    // A thread's owner and metadata; discord.js needs thread_metadata to treat it as a thread.
    return {
      ...base,
      last_message_id: channel.lastMessageId,
      owner_id: mustGuild(state, channel.guildId).ownerId,
      member_count: 1,
      message_count: state.channelMessages.get(channel.id)?.length ?? 0,
      total_message_sent: state.channelMessages.get(channel.id)?.length ?? 0,
      rate_limit_per_user: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: 1440,
        archive_timestamp: iso(state.now()),
        locked: false,
      },
    } as APIChannel;
  }
  switch (channel.type) {
    case ChannelType.GuildVoice:
    case ChannelType.GuildStageVoice:
      return {
        ...base,
        bitrate: 64_000,
        user_limit: 0,
        rtc_region: null,
        last_message_id: channel.lastMessageId,
        rate_limit_per_user: 0,
      } as APIChannel;
    case ChannelType.GuildCategory:
      return base as APIChannel;
    default:
      return { ...base, topic: null, last_message_id: channel.lastMessageId, rate_limit_per_user: 0 } as APIChannel;
  }
}

/** A voice state as GUILD_CREATE lists it (no guild_id, no member). */
export function toVoiceState(vs: SimVoiceState): Omit<GatewayVoiceState, 'guild_id' | 'member'> {
  return {
    user_id: vs.userId,
    channel_id: vs.channelId,
    session_id: vs.sessionId,
    deaf: vs.deaf,
    mute: vs.mute,
    self_deaf: vs.selfDeaf,
    self_mute: vs.selfMute,
    self_video: vs.selfVideo,
    self_stream: vs.selfStream,
    suppress: vs.suppress,
    request_to_speak_timestamp: null,
  };
}

/**
 * The full guild sent once per guild after READY. Like Discord, the member list is complete only with the
 * GUILD_MEMBERS intent; otherwise it holds the bot and members in voice channels.
 */
export function toGuildCreate(
  state: SimState,
  guild: SimGuild,
  botId: string,
  allMembers: boolean,
): GatewayGuildCreateDispatchData {
  const members = [...guild.members.values()].filter(
    (m) => allMembers || m.userId === botId || guild.voiceStates.has(m.userId),
  );
  const channels = guild.channelIds.map((id) => state.channels.get(id)).filter((c) => c !== undefined);
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    icon_hash: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.ownerId,
    afk_channel_id: guild.afkChannelId,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: 0,
    default_message_notifications: 1,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    features: [],
    application_id: null,
    system_channel_id: guild.systemChannelId,
    system_channel_flags: NO_FLAGS as GuildSystemChannelFlags,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    preferred_locale: 'en-US' as GatewayGuildCreateDispatchData['preferred_locale'],
    max_members: 500_000,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    hub_type: null,
    incidents_data: null,
    roles: [...guild.roles.values()].map(toRole),
    emojis: [],
    stickers: [],
    joined_at: iso(guild.joinedAt),
    large: false,
    unavailable: false,
    member_count: guild.members.size,
    members: members.map((m) => toMember(state, m)),
    voice_states: [...guild.voiceStates.values()].map(toVoiceState),
    // Channel payload types are a union keyed by `type`, which is only known at run time: cast at this edge.
    channels: channels
      .filter((c) => !isThread(c))
      .map((c) => toChannel(state, c)) as GatewayGuildCreateDispatchData['channels'],
    threads: channels.filter(isThread).map((c) => toChannel(state, c)) as GatewayGuildCreateDispatchData['threads'],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export function toAttachment(attachment: SimAttachment): APIAttachment {
  const size = imageSize(attachment.data);
  return {
    id: attachment.id,
    filename: attachment.filename,
    size: attachment.data.length,
    url: attachment.url,
    proxy_url: attachment.url,
    ...(attachment.contentType ? { content_type: attachment.contentType } : {}),
    ...(attachment.description ? { description: attachment.description } : {}),
    ...(size ? { width: size.width, height: size.height } : {}),
  };
}

/** Width and height of a PNG or GIF, read from its header the way Discord fills `attachment.width/height`. */
function imageSize(data: Buffer): { width: number; height: number } | null {
  if (data.length >= 24 && data.readUInt32BE(0) === 0x89504e47) {
    return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
  }
  if (data.length >= 10 && data.toString('latin1', 0, 4) === 'GIF8') {
    return { width: data.readUInt16LE(6), height: data.readUInt16LE(8) };
  }
  return null;
}

/** A message as REST returns it and as the gateway sends it (which adds `guild_id` and `member`). */
export function toMessage(state: SimState, message: SimMessage): APIMessage & { guild_id?: string; member?: unknown } {
  const author = mustUser(state, message.authorId);
  const guild = message.guildId ? state.guilds.get(message.guildId) : undefined;
  const mentions = message.mentionIds.flatMap((id) => {
    const user = state.users.get(id);
    if (!user) return [];
    const member = guild?.members.get(id);
    return [{ ...toUser(user), ...(member ? { member: toPartialMember(member) } : {}) }];
  });
  const referenced = message.reference ? state.messages.get(message.reference.messageId) : undefined;
  const authorMember = guild?.members.get(message.authorId);
  return {
    id: message.id,
    channel_id: message.channelId,
    ...(message.guildId ? { guild_id: message.guildId } : {}),
    author: toUser(author),
    ...(authorMember && !message.webhookId ? { member: toPartialMember(authorMember) } : {}),
    content: message.content,
    timestamp: iso(message.timestamp),
    edited_timestamp: message.editedTimestamp === null ? null : iso(message.editedTimestamp),
    tts: message.tts,
    mention_everyone: message.mentionEveryone,
    mentions,
    mention_roles: [...message.mentionRoleIds],
    attachments: message.attachments.map(toAttachment),
    embeds: message.embeds,
    components: message.components,
    pinned: false,
    type: message.type,
    flags: message.flags,
    ...(message.webhookId ? { webhook_id: message.webhookId, application_id: message.webhookId } : {}),
    ...(message.reference
      ? {
          message_reference: {
            type: 0,
            message_id: message.reference.messageId,
            channel_id: message.reference.channelId,
            ...(message.reference.guildId ? { guild_id: message.reference.guildId } : {}),
          },
          // One level deep, as Discord does: the referenced message's own reference is not expanded.
          referenced_message: referenced ? { ...toMessage(state, { ...referenced, reference: null }) } : null,
        }
      : {}),
    ...(message.interaction
      ? {
          interaction_metadata: {
            id: message.interaction.id,
            type: message.interaction.type,
            user: toUser(mustUser(state, message.interaction.userId)),
            authorizing_integration_owners: {},
          },
        }
      : {}),
  } as APIMessage & { guild_id?: string; member?: unknown };
}

function mustUser(state: SimState, id: string): SimUser {
  const user = state.users.get(id);
  if (!user) throw new Error(`simulator state is inconsistent: no user ${id}`);
  return user;
}

function mustGuild(state: SimState, id: string | null): SimGuild {
  const guild = id ? state.guilds.get(id) : undefined;
  if (!guild) throw new Error(`simulator state is inconsistent: no guild ${String(id)}`);
  return guild;
}
