/**
 * Reads for the XP engine and the commands, on the main thread's connection. Nothing here writes: reads never
 * create rows (a guild without settings gets the defaults, a user without a row has 0 XP).
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { idOf, num, sf } from './ids.js';
import type { Erasure, StoredXp, XpReads } from '../engine/ports.js';
import type { LevelCurve } from '../levels/curve.js';
import { periodId, SEASON } from '../engine/calendar.js';
import type { XpEventRule } from '../engine/xp-events.js';
import type { DecayPer, DecayUnit } from '../engine/decay.js';
import {
  DEFAULT_SETTINGS,
  type AnnounceMode,
  type ChannelRate,
  type RewardMode,
  type AnnounceStyle,
  type GuildRules,
  type GuildSettings,
} from '../engine/settings.js';

export interface LeaderboardRow {
  userId: string;
  xp: number;
}

export interface XpRangeRow extends LeaderboardRow {
  hasLeft: boolean;
}

/** A guild's XpSettings row under SQLite's column names (PostgreSQL selects them under the same aliases). */
export interface SettingsRow {
  XpEnabled: number;
  XpRateMilli: number;
  XpPerMessage: number;
  CooldownSeconds: number;
  VoiceXpPerMinute: number;
  VoiceAntiFarm: number;
  VoiceDailyCapMinutes: number;
  CurveA: number;
  CurveC: number;
  CurveQ: number;
  AnnounceMode: string;
  AnnounceChannelId: bigint | string | null;
  AnnounceTemplate: string | null;
  AnnouncePing: number;
  Prefix: string | null;
  ReapplyRolesOnRejoin: number;
  CardAccent: string | null;
  AntispamMinLength: number;
  VoiceMutedEarn: number;
  StageAudiencePercent: number;
  AntispamSimilarity: number;
  RewardMode: RewardMode;
  AnnounceStyle: string;
  AnnounceTitle: string | null;
  AnnounceFooter: string | null;
  AnnounceColor: number | bigint | string | null;
  AnnounceThumbnail: number;
  RetentionDays: number | bigint | string | null;
  AnnounceCard: number;
  HistoryRetentionDays: number;
  TimeZone: string;
  WeekStart: number;
  DecayEnabled: number;
  DecayAfterDays: number;
  DecayAmount: number | bigint | string;
  DecayUnit: DecayUnit;
  DecayPer: DecayPer;
  DecayFloorLevel: number;
  DecaySinceDay: number | bigint | string | null;
}

export class XpReadStore implements XpReads {
  private readonly q: Record<string, Statement>;
  private readonly snapshot: (guildId: bigint, userId: bigint) => StoredXp;
  private readonly voiceSnapshot: (guildId: bigint, userId: bigint, day: number) => { minutes: number; flushSeq: number };

