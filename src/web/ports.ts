/**
 * What the web layer reads (DESIGN §14): plain rows, snowflakes as strings. Both stores implement it (SQLite
 * answers at once, PostgreSQL with promises; callers await), so pages and the API never see SQL or discord.js.
 */
import type { LevelCurve } from '../levels/curve.js';
import type { Awaitable } from '../engine/ports.js';
import type { PeriodRules } from '../engine/period-names.js';

export interface WebGuildInfo {
  guildId: string;
  /** Whether an admin turned the page on (`web public on`). */
  isPublic: boolean;
  slug: string | null;
  name: string;
  iconUrl: string | null;
  curve: LevelCurve;
}

/** A member as the board shows them. `hidden`: they chose `level privacy hide` (no name, no avatar). */
export interface BoardMember {
  rank: number;
  userId: string;
  /** The XP the board ranks: all-time, or earned in the period. */
  xp: number;
  /** All-time XP (the member's level); the same as `xp` on the all-time board. */
  totalXp: number;
  /** Null when the bot never saw the member's name (imported XP), or when hidden. */
  name: string | null;
  avatarUrl: string | null;
  hidden: boolean;
}

export interface RewardRole {
  level: number;
  roleId: string;
  /** Null when the role is unknown to the bot (deleted, or not seen yet). */
  name: string | null;
  /** 0xRRGGBB; 0 is Discord's "no colour". */
  color: number;
  /** The role is taken away at this level (not given). */
  remove: boolean;
}

export interface WebReads {
  /**
   * A server by id or slug. By id there is always an answer (a server without a web row is private, named ''); by
   * slug, null when no server has it. Callers decide what a private one shows.
   */
  guild(key: string): Awaitable<WebGuildInfo | null>;
  /**
   * Members who have not left, in the one leaderboard order (XP descending, then id). `period`: a stored period id
   * (DESIGN §15.2) for that period's board, with the XP earned in it; null or absent: the all-time board.
   */
  memberCount(guildId: string, period?: number | null): Awaitable<number>;
  board(guildId: string, offset: number, limit: number, period?: number | null): Awaitable<BoardMember[]>;
  /** One member with their rank; null when they have no XP row (in the period) or left. */
  member(guildId: string, userId: string, period?: number | null): Awaitable<BoardMember | null>;
  /** Members whose name contains `text` (case and accents folded), best first; hidden members are never found. */
  search(guildId: string, text: string, limit: number, period?: number | null): Awaitable<BoardMember[]>;
  rewardRoles(guildId: string): Awaitable<RewardRole[]>;
  /** The server an API key belongs to (by the key's SHA-256), or null. */
  apiKeyGuild(keyHash: string): Awaitable<string | null>;
}

/**
 * A server's calendar and running season (`GuildRules` has both) and the wall clock, so pages and the API name the
 * same stored periods as `level leaderboard <period>` (DESIGN §15.2). Absent: only the all-time board is offered.
 */
export interface WebPeriods {
  rules(guildId: string): Awaitable<PeriodRules>;
  /** Wall-clock ms. */
  now(): number;
}
