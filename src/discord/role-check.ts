/** Why the bot cannot give or take a role (DESIGN §2.4: reported to admins, never silently skipped). */
import { PermissionFlagsBits, type Guild } from 'discord.js';

export interface RoleIssue {
  reason: string;
  /**
   * true: no admin action makes it work (the role is gone, managed, or @everyone), so queued changes for it are
   * dropped. false: an admin can fix it (permission, hierarchy), so they wait (DESIGN §2.7).
   */
  permanent: boolean;
}

export function roleIssue(guild: Guild, roleId: string): RoleIssue | null {
  const role = guild.roles.cache.get(roleId);
  if (!role) return { reason: 'the role no longer exists', permanent: true };
  if (role.id === guild.id) return { reason: 'everyone has @everyone; it cannot be given or taken', permanent: true };
  if (role.managed) return { reason: 'the role is managed by an integration (a bot or boost role), so nobody can assign it', permanent: true };
  const me = guild.members.me;
  if (!me) return { reason: 'I am not in this server', permanent: false };
  if (!me.permissions.has(PermissionFlagsBits.ManageRoles)) return { reason: 'I lack the Manage Roles permission', permanent: false };
  if (role.position >= me.roles.highest.position) {
    return { reason: `it is not below my highest role (${me.roles.highest.name}); drag my role above it in Server Settings → Roles`, permanent: false };
  }
  return null;
}

export function roleProblem(guild: Guild, roleId: string): string | null {
  return roleIssue(guild, roleId)?.reason ?? null;
}
