/**
 * Timed XP events (DESIGN §15.5) as the engine sees them: plain rules — a multiplier, a wall-clock window and
 * optional channel and role limits — loaded with a guild's rules. Which events run is decided per gain from the
 * wall clock at the gain, so a start or an end is exact to the millisecond whatever the announcer is doing.
 *
 * Events do not stack: of the events that apply to a gain, the highest multiplier wins (two overlapping ×2 events
 * stay ×2; a ×3 for one channel during a server-wide ×2 gives ×3 there).
 */
import { MILLI_ONE, multiplyHalfUp, type Milli } from './multiplier.js';

export interface XpEventRule {
  /** XpEvent.Id. */
  id: number;
  /** The multiplier in thousandths (DESIGN §2.6), above 1. */
  milli: Milli;
  /** Wall-clock ms; the event runs in [startsAt, endsAt). */
  startsAt: number;
  endsAt: number;
  /** Channels (or categories, or a thread's parent) it is limited to; empty = every channel. */
  channelIds: ReadonlySet<string>;
  /** Roles it is limited to (a member with any of them); empty = every member. */
  roleIds: ReadonlySet<string>;
}

/** The events running in [from, to), a span in which that set does not change; highest multiplier first. */
export interface EventSlot {
  from: number;
  to: number;
  active: readonly XpEventRule[];
}

/** A slot no instant falls in: the first gain computes the real one. */
export const STALE_SLOT: EventSlot = Object.freeze({ from: 0, to: 0, active: [] });

/**
 * The events running at `wall` and the span in which that set holds. After the last end the span is open-ended
 * with nothing running; a wall clock that steps back before it (DESIGN §2.8) finds the events of that time again.
 */
export function eventSlotAt(events: readonly XpEventRule[], wall: number): EventSlot {
  let from = Number.NEGATIVE_INFINITY;
  let to = Number.POSITIVE_INFINITY;
  const active: XpEventRule[] = [];
  for (const e of events) {
    if (e.endsAt <= wall) {
      from = Math.max(from, e.endsAt);
      continue;
    }
    to = Math.min(to, e.endsAt);
    if (e.startsAt <= wall) {
      from = Math.max(from, e.startsAt);
      active.push(e);
    } else to = Math.min(to, e.startsAt);
  }
  active.sort((a, b) => b.milli - a.milli || a.id - b.id);
  return { from, to, active };
}

/**
 * The bonus of the best event that applies to a gain of `amount` in this channel for a member with these roles:
 * `amount × (m − 1)` rounded half-up exactly, like every multiplier (DESIGN §2.6); 0 when none applies.
 */
export function eventBonus(active: readonly XpEventRule[], amount: number, roleIds: readonly string[], channelId: string, parentId: string | null, categoryId: string | null): number {
  for (const e of active) {
    const ch = e.channelIds;
    if (ch.size > 0 && !ch.has(channelId) && !(parentId !== null && ch.has(parentId)) && !(categoryId !== null && ch.has(categoryId))) continue;
    if (e.roleIds.size > 0 && !roleIds.some((r) => e.roleIds.has(r))) continue;
    return multiplyHalfUp(amount, e.milli - MILLI_ONE);
  }
  return 0;
}
