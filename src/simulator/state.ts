/**
 * The simulated Discord's data, as plain records. Everything is keyed by snowflake string; guild-scoped data lives
 * inside its guild so a guild's snapshot (GUILD_CREATE) is one walk. Records hold what Discord would store, not API
 * payloads: `serialize.ts` turns them into the exact JSON shapes discord.js parses.
 */
import type { APIAllowedMentions, APIApplicationCommand, APIEmbed, APIMessage, ChannelType, MessageType } from 'discord.js';
import { SnowflakeGenerator } from './snowflake.js';

export interface SimUser {
  id: string;
  username: string;
  globalName: string | null;
  bot: boolean;
  avatar: string | null;
  /** false makes `POST /channels/:dm/messages` fail with 50007, like a user who closed their DMs. */
  acceptsDms: boolean;
}

export interface SimRole {
  id: string;
  guildId: string;
  name: string;
  /** Permission bits; serialized as a decimal string like Discord does. */
  permissions: bigint;
  /** 0 is @everyone; higher is more powerful. Ties are broken by id, as in Discord. */
  position: number;
  /** Integration/bot roles: nobody can add or remove them. */
  managed: boolean;
  color: number;
  hoist: boolean;
  mentionable: boolean;
  /** Set on a bot's own managed role (Discord's `tags.bot_id`). */
  botId: string | null;
}

export interface SimChannel {
  id: string;
  type: ChannelType;
  /** null for DM channels. */
  guildId: string | null;
  name: string | null;
  /** Category of a channel, or the channel a thread/forum post belongs to. */
  parentId: string | null;
  position: number;
  /** DM channels only: the other user. */
  recipientId: string | null;
  lastMessageId: string | null;
}

export interface SimMember {
  guildId: string;
  userId: string;
  roles: string[];
  nick: string | null;
  /** Unix ms. */
  joinedAt: number;
  deaf: boolean;
  mute: boolean;
}

export interface SimVoiceState {
  guildId: string;
  userId: string;
  channelId: string;
  sessionId: string;
  selfDeaf: boolean;
  selfMute: boolean;
  deaf: boolean;
  mute: boolean;
  selfVideo: boolean;
  selfStream: boolean;
  suppress: boolean;
}

export interface SimGuild {
  id: string;
  name: string;
  ownerId: string;
  afkChannelId: string | null;
  systemChannelId: string | null;
  roles: Map<string, SimRole>;
  /** Ids of this guild's channels and threads, in creation order. */
  channelIds: string[];
  members: Map<string, SimMember>;
  voiceStates: Map<string, SimVoiceState>;
  /** When the bot joined (Unix ms): GUILD_CREATE's `joined_at`. */
  joinedAt: number;
}

export interface SimAttachment {
  id: string;
  filename: string;
  contentType: string | null;
  description: string | null;
  /** The uploaded bytes, kept so tests can inspect a rendered PNG/GIF. */
  data: Buffer;
  url: string;
}

export type SimComponents = NonNullable<APIMessage['components']>;

export interface SimMessage {
  id: string;
  channelId: string;
  guildId: string | null;
  authorId: string;
  content: string;
  embeds: APIEmbed[];
  components: SimComponents;
  attachments: SimAttachment[];
  flags: number;
  type: MessageType;
  /** The message this one replies to (`message_reference`). */
  reference: { messageId: string; channelId: string; guildId: string | null } | null;
  /** Unix ms. */
  timestamp: number;
  editedTimestamp: number | null;
  /** Set on interaction responses and follow-ups: they are sent through the application's webhook. */
  webhookId: string | null;
  /** The interaction a response message answers (Discord's `interaction_metadata`). */
  interaction: { id: string; type: number; name: string; userId: string } | null;
  tts: boolean;
  /** What the sender passed as `allowed_mentions`; null: Discord's default for how it was sent. */
  allowedMentions: APIAllowedMentions | null;
  /** Who the message pings: mentions in the content that `allowed_mentions` let through (Discord's rules). */
  mentionIds: string[];
  mentionRoleIds: string[];
  mentionEveryone: boolean;
}

export interface RegisteredCommands {
  global: APIApplicationCommand[];
  /** Per guild id. */
  guild: Map<string, APIApplicationCommand[]>;
  /** How many times `PUT .../commands` was called, global and guild together: registration should be rare. */
  bulkOverwriteCount: number;
}

export class SimState {
  readonly ids: SnowflakeGenerator;
  readonly users = new Map<string, SimUser>();
  readonly guilds = new Map<string, SimGuild>();
  /** Every channel, guild or DM, by id. */
  readonly channels = new Map<string, SimChannel>();
  /** Every message, including ephemeral ones (components on them can still be used). */
  readonly messages = new Map<string, SimMessage>();
  /** Non-ephemeral messages per channel, oldest first. */
  readonly channelMessages = new Map<string, SimMessage[]>();
  /** The bot's DM channel with each user. */
  readonly dmChannelByUser = new Map<string, string>();
  readonly commands: RegisteredCommands = { global: [], guild: new Map(), bulkOverwriteCount: 0 };

  constructor(readonly now: () => number) {
    this.ids = new SnowflakeGenerator(now);
  }

  /** Stores a message; O(1), so bulk loads stay linear. */
  addMessage(message: SimMessage): void {
    this.messages.set(message.id, message);
    if ((message.flags & EPHEMERAL) !== 0) return;
    let list = this.channelMessages.get(message.channelId);
    if (!list) {
      list = [];
      this.channelMessages.set(message.channelId, list);
    }
    list.push(message);
    const channel = this.channels.get(message.channelId);
    if (channel) channel.lastMessageId = message.id;
  }

  deleteMessage(message: SimMessage): void {
    this.messages.delete(message.id);
    const list = this.channelMessages.get(message.channelId);
    const index = list?.indexOf(message) ?? -1;
    if (list && index >= 0) list.splice(index, 1);
  }

  /** Roles sorted the way Discord ranks them: by position, then by id (older role wins a tie). */
  highestRole(guild: SimGuild, roleIds: readonly string[]): SimRole | undefined {
    let best: SimRole | undefined;
    for (const id of roleIds) {
      const role = guild.roles.get(id);
      if (role && (!best || compareRoles(role, best) > 0)) best = role;
    }
    return best;
  }
}

/** MessageFlags.Ephemeral. */
export const EPHEMERAL = 1 << 6;

/** > 0 when `a` ranks above `b`. Equal positions: the role with the lower id ranks higher, as in Discord. */
export function compareRoles(a: SimRole, b: SimRole): number {
  if (a.position !== b.position) return a.position - b.position;
  return BigInt(a.id) < BigInt(b.id) ? 1 : BigInt(a.id) > BigInt(b.id) ? -1 : 0;
}