  /** @param writerId the id this process's writer stamps its flushes with (see FlushState). */
  constructor(
    private readonly db: Db,
    private readonly writerId: string,
  ) {
    const prep = (sql: string) => db.prepare(sql).safeIntegers(true);
    this.q = {
      xp: prep('SELECT Xp FROM UserXpStats WHERE GuildId = ? AND UserId = ?'),
      seq: prep('SELECT Seq FROM FlushState WHERE WriterId = ?'),
      row: prep('SELECT Xp, AwardedXp, RewardedLevel, HasLeft FROM UserXpStats WHERE GuildId = ? AND UserId = ?'),
      settings: prep('SELECT * FROM XpSettings WHERE GuildId = ?'),
      optOuts: prep('SELECT UserId FROM XpOptOut WHERE GuildId = ?'),
      exclusions: prep('SELECT ItemType, ItemId FROM XpExcludedItem WHERE GuildId = ?'),
      multipliers: prep('SELECT ItemType, ItemId, Milli FROM XpMultiplier WHERE GuildId = ?'),
      channelRates: prep('SELECT ChannelId, XpPerMessage, CooldownSeconds FROM XpChannelRate WHERE GuildId = ?'),
      roleRewards: prep('SELECT Level, RoleId, Remove, Mode FROM XpRoleReward WHERE GuildId = ? ORDER BY Level, RoleId'),
      currencyRewards: prep('SELECT Level, Amount FROM XpCurrencyReward WHERE GuildId = ? ORDER BY Level'),
      levelUpMessages: prep('SELECT Level, Template FROM XpLevelUpMessage WHERE GuildId = ? ORDER BY Level'),
      voice: prep('SELECT Minutes FROM VoiceXpDaily WHERE GuildId = ? AND UserId = ? AND Day = ?'),
      page: prep(
        'SELECT UserId, Xp FROM UserXpStats WHERE GuildId = ? AND HasLeft = 0 ORDER BY Xp DESC, UserId LIMIT ? OFFSET ?',
      ),
      // Rank = 1 + members strictly ahead in (Xp DESC, UserId): the members of higher rank buckets (see
      // migration 5), those above in the member's own bucket, and ties with a smaller id. Each is a range on
      // an index; an OR in one WHERE would defeat the index.
      bucketsAbove: prep('SELECT COALESCE(SUM(Members), 0) AS n FROM XpRankBucket WHERE GuildId = ? AND Bucket > ?'),
      aboveInBucket: prep('SELECT COUNT(*) AS n FROM UserXpStats WHERE GuildId = ? AND HasLeft = 0 AND Xp > ? AND Xp < ?'),
      tiedBefore: prep(
        'SELECT COUNT(*) AS n FROM UserXpStats WHERE GuildId = ? AND HasLeft = 0 AND Xp = ? AND UserId < ?',
      ),
      count: prep('SELECT COALESCE(SUM(Members), 0) AS n FROM XpRankBucket WHERE GuildId = ?'),
      season: prep(`SELECT Id, Number, Name, StartsAt, EndsAt FROM XpSeason WHERE GuildId = ? AND State = 'running'
        ORDER BY Id DESC LIMIT 1`),
      xpEvents: prep('SELECT Id, Milli, StartsAt, EndsAt FROM XpEvent WHERE GuildId = ? AND EndAnnounced = 0 ORDER BY Id'),
      xpEventScopes: prep(`SELECT s.EventId, s.ItemType, s.ItemId FROM XpEventScope s JOIN XpEvent e ON e.Id = s.EventId
        WHERE s.GuildId = ? AND e.EndAnnounced = 0`),
      balance: prep('SELECT CurrencyAmount FROM DiscordUser WHERE UserId = ?'),
      range: prep('SELECT UserId, Xp, HasLeft FROM UserXpStats WHERE GuildId = ? AND UserId > ? AND UserId <= ? ORDER BY UserId LIMIT ?'),
      erasuresSince: prep('SELECT Id, GuildId, UserId FROM PrivacyErasure WHERE Id > ? ORDER BY Id'),
      lastErasure: prep('SELECT COALESCE(MAX(Id), 0) AS n FROM PrivacyErasure'),
    };
    // One read transaction, so the XP and the flush marker come from the same snapshot.
    this.snapshot = db.transaction((guildId: bigint, userId: bigint): StoredXp => {
      const row = this.q.xp!.get(guildId, userId) as { Xp: bigint } | undefined;
      return { xp: row ? num(row.Xp) : 0, flushSeq: this.lastFlushSeq() };
    });
    // The same for a day's voice minutes: in-flight minutes count only if their flush is not in this snapshot.
    this.voiceSnapshot = db.transaction((guildId: bigint, userId: bigint, day: number) => {
      const row = this.q.voice!.get(guildId, userId, day) as { Minutes: bigint } | undefined;
      return { minutes: row ? num(row.Minutes) : 0, flushSeq: this.lastFlushSeq() };
    });
  }

  storedXp(guildId: string, userId: string): StoredXp {
    return this.snapshot(sf(guildId), sf(userId));
  }

  lastFlushSeq(): number {
    const r = this.q.seq!.get(this.writerId) as { Seq: bigint } | undefined;
    return r ? num(r.Seq) : 0;
  }

  erasuresSince(afterId: number): Erasure[] {
    return (this.q.erasuresSince!.all(afterId) as { Id: bigint; GuildId: bigint | null; UserId: bigint | null }[]).map((r) => ({
      id: num(r.Id),
      guildId: r.GuildId === null ? null : idOf(r.GuildId),
      userId: r.UserId === null ? null : idOf(r.UserId),
    }));
  }

  lastErasureId(): number {
    return num((this.q.lastErasure!.get() as { n: bigint }).n);
  }

