/**
 * XP decay (DESIGN §15.4), as pure functions: which days a member's decay falls on, what one period takes, and the
 * preview of the next four weeks. The daily job and `decay preview` both call these, so the preview is what the job
 * then does. Days are UTC days since the epoch, like history days (DESIGN §15.1).
 */
import { levelFromXp, totalXpForLevel, type LevelCurve } from '../levels/curve.js';
import { roleChangesBetween } from './rewards.js';
import type { GuildSettings, RewardMode, RoleReward } from './settings.js';

export type DecayUnit = 'percent' | 'xp';
export type DecayPer = 'day' | 'week';

export interface DecayPolicy {
  /** Days without earning XP before decay starts, 1–365. */
  afterDays: number;
  /** Percent (1–100) or XP (1–1 000 000) taken per period. */
  amount: number;
  unit: DecayUnit;
  per: DecayPer;
  /** Decay never takes a member below this level, 0–100 000. */
  floorLevel: number;
}

export const DECAY_LIMITS = Object.freeze({
  afterDays: { min: 1, max: 365 },
  percent: { min: 1, max: 100 },
  xp: { min: 1, max: 1_000_000 },
  floorLevel: { min: 0, max: 100_000 },
});

/** Days the preview looks ahead: four weeks of daily runs, today's included. */
export const PREVIEW_DAYS = 28;

/** The policy a guild's settings hold (whether or not it is on). */
export function policyOf(s: Pick<GuildSettings, 'decayAfterDays' | 'decayAmount' | 'decayUnit' | 'decayPer' | 'decayFloorLevel'>): DecayPolicy {
  return { afterDays: s.decayAfterDays, amount: s.decayAmount, unit: s.decayUnit, per: s.decayPer, floorLevel: s.decayFloorLevel };
}

export function periodDays(per: DecayPer): number {
  return per === 'day' ? 1 : 7;
}

/**
 * How many of a member's decay days fall in (afterDay, throughDay]. The first comes the day after `afterDays` full
 * days without XP (lastActive + afterDays + 1), then one every period (1 or 7 days) while they earn nothing.
 */
export function dueCount(lastActive: number, policy: DecayPolicy, afterDay: number, throughDay: number): number {
  const first = lastActive + policy.afterDays + 1;
  if (throughDay < first || throughDay <= afterDay) return 0;
  const p = periodDays(policy.per);
  const upTo = Math.floor((throughDay - first) / p) + 1;
  const before = afterDay < first ? 0 : Math.floor((afterDay - first) / p) + 1;
  return upTo - before;
}

/** The first of a member's decay days after `afterDay` (for bucketing the preview by week). */
export function firstDueAfter(lastActive: number, policy: DecayPolicy, afterDay: number): number {
  const first = lastActive + policy.afterDays + 1;
  if (afterDay < first) return first;
  const p = periodDays(policy.per);
  return first + (Math.floor((afterDay - first) / p) + 1) * p;
}

/**
 * One period's decay: P % of the total rounded half up, or the fixed amount; never below `floorXp` (the XP of the
 * floor level), and a member already at or below it keeps what they have.
 */
export function decayStep(xp: number, policy: DecayPolicy, floorXp: number): number {
  if (xp <= floorXp) return xp;
  const loss = policy.unit === 'percent' ? Math.floor((xp * policy.amount + 50) / 100) : policy.amount;
  return Math.max(floorXp, xp - loss);
}

/** The XP a member has after `count` periods of decay (stops early once a period changes nothing). */
export function decayTimes(xp: number, policy: DecayPolicy, floorXp: number, count: number): number {
  let now = xp;
  for (let i = 0; i < count; i++) {
    const next = decayStep(now, policy, floorXp);
    if (next === now) break;
    now = next;
  }
  return now;
}

export function floorXpOf(policy: DecayPolicy, curve: LevelCurve): number {
  return totalXpForLevel(policy.floorLevel, curve);
}

