/**
 * Building a CommandContext from a slash interaction or a prefix message. Everything discord.js-specific about
 * replying, deferring, editing and looking up members stays here.
 */
import { ChannelType, MessageFlags, PermissionFlagsBits, type ChatInputCommandInteraction, type Guild, type GuildBasedChannel, type Message, type Role, type User, type GuildMember, type APIRole, type APIInteractionDataResolvedChannel, type APIInteractionDataResolvedGuildMember } from 'discord.js';
import type { AppContext } from '../app.js';
import type { AnyCommand, CommandContext, ReplyPayload, ResolvedChannel, ResolvedRole, ResolvedUser } from './commands/types.js';
import { checkValue, parseScalar, shown, SLASH, usage, type PrefixResolver } from './commands/registry.js';
import { UserError } from './commands/errors.js';
import { toMessageOptions } from './payload.js';
import { roleIssue } from './role-check.js';
import { channelProblem } from './channel-check.js';
import { isPromise, type Awaitable } from '../engine/ports.js';

export function resolvedUser(user: User, member?: GuildMember | APIInteractionDataResolvedGuildMember | null): ResolvedUser {
  const full = member && 'displayName' in member ? member : null;
  const nick = full ? full.displayName : (member as APIInteractionDataResolvedGuildMember | null | undefined)?.nick;
  const avatarUrl = (full ?? user).displayAvatarURL({ extension: 'png', size: 128 });
  return { id: user.id, username: user.username, displayName: nick ?? user.globalName ?? user.username, bot: user.bot, avatarUrl };
}

function channelKind(type: ChannelType): ResolvedChannel['kind'] {
  switch (type) {
    case ChannelType.GuildText:
    case ChannelType.GuildAnnouncement:
    case ChannelType.GuildForum:
      return 'text';
    case ChannelType.GuildVoice:
    case ChannelType.GuildStageVoice:
      return 'voice';
    case ChannelType.GuildCategory:
      return 'category';
    case ChannelType.PublicThread:
    case ChannelType.PrivateThread:
    case ChannelType.AnnouncementThread:
      return 'thread';
    default:
      return 'other';
  }
}

function resolvedChannel(c: GuildBasedChannel | APIInteractionDataResolvedChannel | { id: string; name: string | null; type: ChannelType }): ResolvedChannel {
  return { id: c.id, name: c.name ?? c.id, kind: channelKind(c.type) };
}

function resolvedRole(r: Role | APIRole): ResolvedRole {
  return { id: r.id, name: r.name };
}

function baseContext(app: AppContext, guild: Guild | null, channelId: string, author: User, member: GuildMember | null, prefix: string) {
  const user = resolvedUser(author, member);
  return {
    app,
    guildId: guild?.id ?? null,
    guildName: guild?.name ?? null,
    channelId,
    user,
    roleIds: member ? [...member.roles.cache.keys()] : [],
    canManageGuild: canManageGuild(member),
    prefix,
    async roleProblem(roleId: string) {
      return guild ? roleIssue(guild, roleId) : null;
    },
    async channelProblem(channelId: string) {
      return guild ? channelProblem(guild, channelId) : null;
    },
    roleName(roleId: string) {
      return guild?.roles.cache.get(roleId)?.name ?? 'deleted role';
    },
    findChannel: (token: string) => findChannel(guild, token),
    findRole: (token: string) => findRole(guild, token),
    async member(userId: string) {
      if (!guild) return null;
      const m = await guild.members.fetch(userId).catch(() => null);
      return m ? { user: resolvedUser(m.user, m), roleIds: [...m.roles.cache.keys()] } : null;
    },
    async dm(payload: ReplyPayload) {
      try {
        await author.send(toMessageOptions(payload));
        return true;
      } catch (error) {
        // 50007: the member does not accept DMs from the bot. Anything else is ours to look at.
        if ((error as { code?: unknown }).code !== 50007) app.logger.warn({ err: error }, 'could not send a direct message');
        return false;
      }
    },
  };
}

/** The prefix where a message was sent: the server's own, or the default; a promise while its rules are read. */
export function guildPrefix(app: AppContext, guildId: string | null): Awaitable<string> {
  if (!guildId) return app.defaultPrefix;
  const rules = app.core.engine.rules(guildId);
  return isPromise(rules) ? rules.then((r) => r.settings.prefix || app.defaultPrefix) : rules.settings.prefix || app.defaultPrefix;
}

// ── slash ─────────────────────────────────────────────────────────────────────────────────────────────────

/** Discord drops an interaction not answered within 3 s: a command still working after this long defers. */
export const AUTO_DEFER_MS = 1500;

export function slashContext(app: AppContext, i: ChatInputCommandInteraction): CommandContext {
  const member = i.inCachedGuild() ? i.member : null;
  let deferring: Promise<unknown> | null = null;
  const defer = () => (deferring ??= i.deferReply().catch((error: unknown) => app.logger.warn({ err: error }, 'could not defer a reply')));
  const autoDefer = setTimeout(() => void defer(), AUTO_DEFER_MS).unref();
  const ctx: CommandContext = {
    ...baseContext(app, i.guild, i.channelId, i.user, member, SLASH),
    source: 'slash',
    async defer() {
      if (!i.replied) await defer();
    },
    async reply(p) {
      clearTimeout(autoDefer);
      await deferring;
      const options = toMessageOptions(p);
      if (i.deferred || i.replied) {
        const m = await i.editReply(options);
        return m.id;
      }
      const r = await i.reply({ ...options, flags: p.ephemeral ? MessageFlags.Ephemeral : undefined, withResponse: true });
      return r.resource?.message?.id ?? (await i.fetchReply()).id;
    },
    async edit(p) {
      await i.editReply(toMessageOptions(p));
    },
  };
  return ctx;
}

