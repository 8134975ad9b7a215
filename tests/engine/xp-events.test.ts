/** Timed XP events in the engine (DESIGN §15.5): exact bonus, limits, boundaries, history and period boards. */
import { afterEach, describe, expect, it } from 'vitest';
import { G1, U1, U2, msg, testCore, type TestCore } from '../helpers/core.js';
import { ManualClock } from '../../src/util/clock.js';
import { SOURCE_CODE } from '../../src/engine/history.js';
import { monthAt, weekAt } from '../../src/engine/calendar.js';
import { eventBonus, eventSlotAt, type XpEventRule } from '../../src/engine/xp-events.js';
import type { VoiceGuildSnapshot } from '../../src/engine/events.js';
import type { NewXpEvent } from '../../src/storage/xp-events.js';

let core: TestCore | undefined;
afterEach(async () => {
  await core?.stop();
  core = undefined;
});

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 4, 4, 12); // Monday 4 May 2026, 12:00 UTC
const CH = '500000000000000001';
const OTHER = '500000000000000002';
const CATEGORY = '500000000000000003';
const ROLE = '600000000000000001';

function event(over: Partial<NewXpEvent> = {}): NewXpEvent {
  return { guildId: G1, milli: 2000, startsAt: T0, endsAt: T0 + 2 * HOUR, channelIds: [], roleIds: [], announceChannelId: null, createdAt: T0, ...over };
}

async function withEvents(events: NewXpEvent[], settings: Parameters<TestCore['writer']['xp']['updateSettings']>[1] = {}): Promise<TestCore> {
  const clock = new ManualClock(0, T0);
  core = testCore({ clock });
  await core.writer.xp.updateSettings(G1, { cooldownSeconds: 0, ...settings });
  for (const e of events) expect(await core.writer.xpEvents.create(e)).not.toBeNull();
  await core.engine.reloadGuild(G1);
  return core;
}

/** Exact half-up of base × m, m in thousandths (what the design promises), by BigInt rationals. */
function exact(base: number, milli: number): number {
  const n = BigInt(base) * BigInt(milli);
  return Number((2n * n + 1000n) / 2000n);
}

