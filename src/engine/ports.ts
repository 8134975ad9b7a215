/**
 * The engine's boundaries. Storage implements `XpReads` (synchronous reads on the main thread) and `XpWrites`
 * (asynchronous writes, possibly in a worker with its own connection); the Discord layer implements
 * `LevelUpEffects`. The engine imports nothing else from outside `src/engine` and `src/levels`.
 */
import type { GuildRules } from './settings.js';

export interface XpGainRow {
  guildId: string;
  userId: string;
  /** XP to add (negative for admin removals). */
  xp: number;
  /** Part of `xp` given by admins, added to the audit column `AwardedXp`. */
  awarded: number;
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
}

export interface StoredXp {
  xp: number;
  /** Sequence number of the last flush committed in the snapshot `xp` was read from. */
  flushSeq: number;
}

export interface XpReads {
  loadGuildRules(guildId: string): GuildRules;
  /** The stored XP and the flush marker, read in one snapshot. */
  storedXp(guildId: string, userId: string): StoredXp;
  /** Voice minutes stored for a day (the daily cap survives restarts). */
  voiceMinutes(guildId: string, userId: string, day: number): number;
  /** The last committed flush sequence number (the engine continues numbering from it). */
  lastFlushSeq(): number;
}

export interface PaidReward {
  level: number;
  amount: number;
}

export interface RewardPayment {
  /** The rewarded-level mark before this payment: levels above it up to toLevel were just paid. */
  previousMark: number;
  paid: PaidReward[];
}

export interface XpWrites {
  flush(batch: FlushBatch): Promise<void>;
  /**
   * Pays the currency rewards of every level above the member's rewarded-level mark up to `toLevel` and moves the
   * mark to `toLevel`, in one transaction: each (guild, user, level) is paid once, and a level whose payment failed
   * earlier is paid with the next one. Returns the old mark and what was paid (nothing when toLevel ≤ mark).
   */
  payLevelRewards(guildId: string, userId: string, toLevel: number): Promise<RewardPayment>;
}

/** What a level change asks the Discord layer to do. State is already saved when this is called. */
export interface LevelUpEffect {
  guildId: string;
  userId: string;
  oldLevel: number;
  newLevel: number;
  /** Channel the triggering message was in (for the 'channel' announcement mode); null for voice/admin. */
  channelId: string | null;
  source: 'message' | 'voice' | 'admin';
  rolesToAdd: string[];
  rolesToRemove: string[];
  currencyPaid: number;
  totalXp: number;
}

export interface LevelUpEffects {
  apply(effect: LevelUpEffect): Promise<void>;
}
