/** Which reward roles a member should hold at a level, and which change between two levels (DESIGN §2.4). */
import type { RewardMode, RoleReward } from './settings.js';

export interface RoleChanges {
  add: string[];
  remove: string[];
}

/**
 * Whether a member at `level` should hold each reward role (DESIGN §2.4.1):
 * - the highest reward of the role at or below `level` decides (given at 4 and removed at 10: off at 19);
 * - a role with no reward at or below `level` is off if some reward gives it (not reached yet); a role that rewards
 *   only ever take away is absent (nothing to say about it);
 * - `replace`: of the roles held, only those given at the highest level reached stay; a held role whose deciding
 *   reward is in replace mode (its own, else `defaultMode`) and lies lower is off. Stack-mode roles stay.
 * The map lists roles in the order of their first reward.
 */
export function desiredRoles(rewards: readonly RoleReward[], level: number, defaultMode: RewardMode): Map<string, boolean> {
  const deciding = new Map<string, RoleReward | null>();
  const gives = new Set<string>();
  // rewards are sorted by level, so the last one at or below `level` per role is its decider.
  for (const r of rewards) {
    if (!deciding.has(r.roleId)) deciding.set(r.roleId, null);
    if (!r.remove) gives.add(r.roleId);
    if (r.level <= level) deciding.set(r.roleId, r);
  }
  let top = -1;
  for (const d of deciding.values()) if (d && !d.remove && d.level > top) top = d.level;
  const desired = new Map<string, boolean>();
  for (const [roleId, d] of deciding) {
    if (d === null) {
      if (gives.has(roleId)) desired.set(roleId, false);
    } else if (d.remove) desired.set(roleId, false);
    else desired.set(roleId, d.level === top || (d.mode ?? defaultMode) === 'stack');
  }
  return desired;
}

/**
 * The role changes when a member moves from `fromLevel` to `toLevel` (up or down): every role with a reward between
 * the two levels, and every role whose replace mode decides differently at the two levels, is set to what
 * `toLevel` says (`desiredRoles`). Roles no reward between them touches are left alone, so a role an admin gave by
 * hand outside the rewards' reach is never taken by a level change.
 */
export function roleChangesBetween(rewards: readonly RoleReward[], fromLevel: number, toLevel: number, defaultMode: RewardMode): RoleChanges {
  const low = Math.min(fromLevel, toLevel);
  const high = Math.max(fromLevel, toLevel);
  const before = desiredRoles(rewards, fromLevel, defaultMode);
  const after = desiredRoles(rewards, toLevel, defaultMode);
  const touched = new Set(rewards.filter((r) => r.level > low && r.level <= high).map((r) => r.roleId));
  const changes: RoleChanges = { add: [], remove: [] };
  for (const [roleId, held] of after) {
    if (touched.has(roleId) || before.get(roleId) !== held) (held ? changes.add : changes.remove).push(roleId);
  }
  return changes;
}

/** The roles a member at `level` gets back when they rejoin: the ones they should hold (nothing to take off). */
export function rolesForLevel(rewards: readonly RoleReward[], level: number, defaultMode: RewardMode): RoleChanges {
  return { add: [...desiredRoles(rewards, level, defaultMode)].filter(([, held]) => held).map(([roleId]) => roleId), remove: [] };
}

/**
 * What a role sync changes for a member (DESIGN §2.7.1): every reward role brought in line with `level`, compared
 * with the roles the member holds now. Empty when they already match, so a sync edits only members who differ.
 */
export function roleSyncChanges(rewards: readonly RoleReward[], level: number, defaultMode: RewardMode, held: ReadonlySet<string>): RoleChanges {
  const changes: RoleChanges = { add: [], remove: [] };
  for (const [roleId, want] of desiredRoles(rewards, level, defaultMode)) {
    if (want && !held.has(roleId)) changes.add.push(roleId);
    else if (!want && held.has(roleId)) changes.remove.push(roleId);
  }
  return changes;
}
