/**
 * `npm run register`: registers the slash commands now (the bot also does it at start when they changed).
 * With DEV_GUILD_ID set, in that server only (instant); otherwise globally.
 */
import { REST, Routes, type APIApplication } from 'discord.js';
import { loadEnvWithToken } from '../config/env.js';
import { CommandRegistry } from './commands/registry.js';
import { allCommands } from './commands/index.js';
import { exitAfterFlush } from '../util/exit.js';

async function main(): Promise<number> {
  const env = loadEnvWithToken();
  if (!env) return 1;
  const rest = new REST(env.DISCORD_API_URL ? { api: env.DISCORD_API_URL } : {}).setToken(env.DISCORD_TOKEN);
  const body = new CommandRegistry(allCommands).slashJson();
  try {
    const app = (await rest.get(Routes.currentApplication())) as APIApplication;
    const route = env.DEV_GUILD_ID ? Routes.applicationGuildCommands(app.id, env.DEV_GUILD_ID) : Routes.applicationCommands(app.id);
    await rest.put(route, { body });
  } catch (error) {
    console.error(`Registration failed: ${(error as Error).message}`);
    return 1;
  }
  console.log(`Registered ${body.length} slash commands ${env.DEV_GUILD_ID ? `in server ${env.DEV_GUILD_ID}` : 'globally (they can take up to an hour to appear)'}.`);
  return 0;
}

await exitAfterFlush(await main());
