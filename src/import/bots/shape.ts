/**
 * The common shape every other bot's export is parsed into (DESIGN §8.2). A parser is a pure function from the
 * file's text to this shape; it validates the file with zod, normalises ids to BigInt, and turns a row it cannot
 * use into `{ skip: reason }`. The import (bot-import.ts) then filters by guild, converts levels, and writes.
 */
import type { z } from 'zod';
import type {
  ExclusionImport,
  GuildSettingsImport,
  MultiplierImport,
  RoleRewardImport,
} from '../../storage/import-writes.js';
import type { Skip } from '../runner.js';
import type { NotImported } from '../summary.js';

export const BOT_SOURCES = ['mee6', 'polaris', 'levelup', 'lurkr', 'amari', 'csv'] as const;
export type BotSourceName = (typeof BOT_SOURCES)[number];

/** One member of one server as the other bot counted them. */
export interface BotMember {
  guildId: bigint;
  userId: bigint;
  /** The bot's XP, a whole number ≥ 0. */
  xp: number;
  /** The bot's level; null when the file has none (CSV without a level column). */
  level: number | null;
  /** How far into `level` the member is, 0 ≤ f < 1; null when the bot's curve is unknown (taken as 0). */
  fraction: number | null;
}

export interface BotExport {
  members: (BotMember | Skip)[];
  settings: (GuildSettingsImport | Skip)[];
  exclusions: (ExclusionImport | Skip)[];
  multipliers: (MultiplierImport | Skip)[];
  roleRewards: (RoleRewardImport | Skip)[];
  notImported: NotImported[];
  notes: string[];
  /** Whether the file gives levels at all (CSV may not): `--keep level` needs them. */
  hasLevels: boolean;
}

/** One file of the input: a single export, or one page of a folder of pages. */
export interface InputFile {
  name: string;
  /** The file after the source's `schema` accepted it (its output type). */
  value: unknown;
}

export interface ParseContext {
  /** `--guild`: the server of exports that do not name theirs (Polaris, Amari). */
  guildId: bigint | null;
}

export interface BotParser {
  add(file: InputFile): void;
  finish(): BotExport;
}

export interface BotSource {
  name: BotSourceName;
  /** How the owner knows the bot, e.g. "MEE6". */
  label: string;
  /** What the input is, for messages: "a MEE6 leaderboard page (JSON)". */
  describes: string;
  /** The files a folder is read for. */
  extension: 'json' | 'csv';
  /** A cheap look at a parsed file: does it have this bot's shape? Used to refuse a file of another bot by name. */
  looksLike(value: unknown): boolean;
  /** The zod schema a file must match (JSON, or the text of a CSV); its issues name the field that does not. */
  schema: z.ZodType;
  /**
   * A parser for one import: files already accepted by `schema` are added one at a time (so a folder of pages is
   * never all in memory at once), then `finish` gives the common shape. Pure: no I/O.
   */
  parser(ctx: ParseContext): BotParser;
}

export function emptyExport(): BotExport {
  return { members: [], settings: [], exclusions: [], multipliers: [], roleRewards: [], notImported: [], notes: [], hasLevels: true };
}

/** Adds a not-imported line, or raises the count of an existing one. */
export function addNotImported(out: BotExport, what: string, rows: number, reason: string): void {
  if (rows <= 0) return;
  const hit = out.notImported.find((d) => d.what === what);
  if (hit) hit.rows += rows;
  else out.notImported.push({ what, rows, reason });
}
