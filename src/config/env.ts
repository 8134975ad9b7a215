/**
 * The process configuration, from environment variables, validated once at start with zod.
 * Every problem is reported with the variable's name and how to fix it; nothing starts on a bad value.
 */
import { z } from 'zod';
import { isSnowflake } from '../storage/ids.js';
import { privateDatabaseReason } from '../storage/database.js';
import { parseShardIds } from '../sharding/plan.js';

/** A value repeated in a message: short, on one line. A variable can hold megabytes. */
const quoted = (s: string, max = 40) => JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);

const snowflakeList = z
  .string()
  .default('')
  .transform((s, ctx) => {
    const ids = s.split(/[\s,]+/).filter(Boolean);
    for (const id of ids) {
      if (!isSnowflake(id)) ctx.addIssue({ code: 'custom', message: `${quoted(id)} is not a Discord user id (a number like 123456789012345678)` });
    }
    return ids;
  });

/**
 * Every number from the environment has a documented range (README, "Environment"): a value past it is refused,
 * not clamped. Unbounded, FLUSH_INTERVAL_SECONDS=3000000 overflowed the timer (Node fires it every millisecond) and
 * XP_CACHE_SIZE=1e9 ran out of memory. Only plain digits are accepted: "1e3" or "30.5" is a typo, not a number.
 */
export const ENV_RANGES = {
  FLUSH_INTERVAL_SECONDS: { fallback: 30, min: 1, max: 3600, unit: 'seconds' },
  XP_CACHE_SIZE: { fallback: 5000, min: 100, max: 10_000_000, unit: 'entries' },
  SHARD_PROCESSES: { fallback: 1, min: 1, max: 64, unit: 'processes' },
  WEB_TRUST_PROXY: { fallback: 0, min: 0, max: 10, unit: 'proxies' },
} as const;

/** The largest `SHARD_COUNT`: far above any bot's need (a shard holds up to 2 500 servers). */
export const MAX_SHARD_COUNT = 10_000;

const boundedInt = ({ fallback, min, max, unit }: { fallback: number; min: number; max: number; unit: string }) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s.trim() === '') return fallback;
      const n = /^\s*\d+\s*$/.test(s) ? Number(s) : NaN;
      if (!(n >= min && n <= max)) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')} (${unit}), got ${quoted(s)}` });
      }
      return n;
    });

/** A TCP port, or undefined when the variable is unset or empty (the server it configures stays off). */
const optionalPort = z
  .string()
  .optional()
  .transform((s, ctx) => {
    if (s === undefined || s.trim() === '') return undefined;
    const n = /^\s*\d+\s*$/.test(s) ? Number(s) : NaN;
    if (!(n >= 1 && n <= 65535)) ctx.addIssue({ code: 'custom', message: `must be a port from 1 to 65535, got ${quoted(s)}` });
    return n;
  });

/** An address to listen on: an IPv4 or IPv6 literal, or a host name such as localhost. */
const listenHost = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      const host = s?.trim() || fallback;
      if (!/^[\w.:-]+$/.test(host) || host.length > 253) ctx.addIssue({ code: 'custom', message: `must be an address to listen on such as 127.0.0.1, 0.0.0.0 or ::1, got ${quoted(host)}` });
      return host;
    });

