/** Plain events the Discord layer feeds the engine. No discord.js types: ids are snowflake strings. */

export interface MessageEvent {
  /** null for DMs. */
  guildId: string | null;
  channelId: string;
  /** Parent channel of a thread or forum post, or the category of a channel; null if none. */
  parentId: string | null;
  /** Category of the channel (of the thread's parent for threads); null if none. */
  categoryId: string | null;
  userId: string;
  roleIds: readonly string[];
  isBot: boolean;
  /** Webhook or system message (joins, pins, boosts…). */
  isWebhookOrSystem: boolean;
  /** The message is a valid bot command (prefix + known command name). */
  isCommand: boolean;
  /** The text as sent (empty without the Message Content intent); read only by the anti-spam rules. */
  content: string;
}

export interface VoiceMember {
  userId: string;
  roleIds: readonly string[];
  isBot: boolean;
  selfDeaf: boolean;
  serverDeaf: boolean;
  selfMute: boolean;
  serverMute: boolean;
  /** May not speak: a stage's audience (until invited to speak), or anyone in the AFK channel. */
  suppressed: boolean;
}

export interface VoiceChannelSnapshot {
  channelId: string;
  /** Category of the voice or stage channel, null if none. */
  categoryId: string | null;
  /** A stage channel: its suppressed members are the audience (DESIGN §2.3). */
  isStage: boolean;
  members: readonly VoiceMember[];
}

export interface VoiceGuildSnapshot {
  guildId: string;
  afkChannelId: string | null;
  channels: readonly VoiceChannelSnapshot[];
}
