/**
 * `npm start`: validates the environment, decides the shards (DESIGN §12.1), opens the database, logs in, and on
 * SIGINT/SIGTERM stops taking work, writes every buffered XP gain and closes the database. A SIGKILL or power loss
 * loses only XP not yet flushed (normally at most one flush interval, 30 s): commits are synchronous=FULL, so a
 * finished flush stays written. With SHARD_PROCESSES > 1 this process is the sharding manager, and forks itself
 * once per shard process.
 */
import { fileURLToPath } from 'node:url';
import { loadEnvWithToken } from './config/env.js';
import { openCore, type XpCore } from './core.js';
import { UnicorniaBot, StartError, BAD_TOKEN_HELP } from './discord/bot.js';
import { systemClock, systemScheduler } from './util/clock.js';
import { createLogger } from './util/logger.js';
import { XpConfigHolder, XpConfigError } from './config/xp-config.js';
import { XpCardService } from './discord/xp-card.js';
import { isDatabaseError } from './storage/database.js';
import { exitAfterFlush } from './util/exit.js';
import { forkedShards, runShardManager } from './discord/shard-manager.js';
import { fetchGatewayFacts } from './discord/gateway-facts.js';
import { needsGatewayFacts, planShards, processShards, ShardPlanError, type ShardPlan, type ShardSettings } from './sharding/plan.js';
import { LocalBroadcast, IpcBroadcast, type Broadcast, type IpcPort } from './sharding/broadcast.js';
import { PgBroadcast } from './sharding/pg-broadcast.js';
import { BotMetrics } from './ops/metrics.js';
import { WebServer } from './web/server.js';
import { pageRoutes } from './web/pages.js';
import { apiRoutes } from './web/api.js';

