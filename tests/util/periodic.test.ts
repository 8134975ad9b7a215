/**
 * PeriodicCheck (src/util/periodic.ts): one check at a time on the injected scheduler. A tick asked for while one
 * runs shares it; a rerun asked for while one runs gets one more check after it (requests meanwhile share that
 * one), so a caller that just changed what the check reads is answered by a check that saw the change; none starts
 * after stop.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock, ManualScheduler } from '../../src/util/clock.js';
import { PeriodicCheck } from '../../src/util/periodic.js';

/** A check whose runs the test finishes one by one; each run returns its number. */
function gatedCheck() {
  const gates: (() => void)[] = [];
  let started = 0;
  const check = async () => {
    const n = ++started;
    await new Promise<void>((resolve) => gates.push(resolve));
    return n;
  };
  return { check, started: () => started, finishNext: () => gates.shift()!() };
}

const scheduler = () => new ManualScheduler(new ManualClock(1_000));

describe('PeriodicCheck', () => {
  it('given a check under way then a tick shares it and starts nothing', async () => {
    const c = gatedCheck();
    const p = new PeriodicCheck(scheduler(), 60_000, c.check);
    const first = p.tick();
    const second = p.tick();
    c.finishNext();
    expect(await first).toBe(1);
    expect(await second).toBe(1);
    expect(c.started()).toBe(1);
  });

  it('given a check under way then reruns asked meanwhile get one more check after it, shared, with its result', async () => {
    const c = gatedCheck();
    const p = new PeriodicCheck(scheduler(), 60_000, c.check);
    const first = p.tick();
    const a = p.rerun();
    const b = p.rerun();
    c.finishNext(); // the check under way ends; the one the reruns asked for starts
    await new Promise((r) => setImmediate(r));
    expect(c.started()).toBe(2);
    c.finishNext();
    expect(await a).toBe(2);
    expect(await b).toBe(2);
    expect(await first).toBe(2);
    expect(c.started()).toBe(2);
    // Nothing under way: a rerun is one check now.
    const alone = p.rerun();
    c.finishNext();
    expect(await alone).toBe(3);
  });

  it('given stop while a check runs then the rerun asked for does not start, and none starts from the timer', async () => {
    const c = gatedCheck();
    const s = scheduler();
    const p = new PeriodicCheck(s, 60_000, c.check);
    p.start(); // the first check starts now
    const asked = p.rerun();
    const stopped = p.stop();
    expect(p.stopping).toBe(true);
    c.finishNext();
    await stopped;
    expect(await asked).toBe(1);
    await s.advance(120_000);
    expect(c.started()).toBe(1);
    expect(s.pending).toBe(0);
  });
});
