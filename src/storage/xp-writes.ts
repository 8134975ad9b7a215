/**
 * Every XP-side write. Synchronous, one better-sqlite3 transaction per call; it runs wherever the writer lives
 * (a worker thread in production, the main thread in some tests), always on a connection of its own.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { compareIds, num, sf } from './ids.js';
import { Ledger } from './ledger.js';
import { MultiRowStatement } from './multi-row.js';
import { SLOT_INSERT_COLUMNS, slotAssignments } from './period-slots.js';
import { HISTORY_WIDTH, LATER_WIDTH, MEMBER_WIDTH, orNull, planFlush, planIds, type FlushPlan } from './flush-plan.js';
import type { BoardChange } from '../boards/period-boards.js';
import type { FlushBatch, LevelUp, LevelUpRecord, RoleChangeCause, RoleChanges } from '../engine/ports.js';
import { roleChangesBetween } from '../engine/rewards.js';
import { RoleQueueWrites } from './role-queue.js';
import { WebhookOutbox } from './webhook-outbox.js';
import type { ChannelRate, ExclusionType, GuildSettings, MultiplierType, RewardMode } from '../engine/settings.js';
import type { Milli } from '../engine/multiplier.js';

/** Settings fields and their XpSettings columns (both stores); values are mapped to column types in `settingValue`. */
export const SETTING_COLUMNS = {
  xpEnabled: 'XpEnabled',
  xpPerMessage: 'XpPerMessage',
  cooldownSeconds: 'CooldownSeconds',
  rateMilli: 'XpRateMilli',
  voiceXpPerMinute: 'VoiceXpPerMinute',
  voiceAntiFarm: 'VoiceAntiFarm',
  voiceDailyCapMinutes: 'VoiceDailyCapMinutes',
  voiceMutedEarn: 'VoiceMutedEarn',
  stageAudiencePercent: 'StageAudiencePercent',
  retentionDays: 'RetentionDays',
  announceMode: 'AnnounceMode',
  announceChannelId: 'AnnounceChannelId',
  announceTemplate: 'AnnounceTemplate',
  announcePing: 'AnnouncePing',
  announceStyle: 'AnnounceStyle',
  announceTitle: 'AnnounceTitle',
  announceFooter: 'AnnounceFooter',
  announceColor: 'AnnounceColor',
  announceThumbnail: 'AnnounceThumbnail',
  announceCard: 'AnnounceCard',
  prefix: 'Prefix',
  reapplyRolesOnRejoin: 'ReapplyRolesOnRejoin',
  cardAccent: 'CardAccent',
  antispamMinLength: 'AntispamMinLength',
  antispamSimilarity: 'AntispamSimilarity',
  rewardMode: 'RewardMode',
  historyRetentionDays: 'HistoryRetentionDays',
  timeZone: 'TimeZone',
  weekStart: 'WeekStart',
  decayEnabled: 'DecayEnabled',
  decayAfterDays: 'DecayAfterDays',
  decayAmount: 'DecayAmount',
  decayUnit: 'DecayUnit',
  decayPer: 'DecayPer',
  decayFloorLevel: 'DecayFloorLevel',
  decaySinceDay: 'DecaySinceDay',
} as const satisfies Partial<Record<keyof GuildSettings, string>>;

export type SettingsPatch = Partial<GuildSettings>;

export interface AdminActionRow {
  guildId: string;
  userId: string;
  actorId: string;
  action: 'add' | 'set' | 'reset';
  amount: number;
  at: number;
}

