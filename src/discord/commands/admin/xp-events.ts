/**
 * `unicornia xpevent start|list|cancel`: timed XP events (DESIGN §15.5). Starting or cancelling one saves it,
 * refreshes the engine's copy of the server's rules and runs the announcer at once, so the announcement follows
 * the reply; later starts and ends are announced by the announcer's timer.
 */
import { defineCommand, type AnyCommand, type CommandContext } from '../types.js';
import { UserError } from '../errors.js';
import { shown } from '../registry.js';
import { ok, requireGuild } from './shared.js';
import { formatMilli, MILLI_ONE, multiplyHalfUp, toMilli, type Milli } from '../../../engine/multiplier.js';
import type { GuildSettings } from '../../../engine/settings.js';
import { MAX_OPEN_XP_EVENTS } from '../../../storage/xp-events.js';
import { eventScope, formatDuration, listLine, stamp } from '../../xp-event-text.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
export const MIN_EVENT_MILLI = 1100;
export const MAX_EVENT_MILLI = 10_000;
/** The longest event, and how far ahead one may be scheduled. */
export const MAX_EVENT_MS = 30 * DAY;
export const MAX_EVENT_LEAD_MS = 30 * DAY;
/** Channels or roles an event may be limited to. */
export const MAX_EVENT_TARGETS = 10;

const DURATION_HELP = 'a length such as `30m`, `2h`, `3d` or `1d12h`, from 1 minute to 30 days';

/** "1d12h", "2h", "45m", "90min" → ms; null when it is not such a length. */
export function parseLength(text: string): number | null {
  const m = /^(?:(\d{1,4})\s*d(?:ays?)?)?\s*(?:(\d{1,5})\s*h(?:ours?)?)?\s*(?:(\d{1,6})\s*m(?:in(?:utes?)?)?)?$/i.exec(text.trim());
  if (!m || (m[1] === undefined && m[2] === undefined && m[3] === undefined)) return null;
  return (Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) * MINUTE;
}

/** The multiplier as stored (thousandths), or a refusal naming the range. */
export function eventMultiplier(value: number, settings: GuildSettings): Milli {
  const milli = toMilli(value);
  if (milli === null || milli < MIN_EVENT_MILLI || milli > MAX_EVENT_MILLI) {
    const typed = value.toLocaleString('en-US', { maximumFractionDigits: 20, useGrouping: false });
    throw new UserError('bad_argument', `\`multiplier\` must be from ${formatMilli(MIN_EVENT_MILLI)} to ${formatMilli(MAX_EVENT_MILLI)} in steps of 0.001 (2 doubles XP), not \`${typed}\`.`);
  }
  // An event whose bonus rounds to 0 for a message and a voice minute alike would be announced and change nothing.
  const bases = [settings.xpPerMessage, settings.voiceXpPerMinute].map((b) => multiplyHalfUp(b, settings.rateMilli)).filter((b) => b > 0);
  if (bases.length > 0 && bases.every((b) => multiplyHalfUp(b, milli - MILLI_ONE) === 0)) {
    const base = Math.max(...bases);
    const least = Math.min(MAX_EVENT_MILLI, MILLI_ONE + Math.ceil((MILLI_ONE / 2) / base));
    throw new UserError('bad_argument', `×${formatMilli(milli)} adds nothing to ${base} XP (the bonus rounds to 0), so the event would change nothing. Use at least ×${formatMilli(least)}.`);
  }
  return milli;
}

export function eventLength(text: string): number {
  const ms = parseLength(text);
  if (ms === null || ms < MINUTE || ms > MAX_EVENT_MS) throw new UserError('bad_argument', `\`duration\` must be ${DURATION_HELP}; not \`${shown(text)}\`.`);
  return ms;
}

/** `2026-12-24T18:00`, with seconds, a space for the T, and a `Z` or `+01:00` / `-0530` offset allowed. */
const UTC_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|([+-])(\d{2}):?(\d{2}))?$/i;

/**
 * A time typed as UTC (or with an offset) → wall-clock ms; null when it is not written that way, NaN when it is
 * but names no real instant (`2026-02-30`, `10:60`, `+25:00`): Date.parse would roll 30 February over to 2 March.
 */