/** A member as decay sees them: stored total, the last UTC day they earned XP (null: not known), gone or not. */
export interface DecayMember {
  userId: string;
  xp: number;
  lastEarnedDay: number | null;
  hasLeft: boolean;
}

/**
 * The day a member's inactivity counts from: the last day they earned, or — for a row that never recorded one (an
 * import) — the day the policy was turned on.
 */
export function lastActiveDay(m: DecayMember, sinceDay: number): number {
  return m.lastEarnedDay ?? sinceDay;
}

/** Everything the job and the preview need besides the members. */
export interface DecayContext {
  policy: DecayPolicy;
  curve: LevelCurve;
  roleRewards: readonly RoleReward[];
  rewardMode: RewardMode;
  /** Members holding an exempt role: never decayed. */
  exempt: ReadonlySet<string>;
  /** Members with XP not written yet (they are earning now): left for the next run. */
  busy?: ReadonlySet<string>;
  /** The day NULL last-earned days count from (the day the policy was turned on; today before it is). */
  sinceDay: number;
}

/** One member's change in a run: XP before and after, levels, and the reward roles that follow (present members). */
export interface DecayChange {
  userId: string;
  fromXp: number;
  toXp: number;
  fromLevel: number;
  toLevel: number;
  roles: { add: string[]; remove: string[] };
}

/** Caches role changes per (from, to) level pair: a big server has many members on the same levels. */
export class RoleChangeCache {
  private readonly memo = new Map<number, { add: string[]; remove: string[] }>();
  constructor(private readonly ctx: Pick<DecayContext, 'roleRewards' | 'rewardMode'>) {}
  get(from: number, to: number): { add: string[]; remove: string[] } {
    if (from === to || this.ctx.roleRewards.length === 0) return NO_ROLES;
    const key = from * 1_048_576 + to;
    let r = this.memo.get(key);
    if (!r) this.memo.set(key, (r = roleChangesBetween(this.ctx.roleRewards, from, to, this.ctx.rewardMode)));
    return r;
  }
}
/** Snowflake order on decimal strings without BigInt (no leading zeros: the shorter is the smaller). */
function idLess(a: string, b: string): boolean {
  return a.length !== b.length ? a.length < b.length : a < b;
}

const NO_ROLES = Object.freeze({ add: [] as string[], remove: [] as string[] });

/**
 * What the run for `day` does to one member, whose decay was done through `doneDay` (the guild's last finished
 * run): every decay day in (doneDay, day] is applied once. Null when nothing changes (active, exempt, at the floor).
 */
export function decayChange(m: DecayMember, ctx: DecayContext, doneDay: number, day: number, floorXp: number, roles: RoleChangeCache): DecayChange | null {
  if (ctx.exempt.has(m.userId) || ctx.busy?.has(m.userId) || m.xp <= floorXp) return null;
  const count = dueCount(lastActiveDay(m, ctx.sinceDay), ctx.policy, doneDay, day);
  if (count === 0) return null;
  const toXp = decayTimes(m.xp, ctx.policy, floorXp, count);
  if (toXp === m.xp) return null;
  const fromLevel = levelFromXp(m.xp, ctx.curve);
  const toLevel = levelFromXp(toXp, ctx.curve);
  // A member who left holds no roles here; theirs come back from their level when they rejoin.
  return { userId: m.userId, fromXp: m.xp, toXp, fromLevel, toLevel, roles: m.hasLeft ? NO_ROLES : roles.get(fromLevel, toLevel) };
}

/** One member's line in the preview. */
export interface DecayPreviewLine {
  userId: string;
  fromXp: number;
  toXp: number;
  fromLevel: number;
  toLevel: number;
  rolesRemoved: string[];
}

