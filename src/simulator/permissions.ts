/**
 * Discord's guild-level permission rules, for the checks the bot's permission reporting depends on. Channel
 * overwrites are not modelled: the simulator has none, so the guild-level answer is the whole answer.
 */
import { PermissionFlagsBits } from 'discord.js';
import { ApiError } from './errors.js';
import { compareRoles, type SimGuild, type SimMember, type SimRole, type SimState } from './state.js';

/** Every permission bit Discord defines: what owners and administrators effectively have. */
const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

/** The member's permissions from @everyone and their roles; owner and Administrator get everything. */
export function memberPermissions(guild: SimGuild, member: SimMember): bigint {
  if (guild.ownerId === member.userId) return ALL_PERMISSIONS;
  let bits = guild.roles.get(guild.id)?.permissions ?? 0n;
  for (const id of member.roles) bits |= guild.roles.get(id)?.permissions ?? 0n;
  return (bits & PermissionFlagsBits.Administrator) !== 0n ? ALL_PERMISSIONS : bits;
}

export function hasPermission(guild: SimGuild, member: SimMember, bits: bigint): boolean {
  return (memberPermissions(guild, member) & bits) === bits;
}

/**
 * Throws 50013 unless `actor` may add or remove `role`: Manage Roles (or Administrator), the role below the actor's
 * highest role (the owner is above everything), and not managed. @everyone cannot be assigned either.
 */
export function assertCanManageRole(state: SimState, guild: SimGuild, actor: SimMember, role: SimRole): void {
  if (role.managed || role.id === guild.id) throw new ApiError('MissingPermissions', `role ${role.id} is managed`);
  if (!hasPermission(guild, actor, PermissionFlagsBits.ManageRoles)) {
    throw new ApiError('MissingPermissions', 'the bot lacks Manage Roles');
  }
  if (guild.ownerId === actor.userId) return;
  const top = state.highestRole(guild, actor.roles);
  if (!top || compareRoles(top, role) <= 0) {
    throw new ApiError('MissingPermissions', `role ${role.id} is not below the bot's highest role`);
  }
}
