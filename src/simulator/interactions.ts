/**
 * Interactions: building INTERACTION_CREATE payloads the way Discord fills them (resolved users, members, roles
 * and channels; member permissions; the message a component sits on), and recording what the bot answered
 * through the callback and webhook routes. Tests hold an `InteractionHandle` to await and inspect the answer.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  InteractionContextType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
  PermissionFlagsBits,
  type APIApplicationCommand,
  type APIApplicationCommandOption,
} from 'discord.js';
import type { SimContext } from './context.js';
import { ApiError } from './errors.js';
import type { InteractionCallback, WaitOptions } from './events.js';
import { createMessage, deleteMessage, editMessage, openDm } from './mutations.js';
import { asMessageBody, resolveAttachments, toEdit, type UploadedFile } from './payload.js';
import { memberPermissions } from './permissions.js';
import { toChannel, toMember, toMessage, toPartialMember, toRole, toUser } from './serialize.js';
import { EPHEMERAL, type SimChannel, type SimGuild, type SimMessage } from './state.js';

/** A slash-command option value as a test gives it: ids for users, roles, channels and mentionables. */
export type OptionValue = string | number | boolean;

export interface SlashCommandInput {
  /** Omit for a command run in the bot's DMs. */
  guildId?: string;
  /** Where the command is run; for DMs defaults to the user's DM channel with the bot. */
  channelId?: string;
  userId: string;
  name: string;
  subcommandGroup?: string;
  subcommand?: string;
  /** Option name → value, checked against the registered definition (types, required, choices). */
  options?: Record<string, OptionValue>;
  locale?: string;
}

export interface ComponentInput {
  messageId: string;
  customId: string;
  userId: string;
  /** Select menus only: the chosen values. */
  values?: string[];
}

interface InteractionRecord {
  id: string;
  token: string;
  kind: 'command' | 'component';
  name: string;
  guildId: string | null;
  channelId: string;
  userId: string;
  /** Components only: the message the component is on (the target of update callbacks). */
  sourceMessageId: string | null;
  callbacks: InteractionCallback[];
  /** The message `@original` refers to. */
  originalMessageId: string | null;
  followUpIds: string[];
  /** True once the user can see an answer: a reply, an update, or an edit after a deferral. */
  answered: boolean;
}

/** A snapshot of how the bot answered an interaction. */
export interface InteractionResponse {
  /** Callback types in order (normally one): 4 reply, 5 deferred reply, 6 deferred update, 7 update, 9 modal. */
  callbackTypes: number[];
  deferred: boolean;
  ephemeral: boolean;
  /** The reply (or, for components answered with an update, the updated message). */
  original: SimMessage | undefined;
  followUps: SimMessage[];
  /** Data of a type 8 (autocomplete) or 9 (modal) callback. */
  callbackData: unknown;
}

/** What a test holds after starting an interaction: await the bot's answer, then inspect it. */
export class InteractionHandle {
  constructor(
    private readonly ctx: SimContext,
    private readonly record: InteractionRecord,
  ) {}

  get id(): string {
    return this.record.id;
  }

  get token(): string {
    return this.record.token;
  }

  get response(): InteractionResponse {
    const { state } = this.ctx;
    const first = this.record.callbacks[0];
    const original = this.record.originalMessageId ? state.messages.get(this.record.originalMessageId) : undefined;
    const firstFlags = Number((first?.data as { flags?: unknown } | undefined)?.flags ?? 0);
    return {
      callbackTypes: this.record.callbacks.map((c) => c.type),
      deferred:
        first?.type === InteractionResponseType.DeferredChannelMessageWithSource ||
        first?.type === InteractionResponseType.DeferredMessageUpdate,
      ephemeral: ((original?.flags ?? firstFlags) & EPHEMERAL) !== 0,
      original,
      followUps: this.record.followUpIds.flatMap((id) => state.messages.get(id) ?? []),
      callbackData: first?.data,
    };
  }

  /** The first callback (the bot acknowledged the interaction), of any type. */
  acknowledged(options?: WaitOptions): Promise<InteractionCallback> {
    return this.ctx.events.waitUntil(() => this.record.callbacks[0], {
      ...options,
      description: `an acknowledgement of interaction '${this.record.name}'`,
    });
  }

