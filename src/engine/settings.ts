/**
 * A guild's XP rules as the engine sees them: plain data, loaded once per guild and cached in memory
 * (DESIGN §2.5). Changing them goes through commands, which write storage and then replace the cached copy.
 */
import { NADEKO_CURVE, type LevelCurve } from '../levels/curve.js';
import { MILLI_ONE, type Milli } from './multiplier.js';
import type { XpEventRule } from './xp-events.js';
import type { DecayPer, DecayUnit } from './decay.js';

export type AnnounceMode = 'off' | 'channel' | 'fixed' | 'dm';
export type AnnounceStyle = 'text' | 'embed';

/** stack: lower reward roles are kept. replace: a member holds only the reward roles of the highest level reached. */
export type RewardMode = 'stack' | 'replace';
export const REWARD_MODES: readonly RewardMode[] = ['stack', 'replace'];

export interface GuildSettings {
  /** Guild XP switch. Default on. */
  xpEnabled: boolean;
  /** XP per counted message. Default 1. */
  xpPerMessage: number;
  /** Seconds between counted messages per (guild, user). Default 60. */
  cooldownSeconds: number;
  /** Multiplies every gain, in thousandths (1000 = ×1, the default). */
  rateMilli: Milli;
  /** Voice XP per minute. Default 1; 0 turns voice XP off. */
  voiceXpPerMinute: number;
  /** No voice XP for a member without another non-bot, non-deafened member in the channel. Default on. */
  voiceAntiFarm: boolean;
  /** Voice minutes per day that earn XP; 0 = no cap (Nadeko used 720). */
  voiceDailyCapMinutes: number;
  /** Muted members (listening, not talking) earn voice XP. Default on. */
  voiceMutedEarn: boolean;
  /** Share of voice XP a stage's audience earns, in %, 0–100. Default 0. */
  stageAudiencePercent: number;
  /** Level curve constants. Default Nadeko's a = 9, c = 27. */
  curve: LevelCurve;
  /** Where level-ups are announced: off, the channel of the message, a fixed channel, or the member's DMs. Default 'channel'. */
  announceMode: AnnounceMode;
  announceChannelId: string | null;
  /** Template with {user}, {username}, {level}, {rank}, {nextreward}, {guild}, …; null = the default text. */
  announceTemplate: string | null;
  /** Whether the announcement pings the member. Default off. */
  announcePing: boolean;
  /** Plain text, or an embed with the text as its description (DESIGN §2.4.3). Default 'text'. */
  announceStyle: AnnounceStyle;
  /** Embed title template; null = the default ("Level up!"), '' = no title. */
  announceTitle: string | null;
  /** Embed footer template; null = none. */
  announceFooter: string | null;
  /** Embed colour as 0xRRGGBB; null = the default violet. */
  announceColor: number | null;
  /** The member's avatar as the embed's thumbnail. Default on. */
  announceThumbnail: boolean;
  /** The level-up message carries the member's XP card under a "level up" banner (DESIGN §4.1). Default off. */
  announceCard: boolean;
  /** Prefix for prefix commands; null = the bot's default. */
  prefix: string | null;
  /** Give role rewards back when a member rejoins. Default on. */
  reapplyRolesOnRejoin: boolean;
  /** The card accent (#rrggbb) for members who chose none; null = the template's colours (DESIGN §4.2). */
  cardAccent: string | null;
  /** Anti-spam: a message counts only with two words or at least this many characters; 0 = off (default). Nadeko: 5. */
  antispamMinLength: number;
  /** Anti-spam: a message at least this % similar to the member's previous one earns nothing; 0 = off (default). */
  antispamSimilarity: number;
  /** How role rewards combine where a reward does not say (DESIGN §2.4.1). Default 'stack'. */
  rewardMode: RewardMode;
  /** Days after leaving when a member's data here is erased, 1–3 650 (DESIGN §13); null = kept (default). */
  retentionDays: number | null;
  /** Daily XP history older than this many days is folded into monthly sums; 0 (the default) keeps every day. */
  historyRetentionDays: number;
  /** IANA time zone of the server's weeks and months. Default 'UTC'. */
  timeZone: string;
  /** The day weeks start on, 0 = Sunday … 6 = Saturday. Default 1 (Monday). */
  weekStart: number;
  /** XP decay for inactive members is applied by the daily job (DESIGN §15.4). Default off. */
  decayEnabled: boolean;
  /** Days without earning XP before decay starts, 1–365. Default 30. */
  decayAfterDays: number;
  /** What one period takes: percent 1–100 or XP 1–1 000 000 (`decayUnit`). Default 5 (%). */
  decayAmount: number;
  decayUnit: DecayUnit;
  /** One period: a day or a week. Default week. */
  decayPer: DecayPer;
  /** Decay never takes a member below this level. Default 0. */
  decayFloorLevel: number;
  /** The UTC day decay was turned on: members with no recorded last-earned day count as inactive from it. */
  decaySinceDay: number | null;
}

