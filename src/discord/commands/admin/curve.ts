/** `unicornia curve …`: the server's level curve. */
import { defineCommand, type AnyCommand } from '../types.js';
import { ok, oldPath, saveSettings } from './shared.js';
import { CURVE_LIMITS, levelStats } from '../../../levels/curve.js';

export const curveCommands: AnyCommand[] = [
  defineCommand({
    path: ['unicornia', 'curve', 'set'],
    aliases: [oldPath('curve')],
    description: 'Level curve: level L → L+1 costs a·(L+1) + c XP (Nadeko: a=9, c=27)',
    options: [
      { name: 'a', type: 'integer', required: true, description: `Growth per level, ${CURVE_LIMITS.aMin}–${CURVE_LIMITS.aMax}`, min: CURVE_LIMITS.aMin, max: CURVE_LIMITS.aMax },
      { name: 'c', type: 'integer', required: true, description: `Constant cost, ${CURVE_LIMITS.cMin}–${CURVE_LIMITS.cMax}`, min: CURVE_LIMITS.cMin, max: CURVE_LIMITS.cMax },
    ] as const,
    example: { a: 9, c: 27 },
    permission: 'admin',
    async handler(ctx, { a, c }) {
      await saveSettings(ctx, { curve: { a, c } });
      const first = levelStats(0, { a, c });
      return ok(`Level curve set to a=${a}, c=${c}: level 1 needs ${first.xpNeeded} XP. Existing XP is kept; levels are recomputed from it.`);
    },
  }),
];
