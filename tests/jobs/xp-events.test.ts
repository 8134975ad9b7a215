/**
 * The XP event announcer (DESIGN §15.5) with two processes on one database, on both stores: each start and end is
 * announced once however the processes' checks interleave, an ended event is dropped from the rules it reloads,
 * and a failed send is not repeated.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/storage/store.js';
import { XpEventAnnouncer } from '../../src/jobs/xp-events.js';
import { ManualClock, ManualScheduler } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import type { XpEventAnnouncement } from '../../src/storage/xp-events.js';
import { STORE_KINDS, type StoreKind, openTwoProcesses } from '../storage/contract/stores.js';

const G = '1152921504606846976';
const CH = '9223372036854775807';
const HOUR = 3_600_000;

const opened: Store[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

/** Two stores on one database: two processes. */
const twoProcesses = (kind: StoreKind) => openTwoProcesses(kind, opened);

describe.each(STORE_KINDS)('the XP event announcer on %s', (kind) => {
  it('given two processes checking at the same moments then every start and end is announced once, and ended events are reloaded', async () => {
    const stores = await twoProcesses(kind);
    const clock = new ManualClock(0, Date.UTC(2026, 5, 1));
    const sent: string[] = [];
    const reloaded: string[] = [];
    const announcers = stores.map(
      (s, i) =>
        new XpEventAnnouncer({
          events: s.writer.xpEvents,
          clock,
          scheduler: new ManualScheduler(clock),
          logger: silentLogger,
          shards: () => ({ count: 1, ids: [0] }),
          reload: (guildId) => void reloaded.push(`${i}:${guildId}`),
          announce: async (a: XpEventAnnouncement) => void sent.push(`${a.event.id} ${a.kind}`),
        }),
    );
    const now = clock.wallNow();
    const base = { guildId: G, milli: 2000, channelIds: [], roleIds: [], announceChannelId: CH, createdAt: now };
    const first = (await stores[0].writer.xpEvents.create({ ...base, startsAt: now, endsAt: now + HOUR }))!;
    const second = (await stores[1].writer.xpEvents.create({ ...base, startsAt: now + HOUR, endsAt: now + 2 * HOUR }))!;
    const both = () => Promise.all(announcers.map((a) => a.check()));
    await both();
    await both();
    expect(sent).toEqual([`${first} start`]);
    clock.advance(HOUR);
    await both();
    clock.advance(HOUR);
    await both();
    await both();
    expect([...sent].sort()).toEqual([`${first} end`, `${first} start`, `${second} end`, `${second} start`].sort());
    expect(reloaded).toHaveLength(2);
    expect((await stores[1].reads.xp.loadGuildRules(G)).xpEvents).toEqual([]);
  });

  it('given a send that fails then it is logged and not sent again (a retry could announce twice)', async () => {
    const [store] = await twoProcesses(kind);
    const clock = new ManualClock(0, Date.UTC(2026, 5, 1));
    let attempts = 0;
    const announcer = new XpEventAnnouncer({
      events: store.writer.xpEvents,
      clock,
      scheduler: new ManualScheduler(clock),
      logger: silentLogger,
      shards: () => ({ count: 1, ids: [0] }),
      reload: () => {},
      announce: async () => {
        attempts++;
        throw new Error('Missing Access');
      },
    });
    const now = clock.wallNow();
    await store.writer.xpEvents.create({ guildId: G, milli: 1500, startsAt: now, endsAt: now + HOUR, channelIds: [], roleIds: [], announceChannelId: CH, createdAt: now });
    await announcer.check();
    await announcer.check();
    expect(attempts).toBe(1);
  });
});
