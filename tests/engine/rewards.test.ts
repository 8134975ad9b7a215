import { describe, expect, it } from 'vitest';
import { desiredRoles, roleChangesBetween, roleSyncChanges, rolesForLevel } from '../../src/engine/rewards.js';
import type { RoleReward } from '../../src/engine/settings.js';

const rewards: RoleReward[] = [
  { level: 4, roleId: 'A', remove: false },
  { level: 10, roleId: 'A', remove: true },
  { level: 12, roleId: 'B', remove: false },
  { level: 25, roleId: 'C', remove: false },
];

/** A ladder: Bronze at 5, Silver at 10, Gold at 20; Veteran at 10 always kept. */
const ladder: RoleReward[] = [
  { level: 5, roleId: 'bronze', remove: false },
  { level: 10, roleId: 'silver', remove: false },
  { level: 10, roleId: 'veteran', remove: false, mode: 'stack' },
  { level: 20, roleId: 'gold', remove: false },
];

describe('role rewards in stack mode', () => {
  it('given a jump up then the highest crossed level decides each role', () => {
    expect(roleChangesBetween(rewards, 3, 19, 'stack')).toEqual({ add: ['B'], remove: ['A'] });
    expect(roleChangesBetween(rewards, 3, 9, 'stack')).toEqual({ add: ['A'], remove: [] });
    expect(roleChangesBetween(rewards, 12, 24, 'stack')).toEqual({ add: [], remove: [] });
  });

  it('given a level then a rejoining member gets the roles they should hold, nothing taken', () => {
    expect(rolesForLevel(rewards, 30, 'stack')).toEqual({ add: ['B', 'C'], remove: [] });
  });

  it('given a drop then roles follow the lower level: given-above roles go, roles removed above come back', () => {
    expect(roleChangesBetween(rewards, 19, 11, 'stack')).toEqual({ add: [], remove: ['B'] });
    expect(roleChangesBetween(rewards, 11, 5, 'stack')).toEqual({ add: ['A'], remove: [] });
    expect(roleChangesBetween(rewards, 30, 0, 'stack')).toEqual({ add: [], remove: ['A', 'B', 'C'] });
    expect(roleChangesBetween(rewards, 9, 5, 'stack')).toEqual({ add: [], remove: [] });
  });

  it('given a ladder in stack mode then every rung reached is kept', () => {
    expect(rolesForLevel(ladder, 25, 'stack').add).toEqual(['bronze', 'silver', 'veteran', 'gold']);
  });
});

describe('role rewards in replace mode', () => {
  it('given the server in replace mode then only the highest rung is held, stack rewards kept', () => {
    expect([...desiredRoles(ladder, 25, 'replace')]).toEqual([['bronze', false], ['silver', false], ['veteran', true], ['gold', true]]);
    expect([...desiredRoles(ladder, 10, 'replace')]).toEqual([['bronze', false], ['silver', true], ['veteran', true], ['gold', false]]);
    expect([...desiredRoles(ladder, 4, 'replace')]).toEqual([['bronze', false], ['silver', false], ['veteran', false], ['gold', false]]);
  });

  it('given a level-up to a higher rung then the lower rung is taken in the same change', () => {
    expect(roleChangesBetween(ladder, 7, 12, 'replace')).toEqual({ add: ['silver', 'veteran'], remove: ['bronze'] });
    expect(roleChangesBetween(ladder, 3, 25, 'replace')).toEqual({ add: ['veteran', 'gold'], remove: ['bronze', 'silver'] });
  });

  it('given a level-down below a rung then the rung below comes back', () => {
    expect(roleChangesBetween(ladder, 25, 12, 'replace')).toEqual({ add: ['silver'], remove: ['gold'] });
    expect(roleChangesBetween(ladder, 12, 6, 'replace')).toEqual({ add: ['bronze'], remove: ['silver', 'veteran'] });
  });

  it("given a reward's own mode then it wins over the server's", () => {
    const own: RoleReward[] = [
      { level: 5, roleId: 'bronze', remove: false, mode: 'replace' },
      { level: 10, roleId: 'silver', remove: false },
    ];
    expect([...desiredRoles(own, 12, 'stack')]).toEqual([['bronze', false], ['silver', true]]);
    expect([...desiredRoles(own, 12, 'replace')]).toEqual([['bronze', false], ['silver', true]]);
    const kept: RoleReward[] = [{ ...own[0]!, mode: 'stack' }, own[1]!];
    expect([...desiredRoles(kept, 12, 'replace')]).toEqual([['bronze', true], ['silver', true]]);
  });

  it('given a level-up inside one rung then nothing changes', () => {
    expect(roleChangesBetween(ladder, 11, 19, 'replace')).toEqual({ add: [], remove: [] });
  });
});

describe('role sync', () => {
  it('given the roles a member holds then only the differences are changed', () => {
    expect(roleSyncChanges(ladder, 12, 'replace', new Set(['silver', 'veteran']))).toEqual({ add: [], remove: [] });
    expect(roleSyncChanges(ladder, 12, 'replace', new Set(['bronze', 'silver', 'other']))).toEqual({ add: ['veteran'], remove: ['bronze'] });
    expect(roleSyncChanges(ladder, 0, 'stack', new Set(['gold']))).toEqual({ add: [], remove: ['gold'] });
  });

  it('given a role rewards only take away then a sync leaves it to the member below that level', () => {
    const only: RoleReward[] = [{ level: 10, roleId: 'newbie', remove: true }];
    expect(roleSyncChanges(only, 3, 'stack', new Set(['newbie']))).toEqual({ add: [], remove: [] });
    expect(roleSyncChanges(only, 10, 'stack', new Set(['newbie']))).toEqual({ add: [], remove: ['newbie'] });
  });
});
