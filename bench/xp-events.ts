/**
 * Issue 11 item 5's figure: the message hot path (the engine suite's events and pass) while a ×2 XP event runs for
 * everyone in every guild, beside the same pass with no event in the same run, so the cost of a running event is
 * measured under one load. Without events the engine pays one null check per gain (DESIGN §15.5).
 */
import type { BenchSuite } from './harness.js';
import { median, round } from './harness.js';
import { hotPathPass, makeEvents } from './engine.js';
import type { GuildRules } from '../src/engine/settings.js';

const RUNNING: Partial<GuildRules> = {
  xpEvents: [{ id: 1, milli: 2000, startsAt: 0, endsAt: Number.MAX_SAFE_INTEGER, channelIds: new Set(), roleIds: new Set() }],
};

export const xpEventsSuite: BenchSuite = {
  name: 'engine-xpevents',
  async run(log) {
    const events = makeEvents(1_000_000, 50_000, 20);
    hotPathPass(events.slice(0, 200_000), false); // warm-up (JIT) for both
    hotPathPass(events.slice(0, 200_000), false, {}, RUNNING);
    const none: number[] = [];
    const running: number[] = [];
    for (let r = 0; r < 5; r++) {
      none.push(hotPathPass(events, false));
      running.push(hotPathPass(events, false, {}, RUNNING));
    }
    const M = (runs: number[]) => runs.map((v) => round(v / 1e6, 2)).join(', ');
    log(`hot path, no event: ${M(none)} M/s; a ×2 event running: ${M(running)} M/s (median ratio ${round(median(running) / median(none), 2)})`);
    return [{ name: 'engine.hotpath_event_running_events_per_s', unit: 'events/s', value: Math.round(median(running)) }];
  },
};
