/**
 * Timed XP events (DESIGN §15.5): one contract on both stores. Events are stored with their limits, listed while not
 * over, loaded into the guild's rules until their end is announced; each announcement is claimed once; a cancel ends
 * a running event at once and drops a scheduled one unannounced; a server has at most MAX_OPEN_XP_EVENTS open.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/storage/store.js';
import { MAX_OPEN_XP_EVENTS, type NewXpEvent } from '../../../src/storage/xp-events.js';
import { openWholeStore, STORE_KINDS, type StoreKind } from './stores.js';

const G = '1152921504606846976';
const G2 = '1152921504606846977';
const CH = '9223372036854775807';
const ROLE = '9007199254740993';
const ALL = { count: 1, ids: [0] };
const H = 3_600_000;
const T = 1_800_000_000_000;

const opened: Store[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});
const open = (kind: StoreKind) => openWholeStore(kind, opened);

function ev(over: Partial<NewXpEvent> = {}): NewXpEvent {
  return { guildId: G, milli: 2000, startsAt: T, endsAt: T + 2 * H, channelIds: [], roleIds: [], announceChannelId: CH, createdAt: T - H, ...over };
}

describe.each(STORE_KINDS)('XP events on %s', (kind) => {
  it('given events with limits then they are listed by start with exact ids, and the rules hold them until their end is announced', async () => {
    const s = await open(kind);
    const later = (await s.writer.xpEvents.create(ev({ startsAt: T + H, milli: 1500, channelIds: [CH], roleIds: [ROLE] })))!;
    const now = (await s.writer.xpEvents.create(ev()))!;
    await s.writer.xpEvents.create(ev({ guildId: G2 }));
    const list = await s.writer.xpEvents.list(G, T - H);
    expect(list.map((e) => [e.id, e.milli, e.startsAt, e.endsAt, e.channelIds, e.roleIds, e.announceChannelId, e.cancelledAt])).toEqual([
      [now, 2000, T, T + 2 * H, [], [], CH, null],
      [later, 1500, T + H, T + 2 * H, [CH], [ROLE], CH, null],
    ]);
    const rules = await s.reads.xp.loadGuildRules(G);
    expect(rules.xpEvents.map((e) => [e.id, e.milli, [...e.channelIds], [...e.roleIds]])).toEqual([
      [later, 1500, [CH], [ROLE]],
      [now, 2000, [], []],
    ]);
    // Past their end the list no longer shows them; the rules keep them until the end is announced.
    expect(await s.writer.xpEvents.list(G, T + 2 * H)).toEqual([]);
    expect((await s.reads.xp.loadGuildRules(G)).xpEvents).toHaveLength(2);
    expect(await s.writer.xpEvents.claim(now, 'end')).toBe(true);
    expect((await s.reads.xp.loadGuildRules(G)).xpEvents.map((e) => e.id)).toEqual([later]);
  });

  it('given the clock passing the start and the end then each announcement is due once, claimed once; one that ended unannounced is due only as ended', async () => {
    const s = await open(kind);
    const a = (await s.writer.xpEvents.create(ev()))!;
    const b = (await s.writer.xpEvents.create(ev({ startsAt: T + H, endsAt: T + 90 * 60_000 })))!;
    expect(await s.writer.xpEvents.due(T - 1, ALL)).toEqual([]);
    expect((await s.writer.xpEvents.due(T, ALL)).map((d) => [d.event.id, d.kind])).toEqual([[a, 'start']]);
    expect(await s.writer.xpEvents.claim(a, 'start')).toBe(true);
    expect(await s.writer.xpEvents.claim(a, 'start')).toBe(false); // another process, or a restart
    expect(await s.writer.xpEvents.due(T + 1, ALL)).toEqual([]);
    // b started and ended while nobody looked: only its end is announced.
    const due = await s.writer.xpEvents.due(T + 2 * H, ALL);
    expect(due.map((d) => [d.event.id, d.kind])).toEqual([
      [a, 'end'],
      [b, 'end'],
    ]);
    expect(await s.writer.xpEvents.claim(b, 'end')).toBe(true);
    expect(await s.writer.xpEvents.claim(b, 'start')).toBe(false);
    expect(await s.writer.xpEvents.claim(b, 'end')).toBe(false);
    expect((await s.writer.xpEvents.due(T + 2 * H, ALL)).map((d) => d.event.id)).toEqual([a]);
    // Another shard's process sees none of them.
    expect(await s.writer.xpEvents.due(T + 2 * H, { count: 2, ids: [1] })).toEqual([]);
  });

  it('given a cancel then a running event ends now (its end then due) and a scheduled one is dropped unannounced; unknown ids change nothing', async () => {
    const s = await open(kind);
    const running = (await s.writer.xpEvents.create(ev()))!;
    const scheduled = (await s.writer.xpEvents.create(ev({ startsAt: T + H })))!;
    const at = T + 10 * 60_000;
    expect(await s.writer.xpEvents.cancel(G, running, at)).toMatchObject({ wasRunning: true, event: { id: running, endsAt: at, cancelledAt: at } });
    expect(await s.writer.xpEvents.cancel(G, scheduled, at)).toMatchObject({ wasRunning: false, event: { id: scheduled } });
    expect(await s.writer.xpEvents.cancel(G, running, at + 1)).toBeNull();
    expect(await s.writer.xpEvents.cancel(G2, scheduled, at)).toBeNull();
    expect(await s.writer.xpEvents.cancel(G, 999_999, at)).toBeNull();
    // What `xpevent cancel` reads back to say why a second cancel changes nothing; another server's id reads as none.
    expect(await s.writer.xpEvents.get(G, running)).toMatchObject({ id: running, endsAt: at, cancelledAt: at });
    expect(await s.writer.xpEvents.get(G2, scheduled)).toBeNull();
    expect((await s.writer.xpEvents.due(at, ALL)).map((d) => [d.event.id, d.kind])).toEqual([[running, 'end']]);
    expect((await s.reads.xp.loadGuildRules(G)).xpEvents.map((e) => [e.id, e.endsAt])).toEqual([[running, at]]);
    expect(await s.writer.xpEvents.list(G, at)).toEqual([]);
  });

  it(`given ${MAX_OPEN_XP_EVENTS} events not over then another is refused, and one that is over frees a place`, async () => {
    const s = await open(kind);
    for (let i = 0; i < MAX_OPEN_XP_EVENTS - 1; i++) expect(await s.writer.xpEvents.create(ev())).not.toBeNull();
    const short = (await s.writer.xpEvents.create(ev({ endsAt: T + H })))!;
    expect(await s.writer.xpEvents.create(ev())).toBeNull();
    expect(await s.writer.xpEvents.create(ev({ guildId: G2 }))).not.toBeNull();
    expect(await s.writer.xpEvents.create(ev({ createdAt: T + H }))).not.toBeNull();
    expect(short).toBeGreaterThan(0);
  });
});
