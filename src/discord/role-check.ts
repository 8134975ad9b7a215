/** Why the bot cannot give or take a role (DESIGN §2.4: reported to admins, never silently skipped). */
import { PermissionFlagsBits, type Guild } from 'discord.js';

export function roleProblem(guild: Guild, roleId: string): string | null {
  const role = guild.roles.cache.get(roleId);
  if (!role) return 'the role no longer exists';
  if (role.id === guild.id) return 'everyone has @everyone; it cannot be given or taken';
  if (role.managed) return 'the role is managed by an integration (a bot or boost role), so nobody can assign it';
  const me = guild.members.me;
  if (!me) return 'I am not in this server';
  if (!me.permissions.has(PermissionFlagsBits.ManageRoles)) return 'I lack the Manage Roles permission';
  if (role.position >= me.roles.highest.position) {
    return `it is not below my highest role (${me.roles.highest.name}); drag my role above it in Server Settings → Roles`;
  }
  return null;
}
