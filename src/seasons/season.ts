/**
 * Seasons (DESIGN §15.3), as plain data: what a season is, the steps of its close, the successor of a rollover
 * season, the winner roles to queue and the summary a close reports. Pure: storage and the closer use these, the
 * engine only sees the running season in a guild's rules.
 */
import { monthAt, weekAt, type CalendarRules } from '../engine/calendar.js';
import type { RoleChanges } from '../engine/ports.js';
import { idOf, num } from '../storage/ids.js';

export const ROLLOVERS = ['none', 'weekly', 'monthly'] as const;
export type Rollover = (typeof ROLLOVERS)[number];

/**
 * running → closing → archived → rolesqueued → closed, each step one transaction (so a restart continues where the
 * close stopped); cancelled: ended by an admin with no standings and no winners.
 */
export type SeasonState = 'running' | 'closing' | 'archived' | 'rolesqueued' | 'closed' | 'cancelled';

/** Winner roles go to at most this many members (the top K). */
export const MAX_WINNERS = 25;
/** Standings shown by `season show` (every member's total is archived; the caller's own line is always shown). */
export const SHOWN_STANDINGS = 100;
/** Members a close reports in its summary (the season_closed event, the announcement). */
export const SUMMARY_TOP = 10;

export interface Season {
  id: number;
  guildId: string;
  /** 1, 2, … per guild. */
  number: number;
  name: string;
  /** Wall-clock ms. */
  startsAt: number;
  endsAt: number;
  rollover: Rollover;
  winnerCount: number;
  winnerRoleId: string | null;
  resetLevels: boolean;
  state: SeasonState;
  closedAt: number | null;
  channelId: string | null;
  /** Members ranked in the archive (those still in the server at the close). */
  ranked: number;
  /** Archived members who had left the server (their total kept, unranked). */
  leftMembers: number;
  /** XP earned in the season by every archived member. */
  totalXp: number;
  /** The reset of levels: the last member id done ('0' before the first). */
  resetCursor: string;
}

/** What starting a season stores; the rest of a season's row is its close's progress. */
export type NewSeason = Pick<Season, 'guildId' | 'name' | 'startsAt' | 'endsAt' | 'rollover' | 'winnerCount' | 'winnerRoleId' | 'resetLevels' | 'channelId'> & {
  startedBy: string | null;
};

/** One member's archived line. */
export interface Standing {
  userId: string;
  xp: number;
  /** Null: had left the server at the close (kept, not ranked). */
  rank: number | null;
}

/** What a close reports: the season_closed webhook's data and the announcement. */
export interface SeasonSummary {
  season: { number: number; name: string; startsAt: string; endsAt: string };
  members: number;
  leftMembers: number;
  totalXp: number;
  top: { rank: number; userId: string; xp: number }[];
  winners: { roleId: string | null; userIds: string[]; removedFrom: string[] };
}

/** The columns a season is read from (PostgreSQL selects them under these names too). */
export const SEASON_COLUMNS = [
  'Id', 'GuildId', 'Number', 'Name', 'StartsAt', 'EndsAt', 'Rollover', 'WinnerCount', 'WinnerRoleId', 'ResetLevels', 'State', 'ClosedAt',
  'ChannelId', 'Ranked', 'LeftMembers', 'TotalXp', 'ResetCursor',
] as const;

export type SeasonRow = Record<(typeof SEASON_COLUMNS)[number], unknown>;

export function toSeason(r: SeasonRow): Season {
  const id = (v: unknown) => (v === null || v === undefined ? null : idOf(v));
  return {
    id: num(r.Id),
    guildId: idOf(r.GuildId),
    number: num(r.Number),
    name: String(r.Name),
    startsAt: num(r.StartsAt),
    endsAt: num(r.EndsAt),
    rollover: r.Rollover as Rollover,
    winnerCount: num(r.WinnerCount),
    winnerRoleId: id(r.WinnerRoleId),
    resetLevels: num(r.ResetLevels) !== 0,
    state: r.State as SeasonState,
    closedAt: r.ClosedAt === null || r.ClosedAt === undefined ? null : num(r.ClosedAt),
    channelId: id(r.ChannelId),
    ranked: num(r.Ranked),
    leftMembers: num(r.LeftMembers),
    totalXp: num(r.TotalXp),
    resetCursor: String(r.ResetCursor),
  };
}

/** Where a rollover season of `rollover` that starts at `from` ends: the end of the week or month holding it. */
export function rolloverEnd(rollover: Exclude<Rollover, 'none'>, from: number, cal: CalendarRules): number {
  return (rollover === 'weekly' ? weekAt(from, cal) : monthAt(from, cal)).to;
}

/** "Spring" → "Spring 2", "Spring 2" → "Spring 3": the name of a rollover season's successor. */
export function successorName(name: string): string {
  const m = /^(.*\S)\s+(\d{1,6})$/.exec(name);
  return m ? `${m[1]} ${Number(m[2]) + 1}` : `${name} 2`;
}

/** The season that follows a rollover season, from its end to the end of the next week or month. */
export function successor(s: Season, cal: CalendarRules): NewSeason | null {
  if (s.rollover === 'none') return null;
  return {
    guildId: s.guildId,
    name: successorName(s.name),
    startsAt: s.endsAt,
    endsAt: rolloverEnd(s.rollover, s.endsAt, cal),
    rollover: s.rollover,
    winnerCount: s.winnerCount,
    winnerRoleId: s.winnerRoleId,
    resetLevels: s.resetLevels,
    channelId: s.channelId,
    startedBy: null,
  };
}

/**
 * The role changes that hand a winner role to this season's winners, taking it first from the last season's
 * winners who did not win again (a member who wins twice keeps the role without a call). When the last season gave
 * another role, its winners lose that one. Members in id order.
 */
export function winnerRoleChanges(previous: { roleId: string | null; userIds: readonly string[] }, next: { roleId: string | null; userIds: readonly string[] }): Map<string, RoleChanges> {
  const out = new Map<string, RoleChanges>();
  const of = (userId: string) => {
    let c = out.get(userId);
    if (!c) out.set(userId, (c = { add: [], remove: [] }));
    return c;
  };
  const keeps = new Set(next.roleId === previous.roleId ? next.userIds : []);
  if (previous.roleId) for (const u of previous.userIds) if (!keeps.has(u)) of(u).remove.push(previous.roleId);
  const had = new Set(previous.roleId === next.roleId ? previous.userIds : []);
  if (next.roleId) for (const u of next.userIds) if (!had.has(u)) of(u).add.push(next.roleId);
  // In member id order: transactions that queue roles then lock queue rows in one order, and both stores agree.
  return new Map([...out].sort(([a], [b]) => (BigInt(a) < BigInt(b) ? -1 : 1)));
}

export function seasonSummary(s: Season, top: readonly Standing[], winners: readonly string[], removedFrom: readonly string[]): SeasonSummary {
  return {
    season: { number: s.number, name: s.name, startsAt: new Date(s.startsAt).toISOString(), endsAt: new Date(s.endsAt).toISOString() },
    members: s.ranked,
    leftMembers: s.leftMembers,
    totalXp: s.totalXp,
    top: top.map((t) => ({ rank: t.rank!, userId: t.userId, xp: t.xp })),
    winners: { roleId: s.winnerRoleId, userIds: [...winners], removedFrom: [...removedFrom] },
  };
}
