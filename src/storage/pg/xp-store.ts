/**
 * XP reads and writes on PostgreSQL: the twins of `../xp-reads.ts` and `../xp-writes.ts`, with the same contract
 * (tests/storage/contract). What differs is how PostgreSQL is driven:
 * - The flush is one statement per table over UNNEST'ed arrays, rows summed and sorted by key in SQL, in one READ
 *   COMMITTED transaction: concurrent flushes lock rows in the same order, so they never deadlock. It checks its
 *   flush marker first, so running it again after a COMMIT whose answer was lost writes nothing twice (DESIGN §7.1).
 * - A read that must be one snapshot (XP + flush marker) is one statement.
 */
import type { Erasure, FlushBatch, LevelUp, LevelUpRecord, RoleChangeCause, RoleChanges, StoredXp } from '../../engine/ports.js';
import type { ChannelRate, ExclusionType, GuildRules, GuildSettings, MultiplierType, RewardMode } from '../../engine/settings.js';
import type { Milli } from '../../engine/multiplier.js';
import { roleChangesBetween } from '../../engine/rewards.js';
import { idOf, num } from '../ids.js';
import { rankBucket, rulesFromRows, type LeaderboardRow, type RulesRows, type SettingsRow, type XpRangeRow, type XpReadStore } from '../xp-reads.js';
import { erasedRecord, SETTING_COLUMNS, settingValue, type AdminActionRow, type SettingsPatch, type XpWriteStore } from '../xp-writes.js';
import type { Port } from '../ports.js';
import { withRetry, type PgClient, type PgPool } from './pool.js';
import { changes, cols, one, rows, wholeArray } from './sql.js';
import * as ledger from './ledger.js';
import { queueRoles } from './role-queue.js';
import { enqueueWebhook } from './webhook-outbox.js';
import { ERASURE_LOCK } from './privacy.js';
import { SLOT_INSERT_COLUMNS, slotAssignments } from '../period-slots.js';
import { HISTORY_WIDTH, LATER_WIDTH, MEMBER_WIDTH, orNull, planFlush, planIds, type FlushPlan } from '../flush-plan.js';
import type { BoardChange } from '../../boards/period-boards.js';

/** Counts a change of each server's period boards (DESIGN §15.2) in the caller's transaction; the new generations. */
async function bumpBoards(c: PgClient, guildIds: readonly string[]): Promise<[string, number][]> {
  if (guildIds.length === 0) return [];
  const r = await rows<{ g: string; gen: string }>(
    c,
    `INSERT INTO XpBoardGeneration (GuildId, Gen) SELECT g, 1 FROM UNNEST($1::bigint[]) AS t(g) ORDER BY g
     ON CONFLICT (GuildId) DO UPDATE SET Gen = XpBoardGeneration.Gen + 1 RETURNING GuildId AS g, Gen AS gen`,
    [guildIds],
  );
  return r.map((x) => [idOf(x.g), num(x.gen)]);
}

const SETTINGS = cols([
  'XpEnabled', 'XpRateMilli', 'XpPerMessage', 'CooldownSeconds', 'VoiceXpPerMinute', 'VoiceAntiFarm', 'VoiceDailyCapMinutes',
  'CurveA', 'CurveC', 'CurveQ', 'AnnounceMode', 'AnnounceChannelId', 'AnnounceTemplate', 'AnnouncePing', 'Prefix', 'ReapplyRolesOnRejoin',
  'CardAccent', 'AntispamMinLength', 'AntispamSimilarity', 'VoiceMutedEarn',
  'StageAudiencePercent', 'RetentionDays', 'RewardMode',
  'AnnounceStyle', 'AnnounceTitle', 'AnnounceFooter', 'AnnounceColor', 'AnnounceThumbnail', 'AnnounceCard', 'HistoryRetentionDays', 'TimeZone', 'WeekStart',
  'DecayEnabled', 'DecayAfterDays', 'DecayAmount', 'DecayUnit', 'DecayPer', 'DecayFloorLevel', 'DecaySinceDay',
]);

type UserRow = { xp: number; awardedXp: number; rewardedLevel: number; hasLeft: boolean };

export class PgXpReads implements Port<XpReadStore> {
  constructor(
    private readonly pool: PgPool,
    private readonly writerId: string,
  ) {}

