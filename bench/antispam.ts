/**
 * Issue 10's anti-spam figure: the message hot path (the engine suite's events and pass) with both anti-spam rules
 * on, beside the same pass with them off in the same run, so the cost of the rules is measured under one load.
 */
import type { BenchSuite } from './harness.js';
import { median, round } from './harness.js';
import { hotPathPass, makeEvents } from './engine.js';
import type { GuildSettings } from '../src/engine/settings.js';

/** Both rules on (DESIGN §2.1.2): Nadeko's minimum length, and 80 % similarity. */
const ANTISPAM: Partial<GuildSettings> = { antispamMinLength: 5, antispamSimilarity: 80 };

export const antispamSuite: BenchSuite = {
  name: 'antispam',
  async run(log) {
    const events = makeEvents(1_000_000, 50_000, 20);
    hotPathPass(events.slice(0, 200_000), false); // warm-up (JIT) for both
    hotPathPass(events.slice(0, 200_000), false, ANTISPAM);
    const off: number[] = [];
    const on: number[] = [];
    for (let r = 0; r < 5; r++) {
      off.push(hotPathPass(events, false));
      on.push(hotPathPass(events, false, ANTISPAM));
    }
    const M = (runs: number[]) => runs.map((v) => round(v / 1e6, 2)).join(', ');
    log(`hot path, anti-spam off: ${M(off)} M/s; both rules on: ${M(on)} M/s (median ratio ${round(median(on) / median(off), 2)})`);
    return [{ name: 'engine.hotpath_antispam_events_per_s', unit: 'events/s', value: Math.round(median(on)) }];
  },
};