describe('XP event bonus (DESIGN §15.5)', () => {
  it('given every multiplier of the accepted grid then the bonus is base × (m − 1) rounded half-up exactly', () => {
    const rule = (milli: number): XpEventRule => ({ id: 1, milli, startsAt: 0, endsAt: 1, channelIds: new Set(), roleIds: new Set() });
    for (let milli = 1100; milli <= 10_000; milli += 7) {
      for (const base of [1, 3, 7, 15, 999, 123_457]) {
        expect(base + eventBonus([rule(milli)], base, [], CH, null, null)).toBe(exact(base, milli));
      }
    }
    // 5 × 1.5 = 7.5 rounds up to 8: a bonus of 3, not 2.
    expect(eventBonus([rule(1500)], 5, [], CH, null, null)).toBe(3);
  });

  it('given a ×1.5 event and 5 XP per message then a message earns 8, the bonus 3 kept as source event', async () => {
    const c = await withEvents([event({ milli: 1500 })], { xpPerMessage: 5 });
    expect(c.engine.handleMessage(msg())).toMatchObject({ gained: 8, totalXp: 8 });
    await c.flusher.flush();
    const rows = c.db.prepare('SELECT Source, Xp FROM XpHistoryDaily WHERE UserId = ? ORDER BY Source').safeIntegers(false).all(BigInt(U1));
    expect(rows).toEqual([
      { Source: SOURCE_CODE.message, Xp: 5 },
      { Source: SOURCE_CODE.event, Xp: 3 },
    ]);
    expect(c.reads.storedXp(G1, U1).xp).toBe(8);
    // The metrics count the bonus as granted XP of its own source.
    expect(c.engine.stats.xp).toMatchObject({ message: 5, event: 3 });
  });

  it('given the start and the end of an event on the injected clock then only gains inside [start, end) get the bonus', async () => {
    const c = await withEvents([event({ startsAt: T0 + HOUR, endsAt: T0 + 3 * HOUR })]);
    const gains: number[] = [];
    const at = (ms: number) => {
      c.clock.stepWall(T0 + ms - c.clock.wallNow());
      gains.push((c.engine.handleMessage(msg()) as { gained: number }).gained);
    };
    at(HOUR - 1);
    at(HOUR);
    at(3 * HOUR - 1);
    at(3 * HOUR);
    at(10 * HOUR);
    expect(gains).toEqual([1, 2, 2, 1, 1]);
  });

  it('given a wall clock that steps back and forward across the start and the end then the time it shows at each gain decides (DESIGN §2.8)', async () => {
    const c = await withEvents([event({ startsAt: T0 + HOUR, endsAt: T0 + 2 * HOUR })]);
    const gainAt = (ms: number) => {
      c.clock.stepWall(T0 + ms - c.clock.wallNow());
      return (c.engine.handleMessage(msg()) as { gained: number }).gained;
    };
    expect([gainAt(90 * 60_000), gainAt(30 * 60_000), gainAt(61 * 60_000), gainAt(3 * HOUR), gainAt(HOUR + 1), gainAt(10 * HOUR), gainAt(HOUR - 1)]).toEqual([2, 1, 2, 1, 2, 1, 1]);
  });

  it('given an event limited to a channel (or its category) and one to a role then only messages and voice there, or by those members, get it', async () => {
    const c = await withEvents([event({ milli: 3000, channelIds: [CATEGORY] }), event({ milli: 2000, roleIds: [ROLE] })]);
    const gained = (over: Parameters<typeof msg>[0]) => (c.engine.handleMessage(msg(over)) as { gained: number }).gained;
    expect(gained({ channelId: OTHER })).toBe(1);
    expect(gained({ channelId: CH, categoryId: CATEGORY })).toBe(3);
    expect(gained({ channelId: OTHER, roleIds: [ROLE] })).toBe(2);
    // Both apply: the higher wins, they do not multiply.
    expect(gained({ channelId: CH, categoryId: CATEGORY, roleIds: [ROLE] })).toBe(3);
    expect(gained({ channelId: '700000000000000001', parentId: CATEGORY })).toBe(3); // a thread of the category

    await c.writer.xp.updateSettings(G1, { voiceAntiFarm: false, voiceXpPerMinute: 10 });
    await c.engine.reloadGuild(G1);
    const member = (userId: string, roleIds: string[]) => ({ userId, roleIds, isBot: false, selfDeaf: false, serverDeaf: false, selfMute: false, serverMute: false, suppressed: false });
    const voice: VoiceGuildSnapshot[] = [
      { guildId: G1, afkChannelId: null, channels: [{ channelId: '800000000000000001', categoryId: CATEGORY, isStage: false, members: [member(U2, [])] }] },
    ];
    const before = c.engine.xpOf(G1, U2) as number;
    c.engine.voiceTick(voice);
    expect((c.engine.xpOf(G1, U2) as number) - before).toBe(30);
  });

  it('given two running events for everyone then the highest multiplier wins', async () => {
    const c = await withEvents([event({ milli: 2000 }), event({ milli: 2500 }), event({ milli: 1100 })], { xpPerMessage: 10 });
    expect((c.engine.handleMessage(msg()) as { gained: number }).gained).toBe(25);
  });

  it('given an event that has ended then the guild goes back to no slot, and a cancel reloaded ends it at once', async () => {
    const c = await withEvents([event({ endsAt: T0 + HOUR })]);
    expect((c.engine.handleMessage(msg()) as { gained: number }).gained).toBe(2);
    const id = (await c.writer.xpEvents.list(G1, T0))[0]!.id;
    c.clock.advance(10 * 60_000);
    expect(await c.writer.xpEvents.cancel(G1, id, c.clock.wallNow())).toMatchObject({ wasRunning: true });
    await c.engine.reloadGuild(G1);
    expect((c.engine.handleMessage(msg()) as { gained: number }).gained).toBe(1);
  });

  it('given event bonuses then history sums to the total and week, month boards count the bonus', async () => {
    const c = await withEvents([event({ milli: 1500 })], { xpPerMessage: 3 });
    for (let i = 0; i < 5; i++) {
      c.engine.handleMessage(msg());
      c.engine.handleMessage(msg({ userId: U2 }));
      c.clock.advance(60_000);
    }
    c.engine.adjustXp(G1, U1, { add: 7 }); // admin XP gets no bonus
    await c.flusher.flush();
    const sum = (userId: string, source?: number) =>
      Number(
        (c.db.prepare(`SELECT COALESCE(SUM(Xp), 0) n FROM XpHistoryDaily WHERE GuildId = ? AND UserId = ?${source === undefined ? '' : ' AND Source = ?'}`).safeIntegers(false).get(BigInt(G1), BigInt(userId), ...(source === undefined ? [] : [source])) as { n: number }).n,
      );
    // 3 × 1.5 = 4.5 → 5: a bonus of 2 per message.
    expect(sum(U1, SOURCE_CODE.event)).toBe(10);
    expect(sum(U1)).toBe(5 * 5 + 7);
    expect(c.reads.storedXp(G1, U1).xp).toBe(sum(U1));
    const cal = { timeZone: 'UTC', weekStart: 1 };
    expect((await c.stores.periods.memberXp(G1, U1, weekAt(T0, cal).id)).xp).toBe(32);
    expect((await c.stores.periods.memberXp(G1, U2, monthAt(T0, cal).id)).xp).toBe(25);
  });
});

describe('event slots', () => {
  it('given scheduled, running and ended events then the slot holds the running ones for exactly the span the set holds', () => {
    const r = (id: number, startsAt: number, endsAt: number, milli = 2000): XpEventRule => ({ id, milli, startsAt, endsAt, channelIds: new Set(), roleIds: new Set() });
    const events = [r(1, 0, 10), r(2, 5, 20, 3000), r(3, 30, 40)];
    expect(eventSlotAt(events, 7)).toMatchObject({ from: 5, to: 10, active: [{ id: 2 }, { id: 1 }] });
    expect(eventSlotAt(events, 20)).toMatchObject({ from: 20, to: 30, active: [] });
    expect(eventSlotAt(events, 40)).toEqual({ from: 40, to: Number.POSITIVE_INFINITY, active: [] });
  });
});
