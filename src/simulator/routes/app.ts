/** Identity and gateway discovery: what discord.js asks before it connects, plus users. */
import type { SimContext } from '../context.js';
import { ApiError } from '../errors.js';
import { applicationFlags, type PrivilegedIntents, type ShardLimits } from '../gateway.js';
import { json, type Route } from '../server.js';
import { toUser } from '../serialize.js';
import type { SimUser } from '../state.js';
import { INSTALL_TYPES } from './commands.js';

/** Discord's daily budget of IDENTIFYs (`session_start_limit.total`) and the window it resets after. */
const SESSION_STARTS_PER_DAY = 1000;
const DAY_MS = 86_400_000;

export function appRoutes(ctx: SimContext, gatewayUrl: () => string, privileged: PrivilegedIntents, limits: ShardLimits): Route[] {
  const botGuilds = (): number => [...ctx.state.guilds.values()].filter((g) => g.members.has(ctx.botUserId)).length;
  const startedAt = ctx.state.now();
  const gatewayInfo = (): unknown => ({
    url: gatewayUrl(),
    // Discord recommends one shard per ~1 000 guilds (never 0); a session of more than 2 500 is refused with 4011.
    shards: Math.max(1, Math.ceil(botGuilds() / limits.recommendedGuildsPerShard)),
    session_start_limit: {
      total: SESSION_STARTS_PER_DAY,
      remaining: Math.max(0, SESSION_STARTS_PER_DAY - ctx.gateway.identifies),
      reset_after: Math.max(0, DAY_MS - (ctx.state.now() - startedAt)),
      max_concurrency: limits.maxConcurrency,
    },
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
          approximate_guild_count: botGuilds(),
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