function typedTime(t: string): number | null {
  const m = UTC_TIME.exec(t);
  if (!m) return null;
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const at = Date.UTC(y, mo - 1, d, h, mi, sec);
  const back = new Date(at);
  const exists = back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && back.getUTCHours() === h && back.getUTCMinutes() === mi && back.getUTCSeconds() === sec;
  const offH = Number(m[9] ?? 0);
  const offM = Number(m[10] ?? 0);
  if (!exists || offH > 23 || offM > 59) return Number.NaN;
  return at - (m[8] === '-' ? -1 : 1) * (offH * 60 + offM) * MINUTE;
}

/** `now`, `30m` / `in 2h`, or a UTC time (`2026-12-24T18:00`, a `Z` or `+01:00` offset allowed): wall-clock ms. */
export function eventStart(text: string | undefined, now: number): number {
  if (text === undefined || /^now$/i.test(text.trim())) return now;
  const t = text.trim();
  // `start 2 2h in 2h` in the prefix form: the words split, `starts` got `in` and the delay went on to `channels`.
  if (/^in$/i.test(t)) throw new UserError('bad_argument', '`starts` takes its delay in one word: `2h`, or in quotes: `"in 2h"`.');
  const lead = parseLength(t.replace(/^in\s*/i, ''));
  const at = lead !== null ? now + lead : typedTime(t);
  if (at === null) {
    throw new UserError('bad_argument', `\`starts\` is \`now\`, a delay such as \`30m\` or \`in 2h\`, or a UTC time such as \`2026-12-24T18:00\`; not \`${shown(t)}\`.`);
  }
  if (Number.isNaN(at)) throw new UserError('bad_argument', `\`starts\` \`${shown(t)}\` is not a date and time that exists (UTC, such as \`2026-12-24T18:00\`).`);
  if (at < now) throw new UserError('bad_argument', `\`starts\` ${stamp(at)} is in the past. Use \`now\` or a later time.`);
  if (at - now > MAX_EVENT_LEAD_MS) throw new UserError('bad_argument', '`starts` may be at most 30 days ahead.');
  return at;
}

/** Channels or roles typed in a text option (mentions, ids or names, separated by spaces or commas). */
function targets(ctx: CommandContext, text: string | undefined, kind: 'channel' | 'role'): string[] {
  if (text === undefined) return [];
  const tokens = text.split(/[\s,]+/).filter(Boolean);
  const ids = new Set<string>();
  for (const token of tokens) {
    const found = kind === 'channel' ? ctx.findChannel(token) : ctx.findRole(token);
    if (!found) throw new UserError('bad_argument', `I can't find the ${kind} \`${shown(token)}\` here. Mention it, or use its id or exact name.`);
    if (kind === 'role' && found.id === ctx.guildId) throw new UserError('bad_argument', 'Everyone holds @everyone: for an event for everyone, leave `roles` out.');
    ids.add(found.id);
  }
  if (ids.size > MAX_EVENT_TARGETS) throw new UserError('bad_argument', `An event may be limited to at most ${MAX_EVENT_TARGETS} ${kind}s.`);
  return [...ids];
}

