/**
 * `DiscordSimulator`: the test driver's single entry point. It starts the HTTP + WebSocket server, owns the state,
 * and exposes typed helpers that act like Discord users and admins (send a message, run a slash command, join
 * voice) and observers that tests assert on (messages, member roles, REST log) or wait for (events, conditions).
 */
import {
  ChannelType,
  GatewayIntentBits,
  PermissionFlagsBits,
  type APIApplicationCommand,
  type APIEmbed,
  type ClientOptions,
} from 'discord.js';
import { createLogger, type Logger } from '../util/logger.js';
import type { SimContext } from './context.js';
import {
  SimulatorEvents,
  type RestCall,
  type SimulatorEventMap,
  type SimulatorEventName,
  type WaitOptions,
} from './events.js';
import { Gateway, type DispatchScope, type PrivilegedIntents, type ShardLimits } from './gateway.js';
import {
  InteractionRegistry,
  type ComponentInput,
  type InteractionHandle,
  type InteractionResponse,
  type SlashCommandInput,
} from './interactions.js';
import {
  addChannel,
  addMember,
  createMessage,
  createRoleRecord,
  deleteMessage,
  deleteRole,
  dispatchRole,
  editMessage,
  openDm,
  removeMember,
  setVoiceState,
  updateMember,
  voiceState,
} from './mutations.js';
import { appRoutes } from './routes/app.js';
import { channelRoutes } from './routes/channels.js';
import { commandRoutes } from './routes/commands.js';
import { guildRoutes } from './routes/guilds.js';
import { interactionRoutes } from './routes/interactions.js';
import { holdsMessages, isThreadType, THREAD_PARENTS, toGuildCreate } from './serialize.js';
import { HttpServer, type Fault, type FaultKind } from './server.js';
import {
  compareRoles,
  SimState,
  type SimAttachment,
  type SimChannel,
  type SimGuild,
  type SimMember,
  type SimMessage,
  type SimRole,
  type SimUser,
} from './state.js';

export interface DiscordSimulatorOptions {
  /** The bot token clients must log in with. Default `'simulator-token'`. */
  token: string;
  /**
   * Privileged intents switched on for the application. Identifying with one that is off closes the gateway with
   * 4014. Default: all on.
   */
  privilegedIntents: Partial<PrivilegedIntents>;
  /** The bot user's name. Default `'Unicornia'`. */
  botUsername: string;
  /**
   * Wall clock in Unix ms, used for message timestamps, join dates and snowflakes. Pass a fixed or manual clock
   * (e.g. `() => clock.wallNow()`) for the same ids and timestamps on every run. Default `Date.now`.
   */
  now: () => number;
  /** `heartbeat_interval` sent in HELLO. Default 41 250 ms, Discord's value. */
  heartbeatIntervalMs: number;
  /**
   * Sharding as Discord does it: at most 2 500 guilds per session (more: close 4011), one shard recommended per
   * 1 000 guilds, `max_concurrency` 1. Tests lower the guild counts to see the rules without creating 2 500 guilds.
   */
  shardLimits: Partial<ShardLimits>;
  /**
   * Where unknown routes, unsupported gateway requests and simulator crashes are reported (they are also kept in
   * `sim.warnings`). Default: a pino logger at level `warn`, so a missing route is obvious in test output.
   */
  logger: Logger;
}

type ResolvedOptions = Omit<DiscordSimulatorOptions, 'privilegedIntents' | 'shardLimits'> & { privilegedIntents: PrivilegedIntents; shardLimits: ShardLimits };

/** Every option's default (the logger is created lazily: only simulators that get none need one). */
const DEFAULTS: Omit<ResolvedOptions, 'logger'> = {
  token: 'simulator-token',
  privilegedIntents: { guildMembers: true, guildPresences: true, messageContent: true },
  botUsername: 'Unicornia',
  now: Date.now,
  heartbeatIntervalMs: 41_250,
  shardLimits: { maxGuildsPerShard: 2500, recommendedGuildsPerShard: 1000, maxConcurrency: 1 },
};