  async storedXp(guildId: string, userId: string): Promise<StoredXp> {
    // One statement, one snapshot: the XP and the marker of the flushes it holds.
    const r = await one<{ xp: string | null; seq: string | null }>(
      this.pool,
      `SELECT (SELECT Xp FROM UserXpStats WHERE GuildId = $1 AND UserId = $2) AS xp, (SELECT Seq FROM FlushState WHERE WriterId = $3) AS seq`,
      [guildId, userId, this.writerId],
    );
    return { xp: num(r?.xp ?? 0), flushSeq: num(r?.seq ?? 0) };
  }

  async erasuresSince(afterId: number): Promise<Erasure[]> {
    const r = await rows<{ id: string; g: string | null; u: string | null }>(
      this.pool,
      'SELECT Id AS id, GuildId AS g, UserId AS u FROM PrivacyErasure WHERE Id > $1 ORDER BY Id',
      [afterId],
    );
    return r.map((x) => ({ id: num(x.id), guildId: x.g === null ? null : idOf(x.g), userId: x.u === null ? null : idOf(x.u) }));
  }

  async lastErasureId(): Promise<number> {
    const r = await one<{ n: string }>(this.pool, 'SELECT COALESCE(MAX(Id), 0) AS n FROM PrivacyErasure');
    return num(r!.n);
  }

  async lastFlushSeq(): Promise<number> {
    const r = await one<{ seq: string }>(this.pool, 'SELECT Seq AS seq FROM FlushState WHERE WriterId = $1', [this.writerId]);
    return r ? num(r.seq) : 0;
  }

  async userRow(guildId: string, userId: string): Promise<UserRow | null> {
    return (await this.userRows(guildId, [userId])).get(userId) ?? null;
  }

  /** The rows of several members of a guild in one query. */
  private async userRows(guildId: string, userIds: readonly string[]): Promise<Map<string, UserRow>> {
    const r = await rows<{ u: string; xp: string; a: string; r: number; h: number }>(
      this.pool,
      'SELECT UserId AS u, Xp AS xp, AwardedXp AS a, RewardedLevel AS r, HasLeft AS h FROM UserXpStats WHERE GuildId = $1 AND UserId = ANY($2::bigint[])',
      [guildId, userIds],
    );
    return new Map(r.map((x) => [idOf(x.u), { xp: num(x.xp), awardedXp: num(x.a), rewardedLevel: num(x.r), hasLeft: x.h !== 0 }]));
  }

  async voiceMinutes(guildId: string, userId: string, day: number): Promise<{ minutes: number; flushSeq: number }> {
    const r = await one<{ m: number | null; seq: string | null }>(
      this.pool,
      `SELECT (SELECT Minutes FROM VoiceXpDaily WHERE GuildId = $1 AND UserId = $2 AND Day = $3) AS m, (SELECT Seq FROM FlushState WHERE WriterId = $4) AS seq`,
      [guildId, userId, day, this.writerId],
    );
    return { minutes: r?.m ?? 0, flushSeq: num(r?.seq ?? 0) };
  }