  /** The visible answer: the reply, the edited deferred reply, or the updated component message. */
  reply(options?: WaitOptions): Promise<SimMessage> {
    return this.ctx.events.waitUntil(() => (this.record.answered ? this.response.original : undefined), {
      ...options,
      description: `a reply to interaction '${this.record.name}'`,
    });
  }

  /** The `index`-th follow-up message (0 = first). */
  followUp(index = 0, options?: WaitOptions): Promise<SimMessage> {
    return this.ctx.events.waitUntil(() => this.response.followUps[index], {
      ...options,
      description: `follow-up #${index} to interaction '${this.record.name}'`,
    });
  }
}

export class InteractionRegistry {
  private readonly byId = new Map<string, InteractionRecord>();
  private readonly byToken = new Map<string, InteractionRecord>();

  constructor(private readonly ctx: () => SimContext) {}

  /** Builds and dispatches a type 2 (chat input) INTERACTION_CREATE. */
  runSlashCommand(input: SlashCommandInput): InteractionHandle {
    const ctx = this.ctx();
    const { guild, channel } = this.where(input.guildId, input.channelId, input.userId);
    const command = findCommand(ctx, input.name, guild?.id ?? null);
    checkCommandAccess(command, guild, input.userId);
    const resolved = new Resolved(ctx, guild);
    const leaves = buildLeafOptions(command, input, resolved);
    const options = input.subcommand
      ? [{ type: ApplicationCommandOptionType.Subcommand, name: input.subcommand, options: leaves }]
      : leaves;
    const data = {
      id: command.id,
      name: command.name,
      type: ApplicationCommandType.ChatInput,
      ...(command.guild_id ? { guild_id: command.guild_id } : {}),
      options: input.subcommandGroup
        ? [{ type: ApplicationCommandOptionType.SubcommandGroup, name: input.subcommandGroup, options }]
        : options,
      ...(resolved.isEmpty() ? {} : { resolved: resolved.toJSON() }),
    };
    return this.start(ctx, 'command', command.name, guild, channel, input.userId, null, data, input.locale);
  }

  /** Builds and dispatches a type 3 (message component) INTERACTION_CREATE for a button or select menu. */
  useComponent(input: ComponentInput): InteractionHandle {
    const ctx = this.ctx();
    const message = ctx.state.messages.get(input.messageId);
    if (!message) throw new Error(`DiscordSimulator: no message ${input.messageId}`);
    const component = findComponent(message.components, input.customId);
    if (!component) {
      throw new Error(`DiscordSimulator: message ${message.id} has no component with custom_id '${input.customId}'`);
    }
    if (component.disabled === true) {
      throw new Error(`DiscordSimulator: component '${input.customId}' is disabled; Discord would not let it be used`);
    }
    const isButton = component.type === ComponentType.Button;
    if (!isButton && !input.values) throw new Error(`DiscordSimulator: select menu '${input.customId}' needs values`);
    const { guild, channel } = this.where(message.guildId ?? undefined, message.channelId, input.userId);
    const data = {
      custom_id: input.customId,
      component_type: component.type,
      ...(isButton ? {} : { values: input.values }),
    };
    return this.start(ctx, 'component', input.customId, guild, channel, input.userId, message, data);
  }

