/** Identity and gateway discovery: what discord.js asks before it connects, plus users. */
import type { SimContext } from '../context.js';
import { ApiError } from '../errors.js';
import { applicationFlags, type PrivilegedIntents } from '../gateway.js';
import { json, type Route } from '../server.js';
import { toUser } from '../serialize.js';
import type { SimUser } from '../state.js';
import { INSTALL_TYPES } from './commands.js';

export function appRoutes(ctx: SimContext, gatewayUrl: () => string, privileged: PrivilegedIntents): Route[] {
  const gatewayInfo = (): unknown => ({
    url: gatewayUrl(),
    shards: 1,
    // Generous limits: the identify throttler reads max_concurrency, and tests log in many times.
    session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
  });
  return [
    { method: 'GET', path: '/gateway/bot', auth: true, handle: () => json(gatewayInfo()) },
    { method: 'GET', path: '/gateway', auth: false, handle: () => json({ url: gatewayUrl() }) },
    {
      method: 'GET',
      path: '/users/@me',
      auth: true,
      handle: () => json({ ...toUser(mustUser(ctx, ctx.botUserId)), verified: true, mfa_enabled: false }),
    },
    {
      method: 'GET',
      path: '/users/:userId',
      auth: true,
      handle: ({ params }) => json(toUser(mustUser(ctx, params.userId))),
    },
    {
      method: 'GET',
      path: '/applications/@me',
      auth: true,
      handle: () => {
        const bot = mustUser(ctx, ctx.botUserId);
        return json({
          id: ctx.applicationId,
          name: bot.username,
          icon: null,
          description: '',
          summary: '',
          type: null,
          bot: toUser(bot),
          bot_public: true,
          bot_require_code_grant: false,
          verify_key: '0'.repeat(64),
          owner: toUser(mustUser(ctx, ctx.ownerUserId)),
          team: null,
          flags: applicationFlags(privileged),
          approximate_guild_count: [...ctx.state.guilds.values()].filter((g) => g.members.has(ctx.botUserId)).length,
          install_params: { scopes: ['bot', 'applications.commands'], permissions: '0' },
          integration_types_config: Object.fromEntries(INSTALL_TYPES.map((t) => [String(t), {}])),
          redirect_uris: [],
          interactions_endpoint_url: null,
          tags: [],
        });
      },
    },
  ];
}

function mustUser(ctx: SimContext, id: string | undefined): SimUser {
  const user = id ? ctx.state.users.get(id) : undefined;
  if (!user) throw new ApiError('UnknownUser');
  return user;
}
