/**
 * Periods of a server's calendar (DESIGN §15.2): weeks that start on the server's chosen day and months, both in
 * the server's IANA time zone, as UTC instants. Pure: Intl does the zone arithmetic, so daylight-saving changes
 * (a 23- or 25-hour day) follow the tz database.
 */
export const DAY_MS = 86_400_000;

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface CalendarRules {
  /** IANA zone name. Default 'UTC'. */
  timeZone: string;
  /** Index into WEEKDAYS of the day weeks start on. Default 1 (Monday). */
  weekStart: number;
}

export const DEFAULT_CALENDAR: Readonly<CalendarRules> = Object.freeze({ timeZone: 'UTC', weekStart: 1 });

/** Period kinds: a stored period id is `kind · PERIOD_KIND + value` (the slots on the member's row, src/storage/period-slots.ts). */
export const PERIOD_KIND = 10_000_000;
export const WEEK = 1;
export const MONTH = 2;
export const SEASON = 3;

/** week: the civil day number (days since 1970-01-01) of its first local day; month: months since January 1970. */
export function periodId(kind: number, value: number): number {
  return kind * PERIOD_KIND + value;
}

export interface Span {
  /** Stored period id. */
  id: number;
  /** First UTC instant inside. */
  from: number;
  /** First UTC instant after. */
  to: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `name` is a time zone this runtime knows (IANA names; 'UTC'). */
export function isTimeZone(name: string): boolean {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

/** The canonical spelling of a zone name typed in any case ('europe/berlin' → 'Europe/Berlin'), or null. */
export function canonicalTimeZone(name: string): string | null {
  if (!isTimeZone(name)) return null;
  return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
}

interface Local {
  y: number;
  m: number;
  d: number;
  h: number;
  min: number;
  s: number;
}

function local(ms: number, timeZone: string): Local {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { y: p.year!, m: p.month!, d: p.day!, h: p.hour!, min: p.minute!, s: p.second! };
}

/** Civil day number (days since 1970-01-01) of a local date. */
function civilDay(y: number, m: number, d: number): number {
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

/** The local civil day of an instant. */
export function localDay(ms: number, timeZone: string): number {
  const l = local(ms, timeZone);
  return civilDay(l.y, l.m, l.d);
}

/** The first instant of a local civil day (midnight, or the first minute after a skipped midnight). */
export function startOfLocalDay(day: number, timeZone: string): number {
  const wall = day * DAY_MS;
  let t = wall;
  // The zone's offset at the guess moves the guess; twice settles it (offsets change at most once near midnight).
  for (let i = 0; i < 3; i++) {
    const l = local(t, timeZone);
    const offset = Date.UTC(l.y, l.m - 1, l.d, l.h, l.min, l.s) - Math.floor(t / 1000) * 1000;
    t = wall - offset;
  }
  // A midnight that does not exist (a spring-forward at 00:00): step to the first instant of that day.
  while (localDay(t, timeZone) < day) t += 15 * 60_000;
  while (localDay(t - 15 * 60_000, timeZone) === day) t -= 15 * 60_000;
  return t;
}

/** The week containing an instant: from its local start day (the server's week start) to the next one. */
export function weekAt(ms: number, cal: CalendarRules): Span {
  const day = localDay(ms, cal.timeZone);
  const weekday = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  const first = day - ((weekday - cal.weekStart + 7) % 7);
  return { id: periodId(WEEK, first), from: startOfLocalDay(first, cal.timeZone), to: startOfLocalDay(first + 7, cal.timeZone) };
}

/** The month containing an instant, in the server's zone. */
export function monthAt(ms: number, cal: CalendarRules): Span {
  const l = local(ms, cal.timeZone);
  const index = (l.y - 1970) * 12 + (l.m - 1);
  return { id: periodId(MONTH, index), ...monthBounds(index, cal.timeZone) };
}

function monthBounds(index: number, timeZone: string): { from: number; to: number } {
  const y = 1970 + Math.floor(index / 12);
  const m = (index % 12) + 1;
  return { from: startOfLocalDay(civilDay(y, m, 1), timeZone), to: startOfLocalDay(civilDay(y + (m === 12 ? 1 : 0), m === 12 ? 1 : m + 1, 1), timeZone) };
}

/** The period before a week or month span. */
export function previous(span: Span, cal: CalendarRules): Span {
  return span.id < periodId(MONTH, 0) ? weekAt(span.from - 1, cal) : monthAt(span.from - 1, cal);
}

/** A readable label of a stored week or month id ('week of 2026-03-02', 'March 2026'). */
export function periodLabel(id: number): string {
  const kind = Math.floor(id / PERIOD_KIND);
  const value = id - kind * PERIOD_KIND;
  if (kind === WEEK) return `week of ${new Date(value * DAY_MS).toISOString().slice(0, 10)}`;
  if (kind === MONTH) return new Date(Date.UTC(1970 + Math.floor(value / 12), value % 12, 1)).toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  return `season ${value}`;
}