  /** `POST /interactions/:id/:token/callback`. */
  callback(id: string, token: string, body: unknown, files: UploadedFile[], withResponse: boolean): unknown {
    const ctx = this.ctx();
    const record = this.byId.get(id);
    if (!record || record.token !== token) throw new ApiError('UnknownInteraction');
    if (record.callbacks.length > 0) throw new ApiError('AlreadyAcknowledged');
    const { type, data = {} } = (body ?? {}) as { type?: unknown; data?: unknown };
    let message: SimMessage | undefined;
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource:
      case InteractionResponseType.DeferredChannelMessageWithSource: {
        const deferred = type === InteractionResponseType.DeferredChannelMessageWithSource;
        const msg = asMessageBody(data);
        const ephemeral = ((msg.flags ?? 0) & EPHEMERAL) !== 0;
        if (!deferred && !msg.content && !msg.embeds?.length && !msg.components?.length && files.length === 0) {
          throw new ApiError('EmptyMessage');
        }
        message = createMessage(ctx, {
          channelId: record.channelId,
          authorId: ctx.botUserId,
          webhookId: ctx.applicationId,
          interaction: { id: record.id, type: this.typeOf(record), name: record.name, userId: record.userId },
          type: record.kind === 'command' ? MessageType.ChatInputCommand : MessageType.Reply,
          replyToId: record.kind === 'component' ? record.sourceMessageId : null,
          flags: (ephemeral ? EPHEMERAL : 0) | (deferred ? MessageFlags.Loading : 0),
          ...(deferred
            ? {}
            : {
                content: msg.content ?? '',
                embeds: msg.embeds ?? [],
                components: msg.components ?? [],
                attachments: resolveAttachments(ctx, record.channelId, msg, files) ?? [],
                allowedMentions: msg.allowed_mentions,
              }),
        });
        record.originalMessageId = message.id;
        record.answered = !deferred;
        break;
      }
      case InteractionResponseType.DeferredMessageUpdate:
      case InteractionResponseType.UpdateMessage: {
        const source = record.sourceMessageId ? ctx.state.messages.get(record.sourceMessageId) : undefined;
        if (!source) throw new ApiError('InvalidForm', 'update callbacks are only valid for component interactions');
        record.originalMessageId = source.id;
        if (type === InteractionResponseType.UpdateMessage) {
          message = editMessage(ctx, source, toEdit(ctx, source, asMessageBody(data), files));
          record.answered = true;
        }
        break;
      }
      case InteractionResponseType.ApplicationCommandAutocompleteResult:
      case InteractionResponseType.Modal:
        break;
      default:
        throw new ApiError('InvalidForm', `unsupported interaction callback type ${String(type)}`);
    }
    const callback: InteractionCallback = { interactionId: record.id, type, data };
    record.callbacks.push(callback);
    ctx.events.emit('interactionCallback', callback);
    if (!withResponse) return undefined;
    return {
      interaction: {
        id: record.id,
        type: this.typeOf(record),
        ...(message
          ? {
              response_message_id: message.id,
              response_message_loading: (message.flags & MessageFlags.Loading) !== 0,
              response_message_ephemeral: (message.flags & EPHEMERAL) !== 0,
            }
          : {}),
      },
      resource: { type, ...(message ? { message: toMessage(ctx.state, message) } : {}) },
    };
  }

  /** The interaction a webhook route's `:appId/:token` refers to. */
  fromWebhook(applicationId: string, token: string): InteractionRecord {
    const record = this.byToken.get(token);
    if (!record || applicationId !== this.ctx().applicationId) throw new ApiError('UnknownWebhook');
    return record;
  }

  /** The message a webhook route addresses: `@original` or a follow-up id. */
  webhookMessage(record: InteractionRecord, messageId: string): SimMessage {
    const id = messageId === '@original' ? record.originalMessageId : messageId;
    const message = id ? this.ctx().state.messages.get(id) : undefined;
    if (!message || (id !== record.originalMessageId && !record.followUpIds.includes(id ?? ''))) {
      throw new ApiError('UnknownMessage');
    }
    return message;
  }

  /** `PATCH /webhooks/:app/:token/messages/:id`: edits and, for `@original` after a deferral, answers. */
  editWebhookMessage(record: InteractionRecord, messageId: string, body: unknown, files: UploadedFile[]): SimMessage {
    const ctx = this.ctx();
    const message = this.webhookMessage(record, messageId);
    const edit = toEdit(ctx, message, asMessageBody(body), files);
    // Marked before the edit: waiters re-check on the change events the edit emits.
    if (message.id === record.originalMessageId) record.answered = true;
    editMessage(ctx, message, { ...edit, flags: message.flags & ~MessageFlags.Loading });
    return message;
  }

  /** `DELETE /webhooks/:app/:token/messages/:id`. */
  deleteWebhookMessage(record: InteractionRecord, messageId: string): void {
    const message = this.webhookMessage(record, messageId);
    deleteMessage(this.ctx(), message);
    if (message.id === record.originalMessageId) record.originalMessageId = null;
    record.followUpIds = record.followUpIds.filter((id) => id !== message.id);
  }

  /**
   * `POST /webhooks/:app/:token`: a follow-up message. Like Discord, the first follow-up after a deferred reply
   * that was never edited replaces the loading message (keeping the deferral's ephemerality) instead of adding one.
   */
  followUp(record: InteractionRecord, body: unknown, files: UploadedFile[]): SimMessage {
    const ctx = this.ctx();
    if (record.callbacks.length === 0) throw new ApiError('UnknownWebhook');
    const msg = asMessageBody(body);
    const loading = record.originalMessageId ? ctx.state.messages.get(record.originalMessageId) : undefined;
    if (loading && !record.answered && (loading.flags & MessageFlags.Loading) !== 0) {
      record.answered = true;
      record.followUpIds.push(loading.id);
      return editMessage(ctx, loading, {
        ...toEdit(ctx, loading, msg, files),
        flags: loading.flags & ~MessageFlags.Loading,
      });
    }
    const message = createMessage(ctx, {
      channelId: record.channelId,
      authorId: ctx.botUserId,
      webhookId: ctx.applicationId,
      interaction: { id: record.id, type: this.typeOf(record), name: record.name, userId: record.userId },
      content: msg.content ?? '',
      embeds: msg.embeds ?? [],
      components: msg.components ?? [],
      attachments: resolveAttachments(ctx, record.channelId, msg, files) ?? [],
      flags: (msg.flags ?? 0) & EPHEMERAL,
      allowedMentions: msg.allowed_mentions,
    });
    record.followUpIds.push(message.id);
    // The message events fired before the id was recorded; tell followUp() waiters to look again.
    ctx.events.emit('change', undefined);
    return message;
  }

  private typeOf(record: InteractionRecord): InteractionType {
    return record.kind === 'command' ? InteractionType.ApplicationCommand : InteractionType.MessageComponent;
  }

  private where(
    guildId: string | undefined,
    channelId: string | undefined,
    userId: string,
  ): { guild: SimGuild | null; channel: SimChannel } {
    const ctx = this.ctx();
    if (!ctx.state.users.has(userId)) throw new Error(`DiscordSimulator: no user ${userId}`);
    if (guildId === undefined) {
      const channel = channelId ? ctx.state.channels.get(channelId) : openDm(ctx, userId);
      if (!channel || channel.type !== ChannelType.DM || channel.recipientId !== userId) {
        throw new Error(`DiscordSimulator: ${String(channelId)} is not ${userId}'s DM channel with the bot`);
      }
      return { guild: null, channel };
    }
    const guild = ctx.state.guilds.get(guildId);
    if (!guild) throw new Error(`DiscordSimulator: no guild ${guildId}`);
    if (!guild.members.has(userId)) throw new Error(`DiscordSimulator: user ${userId} is not a member of ${guildId}`);
    const channel = channelId ? ctx.state.channels.get(channelId) : undefined;
    if (!channel || channel.guildId !== guildId) {
      throw new Error(`DiscordSimulator: channel ${String(channelId)} is not in guild ${guildId}`);
    }
    return { guild, channel };
  }

  private start(
    ctx: SimContext,
    kind: InteractionRecord['kind'],
    name: string,
    guild: SimGuild | null,
    channel: SimChannel,
    userId: string,
    source: SimMessage | null,
    data: unknown,
    locale = 'en-US',
  ): InteractionHandle {
    const id = ctx.state.ids.next();
    const record: InteractionRecord = {
      id,
      token: `interaction-token-${id}`,
      kind,
      name,
      guildId: guild?.id ?? null,
      channelId: channel.id,
      userId,
      sourceMessageId: source?.id ?? null,
      callbacks: [],
      originalMessageId: null,
      followUpIds: [],
      answered: false,
    };
    this.byId.set(id, record);
    this.byToken.set(record.token, record);
    const user = ctx.state.users.get(userId);
    const member = guild?.members.get(userId);
    const botMember = guild?.members.get(ctx.botUserId);
    const payload = {
      id,
      application_id: ctx.applicationId,
      type: kind === 'command' ? InteractionType.ApplicationCommand : InteractionType.MessageComponent,
      token: record.token,
      version: 1,
      data,
      channel_id: channel.id,
      channel: toChannel(ctx.state, channel),
      ...(guild && member
        ? {
            guild_id: guild.id,
            guild: { id: guild.id, locale: 'en-US', features: [] },
            guild_locale: 'en-US',
            member: { ...toMember(ctx.state, member), permissions: memberPermissions(guild, member).toString() },
          }
        : { user: user ? toUser(user) : null }),
      app_permissions: (guild && botMember ? memberPermissions(guild, botMember) : 0n).toString(),
      locale,
      entitlements: [],
      authorizing_integration_owners: guild ? { '0': guild.id } : { '1': userId },
      context: guild ? InteractionContextType.Guild : InteractionContextType.BotDM,
      attachment_size_limit: 10 * 1024 * 1024,
      ...(source ? { message: toMessage(ctx.state, source) } : {}),
    };
    ctx.gateway.dispatch('INTERACTION_CREATE', payload, { intent: 0, guildId: guild?.id ?? null });
    ctx.events.emit('change', undefined);
    return new InteractionHandle(ctx, record);
  }
}

