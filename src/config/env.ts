/**
 * The process configuration, from environment variables, validated once at start with zod.
 * Every problem is reported with the variable's name and how to fix it; nothing starts on a bad value.
 */
import { z } from 'zod';
import { isSnowflake } from '../storage/ids.js';

const snowflakeList = z
  .string()
  .default('')
  .transform((s, ctx) => {
    const ids = s.split(/[\s,]+/).filter(Boolean);
    for (const id of ids) {
      if (!isSnowflake(id)) ctx.addIssue({ code: 'custom', message: `"${id}" is not a Discord user id (a number like 123456789012345678)` });
    }
    return ids;
  });

const positiveInt = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s === '') return fallback;
      const n = Number(s);
      if (!Number.isInteger(n) || n <= 0) ctx.addIssue({ code: 'custom', message: `must be a whole number above 0, got "${s}"` });
      return n;
    });

export const envSchema = z.object({
  DISCORD_TOKEN: z.string().optional().transform((s) => (s?.trim() ? s.trim() : undefined)),
  DATABASE_PATH: z.string().default('data/unicornia.db'),
  XP_CONFIG_PATH: z.string().default('xp_config.yml'),
  BOT_PREFIX: z.string().min(1, 'must not be empty').max(10, 'must be at most 10 characters').default('!'),
  OWNER_IDS: snowflakeList,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: (i) => `must be one of fatal, error, warn, info, debug, trace, silent; got "${String(i.input)}"` }).default('info'),
  DISCORD_API_URL: z
    .string()
    .optional()
    .refine((s) => s === undefined || s === '' || /^https?:\/\/[^\s]+$/.test(s), 'must be an http(s) URL such as http://127.0.0.1:8080/api'),
  FLUSH_INTERVAL_SECONDS: positiveInt(30),
  XP_CACHE_SIZE: positiveInt(5000),
  /** Register slash commands in this guild only (instant) instead of globally. */
  DEV_GUILD_ID: z.string().optional().refine((s) => s === undefined || s === '' || isSnowflake(s), 'must be a guild id'),
});

export type EnvConfig = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadEnv(env: NodeJS.ProcessEnv = process.env): EnvConfig {
  const parsed = envSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new ConfigError(`The environment has ${lines.length === 1 ? 'a wrong value' : 'wrong values'}:\n${lines.join('\n')}`);
}

export const NO_TOKEN_HELP = `No DISCORD_TOKEN is set, so the bot cannot log in.

  1. Create an application and a bot at https://discord.com/developers/applications
  2. Under "Bot", turn on the SERVER MEMBERS and MESSAGE CONTENT privileged intents
  3. Start it with:  DISCORD_TOKEN=<your bot token> npm start
     (optional: DATABASE_PATH, BOT_PREFIX, OWNER_IDS, LOG_LEVEL — see README.md)

To see the bot work offline, with no token and no network:  npm run demo`;

/**
 * The environment for a command that logs in (`npm start`, `npm run register`): prints what is wrong or missing
 * and returns null, so the caller exits 1 without a stack trace.
 */
export function loadEnvWithToken(env: NodeJS.ProcessEnv = process.env): (EnvConfig & { DISCORD_TOKEN: string }) | null {
  let config: EnvConfig;
  try {
    config = loadEnv(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return null;
  }
  if (!config.DISCORD_TOKEN) {
    console.error(NO_TOKEN_HELP);
    return null;
  }
  return config as EnvConfig & { DISCORD_TOKEN: string };
}
