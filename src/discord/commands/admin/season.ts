/**
 * `unicornia season start|end|cancel` (DESIGN §15.3): an admin starts a season with an end (a date in the server's
 * time zone, or weekly/monthly to roll over by itself), optional winner roles for the top K and an optional reset of
 * levels at its end; ends it now (it closes as if it had ended: standings, winners); or cancels it (no standings, no
 * winners). The close itself is the season closer's.
 */
import { defineCommand, type AnyCommand, type CommandContext } from '../types.js';
import { requireGuild, ok } from './shared.js';
import { UserError } from '../errors.js';
import { DAY_MS, startOfLocalDay, type CalendarRules } from '../../../engine/calendar.js';
import { MAX_WINNERS, rolloverEnd, type Rollover } from '../../../seasons/season.js';
import { describeSeasonEnd } from '../season/season-text.js';

/** A season ends at most this far ahead (a typo of the year should not start a season for a century). */
export const MAX_SEASON_DAYS = 3660;
export const MAX_SEASON_NAME = 50;

/**
 * When a season typed as `end` ends: weekly/monthly → the end of this week or month; a date (YYYY-MM-DD) → the end
 * of that day in the server's zone (the season runs through it).
 */
export function seasonEnd(end: string, now: number, cal: CalendarRules): { endsAt: number; rollover: Rollover } {
  const word = end.trim().toLowerCase();
  if (word === 'weekly' || word === 'monthly') return { endsAt: rolloverEnd(word, now, cal), rollover: word };
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(word);
  const day = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS : NaN;
  if (!m || !Number.isInteger(day) || new Date(day * DAY_MS).toISOString().slice(0, 10) !== word) {
    throw new UserError('bad_argument', `\`end\` is a date (YYYY-MM-DD, in the server's time zone ${cal.timeZone}), \`weekly\` or \`monthly\`.`);
  }
  const endsAt = startOfLocalDay(day + 1, cal.timeZone);
  if (endsAt <= now) throw new UserError('bad_argument', `${word} has already ended in ${cal.timeZone}: pick a later date.`);
  if (endsAt - now > MAX_SEASON_DAYS * DAY_MS) throw new UserError('bad_argument', `A season lasts at most ${MAX_SEASON_DAYS} days: pick an earlier date.`);
  return { endsAt, rollover: 'none' };
}