  userRow(guildId: string, userId: string): { xp: number; awardedXp: number; rewardedLevel: number; hasLeft: boolean } | null {
    const r = this.q.row!.get(sf(guildId), sf(userId)) as
      | { Xp: bigint; AwardedXp: bigint; RewardedLevel: bigint; HasLeft: bigint }
      | undefined;
    if (!r) return null;
    return { xp: num(r.Xp), awardedXp: num(r.AwardedXp), rewardedLevel: num(r.RewardedLevel), hasLeft: r.HasLeft !== 0n };
  }

  voiceMinutes(guildId: string, userId: string, day: number): { minutes: number; flushSeq: number } {
    return this.voiceSnapshot(sf(guildId), sf(userId), day);
  }

  loadGuildRules(guildId: string): GuildRules {
    const g = sf(guildId);
    return rulesFromRows({
      settings: this.q.settings!.get(g) as SettingsRow | undefined,
      exclusions: this.q.exclusions!.all(g) as RulesRows['exclusions'],
      optOuts: this.q.optOuts!.all(g) as RulesRows['optOuts'],
      multipliers: this.q.multipliers!.all(g) as RulesRows['multipliers'],
      channelRates: this.q.channelRates!.all(g) as RulesRows['channelRates'],
      roleRewards: this.q.roleRewards!.all(g) as RulesRows['roleRewards'],
      currencyRewards: this.q.currencyRewards!.all(g) as RulesRows['currencyRewards'],
      levelUpMessages: this.q.levelUpMessages!.all(g) as RulesRows['levelUpMessages'],
      season: this.q.season!.get(g) as RulesRows['season'],
      xpEvents: this.q.xpEvents!.all(g) as RulesRows['xpEvents'],
      xpEventScopes: this.q.xpEventScopes!.all(g) as RulesRows['xpEventScopes'],
    });
  }

  /** One leaderboard page in the one ordering (Xp DESC, UserId), members who left hidden. */
  leaderboard(guildId: string, offset: number, limit: number): LeaderboardRow[] {
    return (this.q.page!.all(sf(guildId), limit, offset) as { UserId: bigint; Xp: bigint }[]).map((r) => ({
      userId: idOf(r.UserId),
      xp: num(r.Xp),
    }));
  }

  /**
   * 1-based position of a member with `xp` in the leaderboard ordering. `xp` is passed in (not read) so callers
   * can rank with the XP that includes unflushed gains; `unwritten` gives the totals of other members whose stored
   * rows are behind (DESIGN §7). The member's own stored row is never counted: it is them, not someone ahead.
   */
  rank(guildId: string, userId: string, xp: number, unwritten: ReadonlyMap<string, number> = new Map()): number {
    const g = sf(guildId);
    const u = sf(userId);
    const bucket = rankBucket(xp);
    const count = (stmt: Statement, ...args: unknown[]) => num((stmt.get(...args) as { n: bigint }).n);
    let ahead =
      count(this.q.bucketsAbove!, g, bucket) +
      count(this.q.aboveInBucket!, g, xp, (bucket + 1) * (bucket + 1)) +
      count(this.q.tiedBefore!, g, xp, u);
    // Rows whose stored XP is not what ranks them: the member's own (never ahead of themselves), and members with
    // unwritten changes. Each is taken out as the counts above saw it and put back with its real total.
    const correct = (id: string, total: number | null) => {
      const other = sf(id);
      const isAhead = (otherXp: number) => otherXp > xp || (otherXp === xp && other < u);
      const row = this.userRow(guildId, id);
      if (row?.hasLeft) return; // hidden from the leaderboard: counted neither way
      if (row && isAhead(row.xp)) ahead--;
      if (total !== null && isAhead(total)) ahead++;
    };
    correct(userId, null);
    for (const [id, total] of unwritten) if (id !== userId) correct(id, total);
    return ahead + 1;
  }

  /**
   * Stored XP of the members with ids in (afterId, throughId], in id order, at most `limit` (a range of the primary
   * key: passes over a whole server read it chunk by chunk, DESIGN §2.7.1).
   */
  xpRange(guildId: string, afterId: string, throughId: string, limit: number): XpRangeRow[] {
    return (this.q.range!.all(sf(guildId), sf(afterId), sf(throughId), limit) as { UserId: bigint; Xp: bigint; HasLeft: bigint }[]).map((r) => ({
      userId: idOf(r.UserId),
      xp: num(r.Xp),
      hasLeft: r.HasLeft !== 0n,
    }));
  }

