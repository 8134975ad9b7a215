/**
 * The bot's Prometheus metrics (DESIGN §14.1), in one registry of its own (never prom-client's global one, so two
 * bots in one test process do not share counters). What the engine and the flusher count are plain numbers they
 * keep themselves; this module reads them when Prometheus scrapes (`collect`), so the hot path of a message pays
 * for an integer increment, not for a metrics library. Timings observed elsewhere (REST calls, card renders,
 * flushes) are pushed through the `observe…` methods.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the metrics read at scrape time. Each source may be missing (a tool that runs without a gateway). */
export interface MetricSources {
  engine?: {
    stats: { messagesSeen: number; messagesCounted: number; xp: Readonly<Record<string, number>>; cacheHits: number; cacheMisses: number };
    bufferedEntries: number;
  };
  /** Gateway latency per shard in ms (-1 while a shard has not measured one yet). */
  gatewayPings?: () => ReadonlyMap<number, number>;
}

const PREFIX = 'unicornia_';

/** A counter whose value lives elsewhere as a running total: each scrape adds what it grew by since the last one. */
function totalCounter(registry: Registry, name: string, help: string, labelNames: string[], read: () => Record<string, number> | number | undefined) {
  const last = new Map<string, number>();
  return new Counter({
    name: PREFIX + name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      const value = read();
      if (value === undefined) return;
      const entries: [string, number][] = typeof value === 'number' ? [['', value]] : Object.entries(value);
      for (const [label, total] of entries) {
        const grown = total - (last.get(label) ?? 0);
        last.set(label, total);
        if (grown <= 0) continue;
        if (label === '') this.inc(grown);
        else this.inc({ [labelNames[0]!]: label }, grown);
      }
    },
  });
}

export class BotMetrics {
  readonly registry = new Registry();
  private sources: MetricSources = {};
  private readonly flushSeconds: Histogram;
  private readonly flushFailures: Counter;
  private readonly cardSeconds: Histogram;
  private readonly restSeconds: Histogram;
  private readonly restRateLimited: Counter;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const r = this.registry;
    // Node's own figures, the event-loop delay among them (nodejs_eventloop_lag_p99_seconds …).
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: r, prefix: PREFIX, eventLoopMonitoringPrecision: 10 });
    totalCounter(r, 'messages_seen_total', 'Guild messages from members the XP engine looked at', [], () => this.sources.engine?.stats.messagesSeen);
    totalCounter(r, 'messages_counted_total', 'Messages that earned XP', [], () => this.sources.engine?.stats.messagesCounted);
    totalCounter(r, 'xp_granted_total', 'XP granted, by source (message, voice, admin, curve, event: the XP events\' bonus)', ['source'], () => this.sources.engine?.stats.xp);
    const engine = () => this.sources.engine;
    new Gauge({
      name: `${PREFIX}xp_buffer_entries`,
      help: 'Members with XP not yet written (the write-back buffer)',
      registers: [r],
      collect() {
        const e = engine();
        if (e) this.set(e.bufferedEntries);
      },
    });
    totalCounter(r, 'xp_cache_lookups_total', 'Lookups of the XP total cache, by result (hit, miss)', ['result'], () => {
      const s = this.sources.engine?.stats;
      return s && { hit: s.cacheHits, miss: s.cacheMisses };
    });
    new Gauge({
      name: `${PREFIX}xp_cache_hit_ratio`,
      help: 'Hits / lookups of the XP total cache since start (0 before the first lookup)',
      registers: [r],
      collect() {
        const s = engine()?.stats;
        if (!s) return;
        const lookups = s.cacheHits + s.cacheMisses;
        this.set(lookups === 0 ? 0 : s.cacheHits / lookups);
      },
    });
    const pings = () => this.sources.gatewayPings?.();
    new Gauge({
      name: `${PREFIX}gateway_latency_seconds`,
      help: 'Discord gateway heartbeat latency per shard',
      labelNames: ['shard'],
      registers: [r],
      collect() {
        this.reset();
        for (const [shard, ms] of pings() ?? []) if (ms >= 0) this.set({ shard: String(shard) }, ms / 1000);
      },
    });
    this.flushSeconds = new Histogram({
      name: `${PREFIX}flush_duration_seconds`,
      help: 'Duration of XP flushes (one transaction each), failed ones included',
      labelNames: ['result'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [r],
    });
    this.flushFailures = new Counter({ name: `${PREFIX}flush_failures_total`, help: 'XP flushes that failed (their rows stay buffered)', registers: [r] });
    this.cardSeconds = new Histogram({
      name: `${PREFIX}card_render_duration_seconds`,
      help: 'XP card renders, images gathered and drawn (result: ok, or failed when the embed was sent instead)',
      labelNames: ['result'],
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [r],
    });
    this.restSeconds = new Histogram({
      name: `${PREFIX}discord_rest_duration_seconds`,
      help: 'Discord REST calls, by method and status class (2xx, 4xx, 429, 5xx, error)',
      labelNames: ['method', 'status'],
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
      registers: [r],
    });
    this.restRateLimited = new Counter({ name: `${PREFIX}discord_rest_429_total`, help: 'Discord REST answers 429 (rate limited)', registers: [r] });
  }

  /** Where the collected figures come from; set once the engine and the client exist. */
  watch(sources: MetricSources): void {
    this.sources = { ...this.sources, ...sources };
  }

  observeFlush(ms: number, ok: boolean): void {
    this.flushSeconds.observe({ result: ok ? 'ok' : 'failed' }, ms / 1000);
    if (!ok) this.flushFailures.inc();
  }

  observeCardRender(ms: number, ok: boolean): void {
    this.cardSeconds.observe({ result: ok ? 'ok' : 'failed' }, ms / 1000);
  }

  /** A REST call's duration; `status` null when no answer came (timeout, reset). */
  observeRest(method: string, ms: number, status: number | null): void {
    const cls = status === null ? 'error' : status === 429 ? '429' : `${Math.floor(status / 100)}xx`;
    this.restSeconds.observe({ method: method.toUpperCase(), status: cls }, ms / 1000);
    if (status === 429) this.restRateLimited.inc();
  }

  /** The text Prometheus scrapes. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