export class XpWriteStore {
  private readonly q: Record<string, Statement>;
  private readonly ledger: Ledger;
  /** A flush's history rows, many per statement (see MultiRowStatement). */
  private readonly upsertHistory: MultiRowStatement;
  constructor(
    private readonly db: Db,
    private readonly writerId: string,
    private readonly wallNow: () => number = Date.now,
    private readonly roles: RoleQueueWrites = new RoleQueueWrites(db),
    // Stateless statements over the same connection: a second instance records into the same table.
    private readonly webhooks: WebhookOutbox = new WebhookOutbox(db),
  ) {
    this.ledger = new Ledger(db);
    const prep = (sql: string) => db.prepare(sql);
    this.upsertHistory = new MultiRowStatement(
      db,
      (values) => `INSERT INTO XpHistoryDaily (GuildId, Day, UserId, Source, Xp) VALUES ${values}
        ON CONFLICT (GuildId, Day, UserId, Source) DO UPDATE SET Xp = Xp + excluded.Xp`,
      5,
    );
    this.q = {
      // LastEarnedDay keeps the latest day seen (decay's clock, DESIGN §15.4); a row without one leaves it. The
      // week, month and season slots take the gain's periods (DESIGN §15.2, src/storage/period-slots.ts).
      upsertXp: prep(`INSERT INTO UserXpStats (GuildId, UserId, Xp, AwardedXp, LastEarnedDay, ${SLOT_INSERT_COLUMNS.join(', ')})
        VALUES (?, ?, ?, ?, ?, ${SLOT_INSERT_COLUMNS.map(() => '?').join(', ')})
        ON CONFLICT (GuildId, UserId) DO UPDATE SET Xp = Xp + excluded.Xp, AwardedXp = AwardedXp + excluded.AwardedXp,
          LastEarnedDay = CASE WHEN excluded.LastEarnedDay > COALESCE(LastEarnedDay, -1) THEN excluded.LastEarnedDay ELSE LastEarnedDay END,
          ${slotAssignments('')}
        RETURNING HasLeft`).pluck(),
      bumpBoards: prep(`INSERT INTO XpBoardGeneration (GuildId, Gen) VALUES (?, 1)
        ON CONFLICT (GuildId) DO UPDATE SET Gen = Gen + 1 RETURNING Gen`).safeIntegers(true),
      upsertTotal: prep(`INSERT INTO DiscordUser (UserId, TotalXp) VALUES (?, ?)
        ON CONFLICT (UserId) DO UPDATE SET TotalXp = TotalXp + excluded.TotalXp`),
      upsertVoice: prep(`INSERT INTO VoiceXpDaily (GuildId, UserId, Day, Minutes) VALUES (?, ?, ?, ?)
        ON CONFLICT (GuildId, UserId, Day) DO UPDATE SET Minutes = Minutes + excluded.Minutes`),
      seq: prep('SELECT Seq FROM FlushState WHERE WriterId = ?').safeIntegers(true),
      stampSeq: prep(`INSERT INTO FlushState (WriterId, Seq, UpdatedAt) VALUES (?, ?, ?)
        ON CONFLICT (WriterId) DO UPDATE SET Seq = excluded.Seq, UpdatedAt = excluded.UpdatedAt`),
      rewarded: prep('SELECT RewardedLevel FROM UserXpStats WHERE GuildId = ? AND UserId = ?').safeIntegers(true),
      currencyBetween: prep('SELECT Level, Amount FROM XpCurrencyReward WHERE GuildId = ? AND Level > ? AND Level <= ? ORDER BY Level'),
      markRewarded: prep(`INSERT INTO UserXpStats (GuildId, UserId, RewardedLevel) VALUES (?, ?, ?)
        ON CONFLICT (GuildId, UserId) DO UPDATE SET RewardedLevel = max(RewardedLevel, excluded.RewardedLevel)`),
      ensureSettings: prep('INSERT OR IGNORE INTO XpSettings (GuildId) VALUES (?)'),
      addExclusion: prep('INSERT OR IGNORE INTO XpExcludedItem (GuildId, ItemType, ItemId) VALUES (?, ?, ?)'),
      delExclusion: prep('DELETE FROM XpExcludedItem WHERE GuildId = ? AND ItemType = ? AND ItemId = ?'),
      setMultiplier: prep(`INSERT INTO XpMultiplier (GuildId, ItemType, ItemId, Milli) VALUES (?, ?, ?, ?)
        ON CONFLICT (GuildId, ItemType, ItemId) DO UPDATE SET Milli = excluded.Milli`),
      delMultiplier: prep('DELETE FROM XpMultiplier WHERE GuildId = ? AND ItemType = ? AND ItemId = ?'),
      setChannelRate: prep(`INSERT INTO XpChannelRate (GuildId, ChannelId, XpPerMessage, CooldownSeconds) VALUES (?, ?, ?, ?)
        ON CONFLICT (GuildId, ChannelId) DO UPDATE SET XpPerMessage = excluded.XpPerMessage, CooldownSeconds = excluded.CooldownSeconds`),
      delChannelRate: prep('DELETE FROM XpChannelRate WHERE GuildId = ? AND ChannelId = ?'),
      setLevelUpMessage: prep(`INSERT INTO XpLevelUpMessage (GuildId, Level, Template) VALUES (?, ?, ?)
        ON CONFLICT (GuildId, Level) DO UPDATE SET Template = excluded.Template`),
      delLevelUpMessage: prep('DELETE FROM XpLevelUpMessage WHERE GuildId = ? AND Level = ?'),
      // The mode is bound twice; 'keep' (a mode left out) keeps the reward's own mode; NULL follows the server's.
      setRoleReward: prep(`INSERT INTO XpRoleReward (GuildId, Level, RoleId, Remove, Mode) VALUES (?, ?, ?, ?, nullif(?, 'keep'))
        ON CONFLICT (GuildId, Level, RoleId) DO UPDATE SET Remove = excluded.Remove, Mode = CASE ? WHEN 'keep' THEN Mode ELSE excluded.Mode END`),
      delRoleReward: prep('DELETE FROM XpRoleReward WHERE GuildId = ? AND Level = ? AND RoleId = ?'),
      setCurrencyReward: prep(`INSERT INTO XpCurrencyReward (GuildId, Level, Amount) VALUES (?, ?, ?)
        ON CONFLICT (GuildId, Level) DO UPDATE SET Amount = excluded.Amount`),
      delCurrencyReward: prep('DELETE FROM XpCurrencyReward WHERE GuildId = ? AND Level = ?'),
      guildRows: prep('SELECT UserId, HasLeft FROM UserXpStats WHERE GuildId = ?').safeIntegers(true),
      rejoined: prep('UPDATE UserXpStats SET HasLeft = 0, LeftAt = NULL WHERE GuildId = @g AND UserId = @u'),
      // A row is made if there is none yet: XP still buffered for a member who just left lands hidden. …except for a
      // member who opted out here: nothing new is stored about them (DESIGN §13). A row they already have is marked
      // all the same, so it leaves the leaderboard and the server's retention rule applies to it. LeftAt keeps the
      // first leave (a repeated leave event does not restart the retention period); a rejoin clears it.
      left: prep(`INSERT INTO UserXpStats (GuildId, UserId, HasLeft, LeftAt) SELECT @g, @u, 1, @at
          WHERE NOT EXISTS (SELECT 1 FROM XpOptOut WHERE GuildId = @g AND UserId = @u) OR EXISTS (SELECT 1 FROM UserXpStats WHERE GuildId = @g AND UserId = @u)
        ON CONFLICT (GuildId, UserId) DO UPDATE SET HasLeft = 1, LeftAt = COALESCE(UserXpStats.LeftAt, excluded.LeftAt)`),
      adminAction: prep(`INSERT INTO XpAdminAction (GuildId, UserId, ActorId, Action, Amount, DateAdded)
        VALUES (?, ?, ?, ?, ?, ?)`),
      erasuresSince: prep('SELECT Id, UserId, GuildId FROM PrivacyErasure WHERE Id > ? ORDER BY Id').safeIntegers(true),
      erasedSince: prep('SELECT 1 FROM PrivacyErasure WHERE Id > ? AND (GuildId IS NULL OR GuildId = ?) AND (UserId IS NULL OR UserId = ?) LIMIT 1'),
    };
  }

