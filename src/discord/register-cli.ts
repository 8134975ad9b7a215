/**
 * `npm run register`: registers the slash commands now (the bot also does it at start when they changed).
 * With DEV_GUILD_ID set, in that server only (instant); otherwise globally. Like the bot, it removes the commands an
 * earlier run left in a dev server that is no longer configured (remembered in the database at DATABASE_PATH).
 */
import { REST, Routes, type APIApplication, type APIApplicationCommand } from 'discord.js';
import { loadEnvWithToken } from '../config/env.js';
import { CommandRegistry } from './commands/registry.js';
import { allCommands } from './commands/index.js';
import { exitAfterFlush } from '../util/exit.js';
import { openDatabase } from '../storage/database.js';
import { BotStateStore } from '../storage/bot-state.js';
import { syncCommands, type CommandApi } from './command-sync.js';
import { createLogger } from '../util/logger.js';

async function main(): Promise<number> {
  const env = loadEnvWithToken();
  if (!env) return 1;
  const rest = new REST(env.DISCORD_API_URL ? { api: env.DISCORD_API_URL } : {}).setToken(env.DISCORD_TOKEN);
  const body = new CommandRegistry(allCommands).slashJson();
  let db;
  try {
    db = openDatabase(env.DATABASE_PATH);
  } catch (error) {
    console.error(`Cannot open the database at DATABASE_PATH=${env.DATABASE_PATH}: ${(error as Error).message}.`);
    return 1;
  }
  const state = new BotStateStore(db);
  let cleared: string | null;
  try {
    const app = (await rest.get(Routes.currentApplication())) as APIApplication;
    const route = (guildId: string | undefined) => (guildId ? Routes.applicationGuildCommands(app.id, guildId) : Routes.applicationCommands(app.id));
    const api: CommandApi = {
      fetch: async () => [], // unused: a registration by hand always writes
      set: (commands, guildId) => rest.put(route(guildId), { body: commands }) as Promise<APIApplicationCommand[]>,
    };
    const stateApi = { get: async (k: string) => state.get(k), set: async (k: string, v: string | null) => state.set(k, v) };
    ({ cleared } = await syncCommands(api, stateApi, body, env.DEV_GUILD_ID || undefined, createLogger('silent'), { force: true }));
  } catch (error) {
    console.error(`Registration failed: ${(error as Error).message}`);
    return 1;
  } finally {
    db.close();
  }
  if (cleared) console.log(`Removed the slash commands left in server ${cleared} (DEV_GUILD_ID is no longer set to it).`);
  console.log(`Registered ${body.length} slash commands ${env.DEV_GUILD_ID ? `in server ${env.DEV_GUILD_ID}` : 'globally (they can take up to an hour to appear)'}.`);
  return 0;
}

await exitAfterFlush(await main());