export const envSchema = z.object({
  DISCORD_TOKEN: z.string().optional().transform((s) => (s?.trim() ? s.trim() : undefined)),
  DATABASE_PATH: z
    .string()
    .default('data/unicornia.db')
    .superRefine((s, ctx) => {
      const reason = privateDatabaseReason(s);
      if (reason) ctx.addIssue({ code: 'custom', message: `${reason}. Point it at a file such as data/unicornia.db` });
    }),
  /** postgres://user:password@host:port/database puts every table on PostgreSQL (DESIGN §7.1); unset: the SQLite file. */
  DATABASE_URL: z
    .string()
    .optional()
    .superRefine((s, ctx) => {
      if (s === undefined || s.trim() === '') return;
      if (!/^postgres(ql)?:\/\/[^\s]+$/i.test(s.trim())) ctx.addIssue({ code: 'custom', message: 'must be a postgres:// URL such as postgres://unicornia:secret@127.0.0.1:5432/unicornia (leave it unset for the SQLite file)' });
    })
    .transform((s) => (s?.trim() ? s.trim() : undefined)),
  XP_CONFIG_PATH: z.string().default('xp_config.yml'),
  BOT_PREFIX: z.string().min(1, 'must not be empty').max(10, 'must be at most 10 characters').default('!'),
  OWNER_IDS: snowflakeList,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: (i) => `must be one of fatal, error, warn, info, debug, trace, silent; got ${quoted(String(i.input))}` }).default('info'),
  DISCORD_API_URL: z
    .string()
    .optional()
    .superRefine((s, ctx) => {
      if (s === undefined || s === '') return;
      if (!/^https?:\/\/[^\s]+$/.test(s)) ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL such as http://127.0.0.1:8080/api' });
      // discord.js adds the version itself: ".../api/v10" would request ".../api/v10/v10/..." and get a bare 404.
      else if (/\/v\d+\/*$/i.test(s)) ctx.addIssue({ code: 'custom', message: `must end in /api, without the version (discord.js adds /v10 itself): ${s.replace(/\/v\d+\/*$/i, '')}` });
    })
    .transform((s) => s?.replace(/\/+$/, '')),
  FLUSH_INTERVAL_SECONDS: boundedInt(ENV_RANGES.FLUSH_INTERVAL_SECONDS),
  XP_CACHE_SIZE: boundedInt(ENV_RANGES.XP_CACHE_SIZE),
  /** The web server (leaderboard pages, API, health, metrics): off unless set (DESIGN §14). */
  WEB_PORT: optionalPort,
  WEB_HOST: listenHost('127.0.0.1'),
  /** The address members reach the pages at, for links in replies (e.g. https://levels.example.com). */
  WEB_PUBLIC_URL: z
    .string()
    .optional()
    .transform((s) => s?.trim().replace(/\/+$/, '') || undefined)
    .refine((s) => s === undefined || /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(s), 'must be an http(s) address such as https://levels.example.com'),
  /** Reverse proxies in front of the web server whose X-Forwarded-For is believed (the client address for rate limits). */
  WEB_TRUST_PROXY: boundedInt(ENV_RANGES.WEB_TRUST_PROXY),
  /** `/healthz` and `/metrics` on a port of their own instead of WEB_PORT. */
  OPS_PORT: optionalPort,
  /** Default WEB_HOST. */
  OPS_HOST: z
    .string()
    .optional()
    .transform((s) => s?.trim() || undefined)
    .refine((s) => s === undefined || (/^[\w.:-]+$/.test(s) && s.length <= 253), 'must be an address to listen on such as 127.0.0.1, 0.0.0.0 or ::1'),
  /** Register slash commands in this guild only (instant) instead of globally. */
  DEV_GUILD_ID: z.string().optional().refine((s) => s === undefined || s === '' || isSnowflake(s), 'must be a guild id'),
  /** Shards the bot is split into: a number, `auto` (Discord's recommendation) or unset (DESIGN §12.1). */
  SHARD_COUNT: z
    .string()
    .optional()
    .transform((s, ctx): number | 'auto' | null => {
      const t = s?.trim() ?? '';
      if (t === '') return null;
      if (t.toLowerCase() === 'auto') return 'auto';
      const n = /^\d+$/.test(t) ? Number(t) : NaN;
      if (!(n >= 1 && n <= MAX_SHARD_COUNT)) ctx.addIssue({ code: 'custom', message: `must be auto or a whole number from 1 to ${MAX_SHARD_COUNT.toLocaleString('en-US')}, got ${quoted(t)}` });
      return n;
    }),
  /** The shards this host runs, e.g. `0-3` or `4,5,6,7`; unset: every shard. */
  SHARD_IDS: z
    .string()
    .optional()
    .transform((s, ctx): number[] | null => {
      if (s === undefined || s.trim() === '') return null;
      const r = parseShardIds(s);
      if ('error' in r) {
        ctx.addIssue({ code: 'custom', message: `must list shard ids like 0,1,2 or 4-7: ${r.error}` });
        return null;
      }
      return r.ids;
    }),
  SHARD_PROCESSES: boundedInt(ENV_RANGES.SHARD_PROCESSES),
}).superRefine((env, ctx) => {
  // Hosts split the shards between them: a count each host would learn on its own (auto) could differ between
  // hosts, and two hosts would then serve overlapping guilds.
  if (env.SHARD_IDS && typeof env.SHARD_COUNT !== 'number') {
    ctx.addIssue({ code: 'custom', path: ['SHARD_IDS'], message: 'needs a fixed SHARD_COUNT (a number, the same on every host)' });
  } else if (env.SHARD_IDS && typeof env.SHARD_COUNT === 'number' && env.SHARD_IDS.some((id) => id >= (env.SHARD_COUNT as number))) {
    ctx.addIssue({ code: 'custom', path: ['SHARD_IDS'], message: `must be shard ids from 0 to ${env.SHARD_COUNT - 1} (SHARD_COUNT=${env.SHARD_COUNT})` });
  }
});

export type EnvConfig = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Problems listed per variable at start; the rest are counted. One variable can hold thousands of bad ids, and a
 * list that long buried the other variables' problems (and was cut at 64 KiB on a pipe).
 */
export const MAX_PROBLEMS_PER_VARIABLE = 3;

export function loadEnv(env: NodeJS.ProcessEnv = process.env): EnvConfig {
  const parsed = envSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const byVariable = new Map<string, typeof issues>();
  for (const i of issues) byVariable.set(i.path.join('.'), [...(byVariable.get(i.path.join('.')) ?? []), i]);
  const lines = [...byVariable].flatMap(([name, list]) => [
    ...list.slice(0, MAX_PROBLEMS_PER_VARIABLE).map((i) => `  ${name}: ${i.message}`),
    ...(list.length > MAX_PROBLEMS_PER_VARIABLE ? [`  ${name}: … and ${list.length - MAX_PROBLEMS_PER_VARIABLE} more like these`] : []),
  ]);
  throw new ConfigError(`The environment has ${issues.length === 1 ? 'a wrong value' : 'wrong values'}:\n${lines.join('\n')}`);
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