  /**
   * Adds a batch of buffered gains in one IMMEDIATE transaction: additive upserts (never overwrite, so several
   * processes can flush into one file), rows sorted by key so concurrent writers touch pages in the same order.
   * A batch whose sequence number the writer's flush marker already holds is not written again.
   */
  flush(batch: FlushBatch): BoardChange {
    return this.flushPlan(planFlush(batch));
  }

  /** `flush` of a planned batch (src/storage/flush-plan.ts): the writer thread receives batches so. */
  flushPlan(plan: FlushPlan): BoardChange {
    const run = this.db.transaction((): BoardChange => {
      // A batch the marker already holds (its writer died after COMMIT, and it is offered again) is in: skip it.
      const marker = this.q.seq!.get(this.writerId) as { Seq: bigint } | undefined;
      if (marker && marker.Seq >= BigInt(plan.seq)) return { generations: [] };
      // Erasures the engine had not applied when it took the batch (DESIGN §13): the batch may hold gains buffered
      // before them, so the rows they cover are dropped, whatever process made the erasure. Read inside the write
      // transaction, so no erasure can commit between this check and the rows.
      const erased = this.q.erasuresSince!.all(plan.erasureSeen ?? 0) as ErasureRow[];
      const keep = erased.length === 0 ? () => true : (g: bigint, u: bigint) => !erased.some((e) => (e.GuildId === null || e.GuildId === g) && (e.UserId === null || e.UserId === u));
      const ids = planIds(plan);
      const g = Array.from({ length: ids.length / 2 }, (_, i) => sf(ids[2 * i]!));
      const u = Array.from({ length: ids.length / 2 }, (_, i) => sf(ids[2 * i + 1]!));
      // Members in key order, so concurrent writers touch pages in the same order.
      const byKey = (a: number, b: number) => (g[a] === g[b] ? compareIds(u[a]!, u[b]!) : compareIds(g[a]!, g[b]!));
      const order = g.map((_, i) => i).filter((i) => keep(g[i]!, u[i]!)).sort(byKey);
      const m = plan.members;
      const totals = new Map<bigint, number>();
      const hidden: [string, string][] = [];
      for (const i of order) {
        const at = i * MEMBER_WIDTH;
        // Period XP rides on the member's upsert (DESIGN §15.2); a row marked as left keeps it off the boards.
        const left = this.q.upsertXp!.get(g[i], u[i], m[at], m[at + 1], orNull(m[at + 2]!), orNull(m[at + 3]!), m[at + 4], orNull(m[at + 5]!), m[at + 6], orNull(m[at + 7]!), m[at + 8]);
        if (left !== 0) hidden.push([ids[2 * i]!, ids[2 * i + 1]!]);
        totals.set(u[i]!, (totals.get(u[i]!) ?? 0) + m[at]!);
      }
      // Older periods' XP (a buffer spanning a rollover), adding no XP.
      for (const pass of plan.later) {
        for (let at = 0; at < pass.length; at += LATER_WIDTH) {
          const i = pass[at]!;
          if (!keep(g[i]!, u[i]!)) continue;
          this.q.upsertXp!.run(g[i], u[i], 0, 0, null, orNull(pass[at + 1]!), pass[at + 2], orNull(pass[at + 3]!), pass[at + 4], orNull(pass[at + 5]!), pass[at + 6]);
        }
      }
      for (const [user, xp] of [...totals].sort((a, b) => compareIds(a[0], b[0]))) this.q.upsertTotal!.run(user, xp);
      for (const v of plan.voice) {
        const vg = sf(v.guildId);
        const vu = sf(v.userId);
        if (keep(vg, vu)) this.q.upsertVoice!.run(vg, vu, v.day, v.minutes);
      }
      // History in the same transaction as the totals: history sums to them whatever fails (DESIGN §15.1), and an
      // erased member's rows are dropped with their totals.
      const h = plan.history;
      const history: number[] = [];
      for (let at = 0; at < h.length; at += HISTORY_WIDTH) if (keep(g[h[at]!]!, u[h[at]!]!)) history.push(at);
      history.sort((a, b) => {
        const [i, j] = [h[a]!, h[b]!];
        return g[i] !== g[j] ? compareIds(g[i]!, g[j]!) : h[a + 1] !== h[b + 1] ? h[a + 1]! - h[b + 1]! : i !== j ? compareIds(u[i]!, u[j]!) : h[a + 2]! - h[b + 2]!;
      });
      this.upsertHistory.run(history.length, (k, out) => {
        const at = history[k]!;
        out.push(g[h[at]!], h[at + 1], u[h[at]!], h[at + 2], h[at + 3]);
      });
      this.q.stampSeq!.run(this.writerId, plan.seq, this.wallNow());
      // The servers whose period boards changed, with their new generations (src/boards); rows an erasure dropped
      // tell the boards to read the server again rather than trust the batch.
      const guilds = plan.periods ? [...new Set(ids.filter((_, k) => k % 2 === 0))] : [];
      return {
        generations: guilds.map((id) => [id, this.bumpBoards(sf(id))]),
        ...(erased.length > 0 ? { dropped: true } : {}),
        ...(hidden.length > 0 ? { hidden } : {}),
      };
    });
    return run.immediate();
  }

