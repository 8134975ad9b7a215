import { describe, expect, it } from 'vitest';
import { curveImpact } from '../../src/engine/curve-impact.js';
import { CURVE_PRESETS, NADEKO_CURVE, totalXpForLevel } from '../../src/levels/curve.js';
import type { RoleReward } from '../../src/engine/settings.js';

const rewards: RoleReward[] = [
  { level: 2, roleId: 'bronze', remove: false },
  { level: 5, roleId: 'silver', remove: false },
];

describe('what a curve change would do', () => {
  it('given members at several levels and MEE6 then all four drop and the rewards they fall below are lost', () => {
    // Nadeko levels 1, 3, 6, 10 = 36, 135, 351, 765 XP; MEE6 levels start at 100, 255, 475, 770: levels 0, 1, 2, 3.
    const totals = [1, 3, 6, 10].map((l) => totalXpForLevel(l, NADEKO_CURVE));
    expect(curveImpact(totals, NADEKO_CURVE, CURVE_PRESETS.mee6, rewards, 'stack')).toEqual({
      members: 4,
      up: 0,
      down: 4,
      highestLevel: 10,
      roles: [{ roleId: 'bronze', gain: 0, lose: 1 }, { roleId: 'silver', gain: 0, lose: 2 }],
    });
  });

  it('given a cheaper curve then everyone rises and the rewards they pass are gained', () => {
    const totals = [totalXpForLevel(1, NADEKO_CURVE), totalXpForLevel(4, NADEKO_CURVE)]; // 36 and 198 XP; the second has Bronze already
    const impact = curveImpact(totals, NADEKO_CURVE, { a: 0, c: 10 }, rewards, 'stack'); // 10 XP a level: 3 and 19
    expect(impact).toEqual({ members: 2, up: 2, down: 0, highestLevel: 19, roles: [{ roleId: 'bronze', gain: 1, lose: 0 }, { roleId: 'silver', gain: 1, lose: 0 }] });
  });

  it('given a dearer curve in replace mode then members drop and the lower rung comes back', () => {
    const totals = [totalXpForLevel(6, NADEKO_CURVE)]; // 297 XP: level 6 (silver) → level 2 at 100 a level
    const impact = curveImpact(totals, NADEKO_CURVE, CURVE_PRESETS.linear, rewards, 'replace');
    expect(impact).toEqual({ members: 1, up: 0, down: 1, highestLevel: 6, roles: [{ roleId: 'bronze', gain: 1, lose: 0 }, { roleId: 'silver', gain: 0, lose: 1 }] });
  });

  it('given the same curve then nothing moves', () => {
    expect(curveImpact([0, 500, 10_000], NADEKO_CURVE, { a: 9, c: 27 }, rewards, 'stack')).toMatchObject({ members: 3, up: 0, down: 0, roles: [] });
  });
});
