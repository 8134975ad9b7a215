import { describe, expect, it } from 'vitest';
import { roleChangesBetween, roleChangesDown, rolesForLevel } from '../../src/engine/rewards.js';
import type { RoleReward } from '../../src/engine/settings.js';

const rewards: RoleReward[] = [
  { level: 4, roleId: 'A', remove: false },
  { level: 10, roleId: 'A', remove: true },
  { level: 12, roleId: 'B', remove: false },
  { level: 25, roleId: 'C', remove: false },
];

describe('role rewards', () => {
  it('given a jump up then the highest crossed level decides each role', () => {
    expect(roleChangesBetween(rewards, 3, 19)).toEqual({ add: ['B'], remove: ['A'] });
    expect(roleChangesBetween(rewards, 3, 9)).toEqual({ add: ['A'], remove: [] });
    expect(roleChangesBetween(rewards, 12, 24)).toEqual({ add: [], remove: [] });
  });

  it('given a level then the roles it should have come from every reward at or below it', () => {
    expect(rolesForLevel(rewards, 30)).toEqual({ add: ['B', 'C'], remove: ['A'] });
  });

  it('given a drop then roles follow the lower level: given-above roles go, roles removed above come back', () => {
    expect(roleChangesDown(rewards, 19, 11)).toEqual({ add: [], remove: ['B'] });
    expect(roleChangesDown(rewards, 11, 5)).toEqual({ add: ['A'], remove: [] });
    expect(roleChangesDown(rewards, 30, 0)).toEqual({ add: [], remove: ['A', 'B', 'C'] });
    expect(roleChangesDown(rewards, 9, 5)).toEqual({ add: [], remove: [] });
  });
});