const seasonStart = defineCommand({
  path: ['unicornia', 'season', 'start'],
  description: 'Start a season: its board, archive and optional winner roles',
  options: [
    { name: 'name', type: 'string', required: true, description: `The season's name (1–${MAX_SEASON_NAME} characters)`, min: 1, max: MAX_SEASON_NAME },
    // No minimum length: a short word (`3d`, `0m`) gets the answer that says what `end` takes, not "at least 6 characters".
    { name: 'end', type: 'string', required: true, description: 'A date (YYYY-MM-DD, server time zone), weekly or monthly (rolls over)', max: 10 },
    { name: 'winners', type: 'integer', description: `How many top members get the winner role (1–${MAX_WINNERS})`, min: 1, max: MAX_WINNERS },
    { name: 'role', type: 'role', description: 'The winner role (taken from the last winners first)' },
    { name: 'reset', type: 'boolean', description: 'Reset every level to 0 when it ends (default false)' },
  ] as const,
  example: { name: 'Spring', end: '2026-03-31', winners: 3, role: '@Champion', reset: false },
  permission: 'admin',
  async handler(ctx, { name, end, winners, role, reset }) {
    const guildId = requireGuild(ctx);
    const title = name.trim().replace(/\s+/g, ' ');
    // Zero-width and other format characters (U+200B, U+2060, …) are not spaces to trim() but show nothing either.
    if (!title.replace(/[\p{Cf}\p{Z}\s]/gu, '')) throw new UserError('bad_argument', '`name` needs at least one visible character.');
    if (winners !== undefined && !role) throw new UserError('bad_argument', '`winners` needs a `role` to give them.');
    if (role) {
      const problem = await ctx.roleProblem(role.id);
      if (problem?.permanent) throw new UserError('bad_argument', `<@&${role.id}> cannot be a winner role: ${problem.reason}.`);
    }
    const rules = await ctx.app.core.engine.rules(guildId);
    const now = ctx.app.clock.wallNow();
    const { endsAt, rollover } = seasonEnd(end, now, rules.settings);
    const started = await ctx.app.core.writer.seasons.start({
      guildId,
      name: title,
      startsAt: now,
      endsAt,
      rollover,
      winnerCount: role ? (winners ?? 1) : 0,
      winnerRoleId: role?.id ?? null,
      resetLevels: reset ?? false,
      channelId: ctx.channelId,
      startedBy: ctx.user.id,
    });
    if (!started.season) {
      const r = started.running;
      throw new UserError('bad_argument', `Season ${r.number} “${r.name}” is running (${describeSeasonEnd(r, now, rules.settings.timeZone)}). End it first: \`unicornia season end\`.`);
    }
    await ctx.app.core.engine.reloadGuild(guildId);
    // Arms the timer at its end; not awaited: a close of another season under way may take a while.
    void ctx.app.seasons.check();
    const s = started.season;
    // Its end is announced here (DESIGN §15.3), once and not retried: a channel the bot cannot post in is said now.
    const channel = await ctx.channelProblem(ctx.channelId);
    const warn = (role ? await roleWarning(ctx, role.id) : '') + (channel ? `\n⚠️ Its end is announced in this channel, but I can't post here: ${channel}.` : '');
    const prize = role ? ` The top ${s.winnerCount} get <@&${role.id}>.` : '';
    const resetText = s.resetLevels ? ' Every level is reset to 0 when it ends.' : '';
    return ok(`Season ${s.number} “${s.name}” started: ${describeSeasonEnd(s, now, rules.settings.timeZone)}.${prize}${resetText} Members see it with \`level leaderboard season\`.${warn}`);
  },
});

async function roleWarning(ctx: CommandContext, roleId: string): Promise<string> {
  const problem = await ctx.roleProblem(roleId);
  return problem ? `\n⚠️ But I can't manage that role yet: ${problem.reason}` : '';
}

const seasonEndNow = defineCommand({
  path: ['unicornia', 'season', 'end'],
  description: 'End the running season now: standings archived, winner roles given',
  options: [] as const,
  example: {},
  permission: 'admin',
  async handler(ctx) {
    const guildId = requireGuild(ctx);
    const s = await ctx.app.core.writer.seasons.endNow(guildId, ctx.app.clock.wallNow());
    if (!s) return { content: 'No season is running. Start one with `unicornia season start`.' };
    await ctx.app.core.engine.reloadGuild(guildId);
    // The close runs in the background (a large server's archive outlasts Discord's 3 s to answer a command).
    void ctx.app.seasons.check();
    return ok(`Season ${s.number} “${s.name}” has ended: its standings are being archived (\`season show ${s.number}\`)${s.winnerRoleId ? ' and the winner role goes to its top members' : ''}.`);
  },
});

const seasonCancel = defineCommand({
  path: ['unicornia', 'season', 'cancel'],
  description: 'Cancel the running season: no standings kept, no winner roles',
  options: [] as const,
  example: {},
  permission: 'admin',
  async handler(ctx) {
    const guildId = requireGuild(ctx);
    const s = await ctx.app.core.writer.seasons.cancel(guildId, ctx.app.clock.wallNow());
    if (!s) return { content: 'No season is running.' };
    await ctx.app.core.engine.reloadGuild(guildId);
    return ok(`Season ${s.number} “${s.name}” was cancelled: no standings are kept, nobody gets a winner role${s.rollover === 'none' ? '' : ', and it does not roll over'}.`);
  },
});

export const seasonAdminCommands: AnyCommand[] = [seasonStart as AnyCommand, seasonEndNow as AnyCommand, seasonCancel as AnyCommand];
