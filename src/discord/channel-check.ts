/**
 * Why the bot cannot post in a channel (DESIGN §3: what an admin can fix, such as a missing permission, is saved
 * and flagged at setup time, not found out when an announcement silently fails).
 */
import { PermissionFlagsBits, type Guild } from 'discord.js';

export function channelProblem(guild: Guild, channelId: string): string | null {
  const channel = guild.channels.cache.get(channelId);
  if (!channel) return 'the channel no longer exists';
  const me = guild.members.me;
  if (!me) return 'I am not in this server';
  const send = channel.isThread() ? PermissionFlagsBits.SendMessagesInThreads : PermissionFlagsBits.SendMessages;
  const missing = me.permissionsIn(channel).missing([PermissionFlagsBits.ViewChannel, send]);
  // 'SendMessages' → 'Send Messages', as Discord's settings name it.
  return missing.length ? `I lack the ${missing.map((p) => p.replace(/([a-z])([A-Z])/g, '$1 $2')).join(' and ')} permission there` : null;
}