function findCommand(ctx: SimContext, name: string, guildId: string | null): APIApplicationCommand {
  const candidates = [...(guildId ? (ctx.state.commands.guild.get(guildId) ?? []) : []), ...ctx.state.commands.global];
  const command = candidates.find((c) => c.name === name && (c.type ?? ApplicationCommandType.ChatInput) === 1);
  if (!command) {
    throw new Error(
      `DiscordSimulator: /${name} is not registered${guildId ? ` globally or in guild ${guildId}` : ''}; ` +
        'Discord only shows registered commands (register with PUT /applications/:app/commands first)',
    );
  }
  return command;
}

/** Discord hides a command from users without its default_member_permissions, and from DMs it does not allow. */
function checkCommandAccess(command: APIApplicationCommand, guild: SimGuild | null, userId: string): void {
  if (!guild) {
    const contexts = command.contexts ?? null;
    const allowed = contexts ? contexts.includes(InteractionContextType.BotDM) : command.dm_permission !== false;
    if (!allowed) throw new Error(`DiscordSimulator: /${command.name} is not available in DMs`);
    return;
  }
  if (command.default_member_permissions === null || command.default_member_permissions === undefined) return;
  const required = BigInt(command.default_member_permissions);
  const member = guild.members.get(userId);
  const permissions = member ? memberPermissions(guild, member) : 0n;
  // "0" means "administrators only"; owners and administrators always pass (memberPermissions gives them all bits).
  const isAdmin = (permissions & PermissionFlagsBits.Administrator) !== 0n;
  if (!isAdmin && (required === 0n || (permissions & required) !== required)) {
    throw new Error(
      `DiscordSimulator: user ${userId} lacks /${command.name}'s default_member_permissions ` +
        `(${command.default_member_permissions}); Discord would not show them the command`,
    );
  }
}