  /** Counts a change of the server's period boards (DESIGN §15.2); returns the new generation. */
  private bumpBoards(g: bigint): number {
    return num((this.q.bumpBoards!.get(g) as { Gen: bigint }).Gen);
  }

  /** See `XpWrites.recordLevelUp`: payment, mark and queued roles in one transaction (DESIGN §2.4, §2.7). */
  recordLevelUp(guildId: string, userId: string, levelUp: LevelUp): LevelUpRecord {
    const g = sf(guildId);
    const u = sf(userId);
    const { oldLevel, newLevel: toLevel } = levelUp;
    const record = this.db.transaction((): LevelUpRecord => {
      // The flush's rule (DESIGN §13): a level-up computed before an erasure of the member writes nothing, or the
      // mark, the payment and its ledger row would come back. Read inside the write transaction, as in `flush`.
      if (this.q.erasedSince!.get(levelUp.erasureSeen ?? 0, g, u)) return erasedRecord();
      const row = this.q.rewarded!.get(g, u) as { RewardedLevel: bigint } | undefined;
      const start = row ? num(row.RewardedLevel) : 0;
      // Roles from the lower of the old level and the mark: levels whose roles were missed before (a failed
      // transaction, a curve change) are caught up now. The highest crossed level decides each role.
      const roles = roleChangesBetween(levelUp.roleRewards, Math.min(oldLevel, start), toLevel, levelUp.rewardMode ?? 'stack');
      this.roles.queue(guildId, userId, roles, 'level', levelUp.at);
      // Webhook deliveries are recorded with the event itself (DESIGN §14.4); a level going down is no level-up.
      if (toLevel > oldLevel) this.webhooks.enqueue(guildId, 'level_up', { userId, oldLevel, newLevel: toLevel }, levelUp.at);
      if (toLevel <= start) return { previousMark: start, paid: [], roles };
      const paid = (this.q.currencyBetween!.all(g, start, toLevel) as { Level: number; Amount: number }[]).map((r) => ({
        level: r.Level,
        amount: r.Amount,
      }));
      this.q.markRewarded!.run(g, u, toLevel);
      const total = paid.reduce((s, p) => s + p.amount, 0);
      if (total !== 0) {
        this.ledger.credit(u, total);
        const levels = paid.length === 1 ? `level ${paid[0]!.level}` : `levels ${paid[0]!.level}–${paid[paid.length - 1]!.level}`;
        this.ledger.log(u, total, 'level_reward', `${levels} in guild ${guildId}`, this.wallNow());
        this.webhooks.enqueue(guildId, 'currency_paid', { userId, amount: total, levels: paid.map((p) => p.level) }, levelUp.at);
      }
      return { previousMark: start, paid, roles };
    });
    return record.immediate();
  }

