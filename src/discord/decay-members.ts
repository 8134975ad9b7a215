/** Decay's exempt members (DESIGN §15.4): who holds one of some roles, from the gateway, as plain ids for the job. */
import type { Client } from 'discord.js';

/**
 * The members of a guild holding any of `roleIds`; null when this process does not serve the guild. A server larger
 * than the cached member list is fetched whole first (as `rewards sync` does), so no exempt member is missed.
 */
export async function membersWithRoles(client: Client, guildId: string, roleIds: readonly string[]): Promise<ReadonlySet<string> | null> {
  const guild = client.guilds.cache.get(guildId);
  if (!guild) return null;
  const members = guild.members.cache.size >= guild.memberCount ? guild.members.cache : await guild.members.fetch().catch(() => null);
  if (!members) return null;
  const out = new Set<string>();
  for (const m of members.values()) if (roleIds.some((r) => m.roles.cache.has(r))) out.add(m.id);
  return out;
}