/** Collects `data.resolved` as options are converted. */
class Resolved {
  private readonly users: Record<string, unknown> = {};
  private readonly members: Record<string, unknown> = {};
  private readonly roles: Record<string, unknown> = {};
  private readonly channels: Record<string, unknown> = {};

  constructor(
    private readonly ctx: SimContext,
    private readonly guild: SimGuild | null,
  ) {}

  user(id: string): boolean {
    const user = this.ctx.state.users.get(id);
    if (!user) return false;
    this.users[id] = toUser(user);
    const member = this.guild?.members.get(id);
    if (this.guild && member) {
      this.members[id] = { ...toPartialMember(member), permissions: memberPermissions(this.guild, member).toString() };
    }
    return true;
  }

  role(id: string): boolean {
    const role = this.guild?.roles.get(id);
    if (!role) return false;
    this.roles[id] = toRole(role);
    return true;
  }

  channel(id: string): boolean {
    const channel = this.ctx.state.channels.get(id);
    if (!channel || (this.guild && channel.guildId !== this.guild.id)) return false;
    const full = toChannel(this.ctx.state, channel) as { thread_metadata?: unknown };
    // Resolved channels are partial: id, name, type, parent and the invoker's permissions (plus thread metadata).
    this.channels[id] = {
      id: channel.id,
      name: channel.name,
      type: channel.type,
      parent_id: channel.parentId,
      permissions: ALL_USER_VISIBLE,
      ...(full.thread_metadata ? { thread_metadata: full.thread_metadata } : {}),
    };
    return true;
  }

  isEmpty(): boolean {
    return [this.users, this.roles, this.channels].every((r) => Object.keys(r).length === 0);
  }

  toJSON(): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const [key, value] of Object.entries({
      users: this.users,
      members: this.members,
      roles: this.roles,
      channels: this.channels,
    })) {
      if (Object.keys(value).length > 0) out[key] = value;
    }
    return out;
  }
}

/** Resolved channels carry the invoker's permissions there; overwrites are not simulated, so: view and send. */
const ALL_USER_VISIBLE = ((1n << 10n) | (1n << 11n)).toString();