/** What a new guild's @everyone may do: Discord's defaults for a fresh server. */
export const DEFAULT_EVERYONE_PERMISSIONS =
  PermissionFlagsBits.CreateInstantInvite |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.Stream |
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.MentionEveryone |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.Connect |
  PermissionFlagsBits.Speak |
  PermissionFlagsBits.UseVAD |
  PermissionFlagsBits.ChangeNickname |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.RequestToSpeak |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.CreatePrivateThreads |
  PermissionFlagsBits.UseExternalStickers |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.SendVoiceMessages |
  PermissionFlagsBits.SendPolls;

export interface UserInput {
  username: string;
  globalName?: string | null;
  bot?: boolean;
  /** false: the bot's DMs to this user fail with 50007. Default true. */
  acceptsDms?: boolean;
}

export interface GuildInput {
  name: string;
  /** Default: a new user named `<guild name> owner`, added as a member. */
  ownerId?: string;
  /** Whether the bot is in the guild. Default true. */
  withBot?: boolean;
  /**
   * `[index, count]`: an id that Discord routes to shard `index` of `count` (`(id >> 22) % count`). Default: the
   * next id, whatever shard it falls on.
   */
  onShard?: [number, number];
}

export interface GuildUpdate {
  name?: string;
  ownerId?: string;
  afkChannelId?: string | null;
  systemChannelId?: string | null;
}

export interface ChannelInput {
  name: string;
  /** Default `ChannelType.GuildText`. Threads (10-12) need `parentId`. */
  type?: ChannelType;
  /** Category of a channel; channel (text/forum) of a thread. */
  parentId?: string | null;
  position?: number;
}

export interface RoleInput {
  name: string;
  /** Default 0n (no permissions). */
  permissions?: bigint;
  /**
   * Where to insert it; roles at or above move up by one, as in Discord. Default 1: just above @everyone, below
   * every existing role (where Discord puts a new role).
   */
  position?: number;
  managed?: boolean;
  color?: number;
  hoist?: boolean;
  mentionable?: boolean;
}

export interface MemberInput {
  roles?: string[];
  nick?: string | null;
  /** Unix ms. Default: now. */
  joinedAt?: number;
}

export interface UserMessageInput {
  channelId: string;
  authorId: string;
  content?: string;
  embeds?: APIEmbed[];
  /** Id of the message this one replies to. */
  replyTo?: string;
  attachments?: { filename: string; data: Buffer; contentType?: string }[];
}

export interface VoiceInput {
  /** The voice/stage channel, or null to leave voice. */
  channelId: string | null;
  selfDeaf?: boolean;
  selfMute?: boolean;
  deaf?: boolean;
  mute?: boolean;
  selfVideo?: boolean;
  selfStream?: boolean;
  suppress?: boolean;
}

export class DiscordSimulator {
  /** The application owner: a human user, what `client.application.fetch()` reports as `owner`. */
  readonly owner: SimUser;
  readonly botUser: SimUser;
  readonly applicationId: string;
  readonly token: string;
  /** Everything reported through the logger: unknown routes, unsupported gateway requests, crashes. */
  readonly warnings: string[] = [];

  private readonly state: SimState;
  private readonly events = new SimulatorEvents();
  private readonly gateway: Gateway;
  private readonly interactions: InteractionRegistry;
  private readonly ctx: SimContext;
  private readonly http: HttpServer;
  private port = 0;

  private constructor(options: ResolvedOptions) {
    this.token = options.token;
    this.state = new SimState(options.now);
    this.botUser = this.insertUser({ username: options.botUsername, bot: true });
    this.owner = this.insertUser({ username: 'app-owner' });
    this.applicationId = this.botUser.id;
    const warn = (message: string): void => {
      this.warnings.push(message);
      options.logger.warn({ simulator: true }, message);
    };
    this.gateway = new Gateway(this.state, this.events, {
      token: options.token,
      botUserId: this.botUser.id,
      applicationId: this.applicationId,
      privilegedIntents: options.privilegedIntents,
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      shardLimits: options.shardLimits,
      url: () => this.gatewayUrl,
      warn,
    });
    this.interactions = new InteractionRegistry(() => this.ctx);
    this.ctx = {
      state: this.state,
      gateway: this.gateway,
      events: this.events,
      interactions: this.interactions,
      token: options.token,
      botUserId: this.botUser.id,
      applicationId: this.applicationId,
      ownerUserId: this.owner.id,
      guildMembersIntentEnabled: options.privilegedIntents.guildMembers,
      baseUrl: () => this.baseUrl,
      warn,
    };
    this.http = new HttpServer(
      this.ctx,
      [
        ...appRoutes(this.ctx, () => this.gatewayUrl, options.privilegedIntents, options.shardLimits),
        ...channelRoutes(this.ctx),
        ...guildRoutes(this.ctx),
        ...commandRoutes(this.ctx),
        ...interactionRoutes(this.ctx),
      ],
      (request, socket, head) => this.gateway.handleUpgrade(request, socket, head),
    );
  }