async function main(): Promise<number> {
  const forked = forkedShards();
  // A forked process takes its shards from the manager's plan; discord.js sets SHARD_COUNT in its environment to
  // the number of processes, which is not ours to validate.
  const env = loadEnvWithToken(forked ? { ...process.env, SHARD_COUNT: undefined, SHARD_IDS: undefined, SHARD_PROCESSES: undefined } : process.env);
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
  const settings: ShardSettings = { count: env.SHARD_COUNT, ids: env.SHARD_IDS, processes: env.SHARD_PROCESSES };
  if (!forked && settings.processes > 1) {
    const planned = await plan(env, settings);
    if (typeof planned === 'number') return planned;
    return runShardManager({ file: fileURLToPath(import.meta.url), token: env.DISCORD_TOKEN, plan: planned.plan, logger, maxConcurrency: planned.maxConcurrency });
  }
  // The database is checked before Discord is asked anything: a bot that cannot write must not log in.
  let core: XpCore;
  try {
    core = await openCore({
      dbPath: env.DATABASE_PATH,
      databaseUrl: env.DATABASE_URL,
      clock: systemClock,
      scheduler: systemScheduler,
      logger,
      engine: { cacheSize: env.XP_CACHE_SIZE },
      flusher: { intervalMs: env.FLUSH_INTERVAL_SECONDS * 1000 },
    });
  } catch (error) {
    if (env.DATABASE_URL) {
      // The URL may hold a password: name the server without it.
      const where = env.DATABASE_URL.replace(/\/\/[^@/]*@/, '//');
      console.error(`Cannot open the PostgreSQL database at ${where}: ${(error as Error).message}.\nCheck DATABASE_URL (server, database, user and password; the user must be allowed to create tables) and start again.`);
      return 1;
    }
    if (!isDatabaseError(error)) {
      console.error(`Could not start: ${(error as Error).message ?? error}`);
      return 1;
    }
    console.error(`Cannot open the database at DATABASE_PATH=${env.DATABASE_PATH}: ${(error as Error).message}.\nPoint DATABASE_PATH at a writable SQLite file (it is created if missing) and start again.`);
    return 1;
  }
  let shards = forked;
  if (!shards) {
    const planned = await plan(env, settings);
    if (typeof planned === 'number') {
      await core.stop();
      return planned;
    }
    shards = processShards(planned.plan, 0);
  }
  // On PostgreSQL the database's own channel reaches every process, on this host or another (and only once: the
  // manager's IPC would repeat it for the processes it forked). Otherwise the manager's IPC, or nobody.
  let broadcast: Broadcast;
  if (core.store.kind === 'postgres' && env.DATABASE_URL) {
    const listening = new PgBroadcast(env.DATABASE_URL, logger);
    try {
      await listening.start();
    } catch (error) {
      listening.close();
      await core.stop();
      console.error(`Cannot listen on the PostgreSQL database for messages from the other bot processes: ${(error as Error).message}.`);
      return 1;
    }
    broadcast = listening;
  } else {
    broadcast = forked ? new IpcBroadcast(process as IpcPort) : new LocalBroadcast();
  }
  const metrics = new BotMetrics();
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
    shards,
    broadcast,
    metrics,
    webPublicUrl: env.WEB_PUBLIC_URL,
  });

  // Before logging in, so `/healthz` answers 503 "gateway not connected" while the bot starts.
  let web: WebServer | null = null;
  if (env.WEB_PORT !== undefined) {
    try {
      web = await WebServer.start(
        {
          metrics,
          health: () => bot.health(),
          logger,
          routes: async (app) => {
            // Period names resolve against the engine's cached rules (calendar, running season) at the wall clock.
            const periods = { rules: (guildId: string) => core.engine.rules(guildId), now: () => systemClock.wallNow() };
            pageRoutes(core.stores.web, { periods })(app);
            await apiRoutes(core.stores.web, { periods })(app);
          },
        },
        { port: env.WEB_PORT, host: env.WEB_HOST, opsPort: env.OPS_PORT, opsHost: env.OPS_HOST, trustProxy: env.WEB_TRUST_PROXY },
      );
    } catch (error) {
      await core.stop();
      console.error(`Cannot start the web server on ${env.WEB_HOST}:${env.WEB_PORT}${env.OPS_PORT ? ` (operations on ${env.OPS_HOST ?? env.WEB_HOST}:${env.OPS_PORT})` : ''}: ${(error as Error).message}.\nChoose a free port in WEB_PORT/OPS_PORT (or unset WEB_PORT to run without it) and start again.`);
      return 1;
    }
  }

  let stopping: Promise<boolean> | null = null;
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down: saving XP');
    // The web server stops first (requests under way finish), so no page reads a database that is closing.
    stopping ??= (web?.close() ?? Promise.resolve()).then(() => bot.stop());
    void stopping.then((saved) => exitAfterFlush(saved ? 0 : 1));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));

  try {
    await bot.start();
  } catch (error) {
    // A stop asked for while the start was still finishing (registering commands, say) closes what the start was
    // using; that failure is the stop's doing, and the stop decides the exit code once XP is saved.
    if (stopping) return -1;
    await web?.close();
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

/** The shard plan (asking Discord when the settings leave the count open), or the exit code after saying why not. */
async function plan(env: { DISCORD_TOKEN: string; DISCORD_API_URL?: string }, settings: ShardSettings): Promise<{ plan: ShardPlan; maxConcurrency: number } | number> {
  try {
    const facts = needsGatewayFacts(settings) || settings.processes > 1 ? await fetchGatewayFacts(env.DISCORD_TOKEN, env.DISCORD_API_URL || undefined) : null;
    return { plan: planShards(settings, facts), maxConcurrency: facts?.maxConcurrency ?? 1 };
  } catch (error) {
    const text = String((error as Error)?.message ?? error);
    if (error instanceof ShardPlanError) console.error(error.message);
    else if (/401|unauthorized/i.test(text)) console.error(BAD_TOKEN_HELP);
    else console.error(`Could not ask Discord how many shards to run (GET /gateway/bot): ${text}`);
    return 1;
  }
}

const code = await main();
if (code >= 0) await exitAfterFlush(code);
