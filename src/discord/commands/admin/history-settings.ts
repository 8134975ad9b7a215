/**
 * `unicornia settings history`: how long daily XP history is kept before it is folded into months (DESIGN §15.1);
 * `unicornia settings calendar`: the time zone and first weekday of the server's weekly and monthly boards (§15.2).
 */
import { defineCommand, type AnyCommand } from '../types.js';
import { canonicalTimeZone, WEEKDAYS } from '../../../engine/calendar.js';
import { ok, saveSettings } from './shared.js';
import { UserError } from '../errors.js';
import { DEFAULT_SETTINGS } from '../../../engine/settings.js';

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
    description: 'Time zone and week start of boards',
    // 40: what the slash form allows a text option that takes `default`; IANA names are at most 32 characters.
    options: [
      { name: 'timezone', type: 'string', required: true, description: 'IANA zone (Europe/Berlin) or default', min: 1, max: 40, orDefault: true },
      { name: 'weekstart', type: 'string', description: 'First weekday (default monday)', min: 3, max: 9, orDefault: true },
    ] as const,
    example: { timezone: 'Europe/Berlin', weekstart: 'monday' },
    permission: 'admin',
    async handler(ctx, { timezone, weekstart }) {
      const zone = timezone === 'default' ? DEFAULT_SETTINGS.timeZone : canonicalTimeZone(timezone);
      if (!zone) {
        throw new UserError('bad_argument', `\`${timezone.slice(0, 64)}\` is not a time zone name. Use an IANA name such as \`UTC\`, \`Europe/Berlin\` or \`America/New_York\`, or \`default\` (UTC).`);
      }
      // `mon`, `Tues`, `thursday`: the option takes at least three letters, and three already tell the days apart.
      const typed = weekstart?.toLowerCase();
      const weekStart = typed === undefined || typed === 'default' ? DEFAULT_SETTINGS.weekStart : WEEKDAYS.findIndex((d) => d.startsWith(typed));
      if (weekStart < 0) throw new UserError('bad_argument', `\`weekstart\` is a day of the week (\`mon\` or \`monday\`): ${WEEKDAYS.join(', ')}, or \`default\` (monday).`);
      await saveSettings(ctx, { timeZone: zone, weekStart });
      return ok(`Weekly and monthly boards follow ${describeCalendar(zone, weekStart)}. Weeks and months already under way keep their totals; new ones follow this calendar.`);
    },
  }) as AnyCommand,
  defineCommand({
    path: ['unicornia', 'settings', 'history'],
    aliases: [['unicornia', 'historyretention']],
    description: 'Days of daily XP history kept',
    options: [
      {
        name: 'days',
        type: 'integer',
        required: true,
        description: `0 or ${MIN_RETENTION_DAYS}–${MAX_RETENTION_DAYS}, or default`,
        min: 0,
        max: MAX_RETENTION_DAYS,
        orDefault: true,
      },
    ] as const,
    example: { days: 400 },
    permission: 'admin',
    async handler(ctx, args) {
      const days = args.days === 'default' ? DEFAULT_SETTINGS.historyRetentionDays : args.days;
      if (days !== 0 && days < MIN_RETENTION_DAYS) {
        throw new UserError('bad_argument', `\`days\` is 0 (keep every day) or ${MIN_RETENTION_DAYS}–${MAX_RETENTION_DAYS}, or \`default\` (0): a shorter history would cut the 30-day chart.`);
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
