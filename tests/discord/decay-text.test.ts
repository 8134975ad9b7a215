import { describe, expect, it } from 'vitest';
import { describePolicy, parseAmount, summaryLines } from '../../src/discord/commands/admin/decay.js';
import { UserError } from '../../src/discord/commands/errors.js';

describe('decay texts', () => {
  it('given amounts then a percentage or an XP amount is read, and anything else is refused with both ranges', () => {
    expect(parseAmount('5%')).toEqual({ amount: 5, unit: 'percent' });
    expect(parseAmount(' 100 % ')).toEqual({ amount: 100, unit: 'percent' });
    expect(parseAmount('1000000')).toEqual({ amount: 1_000_000, unit: 'xp' });
    for (const bad of ['0%', '101%', '0', '1000001', '5.5%', '-5', 'five', '']) {
      expect(() => parseAmount(bad), bad).toThrow(UserError);
      expect(() => parseAmount(bad), bad).toThrow(/from 1% to 100%.*from 1 to 1,000,000/);
    }
  });

  it('given a policy then it reads as a sentence', () => {
    expect(describePolicy({ afterDays: 1, amount: 250, unit: 'xp', per: 'day', floorLevel: 0 })).toBe('−250 XP per day after 1 day without earning XP');
    expect(describePolicy({ afterDays: 30, amount: 5, unit: 'percent', per: 'week', floorLevel: 10 })).toBe('−5 % per week after 30 days without earning XP, never below level 10');
  });

  it('given many reward roles removed then the summary names the 15 most removed and counts the rest', () => {
    const rolesRemoved = new Map(Array.from({ length: 20 }, (_, i) => [String(100 + i), i + 1] as const));
    const lines = summaryLines({ members: 50, affected: 40, xpPerWeek: [1000, 500, 0, 0], levelDrops: 1, levelsLost: 2, rolesRemoved, top: [] }, []);
    const roles = lines.find((l) => l.startsWith('Reward roles removed'))!;
    expect(roles.match(/<@&/g)).toHaveLength(15);
    expect(roles).toContain('<@&119> ×20, <@&118> ×19');
    expect(roles.endsWith('and 5 more')).toBe(true);
    expect(lines).toContain('XP lost per week: 1,000 · 500 · 0 · 0 (**1,500** in all)');
    expect(lines).toContain('Level drops: 1 member (2 levels in all)');
  });
});