  async loadGuildRules(guildId: string): Promise<GuildRules> {
    // Eight reads in one round trip would need one statement; the rules are read once per guild and cached.
    const [settings, exclusions, optOuts, multipliers, channelRates, roleRewards, currencyRewards, levelUpMessages, season, xpEvents, xpEventScopes] = await Promise.all([
      one<SettingsRow>(this.pool, `SELECT ${SETTINGS} FROM XpSettings WHERE GuildId = $1`, [guildId]),
      rows<RulesRows['exclusions'][number]>(this.pool, 'SELECT ItemType AS "ItemType", ItemId AS "ItemId" FROM XpExcludedItem WHERE GuildId = $1', [guildId]),
      rows<RulesRows['optOuts'][number]>(this.pool, 'SELECT UserId AS "UserId" FROM XpOptOut WHERE GuildId = $1', [guildId]),
      rows<RulesRows['multipliers'][number]>(this.pool, 'SELECT ItemType AS "ItemType", ItemId AS "ItemId", Milli AS "Milli" FROM XpMultiplier WHERE GuildId = $1', [guildId]),
      rows<RulesRows['channelRates'][number]>(
        this.pool,
        'SELECT ChannelId AS "ChannelId", XpPerMessage AS "XpPerMessage", CooldownSeconds AS "CooldownSeconds" FROM XpChannelRate WHERE GuildId = $1',
        [guildId],
      ),
      rows<RulesRows['roleRewards'][number]>(this.pool, 'SELECT Level AS "Level", RoleId AS "RoleId", Remove AS "Remove", Mode AS "Mode" FROM XpRoleReward WHERE GuildId = $1 ORDER BY Level, RoleId', [guildId]),
      rows<RulesRows['currencyRewards'][number]>(this.pool, 'SELECT Level AS "Level", Amount AS "Amount" FROM XpCurrencyReward WHERE GuildId = $1 ORDER BY Level', [guildId]),
      rows<RulesRows['levelUpMessages'][number]>(this.pool, 'SELECT Level AS "Level", Template AS "Template" FROM XpLevelUpMessage WHERE GuildId = $1 ORDER BY Level', [guildId]),
      one<NonNullable<RulesRows['season']>>(
        this.pool,
        `SELECT Id AS "Id", Number AS "Number", Name AS "Name", StartsAt AS "StartsAt", EndsAt AS "EndsAt" FROM XpSeason
         WHERE GuildId = $1 AND State = 'running' ORDER BY Id DESC LIMIT 1`,
        [guildId],
      ),
      rows<NonNullable<RulesRows['xpEvents']>[number]>(
        this.pool,
        'SELECT Id AS "Id", Milli AS "Milli", StartsAt AS "StartsAt", EndsAt AS "EndsAt" FROM XpEvent WHERE GuildId = $1 AND EndAnnounced = 0 ORDER BY Id',
        [guildId],
      ),
      rows<NonNullable<RulesRows['xpEventScopes']>[number]>(
        this.pool,
        `SELECT s.EventId AS "EventId", s.ItemType AS "ItemType", s.ItemId AS "ItemId" FROM XpEventScope s JOIN XpEvent e ON e.Id = s.EventId
         WHERE s.GuildId = $1 AND e.EndAnnounced = 0`,
        [guildId],
      ),
    ]);
    return rulesFromRows({ settings, exclusions, optOuts, multipliers, channelRates, roleRewards, currencyRewards, levelUpMessages, season, xpEvents, xpEventScopes });
  }

  async leaderboard(guildId: string, offset: number, limit: number): Promise<LeaderboardRow[]> {
    const r = await rows<{ u: string; xp: string }>(
      this.pool,
      'SELECT UserId AS u, Xp AS xp FROM UserXpStats WHERE GuildId = $1 AND HasLeft = 0 ORDER BY Xp DESC, UserId LIMIT $2 OFFSET $3',
      [guildId, limit, offset],
    );
    return r.map((x) => ({ userId: idOf(x.u), xp: num(x.xp) }));
  }

  /** See `XpReadStore.rank`: the same three index ranges (one round trip), then the same corrections. */
  async rank(guildId: string, userId: string, xp: number, unwritten: ReadonlyMap<string, number> = new Map()): Promise<number> {
    const bucket = rankBucket(xp);
    const counted = await one<{ n: string }>(
      this.pool,
      `SELECT (SELECT COALESCE(SUM(Members), 0) FROM XpRankBucket WHERE GuildId = $1 AND Bucket > $2)
            + (SELECT COUNT(*) FROM UserXpStats WHERE GuildId = $1 AND HasLeft = 0 AND Xp > $3 AND Xp < $4)
            + (SELECT COUNT(*) FROM UserXpStats WHERE GuildId = $1 AND HasLeft = 0 AND Xp = $3 AND UserId < $5) AS n`,
      [guildId, bucket, xp, (bucket + 1) * (bucket + 1), userId],
    );
    let ahead = num(counted!.n);
    const others = [...unwritten.keys()].filter((id) => id !== userId);
    const stored = await this.userRows(guildId, [userId, ...others]);
    const me = BigInt(userId);
    const correct = (id: string, total: number | null) => {
      const isAhead = (otherXp: number) => otherXp > xp || (otherXp === xp && BigInt(id) < me);
      const row = stored.get(id);
      if (row?.hasLeft) return;
      if (row && isAhead(row.xp)) ahead--;
      if (total !== null && isAhead(total)) ahead++;
    };
    correct(userId, null);
    for (const id of others) correct(id, unwritten.get(id)!);
    return ahead + 1;
  }