  memberCount(guildId: string): number {
    return num((this.q.count!.get(sf(guildId)) as { n: bigint }).n);
  }

  balance(userId: string): number {
    const r = this.q.balance!.get(sf(userId)) as { CurrencyAmount: bigint } | undefined;
    return r ? num(r.CurrencyAmount) : 0;
  }

  /** The query plans of the leaderboard and rank queries (the bench prints them to show index use). */
  explain(): Record<string, string[]> {
    const plan = (sql: string, ...args: unknown[]) =>
      (this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail);
    return {
      page: plan('SELECT UserId, Xp FROM UserXpStats WHERE GuildId = ? AND HasLeft = 0 ORDER BY Xp DESC, UserId LIMIT ? OFFSET ?', 1, 10, 0),
      bucketsAbove: plan('SELECT SUM(Members) FROM XpRankBucket WHERE GuildId = ? AND Bucket > ?', 1, 0),
      aboveInBucket: plan('SELECT COUNT(*) FROM UserXpStats WHERE GuildId = ? AND HasLeft = 0 AND Xp > ? AND Xp < ?', 1, 0, 1),
      tiedBefore: plan('SELECT COUNT(*) FROM UserXpStats WHERE GuildId = ? AND HasLeft = 0 AND Xp = ? AND UserId < ?', 1, 0, 0),
    };
  }
}

/** The rank bucket of an XP total; the same expression as the triggers of migration 5 (IEEE sqrt, exact below 2^52). */
export function rankBucket(xp: number): number {
  return Math.floor(Math.sqrt(Math.max(xp, 0)));
}

/** The rows a guild's rules are built from, as both stores read them (ids as BigInt or decimal strings). */
export interface RulesRows {
  settings: SettingsRow | undefined;
  exclusions: { ItemType: string; ItemId: unknown }[];
  optOuts: { UserId: unknown }[];
  multipliers: { ItemType: string; ItemId: unknown; Milli: unknown }[];
  channelRates: { ChannelId: unknown; XpPerMessage: unknown; CooldownSeconds: unknown }[];
  /** Sorted by level, then role. */
  roleRewards: { Level: unknown; RoleId: unknown; Remove: unknown; Mode: RewardMode | null }[];
  /** Sorted by level. */
  currencyRewards: { Level: unknown; Amount: unknown }[];
  /** Sorted by level. */
  levelUpMessages: { Level: unknown; Template: string }[];
  /** The running season (DESIGN §15.3), if any. */
  season?: { Id: unknown; Number: unknown; Name: string; StartsAt: unknown; EndsAt: unknown } | undefined;
  /** XP events not yet over (DESIGN §15.5), and the channels and roles they are limited to. */
  xpEvents?: { Id: unknown; Milli: unknown; StartsAt: unknown; EndsAt: unknown }[];
  xpEventScopes?: { EventId: unknown; ItemType: string; ItemId: unknown }[];
}

export function rulesFromRows(rows: RulesRows): GuildRules {
  const settings = toSettings(rows.settings);
  const excludedChannels = new Set<string>();
  const excludedRoles = new Set<string>();
  const excludedUsers = new Set<string>();
  for (const r of rows.exclusions) {
    const set = r.ItemType === 'channel' ? excludedChannels : r.ItemType === 'role' ? excludedRoles : excludedUsers;
    set.add(idOf(r.ItemId));
  }
  const optedOut = new Set(rows.optOuts.map((r) => idOf(r.UserId)));
  const channelMultipliers = new Map<string, number>();
  const roleMultipliers = new Map<string, number>();
  for (const r of rows.multipliers) (r.ItemType === 'channel' ? channelMultipliers : roleMultipliers).set(idOf(r.ItemId), num(r.Milli));
  const channelRates = new Map<string, ChannelRate>();
  for (const r of rows.channelRates) {
    channelRates.set(idOf(r.ChannelId), { xpPerMessage: num(r.XpPerMessage), cooldownSeconds: r.CooldownSeconds === null ? null : num(r.CooldownSeconds) });
  }
  const roleRewards = rows.roleRewards.map((r) => ({ level: num(r.Level), roleId: idOf(r.RoleId), remove: num(r.Remove) !== 0, ...(r.Mode ? { mode: r.Mode } : {}) }));
  const currencyRewards = rows.currencyRewards.map((r) => ({ level: num(r.Level), amount: num(r.Amount) }));
  const levelUpMessages = new Map(rows.levelUpMessages.map((r) => [num(r.Level), r.Template]));
  const s = rows.season;
  const season = s
    ? { id: num(s.Id), number: num(s.Number), name: s.Name, periodId: periodId(SEASON, num(s.Id)), startsAt: num(s.StartsAt), endsAt: num(s.EndsAt) }
    : null;
  return { settings, excludedChannels, excludedRoles, excludedUsers, optedOut, channelMultipliers, roleMultipliers, channelRates, roleRewards, currencyRewards, levelUpMessages, season, xpEvents: xpEventRules(rows) };
}

