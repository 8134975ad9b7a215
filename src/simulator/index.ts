/** The Discord simulator: a local REST + gateway server that a real discord.js Client logs in to. */
export { DiscordSimulator, DEFAULT_EVERYONE_PERMISSIONS } from './simulator.js';
export type {
  ChannelInput,
  DiscordSimulatorOptions,
  GuildInput,
  GuildUpdate,
  MemberInput,
  RoleInput,
  UserInput,
  UserMessageInput,
  VoiceInput,
} from './simulator.js';
export type { PrivilegedIntents, DispatchScope, ShardLimits } from './gateway.js';
export { shardOf } from './gateway.js';
export type {
  InteractionHandle,
  InteractionResponse,
  SlashCommandInput,
  ComponentInput,
  OptionValue,
} from './interactions.js';
export type { RestCall, InteractionCallback, SimulatorEventMap, SimulatorEventName, WaitOptions } from './events.js';
export type {
  SimAttachment,
  SimChannel,
  SimGuild,
  SimMember,
  SimMessage,
  SimRole,
  SimUser,
  SimVoiceState,
} from './state.js';
export { ApiErrors } from './errors.js';
export type { FaultKind } from './server.js';
