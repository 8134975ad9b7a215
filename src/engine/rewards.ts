/** Which roles change when a member moves from one level to a higher one (DESIGN §2.4). */
import type { RoleReward } from './settings.js';

export interface RoleChanges {
  add: string[];
  remove: string[];
}

/**
 * For every role with a reward in (oldLevel, newLevel], the highest such level decides: given at 4 and removed
 * at 10, a jump 3 → 19 leaves it off. The result lists each role once, in level order.
 */
export function roleChangesBetween(rewards: readonly RoleReward[], oldLevel: number, newLevel: number): RoleChanges {
  const decided = new Map<string, RoleReward>();
  // rewards are sorted by level, so the last one seen per role is the highest crossed.
  for (const r of rewards) {
    if (r.level > oldLevel && r.level <= newLevel) {
      decided.delete(r.roleId);
      decided.set(r.roleId, r);
    }
  }
  const ordered = [...decided.values()].sort((a, b) => a.level - b.level);
  return {
    add: ordered.filter((r) => !r.remove).map((r) => r.roleId),
    remove: ordered.filter((r) => r.remove).map((r) => r.roleId),
  };
}

/** The roles a member at `level` should have from rewards (re-applied when a member rejoins). */
export function rolesForLevel(rewards: readonly RoleReward[], level: number): RoleChanges {
  return roleChangesBetween(rewards, 0, level);
}

/**
 * When a member drops from `oldLevel` to `newLevel` (an admin removed XP): each role with a reward in
 * (newLevel, oldLevel] goes back to what the rewards at or below `newLevel` say — the highest such reward decides —
 * and a role only ever given above `newLevel` is taken away.
 */
export function roleChangesDown(rewards: readonly RoleReward[], oldLevel: number, newLevel: number): RoleChanges {
  const touched = new Set(rewards.filter((r) => r.level > newLevel && r.level <= oldLevel).map((r) => r.roleId));
  const add: string[] = [];
  const remove: string[] = [];
  for (const roleId of touched) {
    const below = rewards.filter((r) => r.roleId === roleId && r.level <= newLevel);
    const decider = below[below.length - 1];
    if (decider) (decider.remove ? remove : add).push(roleId);
    else if (rewards.some((r) => r.roleId === roleId && r.level > newLevel && !r.remove)) remove.push(roleId);
  }
  return { add, remove };
}