  /** See `XpReadStore.xpRange`. */
  async xpRange(guildId: string, afterId: string, throughId: string, limit: number): Promise<XpRangeRow[]> {
    const r = await rows<{ u: string; xp: string; h: number }>(
      this.pool,
      'SELECT UserId AS u, Xp AS xp, HasLeft AS h FROM UserXpStats WHERE GuildId = $1 AND UserId > $2 AND UserId <= $3 ORDER BY UserId LIMIT $4',
      [guildId, afterId, throughId, limit],
    );
    return r.map((x) => ({ userId: idOf(x.u), xp: num(x.xp), hasLeft: x.h !== 0 }));
  }

  async memberCount(guildId: string): Promise<number> {
    const r = await one<{ n: string }>(this.pool, 'SELECT COALESCE(SUM(Members), 0) AS n FROM XpRankBucket WHERE GuildId = $1', [guildId]);
    return num(r!.n);
  }

  async balance(userId: string): Promise<number> {
    const r = await one<{ b: string }>(this.pool, 'SELECT CurrencyAmount AS b FROM DiscordUser WHERE UserId = $1', [userId]);
    return r ? num(r.b) : 0;
  }

  /** The plans of the leaderboard and rank queries (EXPLAIN) for a guild, for the bench and the plan test. */
  async explain(guildId = '1'): Promise<Record<string, string[]>> {
    const plan = async (sql: string, params: unknown[]) =>
      (await rows<{ 'QUERY PLAN': string }>(this.pool, `EXPLAIN ${sql}`, params)).map((r) => r['QUERY PLAN'].trim());
    return {
      page: await plan('SELECT UserId, Xp FROM UserXpStats WHERE GuildId = $1 AND HasLeft = 0 ORDER BY Xp DESC, UserId LIMIT $2 OFFSET $3', [guildId, 10, 0]),
      bucketsAbove: await plan('SELECT SUM(Members) FROM XpRankBucket WHERE GuildId = $1 AND Bucket > $2', [guildId, 0]),
      aboveInBucket: await plan('SELECT COUNT(*) FROM UserXpStats WHERE GuildId = $1 AND HasLeft = 0 AND Xp > $2 AND Xp < $3', [guildId, 2500, 2601]),
      tiedBefore: await plan('SELECT COUNT(*) FROM UserXpStats WHERE GuildId = $1 AND HasLeft = 0 AND Xp = $2 AND UserId < $3', [guildId, 2500, '100000000000000000']),
    };
  }
}

export class PgXpWrites implements Port<XpWriteStore> {
  constructor(
    private readonly pool: PgPool,
    private readonly writerId: string,
    private readonly wallNow: () => number = Date.now,
  ) {}

  /**
   * One transaction: the marker is checked first (a batch whose COMMIT answer was lost is already in), then one
   * additive upsert per table, rows summed per key and sorted by key in SQL, then the marker moves.
   */
  flush(batch: FlushBatch): Promise<BoardChange> {
    return this.flushPlan(planFlush(batch));
  }

