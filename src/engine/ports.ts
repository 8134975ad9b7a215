/**
 * The engine's boundaries. Storage implements `XpReads` (synchronous reads on the main thread) and `XpWrites`
 * (asynchronous writes, possibly in a worker with its own connection); the Discord layer implements
 * `LevelUpEffects`. The engine imports nothing else from outside `src/engine` and `src/levels`.
 */
import type { GuildRules, RewardMode, RoleReward } from './settings.js';
import type { RoleChanges } from './rewards.js';
import type { HistoryRow } from './history.js';

export type { RoleChanges };

export interface XpGainRow {
  guildId: string;
  userId: string;
  /** XP to add (negative for admin removals). */
  xp: number;
  /** Part of `xp` given by admins, added to the audit column `AwardedXp`. */
  awarded: number;
  /** The last UTC day of the batch on which the member earned XP (message, voice, event bonus); kept as the latest seen. */
  earnedDay?: number;
}

export interface VoiceMinutesRow {
  guildId: string;
  userId: string;
  /** Days since the Unix epoch (UTC). */
  day: number;
  minutes: number;
}

export interface FlushBatch {
  /** Increasing number of this flush; stored in the same transaction as the rows. */
  seq: number;
  rows: XpGainRow[];
  voice: VoiceMinutesRow[];
  /**
   * The newest erasure the engine had applied when it took the batch (DESIGN §13): the writer drops the rows of
   * newer ones. Absent (tools, tests): every erasure still recorded applies.
   */
  erasureSeen?: number;
  /** The same gains per (guild, member, UTC day, source); per member they sum to its row's `xp` (DESIGN §15.1). */
  history?: HistoryRow[];
  /** Running period totals to add (DESIGN §15.2). Absent (tools, tests): none. */
  periods?: PeriodRow[];
}

export interface PeriodRow {
  guildId: string;
  userId: string;
  /** Period id (src/engine/calendar.ts). */
  period: number;
  xp: number;
}

export interface StoredXp {
  xp: number;
  /** Sequence number of the last flush committed in the snapshot `xp` was read from. */
  flushSeq: number;
}

/** An erasure (DESIGN §13): a member everywhere (guildId null), a member in one server, or a server (userId null). */
export interface Erasure {
  /** Increasing id, in commit order. */
  id: number;
  guildId: string | null;
  userId: string | null;
}

/** A value, or a promise of it: SQLite answers at once, PostgreSQL later (DESIGN §7.1). */
export type Awaitable<T> = T | Promise<T>;

export function isPromise<T>(value: Awaitable<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * Reads on a cache miss. A synchronous store answers at once and the event runs to its end without a pause; an
 * asynchronous one answers later, and the engine queues that member's (or guild's) events meanwhile (DESIGN §2.1).
 */
export interface XpReads {
  loadGuildRules(guildId: string): Awaitable<GuildRules>;
  /** The stored XP and the flush marker, read in one snapshot. */
  storedXp(guildId: string, userId: string): Awaitable<StoredXp>;
  /** Voice minutes stored for a day (the daily cap survives restarts), with the flush marker of the same snapshot. */
  voiceMinutes(guildId: string, userId: string, day: number): Awaitable<{ minutes: number; flushSeq: number }>;
  /** The last committed flush sequence number (the engine continues numbering from it). */
  lastFlushSeq(): Awaitable<number>;
  /** Erasures committed after the one with id `afterId`, oldest first. */
  erasuresSince(afterId: number): Awaitable<Erasure[]>;
  /** The id of the newest erasure (0 when none). */
  lastErasureId(): Awaitable<number>;
}

export interface PaidReward {
  level: number;
  amount: number;
}

/** Why a role change was queued: a level change, a rejoin restoring reward roles, or a role sync. */
export type RoleChangeCause = 'level' | 'rejoin' | 'sync' | 'season';

export interface LevelUp {
  oldLevel: number;
  newLevel: number;
  /** The guild's role rewards, sorted by level (the engine's cached copy). */
  roleRewards: readonly RoleReward[];
  /** The guild's reward mode for rewards without their own (DESIGN §2.4.1). Default 'stack'. */
  rewardMode?: RewardMode;
  /** Wall-clock ms: when the queued role changes fall due. */
  at: number;
  /**
   * The newest erasure the engine had applied when it computed the level-up (DESIGN §13): an erasure newer than it
   * that covers the member makes the writer record nothing. Absent (tools, tests): every erasure still recorded applies.
   */
  erasureSeen?: number;
}

export interface LevelUpRecord {
  /** The rewarded-level mark before this level-up: levels above it up to newLevel were just paid. */
  previousMark: number;
  paid: PaidReward[];
  /** The role changes queued with it (DESIGN §2.7). */
  roles: RoleChanges;
  /** An erasure newer than the level-up's `erasureSeen` covers the member: nothing was written, nothing is announced. */
  erased?: true;
}

export interface XpWrites {
  /** Writes the batch in one transaction. What it resolves with is the storage side's (board generations). */
  flush(batch: FlushBatch): Promise<unknown>;
  /**
   * Records a level-up in one transaction: pays the currency rewards of every level above the member's
   * rewarded-level mark up to `newLevel`, moves the mark there, and queues the reward roles of the levels from
   * min(oldLevel, mark) up to newLevel (levels missed before are caught up). Each (guild, user, level) is paid
   * once; nothing is paid when newLevel ≤ mark. Nothing at all is written when the member was erased after the
   * engine's view (`erasureSeen`).
   */
  recordLevelUp(guildId: string, userId: string, levelUp: LevelUp): Promise<LevelUpRecord>;
  /** Queues role changes (a level down, a rejoin) in one transaction; each replaces an older one for its role. */
  queueRoleChanges(guildId: string, userId: string, roles: RoleChanges, cause: RoleChangeCause, at: number): Promise<number>;
}

/**
 * What a level change asks the Discord layer to do. State is already saved when this is called, the role changes
 * included: they are in the role-change queue, which the Discord layer applies until Discord confirms them.
 */
export interface LevelUpEffect {
  guildId: string;
  userId: string;
  oldLevel: number;
  newLevel: number;
  /** Channel the triggering message was in (for the 'channel' announcement mode); null for voice/admin. */
  channelId: string | null;
  /** 'curve': the re-levelling after a curve change (DESIGN §2.4.2), never announced. */
  source: 'message' | 'voice' | 'admin' | 'curve';
  rolesToAdd: string[];
  rolesToRemove: string[];
  currencyPaid: number;
  totalXp: number;
}

export interface LevelUpEffects {
  apply(effect: LevelUpEffect): Promise<void>;
}