export interface DecayPreview {
  /** Members looked at (stored rows). */
  members: number;
  /** Members who would lose XP. */
  affected: number;
  /** XP lost in each of the four weeks (week 1 starts today). */
  xpPerWeek: number[];
  /** Members who would drop at least one level, and the levels lost together. */
  levelDrops: number;
  levelsLost: number;
  /** Reward role id → members who would lose it. */
  rolesRemoved: Map<string, number>;
  /** The members who would lose the most XP, most first (at most `top`). */
  top: DecayPreviewLine[];
}

/**
 * Builds the preview member by member (so a million rows are read in chunks and never held at once): the runs of
 * the next `PREVIEW_DAYS` days, today's first, as the daily job would do them if nobody earned XP meanwhile.
 */
export class DecayPreviewer {
  private readonly floorXp: number;
  private readonly roles: RoleChangeCache;
  private readonly result: DecayPreview;
  private readonly lastDay: number;

  constructor(
    private readonly ctx: DecayContext,
    private readonly today: number,
    /** The guild's last finished run (today − 1 when there was none). */
    private readonly doneDay: number,
    private readonly topSize = 100,
  ) {
    this.floorXp = floorXpOf(ctx.policy, ctx.curve);
    this.roles = new RoleChangeCache(ctx);
    this.lastDay = today + PREVIEW_DAYS - 1;
    this.result = { members: 0, affected: 0, xpPerWeek: [0, 0, 0, 0], levelDrops: 0, levelsLost: 0, rolesRemoved: new Map(), top: [] };
  }

  /** `doneDay`: the member's own when a run under way has already done them (its day), else the guild's. */
  add(m: DecayMember, doneDay = this.doneDay): void {
    const r = this.result;
    r.members++;
    const { ctx } = this;
    if (ctx.exempt.has(m.userId) || ctx.busy?.has(m.userId) || m.xp <= this.floorXp) return;
    // The member's decay days in (doneDay, lastDay], one step each (what `decayChange` applies at once), per week.
    const p = periodDays(ctx.policy.per);
    let xp = m.xp;
    for (let d = firstDueAfter(lastActiveDay(m, ctx.sinceDay), ctx.policy, doneDay); d <= this.lastDay; d += p) {
      const next = decayStep(xp, ctx.policy, this.floorXp);
      if (next === xp) break;
      // Days missed before today are caught up by today's run: week 1.
      r.xpPerWeek[d < this.today ? 0 : Math.floor((d - this.today) / 7)]! += xp - next;
      xp = next;
    }
    if (xp === m.xp) return;
    r.affected++;
    const fromLevel = levelFromXp(m.xp, ctx.curve);
    const toLevel = levelFromXp(xp, ctx.curve);
    if (toLevel < fromLevel) {
      r.levelDrops++;
      r.levelsLost += fromLevel - toLevel;
    }
    const removed = m.hasLeft ? NO_ROLES.remove : this.roles.get(fromLevel, toLevel).remove;
    for (const role of removed) r.rolesRemoved.set(role, (r.rolesRemoved.get(role) ?? 0) + 1);
    this.keepTop(m.userId, m.xp, xp, fromLevel, toLevel, removed);
  }

  /** The top lines stay sorted (most XP lost first, then id); a member below the last of a full list is not kept. */
  private keepTop(userId: string, fromXp: number, toXp: number, fromLevel: number, toLevel: number, rolesRemoved: string[]): void {
    const top = this.result.top;
    const lost = fromXp - toXp;
    const before = (a: DecayPreviewLine) => {
      const l = a.fromXp - a.toXp;
      return l > lost || (l === lost && idLess(a.userId, userId));
    };
    if (top.length === this.topSize && before(top[top.length - 1]!)) return;
    let i = top.length;
    while (i > 0 && !before(top[i - 1]!)) i--;
    top.splice(i, 0, { userId, fromXp, toXp, fromLevel, toLevel, rolesRemoved });
    if (top.length > this.topSize) top.pop();
  }

  done(): DecayPreview {
    return this.result;
  }
}
