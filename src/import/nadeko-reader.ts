/**
 * What the Nadeko import reads, independent of where NadekoBot keeps its data. NadekoBot runs on SQLite or
 * PostgreSQL with the same EF Core tables; a reader normalises one store's rows into these shapes (ids as BigInt,
 * a row that cannot be used as `{ skip: reason }`), and the import (nadeko-import.ts) never sees SQL. The reader is
 * `NadekoSource` in src/storage/nadeko-source.ts, over the SQLite file (nadeko-sqlite.ts) or the PostgreSQL
 * database (nadeko-pg.ts).
 */
import type { ClubImport } from '../storage/import-writes.js';
import type { Skip } from './runner.js';
import type { NotImported } from './summary.js';

export type { Skip };

export interface NadekoSchema {
  /** Human-readable generation, e.g. "Nadeko 6+ (XpSettings.GuildId)". */
  generation: string;
  /** Newest EF Core migration recorded in the store, when it has the history table. */
  lastMigration: string | null;
  userXp: { awardedXp: boolean } | null;
  discordUser: { totalXp: boolean; currency: boolean; username: boolean; club: boolean } | null;
  /** How an XpSettings row names its guild; whether it has the curve and the server switch. */
  settings: { guildId: boolean; guildConfigId: boolean; formula: boolean; serverExcluded: boolean } | null;
  excludedItem: boolean;
  xpExcludedItem: boolean;
  roleRewards: { remove: boolean } | null;
  currencyRewards: boolean;
  shop: { dateAdded: boolean } | null;
  clubs: { description: boolean; dateAdded: boolean } | null;
  clubApplicants: boolean;
  clubBans: boolean;
  notify: boolean;
  /** `GuildXpConfig` / `ChannelXpConfig` (Nadeko 6's `.xprate`; Nadeko 7 added RateType). */
  rates: { guild: { rateType: boolean } | null; channel: { rateType: boolean } | null };
}

/** The tables a reader can count rows of (for the progress bar). */
export type NadekoTable = 'UserXpStats' | 'DiscordUser' | 'XpShopOwnedItem' | 'Clubs';

export interface NadekoXpRow {
  guildId: bigint;
  userId: bigint;
  /** Server XP: Xp, plus AwardedXp before Nadeko 5.3 (where a server level counted both). */
  xp: number;
  awardedXp: number;
}

export interface NadekoUserRow {
  userId: bigint;
  username: string | null;
  totalXp: number;
  currency: number;
}

export interface NadekoSettingsRow {
  guildId: bigint;
  /** Null when the store has no formula columns (Nadeko before 7 used the fixed curve). */
  curve: { a: number; c: number } | null;
  /** `XpSettings.ServerExcluded` (Nadeko 6 and older): the whole server earns no XP. */
  serverExcluded: boolean;
}

export type ExclusionKind = 'channel' | 'role' | 'user';
export interface NadekoExclusionRow {
  guildId: bigint;
  type: ExclusionKind;
  itemId: bigint;
}

export interface NadekoRoleRewardRow {
  guildId: bigint;
  level: number;
  roleId: bigint;
  remove: boolean;
}

export interface NadekoCurrencyRewardRow {
  guildId: bigint;
  level: number;
  amount: number;
}

export interface NadekoNotifyRow {
  guildId: bigint;
  /** Null: announce in the channel where the member levelled up. */
  channelId: bigint | null;
  message: string;
}

/**
 * Nadeko's XpRateType: Text = 0, Voice = 1, Image = 2. Rows from before the column existed (Nadeko 6.0) are text
 * rates. An amount or a cooldown of 0 means "no XP here" (Nadeko 7 replaced channel exclusions with that).
 */
export const NADEKO_RATE_TYPES = { 0: 'text', 1: 'voice', 2: 'image' } as const;
export type NadekoRateType = (typeof NADEKO_RATE_TYPES)[keyof typeof NADEKO_RATE_TYPES];

export interface NadekoRateRow {
  guildId: bigint;
  /** Null: the server's rate (`GuildXpConfig`); otherwise a channel's (`ChannelXpConfig`). */
  channelId: bigint | null;
  /** The raw RateType, 0 (text) when the store predates the column. */
  rateType: number;
  amount: number;
  /** Nadeko stores cooldowns in minutes (fractions allowed). */
  cooldownMinutes: number;
}

export interface NadekoShopRow {
  userId: bigint;
  /** Nadeko's numbering: 0 = background, 1 = frame. */
  itemType: number;
  itemKey: string;
  isUsing: boolean;
  dateAdded: number | null;
}

/** A club as Nadeko stores it, owner mapped to a Discord id: the import writes it as it is. */
export type NadekoClubRow = ClubImport;

export interface NadekoClubMemberRow {
  userId: bigint;
  clubName: string;
  isAdmin: boolean;
}

export interface NadekoClubLinkRow {
  clubName: string;
  userId: bigint;
}

export interface NadekoReader {
  readonly schema: NadekoSchema;
  /** Where the data comes from, for messages (a file path or a redacted connection URL). */
  readonly location: string;
  count(table: NadekoTable, guildId?: bigint | null): number;
  xp(guildId: bigint | null): Iterable<NadekoXpRow | Skip>;
  users(): Iterable<NadekoUserRow | Skip>;
  /** XpSettings rows with their guild; also the lookup rewards and old exclusions use (XpSettings.Id → guild). */
  settings(guildId: bigint | null): { rows: (NadekoSettingsRow | Skip)[]; guildOf: Map<bigint, bigint> };
  exclusions(guildId: bigint | null, guildOf: Map<bigint, bigint>): Iterable<NadekoExclusionRow | Skip>;
  roleRewards(guildId: bigint | null, guildOf: Map<bigint, bigint>): Iterable<NadekoRoleRewardRow | Skip>;
  currencyRewards(guildId: bigint | null, guildOf: Map<bigint, bigint>): Iterable<NadekoCurrencyRewardRow | Skip>;
  /** Level-up notifications (Notify.Type 0). */
  notify(guildId: bigint | null): Iterable<NadekoNotifyRow | Skip>;
  /** Server rates first, then channel rates. */
  rates(guildId: bigint | null): Iterable<NadekoRateRow | Skip>;
  shopItems(): Iterable<NadekoShopRow | Skip>;
  clubs(): Iterable<NadekoClubRow | Skip>;
  clubMembers(): Iterable<NadekoClubMemberRow | Skip>;
  clubLinks(table: 'ClubApplicants' | 'ClubBans'): Iterable<NadekoClubLinkRow | Skip>;
  /** Settings Unicornia has no place for, with how many rows hold them (only non-zero counts). */
  notImported(guildId: bigint | null): NotImported[];
  close(): void;
}
