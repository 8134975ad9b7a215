/**
 * `unicornia settings history`: how long daily XP history is kept before it is folded into months (DESIGN §15.1);
 * `unicornia settings calendar`: the time zone and first weekday of the server's weekly and monthly boards (§15.2).
 */
import { defineCommand, type AnyCommand } from '../types.js';
import { canonicalTimeZone, WEEKDAYS } from '../../../engine/calendar.js';
import { ok, saveSettings } from './shared.js';
import { UserError } from '../errors.js';

/** The shortest retention: the longest board that reads daily history (a month) and the 30-day chart stay whole. */
export const MIN_RETENTION_DAYS = 35;
export const MAX_RETENTION_DAYS = 3650;

export function describeHistoryRetention(days: number): string {
  return days === 0 ? 'every day kept' : `${days} days, then monthly sums`;
}

export function describeCalendar(timeZone: string, weekStart: number): string {
  return `${timeZone}, weeks start ${WEEKDAYS[weekStart]}`;
}

export const historySettingsCommands: AnyCommand[] = [
  defineCommand({
    path: ['unicornia', 'settings', 'calendar'],
    aliases: [['unicornia', 'timezone']],
    description: 'Time zone and week start of the boards',
    options: [
      { name: 'timezone', type: 'string', required: true, description: 'IANA zone, e.g. Europe/Berlin', min: 1, max: 64 },
      { name: 'weekstart', type: 'string', description: 'First weekday (default monday)', min: 3, max: 9 },
    ] as const,
    example: { timezone: 'Europe/Berlin', weekstart: 'monday' },
    permission: 'admin',
    async handler(ctx, { timezone, weekstart }) {
      const zone = canonicalTimeZone(timezone);
      if (!zone) {
        throw new UserError('bad_argument', `\`${timezone.slice(0, 64)}\` is not a time zone name. Use an IANA name such as \`UTC\`, \`Europe/Berlin\` or \`America/New_York\`.`);
      }
      const weekStart = weekstart === undefined ? 1 : WEEKDAYS.indexOf(weekstart.toLowerCase() as (typeof WEEKDAYS)[number]);
      if (weekStart < 0) throw new UserError('bad_argument', `\`weekstart\` is a day of the week: ${WEEKDAYS.join(', ')}.`);
      await saveSettings(ctx, { timeZone: zone, weekStart });
      return ok(`Weekly and monthly boards follow ${describeCalendar(zone, weekStart)}. Weeks and months already under way keep their totals; new ones follow this calendar.`);
    },
  }) as AnyCommand,
  defineCommand({
    path: ['unicornia', 'settings', 'history'],
    aliases: [['unicornia', 'historyretention']],
    description: 'Days of daily XP history kept (0 = all)',
    options: [
      {
        name: 'days',
        type: 'integer',
        required: true,
        description: `0 or ${MIN_RETENTION_DAYS}–${MAX_RETENTION_DAYS}`,
        min: 0,
        max: MAX_RETENTION_DAYS,
      },
    ] as const,
    example: { days: 400 },
    permission: 'admin',
    async handler(ctx, { days }) {
      if (days !== 0 && days < MIN_RETENTION_DAYS) {
        throw new UserError('bad_argument', `\`days\` is 0 (keep every day) or ${MIN_RETENTION_DAYS}–${MAX_RETENTION_DAYS}: a shorter history would cut the 30-day chart.`);
      }
      await saveSettings(ctx, { historyRetentionDays: days });
      return ok(
        days === 0
          ? 'Daily XP history is kept for every day.'
          : `Daily XP history is kept ${days} days; older days are summed per month (boards and totals do not change).`,
      );
    },
  }) as AnyCommand,
];
