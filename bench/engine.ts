/**
 * Issue 2's figures: the message hot path against a naive baseline, flushes into a 2 000 000-row table with the
 * event-loop delay beside them, leaderboard/rank queries on a 1 000 000-row guild, and memory after 1 000 000
 * distinct users.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { BenchSuite, Metric } from './harness.js';
import { median, medianTime, round } from './harness.js';
import { NaiveEngine } from './naive-engine.js';
import { XpEngine } from '../src/engine/xp-engine.js';
import type { MessageEvent } from '../src/engine/events.js';
import type { XpReads, XpWrites } from '../src/engine/ports.js';
import { DEFAULT_SETTINGS, type GuildRules, type GuildSettings } from '../src/engine/settings.js';
import { ManualClock } from '../src/util/clock.js';
import { silentLogger } from '../src/util/logger.js';
import { openDatabase } from '../src/storage/database.js';
import { XpReadStore } from '../src/storage/xp-reads.js';
import { workerWriter } from '../src/storage/writer.js';
import { XpWriteStore } from '../src/storage/xp-writes.js';

export const BASE = 1_100_000_000_000_000_000n;
const sid = (n: number) => String(BASE + BigInt(n));

export function rulesFor(settings: Partial<GuildSettings> = {}): GuildRules {
  return {
    settings: { ...DEFAULT_SETTINGS, ...settings },
    excludedChannels: new Set([sid(9_000_001), sid(9_000_002)]),
    excludedRoles: new Set([sid(9_100_001)]),
    excludedUsers: new Set([sid(9_200_001)]),
    optedOut: new Set(),
    channelMultipliers: new Map(),
    channelRates: new Map(),
    roleMultipliers: new Map(),
    roleRewards: [],
    currencyRewards: [],
    levelUpMessages: new Map(),
    season: null,
    xpEvents: [],
  };
}

/** Reads that never touch a disk: the hot path is measured, not SQLite (queries have their own figures). */
const memoryReads = (settings: Partial<GuildSettings> = {}, rules: Partial<GuildRules> = {}): XpReads => ({
  loadGuildRules: () => ({ ...rulesFor(settings), ...rules }),
  storedXp: () => ({ xp: 0, flushSeq: 0 }),
  voiceMinutes: () => ({ minutes: 0, flushSeq: 0 }),
  lastFlushSeq: () => 0,
  erasuresSince: () => [],
  lastErasureId: () => 0,
});
export const noWrites: XpWrites = {
  flush: async () => {},
  recordLevelUp: async () => ({ previousMark: 0, paid: [], roles: { add: [], remove: [] } }),
  queueRoleChanges: async () => 0,
};

/**
 * Chat as the anti-spam rules see it: short replies, ordinary sentences, a long message, emoji, other scripts,
 * and repeats (one in four lines is a duplicate), so both rules do real work.
 */
const CHAT = [
  'lol',
  'ok',
  'good morning everyone!',
  'has anyone tried the new patch yet? the boss fight is way harder now',
  'LOOOOOL that is hilarious 😂😂',
  'gg',
  'brb',
  'I think we should meet at 8pm tomorrow, does that work for all of you?',
  'Привет всем, как дела?',
  'これは本当に面白いですね',
  'good morning everyone!',
  'lol',
  'Long message: ' + 'the quick brown fox jumps over the lazy dog, '.repeat(12),
  'same same same',
  'has anyone tried the new patch yet? the boss fight is way harder now!!',
  'nice 👍',
];

export function makeEvents(count: number, users: number, guilds: number): MessageEvent[] {
  const guildIds = Array.from({ length: guilds }, (_, i) => sid(i));
  const userIds = Array.from({ length: users }, (_, i) => sid(1_000_000 + i));
  const channels = Array.from({ length: 10 }, (_, i) => sid(5_000_000 + i));
  const roles = [[], [sid(9_100_002)], [sid(9_100_003), sid(9_100_004)]];
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const events: MessageEvent[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const u = Math.floor(rnd() * users);
    events[i] = {
      guildId: guildIds[u % guilds]!,
      channelId: channels[Math.floor(rnd() * channels.length)]!,
      parentId: null,
      categoryId: null,
      userId: userIds[u]!,
      roleIds: roles[u % roles.length]!,
      isBot: false,
      isWebhookOrSystem: false,
      isCommand: false,
      content: CHAT[Math.floor(rnd() * CHAT.length)]!,
    };
  }
  return events;
}

/** Events per second for one pass; virtual time moves 1 ms per event, so cooldowns expire as in a busy bot. */
export function hotPathPass(events: MessageEvent[], naive: boolean, settings: Partial<GuildSettings> = {}, rules: Partial<GuildRules> = {}): number {
  const clock = new ManualClock();
  if (naive) {
    const rules = new Map<string, GuildRules>();
    const e = new NaiveEngine((g) => rules.get(g) ?? (rules.set(g, rulesFor()), rules.get(g)!), () => 0, () => clock.now());
    const t0 = performance.now();
    for (let i = 0; i < events.length; i++) {
      clock.advance(1);
      e.handleMessage(events[i]!);
    }
    return events.length / ((performance.now() - t0) / 1000);
  }
  const e = new XpEngine({ reads: memoryReads(settings, rules), writes: noWrites, effects: { apply: async () => {} }, clock, logger: silentLogger, options: { maxBufferedEntries: Number.MAX_SAFE_INTEGER } });
  return enginePass(e, clock, events);
}