function xpEventRules(rows: RulesRows): XpEventRule[] {
  const events = (rows.xpEvents ?? []).map((r) => ({ id: num(r.Id), milli: num(r.Milli), startsAt: num(r.StartsAt), endsAt: num(r.EndsAt), channelIds: new Set<string>(), roleIds: new Set<string>() }));
  const byId = new Map(events.map((e) => [e.id, e]));
  for (const s of rows.xpEventScopes ?? []) {
    const e = byId.get(num(s.EventId));
    if (e) (s.ItemType === 'channel' ? e.channelIds : e.roleIds).add(idOf(s.ItemId));
  }
  return events;
}

/** A stored curve; q only when it is not 0, so Nadeko-style curves compare equal to `{ a, c }`. */
export function curveOf(q: number, a: number, c: number): LevelCurve {
  return q === 0 ? { a, c } : { q, a, c };
}

function toSettings(row: SettingsRow | undefined): GuildSettings {
  if (!row) return { ...DEFAULT_SETTINGS };
  return {
    xpEnabled: num(row.XpEnabled) !== 0,
    xpPerMessage: num(row.XpPerMessage),
    cooldownSeconds: num(row.CooldownSeconds),
    rateMilli: num(row.XpRateMilli),
    voiceXpPerMinute: num(row.VoiceXpPerMinute),
    voiceAntiFarm: num(row.VoiceAntiFarm) !== 0,
    voiceDailyCapMinutes: num(row.VoiceDailyCapMinutes),
    voiceMutedEarn: num(row.VoiceMutedEarn) !== 0,
    stageAudiencePercent: num(row.StageAudiencePercent),
    curve: curveOf(num(row.CurveQ), num(row.CurveA), num(row.CurveC)),
    announceMode: row.AnnounceMode as AnnounceMode,
    announceChannelId: row.AnnounceChannelId === null ? null : idOf(row.AnnounceChannelId),
    announceTemplate: row.AnnounceTemplate,
    announcePing: num(row.AnnouncePing) !== 0,
    prefix: row.Prefix,
    reapplyRolesOnRejoin: num(row.ReapplyRolesOnRejoin) !== 0,
    cardAccent: row.CardAccent,
    antispamMinLength: num(row.AntispamMinLength),
    antispamSimilarity: num(row.AntispamSimilarity),
    rewardMode: row.RewardMode,
    announceStyle: row.AnnounceStyle as AnnounceStyle,
    announceTitle: row.AnnounceTitle,
    announceFooter: row.AnnounceFooter,
    announceColor: row.AnnounceColor === null ? null : num(row.AnnounceColor),
    announceThumbnail: num(row.AnnounceThumbnail) !== 0,
    retentionDays: row.RetentionDays === null ? null : num(row.RetentionDays),
    announceCard: num(row.AnnounceCard) !== 0,
    historyRetentionDays: num(row.HistoryRetentionDays),
    timeZone: row.TimeZone,
    weekStart: num(row.WeekStart),
    decayEnabled: num(row.DecayEnabled) !== 0,
    decayAfterDays: num(row.DecayAfterDays),
    decayAmount: num(row.DecayAmount),
    decayUnit: row.DecayUnit,
    decayPer: row.DecayPer,
    decayFloorLevel: num(row.DecayFloorLevel),
    decaySinceDay: row.DecaySinceDay === null ? null : num(row.DecaySinceDay),
  };
}
