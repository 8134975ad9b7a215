/**
 * Period totals on the member's row (DESIGN §15.2): for each kind of period (week, month, season) two slots, the
 * member's newest period of that kind with XP and the one before it. A board reads "this" and "last" week or month
 * (and the running or closing season) from whichever slot holds the period. Keeping the totals on the row the flush
 * already rewrites costs the flush next to nothing; a row or an index entry per period did not fit (docs/PERFORMANCE.md,
 * history). Both stores share these statements' text and the batch's split into passes.
 */
import { MONTH, PERIOD_KIND, SEASON, WEEK } from '../engine/calendar.js';
import type { PeriodRow } from '../engine/ports.js';

export interface SlotColumns {
  id: string;
  xp: string;
  prevId: string;
  prevXp: string;
  /**
   * Weeks only: the id of a week minus the id of the week before it under the same calendar (ids are the civil day
   * a week starts on). Weeks that start on another day from mid-week on begin a week that started *before* the one
   * it follows (Monday weeks → Friday weeks on a Wednesday: the Friday week's id is 3 days lower), so id order is
   * not time order there; the slot rules keep the week before a new one by this step instead (see slotAssignments).
   */
  step?: number;
}

export const PERIOD_KINDS = [WEEK, MONTH, SEASON] as const;

const SLOTS: Record<number, SlotColumns> = {
  [WEEK]: { id: 'WeekId', xp: 'WeekXp', prevId: 'PrevWeekId', prevXp: 'PrevWeekXp', step: 7 },
  [MONTH]: { id: 'MonthId', xp: 'MonthXp', prevId: 'PrevMonthId', prevXp: 'PrevMonthXp' },
  [SEASON]: { id: 'SeasonId', xp: 'SeasonXp', prevId: 'PrevSeasonId', prevXp: 'PrevSeasonXp' },
};

/** The kind of a stored period id (src/engine/calendar.ts). */
export function periodKind(period: number): number {
  return Math.floor(period / PERIOD_KIND);
}

/** Where a period's id sits among a member's `SlotValues` (its XP follows): 0, 2 or 4 by kind. */
export function slotIndex(period: number): number {
  const at = PERIOD_KINDS.indexOf(periodKind(period) as (typeof PERIOD_KINDS)[number]) * 2;
  if (at < 0) throw new RangeError(`not a period id: ${period}`);
  return at;
}

/** Keeps one of `make`'s values (a prepared statement, say) per period kind: the slot columns differ by kind. */
export function perPeriodKind<T>(make: (period: number) => T): (period: number) => T {
  const byKind = new Map<number, T>();
  return (period) => {
    let v = byKind.get(periodKind(period));
    if (v === undefined) byKind.set(periodKind(period), (v = make(period)));
    return v;
  };
}

/** The server's board generation and the newest erasure (`BoardVersion`), with `guild` the parameter marker. */
export function boardVersionSql(guild: string): string {
  return `SELECT COALESCE((SELECT Gen FROM XpBoardGeneration WHERE GuildId = ${guild}), 0) AS gen,
  COALESCE((SELECT MAX(Id) FROM PrivacyErasure), 0) AS erasure`;
}

/** The slot columns of a period's kind; throws on an id of no known kind (a caller's bug, never input). */
export function slotsOf(period: number): SlotColumns {
  const s = SLOTS[periodKind(period)];
  if (!s) throw new RangeError(`not a period id: ${period}`);
  return s;
}

/** Every slot column in kind order (week, month, season), as the upsert binds them: id, xp for each kind. */
export const SLOT_INSERT_COLUMNS = PERIOD_KINDS.flatMap((k) => [SLOTS[k]!.id, SLOTS[k]!.xp]);

/**
 * The SET clauses that add an incoming (id, xp) per kind — `excluded.<id>`, `excluded.<xp>`, NULL id: nothing — to
 * the row's slots. `row` qualifies the row's own columns (PostgreSQL needs the table name; SQLite takes ''). Every
 * right-hand side reads the row as it was, so the four clauses of a kind see the same old values:
 * - a newer period than the current one moves the current one to the previous slot — unless the previous slot holds
 *   the week right before the new one (a calendar change made the current one a week that no name reaches any
 *   more): that one stays, so "last week" is on the row (DESIGN §15.2);
 * - the current or the previous period adds to its slot;
 * - an older one than the current but newer than the previous replaces the previous (a flush spanning a rollover
 *   may write the newer period first);
 * - anything older is in no board a reader can ask for (this and last week or month; a season is archived before
 *   its successor's successor starts) and is left out of the slots. All-time XP and history still count it.
 */