/** Events per second of one pass of `events` through an engine, virtual time moving 1 ms per event. */
export function enginePass(e: XpEngine, clock: ManualClock, events: readonly MessageEvent[]): number {
  const t0 = performance.now();
  for (let i = 0; i < events.length; i++) {
    clock.advance(1);
    e.handleMessage(events[i]!);
  }
  return events.length / ((performance.now() - t0) / 1000);
}

function buildBigTable(path: string, log: (s: string) => void): void {
  const db = openDatabase(path);
  const t0 = performance.now();
  const insert = db.prepare('INSERT INTO UserXpStats (GuildId, UserId, Xp) VALUES (?, ?, ?)');
  db.transaction(() => {
    // 1 000 000 rows in one guild (for the query figures) + 1 000 000 spread over 100 guilds.
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 1_000_000; i++) insert.run(BASE, BASE + BigInt(i), Math.floor(rnd() ** 3 * 500_000));
    for (let i = 0; i < 1_000_000; i++) insert.run(BASE + 1n + BigInt(i % 100), BASE + BigInt(i), Math.floor(rnd() * 10_000));
  })();
  db.close();
  log(`built a 2 000 000-row UserXpStats in ${round((performance.now() - t0) / 1000, 1)} s`);
}

/** The gains of one flush into the 2 000 000-row table (the pg benchmarks write the same). */
export function gains(n: number, offset: number) {
  // Half existing rows, half new ones, across guilds.
  return Array.from({ length: n }, (_, i) => ({
    guildId: String(BASE + 1n + BigInt(i % 100)),
    userId: String(BASE + BigInt(i % 2 === 0 ? i * 7 + offset : 2_000_000 + i + offset)),
    xp: 1 + (i % 5),
    awarded: 0,
  }));
}