const start = defineCommand({
  path: ['unicornia', 'xpevent', 'start'],
  description: 'Start or schedule a timed XP event (×1.1–10), optionally only in some channels or for some roles',
  options: [
    { name: 'multiplier', type: 'number', required: true, description: '1.1–10 in steps of 0.001 (2 doubles XP)' },
    { name: 'duration', type: 'string', required: true, description: 'How long: 30m, 2h, 3d or 1d12h (up to 30 days)', max: 20 },
    { name: 'starts', type: 'string', description: 'now (default), a delay such as 2h, or a UTC time like 2026-12-24T18:00', max: 30 },
    { name: 'channels', type: 'string', description: 'Only in these channels or categories (mentions, ids or names)', max: 500 },
    { name: 'roles', type: 'string', description: 'Only for members with one of these roles', max: 500 },
    { name: 'announce', type: 'channel', description: 'Where start and end are announced (default: level-up channel, else here)' },
  ] as const,
  example: { multiplier: 2, duration: '2h', starts: 'now', channels: '#general' },
  permission: 'admin',
  async handler(ctx, args) {
    const guildId = requireGuild(ctx);
    const { settings } = await ctx.app.core.engine.rules(guildId);
    const now = ctx.app.clock.wallNow();
    const milli = eventMultiplier(args.multiplier, settings);
    const length = eventLength(args.duration);
    const startsAt = eventStart(args.starts, now);
    const channelIds = targets(ctx, args.channels, 'channel');
    const roleIds = targets(ctx, args.roles, 'role');
    // Voice channels and threads have a text chat too; a category has none.
    if (args.announce && !['text', 'voice', 'thread'].includes(args.announce.kind)) throw new UserError('bad_argument', '`announce` must be a channel messages can be sent in (text, voice or a thread), not a category.');
    const fixed = settings.announceMode === 'fixed' ? settings.announceChannelId : null;
    const announceChannelId = args.announce?.id ?? fixed ?? ctx.channelId;
    const event = { guildId, milli, startsAt, endsAt: startsAt + length, channelIds, roleIds, announceChannelId, createdAt: now };
    const id = await ctx.app.core.writer.xpEvents.create(event);
    if (id === null) throw new UserError('bad_argument', `This server already has ${MAX_OPEN_XP_EVENTS} XP events running or scheduled. Cancel one first (\`xpevent list\` shows them).`);
    await ctx.app.core.engine.reloadGuild(guildId);
    const when = startsAt === now ? `from now until ${stamp(event.endsAt)}` : `from ${stamp(startsAt)} (in ${formatDuration(startsAt - now)}) until ${stamp(event.endsAt)}`;
    // Saved anyway (an admin can fix a permission before the start), but said now: a failed announcement is not retried.
    const problem = await ctx.channelProblem(announceChannelId);
    const warn = problem ? `\n⚠️ But I can't post in <#${announceChannelId}>: ${problem}. Fix that before the event starts and ends, or cancel it and pick another channel with \`announce\`.` : '';
    const reply = ok(`XP event \`#${id}\`: ×${formatMilli(milli)} XP${eventScope(event) || ' for everyone'} for ${formatDuration(length)}, ${when}. Its start and end are announced in <#${announceChannelId}>.${warn}`);
    // The start announcement of an event starting now goes out right after this reply.
    if (startsAt === now) setImmediate(() => void ctx.app.xpEvents.check());
    return reply;
  },
});

const list = defineCommand({
  path: ['unicornia', 'xpevent', 'list'],
  description: 'XP events running (with the time left) and scheduled',
  options: [] as const,
  example: {},
  permission: 'admin',
  async handler(ctx) {
    const guildId = requireGuild(ctx);
    const now = ctx.app.clock.wallNow();
    const events = await ctx.app.core.writer.xpEvents.list(guildId, now);
    if (events.length === 0) return { content: `No XP event is running or scheduled. Start one with \`${ctx.prefix}unicornia xpevent start\`.` };
    return { content: ['**XP events**', ...events.map((e) => listLine(e, now))].join('\n') };
  },
});

const cancel = defineCommand({
  path: ['unicornia', 'xpevent', 'cancel'],
  description: 'End a running XP event now, or drop a scheduled one',
  options: [{ name: 'id', type: 'integer', required: true, description: 'The event number (xpevent list shows it)', min: 1 }] as const,
  example: { id: 3 },
  permission: 'admin',
  async handler(ctx, { id }) {
    const guildId = requireGuild(ctx);
    const now = ctx.app.clock.wallNow();
    const done = await ctx.app.core.writer.xpEvents.cancel(guildId, id, now);
    if (!done) {
      // An event that is over is not a mistyped number: say when it ended, or that it was cancelled already.
      const past = await ctx.app.core.writer.xpEvents.get(guildId, id);
      if (!past) throw new UserError('bad_argument', `There is no XP event \`#${id}\` here. \`xpevent list\` shows those running or scheduled.`);
      const how = past.cancelledAt !== null ? `was cancelled ${stamp(past.cancelledAt)}` : `ended ${stamp(past.endsAt)}`;
      throw new UserError('bad_argument', `XP event \`#${id}\` ${how}: there is nothing left to cancel.`);
    }
    await ctx.app.core.engine.reloadGuild(guildId);
    const what = `×${formatMilli(done.event.milli)} XP event \`#${id}\``;
    if (!done.wasRunning) return ok(`The scheduled ${what} was cancelled before it started.`);
    setImmediate(() => void ctx.app.xpEvents.check());
    return ok(`The ${what} has ended${done.event.announceChannelId ? `; its end is announced in <#${done.event.announceChannelId}>` : ''}.`);
  },
});

export const xpEventCommands: AnyCommand[] = [start as AnyCommand, list as AnyCommand, cancel as AnyCommand];
