/**
 * What Discord says about the bot before it logs in (DESIGN §12.1): the recommended shard count and session-start
 * budget (`GET /gateway/bot`) and the number of servers (`GET /applications/@me`).
 */
import { REST, Routes, type APIGatewayBotInfo, type APIApplication } from 'discord.js';
import type { GatewayFacts } from '../sharding/plan.js';

export async function fetchGatewayFacts(token: string, apiUrl?: string): Promise<GatewayFacts> {
  const rest = new REST(apiUrl ? { api: apiUrl } : {}).setToken(token);
  const [gateway, app] = (await Promise.all([rest.get(Routes.gatewayBot()), rest.get(Routes.currentApplication())])) as [APIGatewayBotInfo, APIApplication];
  return {
    recommendedShards: gateway.shards,
    guilds: app.approximate_guild_count ?? 0,
    maxConcurrency: gateway.session_start_limit.max_concurrency,
  };
}