function buildLeafOptions(
  command: APIApplicationCommand,
  input: SlashCommandInput,
  resolved: Resolved,
): { type: number; name: string; value: OptionValue }[] {
  let definitions: readonly APIApplicationCommandOption[] = command.options ?? [];
  const path = [`/${command.name}`];
  for (const [name, type] of [
    [input.subcommandGroup, ApplicationCommandOptionType.SubcommandGroup],
    [input.subcommand, ApplicationCommandOptionType.Subcommand],
  ] as const) {
    if (name === undefined) continue;
    const next = definitions.find((o) => o.name === name && o.type === type);
    if (!next || !('options' in next)) {
      throw new Error(`DiscordSimulator: ${path.join(' ')} has no ${ApplicationCommandOptionType[type]} '${name}'`);
    }
    path.push(name);
    definitions = (next.options ?? []) as readonly APIApplicationCommandOption[];
  }
  const where = path.join(' ');
  if (definitions.some((o) => o.type <= ApplicationCommandOptionType.SubcommandGroup)) {
    throw new Error(`DiscordSimulator: ${where} needs a subcommand (and group)`);
  }
  const given = input.options ?? {};
  for (const name of Object.keys(given)) {
    if (!definitions.some((o) => o.name === name))
      throw new Error(`DiscordSimulator: ${where} has no option '${name}'`);
  }
  const leaves: { type: number; name: string; value: OptionValue }[] = [];
  for (const definition of definitions) {
    const value = given[definition.name];
    if (value === undefined) {
      if ('required' in definition && definition.required) {
        throw new Error(`DiscordSimulator: ${where} requires option '${definition.name}'`);
      }
      continue;
    }
    leaves.push({ type: definition.type, name: definition.name, value: convert(definition, value, resolved, where) });
  }
  return leaves;
}

function convert(
  definition: APIApplicationCommandOption,
  value: OptionValue,
  resolved: Resolved,
  where: string,
): OptionValue {
  const bad = (expected: string): Error =>
    new Error(
      `DiscordSimulator: ${where} option '${definition.name}' expects ${expected}, got ${JSON.stringify(value)}`,
    );
  const choices = 'choices' in definition ? definition.choices : undefined;
  if (choices?.length && !choices.some((c) => c.value === value)) throw bad('one of its choices');
  switch (definition.type) {
    case ApplicationCommandOptionType.String:
      if (typeof value !== 'string') throw bad('a string');
      return value;
    case ApplicationCommandOptionType.Integer:
      if (typeof value !== 'number' || !Number.isInteger(value)) throw bad('an integer');
      return value;
    case ApplicationCommandOptionType.Number:
      if (typeof value !== 'number') throw bad('a number');
      return value;
    case ApplicationCommandOptionType.Boolean:
      if (typeof value !== 'boolean') throw bad('a boolean');
      return value;
    case ApplicationCommandOptionType.User:
      if (typeof value !== 'string' || !resolved.user(value)) throw bad('a known user id');
      return value;
    case ApplicationCommandOptionType.Role:
      if (typeof value !== 'string' || !resolved.role(value)) throw bad("a role id of the command's guild");
      return value;
    case ApplicationCommandOptionType.Channel:
      if (typeof value !== 'string' || !resolved.channel(value)) throw bad("a channel id of the command's guild");
      return value;
    case ApplicationCommandOptionType.Mentionable:
      if (typeof value !== 'string' || !(resolved.user(value) || resolved.role(value))) throw bad('a user or role id');
      return value;
    default:
      throw bad(`a supported option type (${ApplicationCommandOptionType[definition.type]} is not simulated)`);
  }
}

interface FoundComponent {
  type: ComponentType;
  disabled?: boolean;
}

/** Depth-first search through rows, containers and section accessories for a component with this custom_id. */
function findComponent(components: readonly unknown[], customId: string): FoundComponent | undefined {
  for (const raw of components) {
    const component = raw as { custom_id?: unknown; components?: unknown[]; accessory?: unknown };
    if (component.custom_id === customId) return raw as FoundComponent;
    const nested = [...(component.components ?? []), ...(component.accessory ? [component.accessory] : [])];
    const found = nested.length > 0 ? findComponent(nested, customId) : undefined;
    if (found) return found;
  }
  return undefined;
}