export function slotAssignments(row: string): string {
  return PERIOD_KINDS.map((k) => {
    const { id, xp, prevId, prevXp, step } = SLOTS[k]!;
    const [c, x, pc, px] = [id, xp, prevId, prevXp].map((n) => `${row}${n}`) as [string, string, string, string];
    const [ec, ex] = [`excluded.${id}`, `excluded.${xp}`];
    const keepPrev = (v: string) => (step === undefined ? '' : `WHEN ${ec} > ${c} AND ${pc} = ${ec} - ${step} THEN ${v} `);
    return [
      `${id} = CASE WHEN ${ec} IS NULL OR ${ec} <= ${c} THEN ${c} ELSE ${ec} END`,
      `${xp} = CASE WHEN ${ec} IS NULL THEN ${x} WHEN ${c} IS NULL OR ${ec} > ${c} THEN ${ex} WHEN ${ec} = ${c} THEN ${x} + ${ex} ELSE ${x} END`,
      `${prevId} = CASE WHEN ${ec} IS NULL OR ${c} IS NULL OR ${ec} = ${c} THEN ${pc} ${keepPrev(pc)}WHEN ${ec} > ${c} THEN ${c}
        WHEN ${pc} IS NULL OR ${ec} >= ${pc} THEN ${ec} ELSE ${pc} END`,
      `${prevXp} = CASE WHEN ${ec} IS NULL OR ${c} IS NULL OR ${ec} = ${c} THEN ${px} ${keepPrev(px)}WHEN ${ec} > ${c} THEN ${x}
        WHEN ${ec} = ${pc} THEN ${px} + ${ex} WHEN ${pc} IS NULL OR ${ec} > ${pc} THEN ${ex} ELSE ${px} END`,
    ].join(',\n');
  }).join(',\n');
}

/**
 * A period's rows of one server as a relation `(UserId, Xp, HasLeft)`: the members whose current or previous slot of
 * the period's kind holds it. `guild` and `period` are the statement's parameter markers.
 */
export function periodRelation(period: number, guild: string, periodParam: string): string {
  const s = slotsOf(period);
  return `(SELECT UserId, CASE WHEN ${s.id} = ${periodParam} THEN ${s.xp} ELSE ${s.prevXp} END AS Xp, HasLeft FROM UserXpStats
    WHERE GuildId = ${guild} AND (${s.id} = ${periodParam} OR ${s.prevId} = ${periodParam}))`;
}

/** One member's period slots to add in one upsert: per kind an id (null: none) and its XP. */
export type SlotValues = [number | null, number, number | null, number, number | null, number];

/**
 * Splits a batch's period rows into passes of at most one period per (guild, member, kind), newest first: pass 0
 * rides on the member's XP upsert, later passes (a buffer spanning a rollover) are upserts of their own. Keyed by
 * `guild:user`.
 */
export function slotPasses(periods: readonly PeriodRow[]): Map<string, SlotValues>[] {
  // Per (member, kind): XP per period. The engine hands one row per (member, period); two (a retried batch merged
  // back) add up.
  const byMemberKind = new Map<string, { member: string; at: number; xp: Map<number, number> }>();
  for (const p of periods) {
    const at = slotIndex(p.period);
    const member = `${p.guildId}:${p.userId}`;
    const key = `${member}:${at}`;
    let e = byMemberKind.get(key);
    if (!e) byMemberKind.set(key, (e = { member, at, xp: new Map() }));
    e.xp.set(p.period, (e.xp.get(p.period) ?? 0) + p.xp);
  }
  const passes: Map<string, SlotValues>[] = [];
  for (const { member, at, xp } of byMemberKind.values()) {
    [...xp.entries()]
      .sort((a, b) => b[0] - a[0])
      .forEach(([period, amount], i) => {
        const pass = passes[i] ?? (passes[i] = new Map());
        let v = pass.get(member);
        if (!v) pass.set(member, (v = [null, 0, null, 0, null, 0]));
        v[at] = period;
        v[at + 1] = amount;
      });
  }
  return passes;
}

/** The migration's new columns (the same on both stores, with each store's integer types). */
export function slotColumnsSql(idType: string, xpType: string): string {
  return PERIOD_KINDS.map((k) => {
    const s = SLOTS[k]!;
    return [
      `ALTER TABLE UserXpStats ADD COLUMN ${s.id} ${idType};`,
      `ALTER TABLE UserXpStats ADD COLUMN ${s.xp} ${xpType} NOT NULL DEFAULT 0;`,
      `ALTER TABLE UserXpStats ADD COLUMN ${s.prevId} ${idType};`,
      `ALTER TABLE UserXpStats ADD COLUMN ${s.prevXp} ${xpType} NOT NULL DEFAULT 0;`,
    ].join('\n');
  }).join('\n');
}

/** The migration's copy of each member's two newest periods of each kind from the per-period rows it replaces. */
export const backfillSlotsSql = PERIOD_KINDS.flatMap((k) =>
  ([[1, SLOTS[k]!.id, SLOTS[k]!.xp], [2, SLOTS[k]!.prevId, SLOTS[k]!.prevXp]] as const).map(
    ([n, id, xp]) => `UPDATE UserXpStats SET ${id} = t.Period, ${xp} = t.Xp
      FROM (SELECT GuildId, UserId, Period, Xp, row_number() OVER (PARTITION BY GuildId, UserId ORDER BY Period DESC) AS n
        FROM XpPeriodTotal WHERE Period / ${PERIOD_KIND} = ${k}) AS t
      WHERE t.n = ${n} AND t.GuildId = UserXpStats.GuildId AND t.UserId = UserXpStats.UserId;`,
  ),
).join('\n');

