/** Finding records for REST routes, failing with the Discord error a missing id gets. */
import type { SimContext } from '../context.js';
import { ApiError } from '../errors.js';
import type { SimChannel, SimGuild, SimMember, SimMessage, SimRole } from '../state.js';

export function requireGuild(ctx: SimContext, id: string | undefined): SimGuild {
  const guild = id ? ctx.state.guilds.get(id) : undefined;
  // The bot sees only guilds it is in; Discord answers 10004 for the others too.
  if (!guild || !guild.members.has(ctx.botUserId)) throw new ApiError('UnknownGuild');
  return guild;
}

export function requireChannel(ctx: SimContext, id: string | undefined): SimChannel {
  const channel = id ? ctx.state.channels.get(id) : undefined;
  if (!channel) throw new ApiError('UnknownChannel');
  if (channel.guildId !== null && !ctx.state.guilds.get(channel.guildId)?.members.has(ctx.botUserId)) {
    throw new ApiError('MissingAccess');
  }
  return channel;
}

export function requireMember(guild: SimGuild, userId: string | undefined): SimMember {
  const member = userId ? guild.members.get(userId) : undefined;
  if (!member) throw new ApiError('UnknownMember');
  return member;
}

export function requireRole(guild: SimGuild, roleId: string | undefined): SimRole {
  const role = roleId ? guild.roles.get(roleId) : undefined;
  if (!role) throw new ApiError('UnknownRole');
  return role;
}

export function requireMessage(ctx: SimContext, channel: SimChannel, messageId: string | undefined): SimMessage {
  const message = messageId ? ctx.state.messages.get(messageId) : undefined;
  if (!message || message.channelId !== channel.id) throw new ApiError('UnknownMessage');
  return message;
}

/** The bot's own member in a guild (it exists: requireGuild checked). */
export function botMember(ctx: SimContext, guild: SimGuild): SimMember {
  return requireMember(guild, ctx.botUserId);
}
