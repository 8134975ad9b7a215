/**
 * A flush batch as the writer writes it (both stores): one entry per member (XP, awarded XP, last earning day and
 * the week, month and season slots, DESIGN §15.2) and history rows pointing at their member, in typed arrays. It is
 * also the form that crosses to the writer thread: the arrays move instead of being copied, and the ids are one
 * string. Posting the batch's objects cost the event loop as much as writing them (structured cloning a
 * 100 000-gain batch with its history and period rows took ~750 ms; docs/PERFORMANCE.md, history).
 */
import type { FlushBatch, VoiceMinutesRow } from '../engine/ports.js';
import type { PeriodRow } from '../engine/ports.js';
import { slotIndex, slotPasses } from './period-slots.js';

/** Per member in `members`: xp, awarded, earned day, then per kind (week, month, season) the period id and its XP. */
export const MEMBER_WIDTH = 9;
/** Per history row: member index, UTC day, source code, xp. */
export const HISTORY_WIDTH = 4;
/** Per entry of a later pass: member index, then the six slot values as in `members`. */
export const LATER_WIDTH = 7;

export interface FlushPlan {
  seq: number;
  erasureSeen?: number;
  voice: VoiceMinutesRow[];
  /** Guild and user id of each member, in member order, joined by ','. */
  ids: string;
  members: Float64Array;
  history: Float64Array;
  /** Older periods' XP, a pass each (a buffer spanning a rollover; usually none). NaN ids: nothing of that kind. */
  later: Float64Array[];
  /** Whether any member has period XP (the server's boards then change). */
  periods: boolean;
}

/** Plans a batch: one lookup per row, as this runs for every flush of up to 100 000 members. */
export function planFlush(batch: FlushBatch): FlushPlan {
  const byGuild = new Map<string, Map<string, number>>();
  const ids: string[] = [];
  let members = new Float64Array(MEMBER_WIDTH * 1024);
  let count = 0;
  const member = (guildId: string, userId: string): number => {
    let users = byGuild.get(guildId);
    if (!users) byGuild.set(guildId, (users = new Map()));
    let i = users.get(userId);
    if (i === undefined) {
      users.set(userId, (i = count++));
      ids.push(guildId, userId);
      if (count * MEMBER_WIDTH > members.length) {
        const grown = new Float64Array(members.length * 2);
        grown.set(members);
        members = grown;
      }
      // A new entry is zeros: the earning day and the three slot ids start as none.
      for (const k of [2, 3, 5, 7]) members[i * MEMBER_WIDTH + k] = NaN;
    }
    return i;
  };
  for (const r of batch.rows) {
    const at = member(r.guildId, r.userId) * MEMBER_WIDTH;
    members[at] = members[at]! + r.xp;
    members[at + 1] = members[at + 1]! + r.awarded;
    if (r.earnedDay !== undefined && !(members[at + 2]! >= r.earnedDay)) members[at + 2] = r.earnedDay;
  }
  // Per member and kind the newest period rides on the member's entry; a second one of a kind (a rollover while
  // the XP was buffered) is set aside for a later pass.
  const older: PeriodRow[] = [];
  for (const p of batch.periods ?? []) {
    const at = member(p.guildId, p.userId) * MEMBER_WIDTH + 3 + slotIndex(p.period);
    const current = members[at]!;
    if (Number.isNaN(current) || current === p.period) {
      members[at] = p.period;
      members[at + 1] = members[at + 1]! + p.xp;
    } else if (p.period > current) {
      older.push({ guildId: p.guildId, userId: p.userId, period: current, xp: members[at + 1]! });
      members[at] = p.period;
      members[at + 1] = p.xp;
    } else older.push(p);
  }
  const history = new Float64Array((batch.history ?? []).length * HISTORY_WIDTH);
  (batch.history ?? []).forEach((h, k) => {
    const at = k * HISTORY_WIDTH;
    history[at] = member(h.guildId, h.userId);
    history[at + 1] = h.day;
    history[at + 2] = h.source;
    history[at + 3] = h.xp;
  });
  const later = slotPasses(older).map((pass) => {
    const out = new Float64Array(pass.size * LATER_WIDTH);
    let k = 0;
    for (const [key, slots] of pass) {
      const [g, u] = key.split(':') as [string, string];
      out.set([byGuild.get(g)!.get(u)!, ...slots.map((v) => v ?? NaN)], k++ * LATER_WIDTH);
    }
    return out;
  });
  return {
    seq: batch.seq,
    ...(batch.erasureSeen !== undefined ? { erasureSeen: batch.erasureSeen } : {}),
    voice: batch.voice,
    ids: ids.join(','),
    members: members.subarray(0, count * MEMBER_WIDTH),
    history,
    later,
    periods: (batch.periods ?? []).length > 0,
  };
}

/** The buffers a plan hands to the writer thread (moved, not copied). */
export function planTransfer(plan: FlushPlan): ArrayBuffer[] {
  return [plan.members, plan.history, ...plan.later].map((a) => a.buffer as ArrayBuffer);
}

/** The plan's member ids: guild and user id of member i at 2i and 2i + 1. */
export function planIds(plan: FlushPlan): string[] {
  return plan.ids === '' ? [] : plan.ids.split(',');
}

/** NaN (none) as null, for binding. */
export function orNull(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}