  /** See `XpWriteStore.flushPlan`. */
  flushPlan(plan: FlushPlan): Promise<BoardChange> {
    return withRetry(
      this.pool,
      async (c): Promise<BoardChange> => {
        const marker = await one<{ seq: string }>(c, 'SELECT Seq AS seq FROM FlushState WHERE WriterId = $1', [this.writerId]);
        if (marker && num(marker.seq) >= plan.seq) return { generations: [] };
        // Erasures the engine had not applied when it took the batch drop the rows they cover (DESIGN §13). The
        // shared lock waits for an erasure under way and keeps new ones out until COMMIT, so none can commit
        // between this read and the writes below.
        await c.query('SELECT pg_advisory_xact_lock_shared($1)', [ERASURE_LOCK]);
        const erased = await rows<{ g: string | null; u: string | null }>(c, 'SELECT GuildId AS g, UserId AS u FROM PrivacyErasure WHERE Id > $1', [plan.erasureSeen ?? 0]);
        const keep = (guildId: string, userId: string) => !erased.some((e) => (e.g === null || e.g === guildId) && (e.u === null || e.u === userId));
        const ids = planIds(plan);
        const kept = (i: number) => erased.length === 0 || keep(ids[2 * i]!, ids[2 * i + 1]!);
        const voice = erased.length === 0 ? plan.voice : plan.voice.filter((v) => keep(v.guildId, v.userId));
        const m = plan.members;
        const members = Array.from({ length: m.length / MEMBER_WIDTH }, (_, i) => i).filter(kept);
        // The default 4 MB spilled the sort of a 100 000-row batch to temporary files.
        if (members.length + voice.length > 20_000) await c.query("SET LOCAL work_mem = '64MB'");
        // One upsert per member (XP and period slots, DESIGN §15.2), then one per later pass (older periods' XP):
        // per pass the member indexes and where each one's MEMBER_WIDTH values start in `data`.
        const passes: { members: number[]; data: Float64Array; at: (j: number) => number }[] = [
          { members, data: m, at: (j) => members[j]! * MEMBER_WIDTH },
          ...plan.later.map((pass) => {
            const entries: number[] = [];
            const data = new Float64Array((pass.length / LATER_WIDTH) * MEMBER_WIDTH);
            for (let at = 0; at < pass.length; at += LATER_WIDTH) {
              if (!kept(pass[at]!)) continue;
              const to = entries.length * MEMBER_WIDTH;
              data.set([0, 0, NaN], to);
              data.set(pass.subarray(at + 1, at + LATER_WIDTH), to + 3);
              entries.push(pass[at]!);
            }
            return { members: entries, data, at: (j: number) => j * MEMBER_WIDTH };
          }),
        ];
        // Members whose rows are marked as left: their period XP is stored but on no board (BoardChange.hidden).
        const hidden: [string, string][] = [];
        for (const { members: list, data, at } of passes) {
          if (list.length === 0) continue;
          const g: string[] = new Array(list.length);
          const u: string[] = new Array(list.length);
          const columns = Array.from({ length: MEMBER_WIDTH }, () => new Array<number | null>(list.length));
          for (let j = 0; j < list.length; j++) {
            g[j] = ids[2 * list[j]!]!;
            u[j] = ids[2 * list[j]! + 1]!;
            const from = at(j);
            for (let k = 0; k < MEMBER_WIDTH; k++) columns[k]![j] = orNull(data[from + k]!);
          }
          const left = await rows<{ g: string; u: string }>(
            c,
            `WITH up AS (
               INSERT INTO UserXpStats (GuildId, UserId, Xp, AwardedXp, LastEarnedDay, ${SLOT_INSERT_COLUMNS.join(', ')})
               SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::int[], $6::int[], $7::bigint[], $8::int[], $9::bigint[], $10::int[], $11::bigint[])
                 AS t(g, u, x, a, d, w, wx, m, mx, s, sx) ORDER BY g, u
               ON CONFLICT (GuildId, UserId) DO UPDATE SET Xp = UserXpStats.Xp + excluded.Xp, AwardedXp = UserXpStats.AwardedXp + excluded.AwardedXp,
                 LastEarnedDay = GREATEST(UserXpStats.LastEarnedDay, excluded.LastEarnedDay),
                 ${slotAssignments('UserXpStats.')}
               RETURNING GuildId, UserId, HasLeft)
             SELECT GuildId::text AS g, UserId::text AS u FROM up WHERE HasLeft <> 0`,
            [wholeArray(g), wholeArray(u), ...columns.map(wholeArray)],
          );
          for (const r of left) hidden.push([r.g, r.u]);
        }
        if (members.length > 0) {
          await c.query(
            `INSERT INTO DiscordUser (UserId, TotalXp)
             SELECT u, SUM(x) FROM UNNEST($1::bigint[], $2::bigint[]) AS t(u, x) GROUP BY u ORDER BY u
             ON CONFLICT (UserId) DO UPDATE SET TotalXp = DiscordUser.TotalXp + excluded.TotalXp`,
            [wholeArray(members.map((i) => ids[2 * i + 1]!)), wholeArray(members.map((i) => m[i * MEMBER_WIDTH]!))],
          );
        }
        if (voice.length > 0) {
          await c.query(
            `INSERT INTO VoiceXpDaily (GuildId, UserId, Day, Minutes)
             SELECT g, u, d, SUM(m) FROM UNNEST($1::bigint[], $2::bigint[], $3::int[], $4::int[]) AS t(g, u, d, m)
             GROUP BY g, u, d ORDER BY g, u, d
             ON CONFLICT (GuildId, UserId, Day) DO UPDATE SET Minutes = VoiceXpDaily.Minutes + excluded.Minutes`,
            [wholeArray(voice.map((v) => v.guildId)), wholeArray(voice.map((v) => v.userId)), wholeArray(voice.map((v) => v.day)), wholeArray(voice.map((v) => v.minutes))],
          );
        }
        // History and period totals in the same transaction as the totals (DESIGN §15.1, §15.2).
        const h = plan.history;
        const history: number[] = [];
        for (let at = 0; at < h.length; at += HISTORY_WIDTH) if (kept(h[at]!)) history.push(at);
        if (history.length > 0) {
          const col = (f: (at: number) => string | number) => wholeArray(history.map(f));
          await c.query(
            `INSERT INTO XpHistoryDaily (GuildId, Day, UserId, Source, Xp)
             SELECT g, d, u, s, SUM(x) FROM UNNEST($1::bigint[], $2::int[], $3::bigint[], $4::smallint[], $5::bigint[]) AS t(g, d, u, s, x)
             GROUP BY g, d, u, s ORDER BY g, d, u, s
             ON CONFLICT (GuildId, Day, UserId, Source) DO UPDATE SET Xp = XpHistoryDaily.Xp + excluded.Xp`,
            [col((at) => ids[2 * h[at]!]!), col((at) => h[at + 1]!), col((at) => ids[2 * h[at]! + 1]!), col((at) => h[at + 2]!), col((at) => h[at + 3]!)],
          );
        }
        await c.query(
          `INSERT INTO FlushState (WriterId, Seq, UpdatedAt) VALUES ($1, $2, $3)
           ON CONFLICT (WriterId) DO UPDATE SET Seq = excluded.Seq, UpdatedAt = excluded.UpdatedAt`,
          [this.writerId, plan.seq, this.wallNow()],
        );
        // The servers whose period boards changed, with their new generations (src/boards).
        const generations = await bumpBoards(c, plan.periods ? [...new Set(ids.filter((_, k) => k % 2 === 0))] : []);
        return { generations, ...(erased.length > 0 ? { dropped: true as const } : {}), ...(hidden.length > 0 ? { hidden } : {}) };
      },
      { idempotent: true },
    );
  }

