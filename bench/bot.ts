/**
 * Issue 3's load figures: 50 000 MESSAGE_CREATE events from the simulator (in another process) into the real
 * discord.js client and the bot's listener (engine, cache, buffer, worker-thread flushes). Two runs: as fast as
 * the bot takes them (throughput), and offered at 5 000 messages/s (does it keep up, and the event-loop delay
 * p99 of the bot process, measured by perf_hooks.monitorEventLoopDelay, at that rate).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { BenchSuite } from './harness.js';
import { round } from './harness.js';
import { createCore } from '../src/core.js';
import { UnicorniaBot } from '../src/discord/bot.js';
import { systemClock, systemScheduler } from '../src/util/clock.js';
import { silentLogger } from '../src/util/logger.js';

const TOTAL = 50_000;

export const botSuite: BenchSuite = {
  name: 'bot',
  async run(log) {
    const dir = mkdtempSync(join(tmpdir(), 'unicornia-bench-bot-'));
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./load-simulator.ts', import.meta.url)), String(TOTAL)], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout! });
    const next = () => new Promise<string>((resolve) => lines.once('line', resolve));
    const info = JSON.parse(await next()) as { restUrl: string; token: string; guildId: string };
    // A short flush interval so flushes happen during the run, as they would in a long one.
    const core = createCore({ dbPath: join(dir, 'bench.db'), clock: systemClock, scheduler: systemScheduler, logger: silentLogger, flusher: { intervalMs: 2000 } });
    const bot = new UnicorniaBot({ token: info.token, apiUrl: info.restUrl, core, clock: systemClock, scheduler: systemScheduler, logger: silentLogger, registerCommands: false });
    try {
      await bot.start();
      let seen = 0;
      let target = 0;
      let reached: () => void = () => {};
      bot.client.on('messageCreate', () => ++seen === target && reached());
      const run = async (rate: number) => {
        target = seen + TOTAL;
        const all = new Promise<void>((resolve) => (reached = resolve));
        const h = monitorEventLoopDelay({ resolution: 1 });
        h.enable();
        const t0 = performance.now();
        child.stdin!.write(`go ${rate}\n`);
        await all;
        const ms = performance.now() - t0;
        h.disable();
        await next(); // "done"
        const perS = TOTAL / (ms / 1000);
        const p99 = h.percentile(99) / 1e6;
        log(`${rate ? `offered ${rate}/s` : 'unpaced'}: ${TOTAL} messages in ${round(ms)} ms = ${Math.round(perS)} messages/s; event-loop delay p50 ${round(h.percentile(50) / 1e6)} ms, p99 ${round(p99)} ms, max ${round(h.max / 1e6)} ms`);
        return { perS, p99 };
      };
      const fast = await run(0);
      const paced = await run(5000);
      log(`flushes during the runs: ${core.flusher.stats.flushes}`);
      return [
        { name: 'bot.messages_per_s', unit: 'messages/s', value: Math.round(fast.perS) },
        { name: 'bot.loop_delay_p99_ms', unit: 'ms', value: round(paced.p99) },
      ];
    } finally {
      await bot.stop();
      child.stdin!.write('stop\n');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
