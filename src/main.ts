/**
 * `npm start`: validates the environment, opens the database, logs in, and on SIGINT/SIGTERM stops taking work,
 * writes every buffered XP gain and closes the database. A SIGKILL or power loss loses only XP not yet flushed
 * (normally at most one flush interval, 30 s): commits are synchronous=FULL, so a finished flush stays written.
 */
import { loadEnvWithToken } from './config/env.js';
import { createCore, type XpCore } from './core.js';
import { UnicorniaBot, StartError } from './discord/bot.js';
import { systemClock, systemScheduler } from './util/clock.js';
import { createLogger } from './util/logger.js';
import { XpConfigHolder, XpConfigError } from './config/xp-config.js';
import { XpCardService } from './discord/xp-card.js';
import { isDatabaseError } from './storage/database.js';
import { exitAfterFlush } from './util/exit.js';

async function main(): Promise<number> {
  const env = loadEnvWithToken();
  if (!env) return 1;
  let config: XpConfigHolder;
  try {
    config = await XpConfigHolder.load(env.XP_CONFIG_PATH);
  } catch (error) {
    if (error instanceof XpConfigError) {
      console.error(`${error.message}\nFix ${env.XP_CONFIG_PATH} (or point XP_CONFIG_PATH at another file) and start again.`);
      return 1;
    }
    throw error;
  }
  const logger = createLogger(env.LOG_LEVEL);
  let core: XpCore;
  try {
    core = createCore({
      dbPath: env.DATABASE_PATH,
      clock: systemClock,
      scheduler: systemScheduler,
      logger,
      engine: { cacheSize: env.XP_CACHE_SIZE },
      flusher: { intervalMs: env.FLUSH_INTERVAL_SECONDS * 1000 },
    });
  } catch (error) {
    if (!isDatabaseError(error)) {
      console.error(`Could not start: ${(error as Error).message ?? error}`);
      return 1;
    }
    console.error(`Cannot open the database at DATABASE_PATH=${env.DATABASE_PATH}: ${(error as Error).message}.\nPoint DATABASE_PATH at a writable SQLite file (it is created if missing) and start again.`);
    return 1;
  }
  const bot = new UnicorniaBot({
    token: env.DISCORD_TOKEN,
    core,
    clock: systemClock,
    scheduler: systemScheduler,
    logger,
    apiUrl: env.DISCORD_API_URL || undefined,
    defaultPrefix: env.BOT_PREFIX,
    ownerIds: env.OWNER_IDS,
    devGuildId: env.DEV_GUILD_ID || undefined,
    config,
    cards: XpCardService.create(logger),
  });

  let stopping: Promise<boolean> | null = null;
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down: saving XP');
    stopping ??= bot.stop();
    void stopping.then((saved) => exitAfterFlush(saved ? 0 : 1));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));

  try {
    await bot.start();
  } catch (error) {
    await core.stop();
    if (error instanceof StartError) {
      console.error(error.message);
      return 1;
    }
    logger.error({ err: error }, 'could not start');
    console.error(`Could not start: ${(error as Error).message ?? error}`);
    return 1;
  }
  return -1; // keep running
}

const code = await main();
if (code >= 0) await exitAfterFlush(code);