  /** See `XpWrites.recordLevelUp`. The member's row is locked first, so two writers can never both pay a level. */
  recordLevelUp(guildId: string, userId: string, levelUp: LevelUp): Promise<LevelUpRecord> {
    const { oldLevel, newLevel: toLevel } = levelUp;
    return withRetry(this.pool, async (c): Promise<LevelUpRecord> => {
      // The flush's rule and lock (DESIGN §13): a level-up computed before an erasure of the member writes nothing.
      // The lock comes before any row lock, as in an erasure, so the two never wait for each other the other way round.
      await c.query('SELECT pg_advisory_xact_lock_shared($1)', [ERASURE_LOCK]);
      const erased = await one(
        c,
        'SELECT 1 FROM PrivacyErasure WHERE Id > $1 AND (GuildId IS NULL OR GuildId = $2) AND (UserId IS NULL OR UserId = $3) LIMIT 1',
        [levelUp.erasureSeen ?? 0, guildId, userId],
      );
      if (erased) return erasedRecord();
      await c.query('INSERT INTO UserXpStats (GuildId, UserId) VALUES ($1, $2) ON CONFLICT DO NOTHING', [guildId, userId]);
      const row = await one<{ r: number }>(c, 'SELECT RewardedLevel AS r FROM UserXpStats WHERE GuildId = $1 AND UserId = $2 FOR UPDATE', [guildId, userId]);
      const start = row?.r ?? 0;
      const roles = roleChangesBetween(levelUp.roleRewards, Math.min(oldLevel, start), toLevel, levelUp.rewardMode ?? 'stack');
      await queueRoles(c, guildId, userId, roles, 'level', levelUp.at);
      // Webhook deliveries are recorded with the event itself (DESIGN §14.4); a level going down is no level-up.
      if (toLevel > oldLevel) await enqueueWebhook(c, guildId, 'level_up', { userId, oldLevel, newLevel: toLevel }, levelUp.at);
      if (toLevel <= start) return { previousMark: start, paid: [], roles };
      const paid = (
        await rows<{ l: number; a: string }>(c, 'SELECT Level AS l, Amount AS a FROM XpCurrencyReward WHERE GuildId = $1 AND Level > $2 AND Level <= $3 ORDER BY Level', [guildId, start, toLevel])
      ).map((r) => ({ level: r.l, amount: num(r.a) }));
      await c.query('UPDATE UserXpStats SET RewardedLevel = greatest(RewardedLevel, $3) WHERE GuildId = $1 AND UserId = $2', [guildId, userId, toLevel]);
      const total = paid.reduce((s, p) => s + p.amount, 0);
      if (total !== 0) {
        await ledger.credit(c, userId, total);
        const levels = paid.length === 1 ? `level ${paid[0]!.level}` : `levels ${paid[0]!.level}–${paid[paid.length - 1]!.level}`;
        await ledger.log(c, userId, total, 'level_reward', `${levels} in guild ${guildId}`, this.wallNow());
        await enqueueWebhook(c, guildId, 'currency_paid', { userId, amount: total, levels: paid.map((p) => p.level) }, levelUp.at);
      }
      return { previousMark: start, paid, roles };
    });
  }

