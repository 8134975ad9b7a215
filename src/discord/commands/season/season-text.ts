/** How seasons read in replies and in the announcement of a close (DESIGN §15.3). */
import type { Season, SeasonSummary } from '../../../seasons/season.js';
import { formatNumber } from '../level/level-info.js';

/** A Discord timestamp: each reader sees it in their own time zone. */
const when = (ms: number, style: 'f' | 'R' | 'D') => `<t:${Math.floor(ms / 1000)}:${style}>`;

/** 'ends <date> (in 3 days)', 'rolls over weekly; this one ends …', 'ended <date>'. */
export function describeSeasonEnd(s: Pick<Season, 'endsAt' | 'rollover'>, now: number, timeZone: string): string {
  if (s.endsAt <= now) return `ended ${when(s.endsAt, 'f')}`;
  const end = `ends ${when(s.endsAt, 'f')} (${when(s.endsAt, 'R')}; server time zone ${timeZone})`;
  return s.rollover === 'none' ? end : `rolls over ${s.rollover}; this one ${end}`;
}

/** One line of `season list`. */
export function seasonLine(s: Season, now: number, timeZone: string): string {
  const head = `**${s.number}.** ${s.name} — ${when(s.startsAt, 'D')} to ${when(s.endsAt, 'D')}`;
  if (s.state === 'running') return `${head} · running, ${describeSeasonEnd(s, now, timeZone)}`;
  if (s.state !== 'closed') return `${head} · closing`;
  return `${head} · ${formatNumber(s.ranked)} member${s.ranked === 1 ? '' : 's'}`;
}

/** The message a close posts in the channel the season was started from. */
export function closedText(s: Season, summary: SeasonSummary): string {
  const podium = summary.top.slice(0, 3).map((t) => `${['🥇', '🥈', '🥉'][t.rank - 1] ?? `#${t.rank}`} <@${t.userId}> — ${formatNumber(t.xp)} XP`);
  const lines = [`🏆 Season ${s.number} “${s.name}” has ended: ${formatNumber(summary.members)} member${summary.members === 1 ? '' : 's'} earned ${formatNumber(summary.totalXp)} XP.`];
  lines.push(podium.length ? podium.join('\n') : 'Nobody earned XP in it.');
  if (summary.winners.roleId && summary.winners.userIds.length) {
    lines.push(`<@&${summary.winners.roleId}> goes to ${summary.winners.userIds.map((u) => `<@${u}>`).join(', ')}.`);
  }
  lines.push(`Full standings: \`season show ${s.number}\`.`);
  return lines.join('\n');
}
