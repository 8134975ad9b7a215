/**
 * Date-keyed counters under a wall clock that steps back and forward (DESIGN §2.8). Today that is the voice daily
 * cap: a day's count is what is stored plus what is still unwritten in memory for that day, whichever day the clock
 * says it is and however often it changes its mind.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { G1, U1, U2, testCore, type TestCore } from '../helpers/core.js';
import type { VoiceGuildSnapshot } from '../../src/engine/events.js';
import { ManualClock, ManualScheduler } from '../../src/util/clock.js';
import { openDatabase } from '../../src/storage/database.js';
import { XpReadStore } from '../../src/storage/xp-reads.js';
import { XpWriteStore } from '../../src/storage/xp-writes.js';
import { XpEngine } from '../../src/engine/xp-engine.js';
import { Flusher } from '../../src/engine/flusher.js';
import { silentLogger } from '../../src/util/logger.js';
import { tempDbPath } from '../helpers/temp.js';
import { heldWrites } from '../helpers/held-writes.js';

let core: TestCore;
afterEach(async () => {
  await core?.stop();
});

const MINUTE = 60_000;
const DAY = 86_400_000;
const D = Math.floor(Date.UTC(2026, 0, 1) / DAY);
const inVoice: VoiceGuildSnapshot[] = [
  { guildId: G1, afkChannelId: null, channels: [{ channelId: '700', categoryId: null, isStage: false, members: [U1, U2].map((userId) => ({ userId, roleIds: [], isBot: false, selfDeaf: false, serverDeaf: false, selfMute: false, serverMute: false, suppressed: false })) }] },
];

/** A core whose wall clock starts at 23:52 on day D, voice 1 XP per minute, daily cap 10 minutes. */
async function voiceCore(): Promise<TestCore> {
  core = testCore({ clock: new ManualClock(0, Date.UTC(2026, 0, 1, 23, 52)) });
  await core.writer.xp.updateSettings(G1, { voiceDailyCapMinutes: 10 });
  core.engine.reloadGuild(G1);
  return core;
}

function minutes(n: number): void {
  for (let i = 0; i < n; i++) {
    core.engine.voiceTick(inVoice);
    core.clock.advance(MINUTE);
  }
}

function storedDays(): Record<number, number> {
  const rows = core.db.prepare('SELECT Day, Minutes FROM VoiceXpDaily WHERE UserId = ? ORDER BY Day').all(BigInt(U1)) as { Day: number; Minutes: number }[];
  return Object.fromEntries(rows.map((r) => [r.Day - D, r.Minutes]));
}

describe('the voice daily cap under wall-clock steps', () => {
  it('given the clock stepping back across midnight and forward again before a flush then no day passes its cap', async () => {
    await voiceCore();
    minutes(8); // 23:52–23:59 on day D: 8 minutes
    minutes(2); // 00:00, 00:01 on D+1
    core.clock.stepWall(-5 * MINUTE); // back to 23:57 on D (NTP, a resumed VM)
    minutes(5); // D has room for 2 more
    core.clock.stepWall(10 * MINUTE); // forward into D+1 again
    minutes(20); // D+1 has room for 8 more
    expect(core.engine.xpOf(G1, U1)).toBe(20);
    await core.flusher.flush();
    expect(storedDays()).toEqual({ 0: 10, 1: 10 });
  });

  it('given a flush between the steps then a day counts its stored and its unwritten minutes together', async () => {
    await voiceCore();
    minutes(6); // D: 6, written below
    await core.flusher.flush();
    minutes(4); // D: 2 more, unwritten (23:58, 23:59); D+1: 2 (00:00, 00:01)
    core.clock.stepWall(-6 * MINUTE); // back to 23:56 on D
    minutes(6); // D: 6 stored + 2 unwritten = 8, room for 2; then D+1 again: 2 + 2
    await core.flusher.flush();
    core.clock.stepWall(5 * MINUTE);
    minutes(1); // D+1: 5
    core.clock.stepWall(-2 * DAY); // far back: day D−1 is a day of its own
    minutes(12);
    await core.flusher.flush();
    expect(storedDays()).toEqual({ [-1]: 10, 0: 10, 1: 5 });
    expect(core.engine.xpOf(G1, U1)).toBe(25);
  });

  it('given the day changing back while a flush is in flight then its minutes count once, before and after its commit', async () => {
    const db = openDatabase(tempDbPath());
    const store = new XpWriteStore(db, 'me');
    const reads = new XpReadStore(db, 'me');
    store.updateSettings(G1, { voiceDailyCapMinutes: 10 });
    const held = heldWrites(store);
    const { writes } = held;
    const clock = new ManualClock(0, Date.UTC(2026, 0, 1, 23, 56));
    const engine = new XpEngine({ reads, writes, effects: { apply: async () => {} }, clock, logger: silentLogger });
    const flusher = new Flusher(engine, writes, new ManualScheduler(clock), clock, silentLogger);
    const tick = (n: number) => {
      for (let i = 0; i < n; i++) {
        engine.voiceTick(inVoice);
        clock.advance(MINUTE);
      }
    };
    tick(6); // D: 4 (23:56–23:59), D+1: 2
    const flushing = flusher.flush(); // all 6 in flight, not committed yet
    clock.stepWall(-3 * MINUTE); // 23:59 on D: 4 in flight + 1
    tick(1);
    held.commit(); // committed, not acknowledged: the stored counts now hold the in-flight minutes
    tick(1); // 00:00 on D+1: 2 stored (not 2 stored + 2 in flight) + 1
    clock.stepWall(-2 * MINUTE); // 23:59 on D: 4 stored + 1 unwritten + 1
    tick(1);
    held.ack();
    await flushing;
    held.hold = false;
    clock.stepWall(-10 * MINUTE); // 23:50 on D: room for 4 more
    tick(10);
    expect(await flusher.flush()).toBe(true);
    const rows = db.prepare('SELECT Day - ? AS d, Minutes FROM VoiceXpDaily WHERE UserId = ? ORDER BY Day').all(D, BigInt(U1));
    expect(rows).toEqual([
      { d: 0, Minutes: 10 },
      { d: 1, Minutes: 3 },
    ]);
    db.close();
  });
});

