/**
 * Another bot's members onto Unicornia's curve (DESIGN §8.2). Each bot has its own curve, so the owner chooses:
 * - keep XP: the XP stays, the level is whatever Unicornia's curve gives for it;
 * - keep level: the XP becomes what Unicornia's curve needs for that level, plus the same fraction of the next
 *   level the member had reached in the other bot.
 * Both are counted every time, so a dry run shows how many members change level (or XP) either way.
 */
import { levelFromXp, totalXpForLevel, xpForNextLevel, type LevelCurve } from '../../levels/curve.js';
import type { MemberXpImport } from '../../storage/import-writes.js';
import type { Skip } from '../runner.js';
import type { KeepMode, LevelChoice } from '../summary.js';
import type { BotMember } from './shape.js';

export const MEMBER_SKIPS = {
  duplicate: 'duplicate row for the same guild and user',
  noLevel: 'no level in the file (--keep level needs one)',
} as const;

/** The XP that reaches `level` on `curve`, plus `fraction` (null: 0) of the way to the next level. */
export function xpForSameLevel(level: number, fraction: number | null, curve: LevelCurve): number {
  return totalXpForLevel(level, curve) + Math.floor((fraction ?? 0) * xpForNextLevel(level, curve));
}

export function convertMembers(
  members: Iterable<BotMember | Skip>,
  keep: KeepMode,
  curveOf: (guildId: bigint) => LevelCurve,
): { rows: (MemberXpImport | Skip)[]; levels: Omit<LevelChoice, 'keep'> } {
  const skips: Skip[] = [];
  const levels: Omit<LevelChoice, 'keep'> = { members: 0, xpMode: { up: 0, down: 0 }, levelMode: { xpChanged: 0 }, noLevel: 0 };
  const byGuild = new Map<bigint, { rows: MemberXpImport[]; users: Set<bigint> }>();
  for (const m of members) {
    if ('skip' in m) {
      skips.push(m);
      continue;
    }
    let guild = byGuild.get(m.guildId);
    if (!guild) byGuild.set(m.guildId, (guild = { rows: [], users: new Set() }));
    if (guild.users.has(m.userId)) {
      skips.push({ skip: MEMBER_SKIPS.duplicate });
      continue;
    }
    guild.users.add(m.userId);
    const curve = curveOf(m.guildId);
    let sameLevelXp: number | null = null;
    if (m.level === null) levels.noLevel++;
    else {
      levels.members++;
      const ours = levelFromXp(m.xp, curve);
      if (ours > m.level) levels.xpMode.up++;
      else if (ours < m.level) levels.xpMode.down++;
      sameLevelXp = xpForSameLevel(m.level, m.fraction, curve);
      if (sameLevelXp !== m.xp) levels.levelMode.xpChanged++;
    }
    // A member already has the fields of a row: keeping XP writes it as it is.
    if (keep === 'xp') guild.rows.push(m);
    else if (sameLevelXp === null) skips.push({ skip: MEMBER_SKIPS.noLevel });
    else guild.rows.push({ guildId: m.guildId, userId: m.userId, xp: sameLevelXp });
  }
  // In Unicornia's key order (guild, member): the writes then fill the tables' pages in order.
  const rows: (MemberXpImport | Skip)[] = skips;
  for (const g of [...byGuild.keys()].sort(compare)) {
    for (const r of byGuild.get(g)!.rows.sort((a, b) => compare(a.userId, b.userId))) rows.push(r);
  }
  return { rows, levels };
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
