/**
 * What XP events say (DESIGN §15.5): their start and end announcements and their lines in `xpevent list`. Plain
 * functions over plain data; times are Discord timestamps (`<t:…:f>`), which each reader sees in their own zone.
 */
import { formatMilli } from '../engine/multiplier.js';
import type { XpEvent } from '../storage/xp-events.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** 90 000 000 ms → "1 day 1 h"; minutes are rounded up, so "1 min" is the least shown for time left. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / MINUTE));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const parts = [d ? `${d} day${d === 1 ? '' : 's'}` : '', h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean);
  return parts.join(' ');
}

export function stamp(ms: number, style: 'f' | 'R' = 'f'): string {
  return `<t:${Math.floor(ms / 1000)}:${style}>`;
}

/** " in #a, #b for members with @r": where and for whom; empty for everyone everywhere. */
export function eventScope(e: Pick<XpEvent, 'channelIds' | 'roleIds'>): string {
  const where = e.channelIds.length ? ` in ${e.channelIds.map((c) => `<#${c}>`).join(', ')}` : '';
  const who = e.roleIds.length ? ` for members with ${e.roleIds.map((r) => `<@&${r}>`).join(' or ')}` : '';
  return where + who;
}

export function startAnnouncement(e: XpEvent): string {
  return `🎉 **XP event!** ×${formatMilli(e.milli)} XP${eventScope(e)} for ${formatDuration(e.endsAt - e.startsAt)}, until ${stamp(e.endsAt)}.`;
}

export function endAnnouncement(e: XpEvent): string {
  if (e.cancelledAt !== null) return `⏹️ The ×${formatMilli(e.milli)} XP event${eventScope(e)} was ended early by an admin. XP is back to normal.`;
  return `⏰ The ×${formatMilli(e.milli)} XP event${eventScope(e)} is over. XP is back to normal.`;
}

/** One line of `xpevent list`: running with the time left, or scheduled with its start and length. */
export function listLine(e: XpEvent, now: number): string {
  const head = `\`#${e.id}\` ×${formatMilli(e.milli)}${eventScope(e)}`;
  if (e.startsAt <= now) return `${head} — running, ${formatDuration(e.endsAt - now)} left (until ${stamp(e.endsAt)})`;
  return `${head} — starts ${stamp(e.startsAt)} (in ${formatDuration(e.startsAt - now)}), lasts ${formatDuration(e.endsAt - e.startsAt)}`;
}