export const DEFAULT_SETTINGS: Readonly<GuildSettings> = Object.freeze({
  xpEnabled: true,
  xpPerMessage: 1,
  cooldownSeconds: 60,
  rateMilli: MILLI_ONE,
  voiceXpPerMinute: 1,
  voiceAntiFarm: true,
  voiceDailyCapMinutes: 0,
  voiceMutedEarn: true,
  stageAudiencePercent: 0,
  curve: NADEKO_CURVE,
  announceMode: 'channel',
  announceChannelId: null,
  announceTemplate: null,
  announcePing: false,
  announceStyle: 'text',
  announceTitle: null,
  announceFooter: null,
  announceColor: null,
  announceThumbnail: true,
  announceCard: false,
  prefix: null,
  reapplyRolesOnRejoin: true,
  cardAccent: null,
  antispamMinLength: 0,
  antispamSimilarity: 0,
  rewardMode: 'stack',
  retentionDays: null,
  historyRetentionDays: 0,
  timeZone: 'UTC',
  weekStart: 1,
  decayEnabled: false,
  decayAfterDays: 30,
  decayAmount: 5,
  decayUnit: 'percent',
  decayPer: 'week',
  decayFloorLevel: 0,
  decaySinceDay: null,
});

export type ExclusionType = 'channel' | 'role' | 'user';
export type MultiplierType = 'channel' | 'role';

export interface RoleReward {
  level: number;
  roleId: string;
  /** true: the role is taken away at this level instead of given. */
  remove: boolean;
  /** This reward's own mode; null or absent follows the server's `rewardMode`. Only rewards that give a role use it. */
  mode?: RewardMode | null;
}

/**
 * A channel's (or category's) own message XP (DESIGN §2.1): XP per counted message instead of the server's, and
 * optionally its own cooldown. 0 XP excludes the channel (messages and voice).
 */
export interface ChannelRate {
  /** XP per counted message there, 0–1000 (before multipliers). */
  xpPerMessage: number;
  /** Seconds since the member's last counted message that a message there needs; null = the server's cooldown. */
  cooldownSeconds: number | null;
}

export interface CurrencyReward {
  level: number;
  amount: number;
}

/** The season running in a guild (DESIGN §15.3). */
export interface RunningSeason {
  /** XpSeason.Id (global); the season's period id is periodId(SEASON, id). */
  id: number;
  /** 1, 2, … per guild. */
  number: number;
  name: string;
  periodId: number;
  /** Wall-clock ms. */
  startsAt: number;
  endsAt: number;
}

/** Everything the engine needs about one guild, in lookup-friendly shapes. */
export interface GuildRules {
  settings: GuildSettings;
  excludedChannels: ReadonlySet<string>;
  excludedRoles: ReadonlySet<string>;
  excludedUsers: ReadonlySet<string>;
  /** Members who opted out of XP tracking here (DESIGN §13): they earn nothing, like excluded members. */
  optedOut: ReadonlySet<string>;
  /** Channel (or category) id → multiplier in thousandths. */
  channelMultipliers: ReadonlyMap<string, Milli>;
  /** Role id → multiplier in thousandths. */
  roleMultipliers: ReadonlyMap<string, Milli>;
  /** Channel (or category) id → its own XP per message and cooldown. */
  channelRates: ReadonlyMap<string, ChannelRate>;
  /** Sorted by level, then role id. */
  roleRewards: readonly RoleReward[];
  /** Sorted by level. */
  currencyRewards: readonly CurrencyReward[];
  /**
   * Level → that level's own level-up text (DESIGN §2.4.3), instead of the server's; sorted by level. The engine
   * does not read it: it is cached here with the other texts the level-up message is built from.
   */
  levelUpMessages: ReadonlyMap<number, string>;
  /** The running season, if any. */
  season: RunningSeason | null;
  /** Timed XP events not yet over (DESIGN §15.5), running or scheduled; usually empty. */
  xpEvents: readonly XpEventRule[];
}
