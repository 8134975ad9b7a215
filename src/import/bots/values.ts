/**
 * Pieces every bot parser uses: the zod types of ids and counts as bots write them, member rows with their skip
 * reasons, level fractions, and the translation of reward roles and multipliers into Unicornia's rows.
 */
import { z } from 'zod';
import { MILLI_ONE } from '../../engine/multiplier.js';
import { toSnowflake } from '../../storage/ids.js';
import type { ExclusionImport, MultiplierImport, RoleRewardImport } from '../../storage/import-writes.js';
import type { Skip } from '../runner.js';
import type { BotMember } from './shape.js';

/** Ids come as strings, or as numbers (big ones quoted by parseJson). */
export const Id = z.union([z.string(), z.number()]);
/** Counts come as numbers, or as numeric strings (some APIs quote them). */
export const Count = z.union([z.number(), z.string().regex(/^\s*-?\d+(\.\d+)?\s*$/).transform(Number)]);

/** The highest level a member may bring: far above any bot's real levels, and its XP stays exact. */
export const MAX_LEVEL = 100_000;
/** Unicornia's multiplier limit (the multiplier commands'). */
export const MAX_MULTIPLIER = 10;

export const SKIPS = {
  user: 'user id is not a valid snowflake',
  guild: 'guild id is not a valid snowflake',
  role: 'role id is not a valid snowflake',
  channel: 'channel id is not a valid snowflake',
  xp: 'XP is not a number of 0 or more',
  level: `level is not a whole number from 0 to ${MAX_LEVEL.toLocaleString('en-US')}`,
} as const;

/** A member row, or why it cannot be one. XP is rounded down to a whole number (some bots count fractions). */
export function member(guildId: bigint, userId: unknown, xp: number, level: number | null, fraction: number | null): BotMember | Skip {
  const u = toSnowflake(userId);
  if (u === null) return { skip: SKIPS.user };
  if (!Number.isFinite(xp) || xp < 0 || xp > Number.MAX_SAFE_INTEGER) return { skip: SKIPS.xp };
  if (level !== null && (!Number.isInteger(level) || level < 0 || level > MAX_LEVEL)) return { skip: SKIPS.level };
  return { guildId, userId: u, xp: Math.floor(xp), level, fraction };
}

/** How far `xp` is between a level's start and the next level's start, as 0 ≤ f < 1. */
export function fractionBetween(xp: number, start: number, next: number): number {
  if (!(next > start)) return 0;
  const f = (xp - start) / (next - start);
  return f <= 0 ? 0 : f >= 1 ? 0.999999 : f;
}

/**
 * Reward roles. `keep: false` means the bot took the role away once the member reached the next reward level
 * (Polaris' default, LevelUp's `autoremove`): that becomes a Unicornia "remove" reward at that next level.
 */
export function roleRewardRows(guildId: bigint, rewards: { level: number; roleId: unknown; keep: boolean }[]): (RoleRewardImport | Skip)[] {
  const out: (RoleRewardImport | Skip)[] = [];
  const levels = [...new Set(rewards.map((r) => r.level).filter((l) => Number.isInteger(l) && l >= 1))].sort((a, b) => a - b);
  for (const r of rewards) {
    const role = toSnowflake(r.roleId);
    if (role === null) out.push({ skip: SKIPS.role });
    else if (!Number.isInteger(r.level) || r.level < 1) out.push({ skip: 'reward level below 1' });
    else {
      out.push({ guildId, level: r.level, roleId: role, remove: false });
      const next = levels.find((l) => l > r.level);
      if (!r.keep && next !== undefined) out.push({ guildId, level: next, roleId: role, remove: true });
    }
  }
  return out;
}

/**
 * Multipliers, in Unicornia's thousandths (rounded to the nearest: Unicornia stores three decimals). 0 means no XP
 * there (an exclusion); above Unicornia's limit or exactly 1 is skipped with why.
 */
export function multiplierRows(
  guildId: bigint,
  type: 'channel' | 'role',
  items: { id: unknown; value: number }[],
): { multipliers: (MultiplierImport | Skip)[]; exclusions: ExclusionImport[] } {
  const multipliers: (MultiplierImport | Skip)[] = [];
  const exclusions: ExclusionImport[] = [];
  for (const item of items) {
    const id = toSnowflake(item.id);
    if (id === null) multipliers.push({ skip: type === 'role' ? SKIPS.role : SKIPS.channel });
    else if (!(item.value >= 0)) multipliers.push({ skip: 'multiplier is not a number of 0 or more' });
    else if (item.value === 0) exclusions.push({ guildId, type, itemId: id });
    else if (toMilli(item.value) === MILLI_ONE) multipliers.push({ skip: 'a multiplier of 1 changes nothing' });
    else if (item.value > MAX_MULTIPLIER) multipliers.push({ skip: `multiplier above Unicornia's limit of ${MAX_MULTIPLIER}` });
    else multipliers.push({ guildId, type, itemId: id, milli: toMilli(item.value) });
  }
  return { multipliers, exclusions };
}

/** A bot's multiplier or rate in Unicornia's thousandths, rounded to the nearest (Unicornia keeps three decimals). */
export function toMilli(value: number): number {
  return Math.round(value * MILLI_ONE);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A zod failure as "where: what", for the owner: `players[3].xp: Invalid input: expected number, received string`. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'the file does not have the expected shape';
  const where = issue.path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    '',
  );
  return `${where || 'the top level'}: ${issue.message}`;
}
