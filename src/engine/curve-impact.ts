/**
 * What a curve change would do before it is made (DESIGN §2.4.2): how many members change level each way, and which
 * reward roles would move. Pure: the caller passes the members' XP totals (stored plus unwritten).
 */
import { levelFromXp, type LevelCurve } from '../levels/curve.js';
import { desiredRoles } from './rewards.js';
import type { RewardMode, RoleReward } from './settings.js';

export interface RoleMove {
  roleId: string;
  /** Members who would get the role. */
  gain: number;
  /** Members who would lose it. */
  lose: number;
}

export interface CurveImpact {
  members: number;
  up: number;
  down: number;
  /** The highest level a member has under either curve (the chart's range). */
  highestLevel: number;
  /** Reward roles that would move, in reward order; roles that move for nobody are left out. */
  roles: RoleMove[];
}

export function curveImpact(totals: Iterable<number>, today: LevelCurve, next: LevelCurve, rewards: readonly RoleReward[], mode: RewardMode): CurveImpact {
  const impact: CurveImpact = { members: 0, up: 0, down: 0, highestLevel: 0, roles: [] };
  const moves = new Map<string, RoleMove>();
  const desired = new Map<number, Map<string, boolean>>();
  const at = (level: number) => {
    let d = desired.get(level);
    if (!d) desired.set(level, (d = desiredRoles(rewards, level, mode)));
    return d;
  };
  for (const xp of totals) {
    impact.members++;
    const from = levelFromXp(xp, today);
    const to = levelFromXp(xp, next);
    impact.highestLevel = Math.max(impact.highestLevel, from, to);
    if (from === to) continue;
    if (to > from) impact.up++;
    else impact.down++;
    const before = at(from);
    for (const [roleId, held] of at(to)) {
      if (before.get(roleId) === held) continue;
      let m = moves.get(roleId);
      if (!m) moves.set(roleId, (m = { roleId, gain: 0, lose: 0 }));
      if (held) m.gain++;
      else m.lose++;
    }
  }
  const order = [...new Set(rewards.map((r) => r.roleId))];
  impact.roles = [...moves.values()].sort((x, y) => order.indexOf(x.roleId) - order.indexOf(y.roleId));
  return impact;
}