  queueRoleChanges(guildId: string, userId: string, roles: RoleChanges, cause: RoleChangeCause, at: number): Promise<number> {
    return withRetry(this.pool, (c) => queueRoles(c, guildId, userId, roles, cause, at));
  }

  updateSettings(guildId: string, patch: SettingsPatch): Promise<void> {
    return withRetry(this.pool, (c) => updateSettingsIn(c, guildId, patch));
  }

  async setExcluded(guildId: string, type: ExclusionType, itemId: string, excluded: boolean): Promise<boolean> {
    const sql = excluded
      ? 'INSERT INTO XpExcludedItem (GuildId, ItemType, ItemId) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING'
      : 'DELETE FROM XpExcludedItem WHERE GuildId = $1 AND ItemType = $2 AND ItemId = $3';
    return (await changes(this.pool, sql, [guildId, type, itemId])) > 0;
  }

  async setMultiplier(guildId: string, type: MultiplierType, itemId: string, milli: Milli | null): Promise<boolean> {
    if (milli === null) return (await changes(this.pool, 'DELETE FROM XpMultiplier WHERE GuildId = $1 AND ItemType = $2 AND ItemId = $3', [guildId, type, itemId])) > 0;
    if (!Number.isSafeInteger(milli) || milli < 0) throw new Error(`a multiplier is a whole number of thousandths, not ${milli}`);
    await this.pool.query(
      `INSERT INTO XpMultiplier (GuildId, ItemType, ItemId, Milli) VALUES ($1, $2, $3, $4)
       ON CONFLICT (GuildId, ItemType, ItemId) DO UPDATE SET Milli = excluded.Milli`,
      [guildId, type, itemId, milli],
    );
    return true;
  }

  async setChannelRate(guildId: string, channelId: string, rate: ChannelRate | null): Promise<boolean> {
    if (rate === null) return (await changes(this.pool, 'DELETE FROM XpChannelRate WHERE GuildId = $1 AND ChannelId = $2', [guildId, channelId])) > 0;
    await this.pool.query(
      `INSERT INTO XpChannelRate (GuildId, ChannelId, XpPerMessage, CooldownSeconds) VALUES ($1, $2, $3, $4)
       ON CONFLICT (GuildId, ChannelId) DO UPDATE SET XpPerMessage = excluded.XpPerMessage, CooldownSeconds = excluded.CooldownSeconds`,
      [guildId, channelId, rate.xpPerMessage, rate.cooldownSeconds],
    );
    return true;
  }

  async setLevelUpMessage(guildId: string, level: number, template: string | null): Promise<boolean> {
    if (template === null) return (await changes(this.pool, 'DELETE FROM XpLevelUpMessage WHERE GuildId = $1 AND Level = $2', [guildId, level])) > 0;
    await this.pool.query(
      `INSERT INTO XpLevelUpMessage (GuildId, Level, Template) VALUES ($1, $2, $3)
       ON CONFLICT (GuildId, Level) DO UPDATE SET Template = excluded.Template`,
      [guildId, level, template],
    );
    return true;
  }

  async setRoleReward(guildId: string, level: number, roleId: string, remove: boolean | null, mode?: RewardMode | null): Promise<boolean> {
    if (remove === null) return (await changes(this.pool, 'DELETE FROM XpRoleReward WHERE GuildId = $1 AND Level = $2 AND RoleId = $3', [guildId, level, roleId])) > 0;
    // $5 'keep' (a mode left out) keeps the reward's own mode; NULL follows the server's.
    await this.pool.query(
      `INSERT INTO XpRoleReward (GuildId, Level, RoleId, Remove, Mode) VALUES ($1, $2, $3, $4, nullif($5::text, 'keep'))
       ON CONFLICT (GuildId, Level, RoleId) DO UPDATE SET Remove = excluded.Remove, Mode = CASE $5::text WHEN 'keep' THEN XpRoleReward.Mode ELSE excluded.Mode END`,
      [guildId, level, roleId, remove ? 1 : 0, mode === undefined ? 'keep' : mode],
    );
    return true;
  }