  /** Starts a simulator on 127.0.0.1 on a free port. */
  static async start(options: Partial<DiscordSimulatorOptions> = {}): Promise<DiscordSimulator> {
    const sim = new DiscordSimulator({
      ...DEFAULTS,
      logger: options.logger ?? createLogger('warn'),
      ...options,
      privilegedIntents: { ...DEFAULTS.privilegedIntents, ...options.privilegedIntents },
      shardLimits: { ...DEFAULTS.shardLimits, ...options.shardLimits },
    });
    sim.port = await sim.http.listen();
    return sim;
  }

  /** Closes the gateway connections and the HTTP server. Destroy discord.js clients first, or they reconnect. */
  async stop(): Promise<void> {
    await this.gateway.close();
    await this.http.close();
  }

  // ---- Addresses -------------------------------------------------------------------------------------------

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The REST base for discord.js: `new Client({ rest: { api: sim.restUrl } })`. */
  get restUrl(): string {
    return `${this.baseUrl}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** The client options that point discord.js at this simulator; spread them into your ClientOptions. */
  clientOptions(): Pick<ClientOptions, 'rest'> {
    return { rest: { api: this.restUrl } };
  }

  /** True while a client is identified and connected. */
  get connected(): boolean {
    return this.gateway.connected;
  }

  // ---- Building the world ----------------------------------------------------------------------------------

  createUser(input: UserInput): SimUser {
    const user = this.insertUser(input);
    this.events.emit('change', undefined);
    return user;
  }

  /** A guild with @everyone (Discord's default permissions), its owner and, by default, the bot as members. */
  createGuild(input: GuildInput): SimGuild {
    const onShard = input.onShard;
    const id = onShard ? this.state.ids.nextWithTimestamp((t) => Number(t % BigInt(onShard[1])) === onShard[0]) : this.state.ids.next();
    const ownerId = input.ownerId ?? this.insertUser({ username: `${input.name} owner` }).id;
    this.requireUser(ownerId);
    const now = this.state.now();
    const guild: SimGuild = {
      id,
      name: input.name,
      ownerId,
      afkChannelId: null,
      systemChannelId: null,
      roles: new Map(),
      channelIds: [],
      members: new Map(),
      voiceStates: new Map(),
      joinedAt: now,
    };
    guild.roles.set(id, {
      id,
      guildId: id,
      name: '@everyone',
      permissions: DEFAULT_EVERYONE_PERMISSIONS,
      position: 0,
      managed: false,
      color: 0,
      hoist: false,
      mentionable: false,
      botId: null,
    });
    guild.members.set(ownerId, member(id, ownerId, now));
    this.state.guilds.set(id, guild);
    if (input.withBot !== false) this.joinBot(guild);
    this.events.emit('change', undefined);
    return guild;
  }

  /** Adds the bot to a guild created with `withBot: false`: GUILD_CREATE, like an invite being accepted. */
  inviteBot(guildId: string): void {
    const guild = this.requireGuild(guildId);
    if (!guild.members.has(this.botUser.id)) this.joinBot(guild);
  }

  updateGuild(guildId: string, update: GuildUpdate): SimGuild {
    const guild = this.requireGuild(guildId);
    if (update.afkChannelId) this.requireChannel(update.afkChannelId);
    if (update.ownerId) this.requireMember(guildId, update.ownerId);
    Object.assign(guild, update);
    const full: Record<string, unknown> = { ...toGuildCreate(this.state, guild, this.botUser.id, false) };
    for (const key of ['members', 'channels', 'threads', 'voice_states', 'presences']) delete full[key];
    this.gateway.dispatch('GUILD_UPDATE', full, { intent: GatewayIntentBits.Guilds, guildId });
    this.events.emit('change', undefined);
    return guild;
  }

  createChannel(guildId: string, input: ChannelInput): SimChannel {
    const guild = this.requireGuild(guildId);
    const type = input.type ?? ChannelType.GuildText;
    if (input.parentId && this.requireChannel(input.parentId).guildId !== guildId) {
      throw new Error(`DiscordSimulator: parent ${input.parentId} is not in guild ${guildId}`);
    }
    if (isThreadType(type)) {
      if (!input.parentId) throw new Error('DiscordSimulator: a thread needs parentId');
      const parentType = this.requireChannel(input.parentId).type;
      if (!THREAD_PARENTS.get(type)!.includes(parentType)) {
        throw new Error(`DiscordSimulator: a thread of type ${type} cannot be created in a channel of type ${parentType}`);
      }
    }
    return addChannel(this.ctx, {
      id: this.state.ids.next(),
      type,
      guildId: guild.id,
      name: input.name,
      parentId: input.parentId ?? null,
      position: input.position ?? guild.channelIds.length,
      recipientId: null,
      lastMessageId: null,
    });
  }

  createRole(guildId: string, input: RoleInput): SimRole {
    const guild = this.requireGuild(guildId);
    return createRoleRecord(this.ctx, guild, {
      id: this.state.ids.next(),
      guildId,
      name: input.name,
      permissions: input.permissions ?? 0n,
      position: Math.max(1, input.position ?? 1),
      managed: input.managed ?? false,
      color: input.color ?? 0,
      hoist: input.hoist ?? false,
      mentionable: input.mentionable ?? false,
      botId: null,
    });
  }

  updateRole(
    guildId: string,
    roleId: string,
    patch: Partial<Pick<SimRole, 'name' | 'permissions' | 'position' | 'managed' | 'color'>>,
  ): SimRole {
    const role = this.requireRole(guildId, roleId);
    Object.assign(role, patch);
    dispatchRole(this.ctx, 'GUILD_ROLE_UPDATE', role);
    return role;
  }

  /**
   * Moves a role to `position` as dragging it in Server Settings → Roles does: positions stay dense, the roles in
   * between shift by one, and every role whose position changed gets a GUILD_ROLE_UPDATE.
   */
  moveRole(guildId: string, roleId: string, position: number): SimRole {
    const guild = this.requireGuild(guildId);
    const role = this.requireRole(guildId, roleId);
    const others = [...guild.roles.values()].filter((r) => r.id !== guild.id && r.id !== role.id).sort(compareRoles);
    const target = Math.min(Math.max(1, position), others.length + 1);
    others.splice(target - 1, 0, role);
    others.forEach((r, i) => {
      if (r.position === i + 1) return;
      r.position = i + 1;
      dispatchRole(this.ctx, 'GUILD_ROLE_UPDATE', r);
    });
    return role;
  }

  /**
   * Makes the next `times` requests to a route fail (a 5xx with Discord's body, a dropped connection, or no answer), e.g.
   * `failRequests({ method: 'PUT', route: '/guilds/:guildId/members/:userId/roles/:roleId', times: 3, kind: 500 })`.
   * discord.js retries a 5xx, a reset or a timeout three times before it gives up, so one failed call can use four.
   */
  failRequests(input: { method: Fault['method']; route: string; times: number; kind?: FaultKind }): void {
    this.http.faults.push({ method: input.method, route: input.route, remaining: input.times, kind: input.kind ?? 500 });
  }

  /** Forgets every injected failure that has not happened yet. */
  clearFaults(): void {
    this.http.faults.length = 0;
  }

  deleteRole(guildId: string, roleId: string): void {
    deleteRole(this.ctx, this.requireGuild(guildId), this.requireRole(guildId, roleId));
  }

  /**
   * Gives the bot its managed integration role (as when it is invited with permissions) — by default at the top
   * of the hierarchy, so it can manage every other role. Pass a `position` to test hierarchy failures.
   */
  giveBotRole(guildId: string, input: { permissions: bigint; position?: number; name?: string }): SimRole {
    const guild = this.requireGuild(guildId);
    const top = Math.max(0, ...[...guild.roles.values()].map((r) => r.position));
    const role = createRoleRecord(this.ctx, guild, {
      id: this.state.ids.next(),
      guildId,
      name: input.name ?? this.botUser.username,
      permissions: input.permissions,
      position: Math.max(1, input.position ?? top + 1),
      managed: true,
      color: 0,
      hoist: false,
      mentionable: false,
      botId: this.botUser.id,
    });
    const bot = this.requireMember(guildId, this.botUser.id);
    updateMember(this.ctx, guild, bot, { roles: [...bot.roles, role.id] });
    return role;
  }

  /** Adds a member (GUILD_MEMBER_ADD, with the GUILD_MEMBERS intent). */
  addMember(guildId: string, userId: string, input: MemberInput = {}): SimMember {
    const guild = this.requireGuild(guildId);
    this.requireUser(userId);
    if (guild.members.has(userId)) throw new Error(`DiscordSimulator: ${userId} is already a member of ${guildId}`);
    for (const roleId of input.roles ?? []) this.requireRole(guildId, roleId);
    const created = {
      ...member(guildId, userId, input.joinedAt ?? this.state.now()),
      roles: input.roles ?? [],
      nick: input.nick ?? null,
    };
    addMember(this.ctx, guild, created);
    return created;
  }

  /** Removes a member (GUILD_MEMBER_REMOVE; a member in voice leaves it first). */
  removeMember(guildId: string, userId: string): void {
    this.requireMember(guildId, userId);
    removeMember(this.ctx, this.requireGuild(guildId), userId);
  }

  /** Sets a member's roles as a server admin would (no permission checks); GUILD_MEMBER_UPDATE. */
  setMemberRoles(guildId: string, userId: string, roles: string[]): SimMember {
    for (const roleId of roles) this.requireRole(guildId, roleId);
    return updateMember(this.ctx, this.requireGuild(guildId), this.requireMember(guildId, userId), { roles });
  }

  // ---- Acting as users -------------------------------------------------------------------------------------

  /** A user posts a message (MESSAGE_CREATE). Guild channels require the author to be a member. */
  sendMessage(input: UserMessageInput): SimMessage {
    const channel = this.requireChannel(input.channelId);
    this.requireUser(input.authorId);
    if (channel.guildId !== null && !this.state.guilds.get(channel.guildId)?.members.has(input.authorId)) {
      throw new Error(`DiscordSimulator: ${input.authorId} is not a member of guild ${channel.guildId}`);
    }
    if (!holdsMessages(channel.type)) {
      throw new Error(`DiscordSimulator: ${channel.id} (type ${channel.type}) holds no messages; forum posts are threads in it`);
    }
    if (input.replyTo && !this.state.messages.has(input.replyTo)) {
      throw new Error(`DiscordSimulator: no message ${input.replyTo} to reply to`);
    }
    return createMessage(this.ctx, {
      channelId: channel.id,
      authorId: input.authorId,
      content: input.content ?? '',
      embeds: input.embeds ?? [],
      attachments: (input.attachments ?? []).map((file) => this.attachment(channel.id, file)),
      replyToId: input.replyTo ?? null,
    });
  }

  /** A user writes to the bot in DMs (MESSAGE_CREATE with the DIRECT_MESSAGES intent). */
  sendDm(input: { userId: string; content: string }): SimMessage {
    this.requireUser(input.userId);
    return createMessage(this.ctx, {
      channelId: openDm(this.ctx, input.userId).id,
      authorId: input.userId,
      content: input.content,
    });
  }

  /** The bot's DM channel with a user (created if needed, as `POST /users/@me/channels` would). */
  dmChannel(userId: string): SimChannel {
    this.requireUser(userId);
    return openDm(this.ctx, userId);
  }

  /** The author edits a message (MESSAGE_UPDATE). */
  editMessage(messageId: string, content: string): SimMessage {
    return editMessage(this.ctx, this.requireMessage(messageId), { content });
  }

  deleteMessage(messageId: string): void {
    deleteMessage(this.ctx, this.requireMessage(messageId));
  }

  /**
   * A user runs a registered slash command (INTERACTION_CREATE type 2). Options are checked against the
   * registered definition and resolved users/members/roles/channels are filled in as Discord does.
   */
  runSlashCommand(input: SlashCommandInput): InteractionHandle {
    return this.interactions.runSlashCommand(input);
  }

  /** A user clicks a button on a message (INTERACTION_CREATE type 3). */
  pressButton(input: Omit<ComponentInput, 'values'>): InteractionHandle {
    return this.interactions.useComponent(input);
  }

  /** A user picks values in a select menu on a message (INTERACTION_CREATE type 3). */
  selectMenu(input: Required<ComponentInput>): InteractionHandle {
    return this.interactions.useComponent(input);
  }

  /**
   * Moves a member into, within or out of voice (VOICE_STATE_UPDATE). Flags not given keep their previous value
   * while the member stays in voice.
   */
  setVoiceState(guildId: string, userId: string, input: VoiceInput): void {
    const guild = this.requireGuild(guildId);
    this.requireMember(guildId, userId);
    if (input.channelId === null) {
      setVoiceState(this.ctx, guild, userId, null);
      return;
    }
    const channel = this.requireChannel(input.channelId);
    if (
      channel.guildId !== guildId ||
      (channel.type !== ChannelType.GuildVoice && channel.type !== ChannelType.GuildStageVoice)
    ) {
      throw new Error(`DiscordSimulator: ${input.channelId} is not a voice or stage channel of guild ${guildId}`);
    }
    const { channelId, ...flags } = input;
    const previous = guild.voiceStates.get(userId) ?? voiceState(guildId, userId, channelId);
    const defined = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
    // Entering a channel, Discord decides whether the member may speak: a stage's audience (everyone who joins a
    // stage) and the AFK channel are suppressed, a voice channel is not; a moderator's invite to speak is a later
    // update (suppress false).
    const entering = previous.channelId !== channelId || !guild.voiceStates.has(userId);
    const suppress = entering ? channel.type === ChannelType.GuildStageVoice || channelId === guild.afkChannelId : previous.suppress;
    setVoiceState(this.ctx, guild, userId, { ...previous, suppress, ...defined, channelId });
  }

  /**
   * Sends any gateway event as is, bypassing state: for load generation and events the driver has no helper for.
   * `scope.intent` (default 0: every session) and `scope.guildId` (sharding) pick the receivers.
   */
  dispatchRaw(event: string, data: unknown, scope: Partial<DispatchScope> = {}): void {
    this.gateway.dispatch(event, data, { intent: scope.intent ?? 0, guildId: scope.guildId ?? null });
  }

  /** Resolves when every connected client has read all events sent so far (backpressure for bulk loads). */
  drain(): Promise<void> {
    return this.gateway.drain();
  }

  /** Asks connected clients to reconnect (op 7); they RESUME and get the events they missed replayed. */
  requestReconnect(): void {
    this.gateway.requestReconnect();
  }

  // ---- Observing -------------------------------------------------------------------------------------------

  guild(guildId: string): SimGuild | undefined {
    return this.state.guilds.get(guildId);
  }

  channel(channelId: string): SimChannel | undefined {
    return this.state.channels.get(channelId);
  }

  user(userId: string): SimUser | undefined {
    return this.state.users.get(userId);
  }

  message(messageId: string): SimMessage | undefined {
    return this.state.messages.get(messageId);
  }

  member(guildId: string, userId: string): SimMember | undefined {
    return this.state.guilds.get(guildId)?.members.get(userId);
  }

  memberRoles(guildId: string, userId: string): string[] {
    return [...(this.member(guildId, userId)?.roles ?? [])];
  }

  /** Non-ephemeral messages in a channel, oldest first (a live view: do not mutate). */
  messagesIn(channelId: string): readonly SimMessage[] {
    return this.state.channelMessages.get(channelId) ?? [];
  }

  /** The messages of the bot's DM channel with a user, both directions, oldest first. */
  dmsWith(userId: string): readonly SimMessage[] {
    const channelId = this.state.dmChannelByUser.get(userId);
    return channelId ? this.messagesIn(channelId) : [];
  }

  /** Registered commands: global ones, or one guild's. */
  commands(guildId?: string): readonly APIApplicationCommand[] {
    return guildId === undefined ? this.state.commands.global : (this.state.commands.guild.get(guildId) ?? []);
  }

  /** How many bulk overwrites (`PUT .../commands`) the bot has made. */
  get commandRegistrations(): number {
    return this.state.commands.bulkOverwriteCount;
  }

  /** Every REST request so far, oldest first. */
  get restLog(): readonly RestCall[] {
    return this.http.log;
  }

  interactionResponse(handle: InteractionHandle): InteractionResponse {
    return handle.response;
  }

  // ---- Waiting ---------------------------------------------------------------------------------------------

  on<E extends SimulatorEventName>(event: E, listener: (payload: SimulatorEventMap[E]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** The next `event` after this call that satisfies `predicate`; rejects after `timeoutMs` (default 5 s). */
  waitFor<E extends SimulatorEventName>(
    event: E,
    predicate?: (payload: SimulatorEventMap[E]) => boolean,
    options?: WaitOptions,
  ): Promise<SimulatorEventMap[E]> {
    return this.events.waitFor(event, predicate, options);
  }

  /** Resolves with `check()`'s value once it is neither undefined nor false — checked now and on every change. */
  waitUntil<T>(check: () => T | undefined | false, options?: WaitOptions & { description?: string }): Promise<T> {
    return this.events.waitUntil(check, options);
  }

  /** The next message created in a channel after this call (optionally only by `authorId`). */
  nextMessage(channelId: string, options: WaitOptions & { authorId?: string } = {}): Promise<SimMessage> {
    return this.events.waitFor(
      'message',
      (m) => m.channelId === channelId && (options.authorId === undefined || m.authorId === options.authorId),
      options,
    );
  }

  /** The next message the bot sends a user in DMs after this call. */
  nextDm(userId: string, options: WaitOptions = {}): Promise<SimMessage> {
    return this.events.waitFor(
      'message',
      (m) =>
        m.guildId === null && m.authorId === this.botUser.id && this.state.dmChannelByUser.get(userId) === m.channelId,
      options,
    );
  }

  // ---- Internals -------------------------------------------------------------------------------------------

  private insertUser(input: UserInput): SimUser {
    const user: SimUser = {
      id: this.state.ids.next(),
      username: input.username,
      globalName: input.globalName ?? null,
      bot: input.bot ?? false,
      avatar: null,
      acceptsDms: input.acceptsDms ?? true,
    };
    this.state.users.set(user.id, user);
    return user;
  }

  private joinBot(guild: SimGuild): void {
    guild.members.set(this.botUser.id, member(guild.id, this.botUser.id, this.state.now()));
    guild.joinedAt = this.state.now();
    // Like the initial GUILD_CREATE, the member list is complete only for sessions with GUILD_MEMBERS.
    this.gateway.dispatch('GUILD_CREATE', toGuildCreate(this.state, guild, this.botUser.id, true), {
      intent: GatewayIntentBits.Guilds,
      guildId: guild.id,
      reduced: {
        intent: GatewayIntentBits.GuildMembers,
        data: () => toGuildCreate(this.state, guild, this.botUser.id, false),
      },
    });
  }

  private attachment(channelId: string, file: { filename: string; data: Buffer; contentType?: string }): SimAttachment {
    const id = this.state.ids.next();
    return {
      id,
      filename: file.filename,
      contentType: file.contentType ?? null,
      description: null,
      data: file.data,
      url: `${this.baseUrl}/attachments/${channelId}/${id}/${encodeURIComponent(file.filename)}`,
    };
  }

  private requireUser(userId: string): SimUser {
    const user = this.state.users.get(userId);
    if (!user) throw new Error(`DiscordSimulator: no user ${userId}`);
    return user;
  }

  private requireGuild(guildId: string): SimGuild {
    const guild = this.state.guilds.get(guildId);
    if (!guild) throw new Error(`DiscordSimulator: no guild ${guildId}`);
    return guild;
  }

  private requireChannel(channelId: string): SimChannel {
    const channel = this.state.channels.get(channelId);
    if (!channel) throw new Error(`DiscordSimulator: no channel ${channelId}`);
    return channel;
  }

  private requireRole(guildId: string, roleId: string): SimRole {
    const role = this.requireGuild(guildId).roles.get(roleId);
    if (!role) throw new Error(`DiscordSimulator: no role ${roleId} in guild ${guildId}`);
    return role;
  }

  private requireMember(guildId: string, userId: string): SimMember {
    const found = this.requireGuild(guildId).members.get(userId);
    if (!found) throw new Error(`DiscordSimulator: ${userId} is not a member of guild ${guildId}`);
    return found;
  }

  private requireMessage(messageId: string): SimMessage {
    const message = this.state.messages.get(messageId);
    if (!message) throw new Error(`DiscordSimulator: no message ${messageId}`);
    return message;
  }
}

function member(guildId: string, userId: string, joinedAt: number): SimMember {
  return { guildId, userId, roles: [], nick: null, joinedAt, deaf: false, mute: false };
}