/** Reads the slash options of a command into its typed arguments (checked again: Discord's checks are not trusted). */
export function slashArgs(command: AnyCommand, i: ChatInputCommandInteraction, prefix: string): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  const use = usage(command, prefix);
  for (const o of command.options) {
    const opt = i.options.get(o.name);
    if (!opt || opt.value === undefined) {
      if (o.required) throw new UserError('missing_argument', `Missing \`${o.name}\`.`, use);
      continue;
    }
    switch (o.type) {
      case 'user':
        args[o.name] = resolvedUser(opt.user!, opt.member as GuildMember | APIInteractionDataResolvedGuildMember | null);
        break;
      case 'role':
        args[o.name] = resolvedRole(opt.role!);
        break;
      case 'channel':
        args[o.name] = resolvedChannel(opt.channel as GuildBasedChannel);
        break;
      default:
        args[o.name] = o.orDefault ? parseScalar(o, String(opt.value), use) : checkValue(o, opt.value, use);
    }
  }
  return args;
}

export function canManageGuild(member: GuildMember | null): boolean {
  return member?.permissions.has(PermissionFlagsBits.ManageGuild) ?? false;
}

// ── prefix ────────────────────────────────────────────────────────────────────────────────────────────────

/** `words`: the words that named the command (its path or an alias). */
export function prefixContext(app: AppContext, message: Message, prefix: string, words: readonly string[]): CommandContext {
  let sent: Message | null = null;
  const ctx: CommandContext = {
    ...baseContext(app, message.guild, message.channelId, message.author, message.member, prefix),
    source: 'prefix',
    invokedAs: words.join(' ').toLowerCase(),
    async defer() {
      if (message.channel.isSendable()) await message.channel.sendTyping().catch(() => {});
    },
    async reply(p) {
      sent = await message.reply(toMessageOptions(p));
      return sent.id;
    },
    async edit(p) {
      if (sent) await sent.edit(toMessageOptions(p));
    },
  };
  return ctx;
}

const MENTION = /^<(@!?|@&|#)(\d{15,21})>$/;

/** Resolves prefix arguments: mentions, ids, then exact (case-insensitive) names. */
export function prefixResolver(guild: Guild | null, client: { users: { fetch(id: string): Promise<User> } }): PrefixResolver {
  return {
    async user(token) {
      const id = mentionedId(token, ['@', '@!']);
      if (guild) {
        const name = token.replace(/^@/, '').toLowerCase();
        const member = id
          ? await guild.members.fetch(id).catch(() => null)
          : only(guild.members.cache.filter((m) => [m.user.username, m.displayName].some((n) => n.toLowerCase() === name)), token, 'members');
        if (member) return resolvedUser(member.user, member);
      }
      if (!id) return null;
      const user = await client.users.fetch(id).catch(() => null);
      return user ? resolvedUser(user) : null;
    },
    role: async (token) => findRole(guild, token),
    channel: async (token) => findChannel(guild, token),
  };
}

/** A mention, an id or an id-like token of one of `kinds` of mention: its id; null for anything else. */
function mentionedId(token: string, kinds: string[]): string | null {
  const m = MENTION.exec(token);
  if (m) return kinds.includes(m[1]!) ? m[2]! : null;
  return /^\d{15,21}$/.test(token) ? token : null;
}

/**
 * A role of the server by mention, id or exact name (case-insensitive, `@` in front or not). `@everyone` is the
 * role Discord names so, as a slash role option gives it: each command then says what it means there.
 */
function findRole(guild: Guild | null, token: string): ResolvedRole | null {
  if (!guild) return null;
  const id = mentionedId(token, ['@&']);
  const names = new Set([token.toLowerCase(), token.replace(/^@/, '').toLowerCase()]);
  const role = id ? guild.roles.cache.get(id) : only(guild.roles.cache.filter((r) => names.has(r.name.toLowerCase())), token, 'roles');
  return role ? resolvedRole(role) : null;
}

/** A channel (or category) of the server by mention, id or exact name (case-insensitive). */
function findChannel(guild: Guild | null, token: string): ResolvedChannel | null {
  if (!guild) return null;
  const id = mentionedId(token, ['#']);
  const name = token.replace(/^#/, '').toLowerCase();
  const channel = id ? guild.channels.cache.get(id) : only(guild.channels.cache.filter((c) => c.name.toLowerCase() === name), token, 'channels');
  return channel ? resolvedChannel(channel) : null;
}

/** The one match of a name; several are refused rather than guessed (an XP change must not hit the wrong member). */
function only<T>(matches: ReadonlyMap<string, T>, token: string, what: string): T | null {
  if (matches.size > 1) throw new UserError('bad_argument', `\`${shown(token)}\` matches ${matches.size} ${what}; mention the one you mean, or use its id.`);
  return matches.values().next().value ?? null;
}
