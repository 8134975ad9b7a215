/** Guilds, members and roles, with Discord's permission and hierarchy rules on every role change. */
import { PermissionFlagsBits } from 'discord.js';
import type { SimContext } from '../context.js';
import { ApiError } from '../errors.js';
import { updateMember } from '../mutations.js';
import { assertCanManageRole, hasPermission } from '../permissions.js';
import { json, type Route } from '../server.js';
import { toChannel, toGuildCreate, toMember, toRole } from '../serialize.js';
import type { SimGuild, SimMember } from '../state.js';
import { botMember, requireGuild, requireMember, requireRole } from './lookup.js';

/** Fields GUILD_CREATE carries that `GET /guilds/:id` does not. */
const GATEWAY_ONLY = [
  'joined_at',
  'large',
  'unavailable',
  'member_count',
  'members',
  'voice_states',
  'channels',
  'threads',
  'presences',
  'stage_instances',
  'guild_scheduled_events',
  'soundboard_sounds',
] as const;

export function guildRoutes(ctx: SimContext): Route[] {
  /** Role changes one edit makes must each pass the checks; roles kept as they were are not checked. */
  const changeRoles = (guild: SimGuild, member: SimMember, roles: string[]): void => {
    const actor = botMember(ctx, guild);
    const next = new Set(roles);
    const before = new Set(member.roles);
    for (const id of next) if (!before.has(id)) assertCanManageRole(ctx.state, guild, actor, requireRole(guild, id));
    for (const id of before) if (!next.has(id)) assertCanManageRole(ctx.state, guild, actor, requireRole(guild, id));
  };

  return [
    {
      method: 'GET',
      path: '/guilds/:guildId',
      auth: true,
      handle: ({ params, query }) => {
        const guild = requireGuild(ctx, params.guildId);
        const full: Record<string, unknown> = { ...toGuildCreate(ctx.state, guild, ctx.botUserId, false) };
        for (const key of GATEWAY_ONLY) delete full[key];
        if (query.get('with_counts') === 'true') {
          full.approximate_member_count = guild.members.size;
          full.approximate_presence_count = 0;
        }
        return json(full);
      },
    },
    {
      method: 'GET',
      path: '/guilds/:guildId/channels',
      auth: true,
      handle: ({ params }) => {
        const guild = requireGuild(ctx, params.guildId);
        const channels = guild.channelIds.flatMap((id) => ctx.state.channels.get(id) ?? []);
        return json(channels.map((c) => toChannel(ctx.state, c)));
      },
    },
    {
      method: 'GET',
      path: '/guilds/:guildId/roles',
      auth: true,
      handle: ({ params }) => json([...requireGuild(ctx, params.guildId).roles.values()].map(toRole)),
    },
    {
      method: 'GET',
      path: '/guilds/:guildId/members',
      auth: true,
      handle: ({ params, query }) => {
        const guild = requireGuild(ctx, params.guildId);
        // Listing members is what the GUILD_MEMBERS privileged intent gates on REST.
        if (!ctx.guildMembersIntentEnabled) throw new ApiError('MissingAccess', 'GUILD_MEMBERS intent is not enabled');
        const limit = Math.min(1000, Math.max(1, Number(query.get('limit') ?? 1)));
        const after = BigInt(query.get('after') ?? '0');
        const members = [...guild.members.values()]
          .filter((m) => BigInt(m.userId) > after)
          .sort((a, b) => (BigInt(a.userId) < BigInt(b.userId) ? -1 : 1))
          .slice(0, limit);
        return json(members.map((m) => toMember(ctx.state, m)));
      },
    },
    {
      method: 'GET',
      path: '/guilds/:guildId/members/search',
      auth: true,
      handle: ({ params, query }) => {
        const guild = requireGuild(ctx, params.guildId);
        const prefix = (query.get('query') ?? '').toLowerCase();
        const limit = Math.min(1000, Math.max(1, Number(query.get('limit') ?? 1)));
        const found = [...guild.members.values()].filter((m) => {
          const user = ctx.state.users.get(m.userId);
          return [user?.username, user?.globalName, m.nick].some((n) => n?.toLowerCase().startsWith(prefix));
        });
        return json(found.slice(0, limit).map((m) => toMember(ctx.state, m)));
      },
    },
    {
      method: 'GET',
      path: '/guilds/:guildId/members/:userId',
      auth: true,
      handle: ({ params }) => {
        const guild = requireGuild(ctx, params.guildId);
        const userId = params.userId === '@me' ? ctx.botUserId : params.userId;
        return json(toMember(ctx.state, requireMember(guild, userId)));
      },
    },
    {
      method: 'PATCH',
      path: '/guilds/:guildId/members/:userId',
      auth: true,
      handle: ({ params, body }) => {
        const guild = requireGuild(ctx, params.guildId);
        const self = params.userId === '@me';
        const member = requireMember(guild, self ? ctx.botUserId : params.userId);
        const change = (body ?? {}) as { roles?: unknown; nick?: unknown };
        if (
          change.roles !== undefined &&
          (!Array.isArray(change.roles) || change.roles.some((r) => typeof r !== 'string'))
        ) {
          throw new ApiError('InvalidForm', 'roles must be an array of role ids');
        }
        if (change.nick !== undefined && change.nick !== null && typeof change.nick !== 'string') {
          throw new ApiError('InvalidForm', 'nick must be a string or null');
        }
        const roles = change.roles as string[] | undefined;
        if (roles) changeRoles(guild, member, roles);
        if (change.nick !== undefined) {
          const needed = self ? PermissionFlagsBits.ChangeNickname : PermissionFlagsBits.ManageNicknames;
          if (!hasPermission(guild, botMember(ctx, guild), needed) || (!self && member.userId === guild.ownerId)) {
            throw new ApiError('MissingPermissions', 'cannot change this nickname');
          }
        }
        updateMember(ctx, guild, member, {
          ...(roles ? { roles } : {}),
          ...(change.nick !== undefined ? { nick: (change.nick as string | null) || null } : {}),
        });
        return json(toMember(ctx.state, member));
      },
    },
    {
      method: 'PUT',
      path: '/guilds/:guildId/members/:userId/roles/:roleId',
      auth: true,
      handle: ({ params }) => {
        const guild = requireGuild(ctx, params.guildId);
        const member = requireMember(guild, params.userId);
        const role = requireRole(guild, params.roleId);
        assertCanManageRole(ctx.state, guild, botMember(ctx, guild), role);
        if (!member.roles.includes(role.id)) updateMember(ctx, guild, member, { roles: [...member.roles, role.id] });
        return undefined;
      },
    },
    {
      method: 'DELETE',
      path: '/guilds/:guildId/members/:userId/roles/:roleId',
      auth: true,
      handle: ({ params }) => {
        const guild = requireGuild(ctx, params.guildId);
        const member = requireMember(guild, params.userId);
        const role = requireRole(guild, params.roleId);
        assertCanManageRole(ctx.state, guild, botMember(ctx, guild), role);
        if (member.roles.includes(role.id)) {
          updateMember(ctx, guild, member, { roles: member.roles.filter((id) => id !== role.id) });
        }
        return undefined;
      },
    },
  ];
}
