import { describe, expect, it } from 'vitest';
import {
  decayChange,
  DecayPreviewer,
  decayStep,
  dueCount,
  floorXpOf,
  RoleChangeCache,
  type DecayContext,
  type DecayMember,
  type DecayPolicy,
} from '../../src/engine/decay.js';
import { levelFromXp, NADEKO_CURVE, totalXpForLevel } from '../../src/levels/curve.js';
import { roleChangesBetween } from '../../src/engine/rewards.js';
import type { RoleReward } from '../../src/engine/settings.js';

const policy = (p: Partial<DecayPolicy> = {}): DecayPolicy => ({ afterDays: 10, amount: 5, unit: 'percent', per: 'day', floorLevel: 0, ...p });

describe('one period of decay', () => {
  it('takes P % rounded half up, or the fixed amount', () => {
    expect(decayStep(1000, policy({ amount: 5 }), 0)).toBe(950);
    expect(decayStep(10, policy({ amount: 5 }), 0)).toBe(9); // 0.5 rounds up
    expect(decayStep(9, policy({ amount: 5 }), 0)).toBe(9); // 0.45 rounds to 0
    expect(decayStep(1000, policy({ amount: 100 }), 0)).toBe(0);
    expect(decayStep(1000, policy({ unit: 'xp', amount: 300 }), 0)).toBe(700);
    expect(decayStep(200, policy({ unit: 'xp', amount: 300 }), 0)).toBe(0);
  });

  it('never goes below the floor level, and leaves a member at or below it alone', () => {
    const floor = policy({ unit: 'xp', amount: 500, floorLevel: 3 });
    const floorXp = floorXpOf(floor, NADEKO_CURVE);
    expect(floorXp).toBe(totalXpForLevel(3, NADEKO_CURVE));
    expect(decayStep(floorXp + 100, floor, floorXp)).toBe(floorXp);
    expect(decayStep(floorXp, floor, floorXp)).toBe(floorXp);
    expect(decayStep(floorXp - 1, floor, floorXp)).toBe(floorXp - 1);
  });
});

describe('decay days', () => {
  it('start the day after N full days without XP, then every day or every 7 days', () => {
    // Earned on day 100; after 10 days: the first decay day is 111.
    const daily = policy({ afterDays: 10, per: 'day' });
    expect(dueCount(100, daily, 109, 110)).toBe(0);
    expect(dueCount(100, daily, 110, 111)).toBe(1);
    expect(dueCount(100, daily, 110, 117)).toBe(7);
    const weekly = policy({ afterDays: 10, per: 'week' });
    expect(dueCount(100, weekly, 110, 111)).toBe(1);
    expect(dueCount(100, weekly, 111, 117)).toBe(0);
    expect(dueCount(100, weekly, 111, 118)).toBe(1);
    expect(dueCount(100, weekly, 99, 132)).toBe(4); // 111, 118, 125, 132
  });
});