  queueRoleChanges(guildId: string, userId: string, roles: RoleChanges, cause: RoleChangeCause, at: number): number {
    return this.roles.queue(guildId, userId, roles, cause, at);
  }

  updateSettings(guildId: string, patch: SettingsPatch): void {
    const g = sf(guildId);
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [key, value] of Object.entries(patch) as [keyof GuildSettings, unknown][]) {
      if (key === 'curve') {
        const curve = value as GuildSettings['curve'];
        sets.push('CurveA = ?', 'CurveC = ?', 'CurveQ = ?');
        values.push(curve.a, curve.c, curve.q ?? 0);
        continue;
      }
      const column = SETTING_COLUMNS[key as keyof typeof SETTING_COLUMNS];
      if (!column) throw new Error(`unknown setting ${key}`);
      sets.push(`${column} = ?`);
      values.push(settingValue(key, value));
    }
    if (sets.length === 0) return;
    const update = this.db.prepare(`UPDATE XpSettings SET ${sets.join(', ')} WHERE GuildId = ?`);
    this.db
      .transaction(() => {
        this.q.ensureSettings!.run(g);
        update.run(...values, g);
      })
      .immediate();
  }

  setExcluded(guildId: string, type: ExclusionType, itemId: string, excluded: boolean): boolean {
    const stmt = excluded ? this.q.addExclusion! : this.q.delExclusion!;
    return stmt.run(sf(guildId), type, sf(itemId)).changes > 0;
  }

  /** `milli` in thousandths (1500 = ×1.5); null deletes the multiplier. */
  setMultiplier(guildId: string, type: MultiplierType, itemId: string, milli: Milli | null): boolean {
    if (milli === null) return this.q.delMultiplier!.run(sf(guildId), type, sf(itemId)).changes > 0;
    if (!Number.isSafeInteger(milli) || milli < 0) throw new Error(`a multiplier is a whole number of thousandths, not ${milli}`);
    this.q.setMultiplier!.run(sf(guildId), type, sf(itemId), milli);
    return true;
  }

  /** A channel's (or category's) own XP per message and cooldown; null deletes it. Returns whether anything changed. */
  setChannelRate(guildId: string, channelId: string, rate: ChannelRate | null): boolean {
    if (rate === null) return this.q.delChannelRate!.run(sf(guildId), sf(channelId)).changes > 0;
    this.q.setChannelRate!.run(sf(guildId), sf(channelId), rate.xpPerMessage, rate.cooldownSeconds);
    return true;
  }

  /** The level-up text of one level (DESIGN §2.4.3); null deletes it. Returns whether anything changed. */
  setLevelUpMessage(guildId: string, level: number, template: string | null): boolean {
    if (template === null) return this.q.delLevelUpMessage!.run(sf(guildId), level).changes > 0;
    this.q.setLevelUpMessage!.run(sf(guildId), level, template);
    return true;
  }

  /**
   * `remove` null deletes the reward. `mode`: the reward's own mode, null to follow the server's, left out to keep
   * what the reward had (a new reward then follows the server's). Returns whether anything changed.
   */
  setRoleReward(guildId: string, level: number, roleId: string, remove: boolean | null, mode?: RewardMode | null): boolean {
    if (remove === null) return this.q.delRoleReward!.run(sf(guildId), level, sf(roleId)).changes > 0;
    const m = mode === undefined ? 'keep' : mode;
    this.q.setRoleReward!.run(sf(guildId), level, sf(roleId), remove ? 1 : 0, m, m);
    return true;
  }

  /** An amount of 0 deletes the reward. */
  setCurrencyReward(guildId: string, level: number, amount: number): boolean {
    if (amount === 0) return this.q.delCurrencyReward!.run(sf(guildId), level).changes > 0;
    this.q.setCurrencyReward!.run(sf(guildId), level, amount);
    return true;
  }

  /** A member joined (back) or left; `at`: wall ms, when they left (for the retention rule, DESIGN §13). */
  /** Returns the server's new board generation when a row changed: a member's period XP shows with HasLeft (DESIGN §15.2). */
  setMembership(guildId: string, userId: string, present: boolean, at: number): BoardChange {
    const g = sf(guildId);
    const u = sf(userId);
    return this.db
      .transaction((): BoardChange => {
        // A member joining with no row yet changes no board.
        if (this.membership(g, u, present, at) === 0) return { generations: [] };
        return { generations: [[guildId, this.bumpBoards(g)]] };
      })
      .immediate();
  }

  /** Rows changed. */
  private membership(g: bigint, u: bigint, present: boolean, at: number): number {
    return (present ? this.q.rejoined!.run({ g, u }) : this.q.left!.run({ g, u, at })).changes;
  }

  /**
   * Brings HasLeft in line with a complete member list (joins and leaves the bot missed while it was offline).
   * Reads the guild's rows once, here in the writer thread; returns how many rows changed each way.
   */
  reconcileMembers(guildId: string, memberIds: readonly string[], at: number): { left: number; back: number } {
    const g = sf(guildId);
    const present = new Set(memberIds);
    let left = 0;
    let back = 0;
    this.db
      .transaction(() => {
        for (const r of this.q.guildRows!.all(g) as { UserId: bigint; HasLeft: bigint }[]) {
          const isMember = present.has(String(r.UserId));
          if (isMember === (r.HasLeft === 0n)) continue;
          if (isMember) back++;
          else left++;
          this.membership(g, r.UserId, isMember, at);
        }
        if (left + back > 0) this.bumpBoards(g);
      })
      .immediate();
    return { left, back };
  }

  logAdminAction(a: AdminActionRow): void {
    this.q.adminAction!.run(sf(a.guildId), sf(a.userId), sf(a.actorId), a.action, a.amount, a.at);
  }
}

/** What `recordLevelUp` answers for a member erased after the engine's view: nothing written. */
export function erasedRecord(): LevelUpRecord {
  return { previousMark: 0, paid: [], roles: { add: [], remove: [] }, erased: true };
}

interface ErasureRow {
  Id: bigint;
  UserId: bigint | null;
  GuildId: bigint | null;
}


export function settingValue(key: keyof GuildSettings, value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (key === 'announceChannelId') return value === null ? null : sf(value as string);
  return value;
}