  async setCurrencyReward(guildId: string, level: number, amount: number): Promise<boolean> {
    if (amount === 0) return (await changes(this.pool, 'DELETE FROM XpCurrencyReward WHERE GuildId = $1 AND Level = $2', [guildId, level])) > 0;
    await this.pool.query(
      'INSERT INTO XpCurrencyReward (GuildId, Level, Amount) VALUES ($1, $2, $3) ON CONFLICT (GuildId, Level) DO UPDATE SET Amount = excluded.Amount',
      [guildId, level, amount],
    );
    return true;
  }

  setMembership(guildId: string, userId: string, present: boolean, at: number): Promise<BoardChange> {
    return withRetry(this.pool, async (c): Promise<BoardChange> => {
      const changed = present
        ? await changes(c, 'UPDATE UserXpStats SET HasLeft = 0, LeftAt = NULL WHERE GuildId = $1 AND UserId = $2', [guildId, userId])
        : await changes(
            c,
            `INSERT INTO UserXpStats (GuildId, UserId, HasLeft, LeftAt) SELECT $1, $2, 1, $3
               WHERE NOT EXISTS (SELECT 1 FROM XpOptOut WHERE GuildId = $1 AND UserId = $2) OR EXISTS (SELECT 1 FROM UserXpStats WHERE GuildId = $1 AND UserId = $2)
             ON CONFLICT (GuildId, UserId) DO UPDATE SET HasLeft = 1, LeftAt = COALESCE(UserXpStats.LeftAt, excluded.LeftAt)`,
            [guildId, userId, at],
          );
      // The member's period slots go (or come back) with the row's HasLeft (DESIGN §15.2); a member joining with no
      // row yet changes no board.
      return { generations: changed === 0 ? [] : await bumpBoards(c, [guildId]) };
    });
  }

  /** See `XpWriteStore.reconcileMembers`: two set-based updates in one transaction. */
  reconcileMembers(guildId: string, memberIds: readonly string[], at: number): Promise<{ left: number; back: number }> {
    return withRetry(this.pool, async (c) => {
      const back = await changes(c, 'UPDATE UserXpStats SET HasLeft = 0, LeftAt = NULL WHERE GuildId = $1 AND HasLeft <> 0 AND UserId = ANY($2::bigint[])', [guildId, memberIds]);
      const left = await changes(c, 'UPDATE UserXpStats SET HasLeft = 1, LeftAt = $3 WHERE GuildId = $1 AND HasLeft = 0 AND NOT (UserId = ANY($2::bigint[]))', [guildId, memberIds, at]);
      if (left + back > 0) await bumpBoards(c, [guildId]);
      return { left, back };
    });
  }

  async logAdminAction(a: AdminActionRow): Promise<void> {
    await this.pool.query('INSERT INTO XpAdminAction (GuildId, UserId, ActorId, Action, Amount, DateAdded) VALUES ($1, $2, $3, $4, $5, $6)', [
      a.guildId,
      a.userId,
      a.actorId,
      a.action,
      a.amount,
      a.at,
    ]);
  }
}

/** Writes a settings patch inside the caller's transaction (the setting commands, and imports batch by batch). */
export async function updateSettingsIn(c: PgClient, guildId: string, patch: SettingsPatch): Promise<void> {
  const sets: string[] = [];
  const values: unknown[] = [guildId];
  const put = (column: string, value: unknown) => {
    values.push(value);
    sets.push(`${column} = $${values.length}`);
  };
  for (const [key, value] of Object.entries(patch) as [keyof GuildSettings, unknown][]) {
    if (key === 'curve') {
      const curve = value as GuildSettings['curve'];
      put('CurveA', curve.a);
      put('CurveC', curve.c);
      put('CurveQ', curve.q ?? 0);
      continue;
    }
    const column = SETTING_COLUMNS[key as keyof typeof SETTING_COLUMNS];
    if (!column) throw new Error(`unknown setting ${key}`);
    put(column, settingValue(key, value));
  }
  if (sets.length === 0) return;
  await c.query('INSERT INTO XpSettings (GuildId) VALUES ($1) ON CONFLICT DO NOTHING', [guildId]);
  await c.query(`UPDATE XpSettings SET ${sets.join(', ')} WHERE GuildId = $1`, values.map((v) => (typeof v === 'bigint' ? String(v) : v)));
}