/** A tiny seeded generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const REWARDS: RoleReward[] = [
  { level: 2, roleId: '900', remove: false },
  { level: 5, roleId: '901', remove: false },
  { level: 12, roleId: '902', remove: false },
];

describe('the preview is what the daily runs then do (brute force over 4 weeks)', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`seed ${seed}`, () => {
      const r = rng(seed);
      const today = 20_000;
      const p: DecayPolicy = {
        afterDays: 1 + Math.floor(r() * 20),
        amount: r() < 0.5 ? 1 + Math.floor(r() * 30) : 1 + Math.floor(r() * 200),
        unit: r() < 0.5 ? 'percent' : 'xp',
        per: r() < 0.5 ? 'day' : 'week',
        floorLevel: Math.floor(r() * 4),
      };
      const members: DecayMember[] = Array.from({ length: 300 }, (_, i) => ({
        userId: String(1000 + i),
        xp: Math.floor(r() * 3000),
        lastEarnedDay: r() < 0.1 ? null : today - Math.floor(r() * 60),
        hasLeft: r() < 0.1,
      }));
      const exempt = new Set(members.filter(() => r() < 0.1).map((m) => m.userId));
      const sinceDay = today - 5;
      // The guild's runs were done through yesterday, or missed a few days (caught up today).
      const doneDay = today - 1 - Math.floor(r() * 3);
      const ctx: DecayContext = { policy: p, curve: NADEKO_CURVE, roleRewards: REWARDS, rewardMode: 'stack', exempt, sinceDay };
      const floorXp = totalXpForLevel(p.floorLevel, NADEKO_CURVE);

      // Brute force, day by day, straight from the rule's words.
      const step = p.per === 'day' ? 1 : 7;
      const expected = new Map<string, { xp: number; perWeek: number[] }>();
      for (const m of members) {
        let xp = m.xp;
        const perWeek = [0, 0, 0, 0];
        const last = m.lastEarnedDay ?? sinceDay;
        for (let d = doneDay + 1; d < today + 28; d++) {
          const idle = d - last; // full days without XP before day d, plus one
          if (exempt.has(m.userId) || idle <= p.afterDays || (idle - p.afterDays - 1) % step !== 0) continue;
          const loss = p.unit === 'percent' ? Math.floor((xp * p.amount + 50) / 100) : p.amount;
          const next = xp <= floorXp ? xp : Math.max(floorXp, xp - loss);
          perWeek[Math.max(0, Math.floor((d - today) / 7))]! += xp - next;
          xp = next;
        }
        expected.set(m.userId, { xp, perWeek });
      }

      // The job: one run per day, today's first, each over (last run, its day].
      const job = new Map(members.map((m) => [m.userId, { ...m }]));
      const roles = new RoleChangeCache(ctx);
      const removed = new Map<string, number>();
      let done = doneDay;
      for (let day = today; day < today + 28; day++) {
        for (const m of job.values()) {
          const c = decayChange(m, ctx, done, day, floorXp, roles);
          if (!c) continue;
          expect(c.fromXp).toBe(m.xp);
          if (!m.hasLeft) for (const role of c.roles.remove) removed.set(role, (removed.get(role) ?? 0) + 1);
          m.xp = c.toXp;
        }
        done = day;
      }
      for (const m of members) expect(job.get(m.userId)!.xp, `member ${m.userId}`).toBe(expected.get(m.userId)!.xp);

      // The preview, all at once.
      const previewer = new DecayPreviewer(ctx, today, doneDay, 10_000);
      for (const m of members) previewer.add(m);
      const pv = previewer.done();
      const affected = members.filter((m) => expected.get(m.userId)!.xp !== m.xp);
      expect(pv.affected).toBe(affected.length);
      expect(pv.members).toBe(members.length);
      const weeks = [0, 1, 2, 3].map((w) => members.reduce((s, m) => s + expected.get(m.userId)!.perWeek[w]!, 0));
      expect(pv.xpPerWeek).toEqual(weeks);
      for (const line of pv.top) expect(line.toXp).toBe(expected.get(line.userId)!.xp);
      const drops = affected.filter((m) => levelFromXp(expected.get(m.userId)!.xp) < levelFromXp(m.xp));
      expect(pv.levelDrops).toBe(drops.length);
      // Roles: the brute force's level change, present members only, in one step from start to end.
      const roleCount = new Map<string, number>();
      for (const m of affected) {
        if (m.hasLeft) continue;
        for (const role of roleChangesBetween(REWARDS, levelFromXp(m.xp), levelFromXp(expected.get(m.userId)!.xp), 'stack').remove) {
          roleCount.set(role, (roleCount.get(role) ?? 0) + 1);
        }
      }
      expect(pv.rolesRemoved).toEqual(roleCount);
      // Most XP lost first.
      const losses = pv.top.map((l) => l.fromXp - l.toXp);
      expect(losses).toEqual([...losses].sort((a, b) => b - a));
      expect(pv.top.length).toBe(affected.length);
      // Daily runs remove a role once per member it reaches (stack mode never gives one back on the way down).
      expect(removed).toEqual(roleCount);
    });
  }

  it('keeps only the members who lose the most in its list', () => {
    const ctx: DecayContext = { policy: policy({ unit: 'xp', amount: 10 }), curve: NADEKO_CURVE, roleRewards: [], rewardMode: 'stack', exempt: new Set(), sinceDay: 0 };
    const previewer = new DecayPreviewer(ctx, 100, 99, 3);
    for (const [id, xp] of [['5', 5], ['1', 1000], ['2', 15], ['3', 1000], ['4', 8]] as const) previewer.add({ userId: id, xp, lastEarnedDay: 0, hasLeft: false });
    const pv = previewer.done();
    expect(pv.affected).toBe(5);
    expect(pv.top.map((l) => l.userId)).toEqual(['1', '3', '2']);
  });

  it('leaves exempt members, members earning now and members who earned recently alone', () => {
    const ctx: DecayContext = { policy: policy({ afterDays: 10 }), curve: NADEKO_CURVE, roleRewards: [], rewardMode: 'stack', exempt: new Set(['1']), busy: new Set(['2']), sinceDay: 0 };
    const floorXp = 0;
    const roles = new RoleChangeCache(ctx);
    const m = (userId: string, lastEarnedDay: number | null) => ({ userId, xp: 1000, lastEarnedDay, hasLeft: false });
    expect(decayChange(m('1', 0), ctx, 99, 100, floorXp, roles)).toBeNull();
    expect(decayChange(m('2', 0), ctx, 99, 100, floorXp, roles)).toBeNull();
    expect(decayChange(m('3', 95), ctx, 99, 100, floorXp, roles)).toBeNull();
    expect(decayChange(m('4', 0), ctx, 99, 100, floorXp, roles)?.toXp).toBe(950);
    // No last day of earning: inactive from the day decay was turned on (sinceDay 0 here, 95 below).
    expect(decayChange(m('5', null), ctx, 99, 100, floorXp, roles)?.toXp).toBe(950);
    expect(decayChange(m('5', null), { ...ctx, sinceDay: 95 }, 99, 100, floorXp, roles)).toBeNull();
  });
});