export const engineSuite: BenchSuite = {
  name: 'engine',
  async run(log) {
    const metrics: Metric[] = [];

    // ── hot path ──
    let events = makeEvents(1_000_000, 50_000, 20);
    const ours: number[] = [];
    const naive: number[] = [];
    hotPathPass(events.slice(0, 200_000), false); // warm-up (JIT) for both
    hotPathPass(events.slice(0, 200_000), true);
    for (let r = 0; r < 5; r++) {
      ours.push(hotPathPass(events, false));
      naive.push(hotPathPass(events, true));
    }
    const oursMed = median(ours);
    const naiveMed = median(naive);
    log(`hot path: engine ${ours.map((v) => round(v / 1e6, 2)).join(', ')} M/s; naive ${naive.map((v) => round(v / 1e6, 2)).join(', ')} M/s`);
    metrics.push({ name: 'engine.hotpath_events_per_s', unit: 'events/s', value: Math.round(oursMed) });
    metrics.push({ name: 'engine.hotpath_ratio_vs_naive', unit: 'x', value: round(oursMed / naiveMed, 2) });
    events = []; // release the 1 000 000 pre-built events before measuring memory

    // ── memory: 1 000 000 distinct users, cooldowns expiring, buffer flushed as it fills ──
    {
      globalThis.gc?.();
      const before = process.memoryUsage().rss;
      const checkpoints: string[] = [];
      const clock = new ManualClock();
      const e = new XpEngine({ reads: memoryReads(), writes: noWrites, effects: { apply: async () => {} }, clock, logger: silentLogger });
      const guild = sid(0);
      for (let i = 0; i < 1_000_000; i++) {
        clock.advance(0.5); // 2 000 distinct users a second: 500 s of traffic, cooldowns of 60 s
        e.handleMessage({ guildId: guild, channelId: sid(5), parentId: null, categoryId: null, userId: sid(10_000_000 + i), roleIds: [], isBot: false, isWebhookOrSystem: false, isCommand: false, content: 'hello' });
        if (e.bufferedEntries >= e.options.maxBufferedEntries) {
          const b = e.takeBatch()!;
          e.settleBatch(b, true);
          e.sweep();
        }
        if (i % 250_000 === 249_999) {
          globalThis.gc?.();
          checkpoints.push(`${(i + 1) / 1000}k users: ${round(process.memoryUsage().rss / 2 ** 20)} MB, ${e.trackedUsers} states`);
        }
      }
      const b = e.takeBatch();
      if (b) e.settleBatch(b, true);
      clock.advance(61_000);
      e.sweep();
      globalThis.gc?.();
      const after = process.memoryUsage().rss;
      log(`memory while 1 000 000 distinct users arrive: ${checkpoints.join('; ')}`);
      log(`memory: ${e.trackedUsers} (guild, user) states left after 1 000 000 distinct users (LRU keeps ${e.options.cacheSize}); RSS ${round(before / 2 ** 20)} → ${round(after / 2 ** 20)} MB`);
      metrics.push({ name: 'memory.rss_1M_users_mb', unit: 'MB', value: round(after / 2 ** 20, 1) });
    }

    // ── flush into a 2 000 000-row table, in the writer thread, with the event-loop delay measured ──
    const dir = mkdtempSync(join(tmpdir(), 'unicornia-bench-'));
    try {
      const path = join(dir, 'bench.db');
      buildBigTable(path, log);
      const writerId = randomUUID();
      const writer = workerWriter({ path, writerId });
      await writer.xp.setMembership('1', '1', true, 0); // start the thread outside the timings
      let seq = 0;
      const timeFlush = async (n: number) => {
        const batch = { seq: ++seq, rows: gains(n, seq * 10_000_000), voice: [], history: [], periods: [] };
        const h = monitorEventLoopDelay({ resolution: 1 });
        h.enable();
        const ticker = setInterval(() => {}, 1); // the event loop keeps turning as in a live bot
        const t0 = performance.now();
        await writer.xp.flush(batch);
        const ms = performance.now() - t0;
        clearInterval(ticker);
        h.disable();
        return { ms, p99: h.percentile(99) / 1e6 };
      };
      const f10 = [] as number[];
      for (let r = 0; r < 3; r++) f10.push((await timeFlush(10_000)).ms);
      const f100 = [] as { ms: number; p99: number }[];
      for (let r = 0; r < 3; r++) f100.push(await timeFlush(100_000));
      await writer.close();
      const p99 = Math.max(...f100.map((f) => f.p99));
      log(`flush 10k: ${f10.map((v) => round(v)).join(', ')} ms; 100k: ${f100.map((f) => round(f.ms)).join(', ')} ms; event-loop p99 during 100k flushes ≤ ${round(p99)} ms`);

      // The same 100k flush on the main thread, to show what the worker saves.
      {
        const db = openDatabase(path);
        const store = new XpWriteStore(db, writerId);
        const h = monitorEventLoopDelay({ resolution: 1 });
        h.enable();
        const ticker = setInterval(() => {}, 1);
        await new Promise((r) => setTimeout(r, 5));
        store.flush({ seq: ++seq, rows: gains(100_000, seq * 10_000_000), voice: [], history: [], periods: [] });
        await new Promise((r) => setTimeout(r, 5));
        clearInterval(ticker);
        h.disable();
        log(`for comparison, the same flush on the main thread: event-loop p99 ${round(h.percentile(99) / 1e6)} ms`);
        // What synchronous=FULL (DESIGN §2.2) costs against NORMAL: 10k flushes alternating, in the same run.
        const bySync: Record<'FULL' | 'NORMAL', number[]> = { FULL: [], NORMAL: [] };
        for (let r = 0; r < 4; r++) {
          for (const mode of ['NORMAL', 'FULL'] as const) {
            db.pragma(`synchronous = ${mode}`);
            const t0 = performance.now();
            store.flush({ seq: ++seq, rows: gains(10_000, seq * 10_000_000), voice: [], history: [], periods: [] });
            bySync[mode].push(performance.now() - t0);
          }
        }
        const ratio = median(bySync.FULL) / median(bySync.NORMAL);
        log(`10k flush on the main thread, synchronous=FULL ${bySync.FULL.map((v) => round(v)).join(', ')} ms vs NORMAL ${bySync.NORMAL.map((v) => round(v)).join(', ')} ms`);
        metrics.push({ name: 'flush.10k_sync_full_vs_normal_ratio', unit: 'x', value: round(ratio, 2) });
        db.close();
      }
      metrics.push({ name: 'flush.10k_in_2M_ms', unit: 'ms', value: round(median(f10)) });
      metrics.push({ name: 'flush.100k_in_2M_ms', unit: 'ms', value: round(median(f100.map((f) => f.ms))) });
      metrics.push({ name: 'flush.loop_delay_p99_ms', unit: 'ms', value: round(p99) });

      // ── queries on the 1 000 000-row guild ──
      const db = openDatabase(path);
      const reads = new XpReadStore(db, writerId);
      const g = String(BASE);
      const time = (fn: () => unknown, n = 200) => medianTime(fn, n);
      const top = reads.leaderboard(g, 0, 1)[0]!;
      const mid = reads.leaderboard(g, 500_000, 1)[0]!;
      const top10 = time(() => reads.leaderboard(g, 0, 10));
      const rankTop = time(() => reads.rank(g, top.userId, top.xp));
      const rankMid = time(() => reads.rank(g, mid.userId, mid.xp), 50);
      log(`rank of the median user = ${reads.rank(g, mid.userId, mid.xp)}; query plans:`);
      for (const [name, plan] of Object.entries(reads.explain())) log(`  ${name}: ${plan.join(' / ')}`);
      db.close();
      metrics.push({ name: 'query.top10_1M_ms', unit: 'ms', value: round(top10, 3) });
      metrics.push({ name: 'query.rank_median_1M_ms', unit: 'ms', value: round(rankMid, 3) });
      metrics.push({ name: 'query.rank_top_1M_ms', unit: 'ms', value: round(rankTop, 3) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return metrics;
  },
};
