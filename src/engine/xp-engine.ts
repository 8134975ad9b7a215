/**
 * The XP engine (DESIGN §2): plain events in, XP decisions and level-up effects out.
 *
 * Steps 4–8 of a message run synchronously for a cached member (and on a miss with the synchronous SQLite store),
 * so no other event for the same (guild, user) can interleave. With an asynchronous store (PostgreSQL) a miss
 * queues the member's events until their stored XP is read, and runs them in arrival order then; other members go
 * on meanwhile (a guild's rules the same way, per guild). Gains land in the LRU-cached total and in a write-back buffer;
 * `takeBatch`/`settleBatch` hand the buffer to the flusher. Level-ups pay currency through the writer (which
 * moves the rewarded-level mark in the same transaction) and only then ask the Discord layer for side effects.
 */
import { LRUCache } from 'lru-cache';
import { levelStats } from '../levels/curve.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type { MessageEvent, VoiceGuildSnapshot, VoiceMember } from './events.js';
import { isPromise, type Awaitable, type Erasure, type FlushBatch, type PeriodRow, type LevelUpEffect, type LevelUpEffects, type LevelUpRecord, type StoredXp, type XpGainRow, type XpReads, type XpWrites, type VoiceMinutesRow } from './ports.js';
import { roleChangesBetween } from './rewards.js';
import type { ChannelRate, GuildRules, GuildSettings } from './settings.js';
import { KEYS_CAPACITY, longEnough, similarAtLeast, textKeys } from './antispam.js';
import { MILLI_ONE, multiplyHalfUp, multiplyHalfUpShare, type Milli } from './multiplier.js';
import { UserState, type GainSpan } from './user-state.js';
import { DAY_MS, monthAt, weekAt, type CalendarRules } from './calendar.js';
import { mergeInto, SOURCE_CODE, splitHistoryKey, utcDay, type HistoryRow, type HistorySource } from './history.js';
import { eventBonus, eventSlotAt, STALE_SLOT, type EventSlot } from './xp-events.js';

export interface EngineOptions {
  /** Cached (guild, user) totals. Default 5 000. */
  cacheSize: number;
  /** Buffered (guild, user) entries that trigger an early flush. Default 50 000. */
  maxBufferedEntries: number;
  /** Attempts to record a level change (payment, mark, queued roles) before giving up and logging it. Default 3. */
  rewardAttempts: number;
}

export const DEFAULT_ENGINE_OPTIONS: Readonly<EngineOptions> = Object.freeze({
  cacheSize: 5000,
  maxBufferedEntries: 50_000,
  rewardAttempts: 3,
});

export interface EngineDeps {
  reads: XpReads;
  writes: XpWrites;
  effects: LevelUpEffects;
  clock: Clock;
  logger: Logger;
  options?: Partial<EngineOptions>;
  /** The last committed flush sequence number, read by the caller when `reads` is asynchronous. */
  flushSeq?: number;
  /** The newest erasure's id, read by the caller when `reads` is asynchronous. */
  erasureSeen?: number;
}

export interface GainResult {
  gained: number;
  totalXp: number;
  level: number;
  leveledUp: boolean;
}

interface GuildState {
  rules: GuildRules;
  users: Map<string, UserState>;
  /** The UTC day and periods (DESIGN §15.2) of a gain now; recomputed when the wall clock leaves the span. */
  span: GainSpan | null;
  /**
   * The XP events running now and until when (DESIGN §15.5); null when the guild has no event that is not over,
   * so a gain without events costs one comparison.
   */
  events: EventSlot | null;
}

/** Codes of the sources that are earning XP: a member's last day with one of them starts their decay clock (DESIGN §15.4). */
const EARNED_CODES: ReadonlySet<number> = new Set([SOURCE_CODE.message, SOURCE_CODE.voice, SOURCE_CODE.event]);

/** Sources whose XP counts on period boards: earned or given, not imported, decayed or opening (DESIGN §15.2). */
const PERIOD_SOURCES: ReadonlySet<HistorySource> = new Set(['message', 'voice', 'admin', 'event']);
/** The same indexed by `SOURCE_CODE`, read per gain. */
const ON_PERIODS: boolean[] = new Array<boolean>(8).fill(false);
for (const source of PERIOD_SOURCES) ON_PERIODS[SOURCE_CODE[source]] = true;

/**
 * Thrown by `adjustXp` once shutdown has begun (DESIGN §2.2): the final flush may already be under way, so a
 * change accepted now could be lost. The Discord layer tells the admin the bot is restarting.
 */
export class EngineClosedError extends Error {
  override name = 'EngineClosedError';
  constructor() {
    super('the XP engine is shutting down and takes no more changes');
  }
}

/** An event waiting for an asynchronous read. */
interface Waiter {
  run(): void;
  reject(error: unknown): void;
}
const NO_ROLES: LevelUpRecord['roles'] = { add: [], remove: [] };

export class XpEngine {
  readonly options: EngineOptions;
  private readonly guilds = new Map<string, GuildState>();
  private readonly cache: LRUCache<UserState, true>;
  private dirty: UserState[] = [];
  /** States of the batch being written (between takeBatch and settleBatch). */
  private flushing: UserState[] = [];
  private seq: number;
  /** The newest erasure this engine has applied (see `applyErasures`). */
  private erasureSeen: number;
  private readonly inFlightEffects = new Set<Promise<void>>();
  /** The last queued level change per `${guild}:${user}` (see `enqueue`). */
  private readonly chains = new Map<string, Promise<void>>();
  /** Set by `close`: no gain or admin change is taken after it. */
  private closed = false;
  /** Events waiting for a guild's rules from an asynchronous store, per guild, in arrival order. */
  private readonly guildWaits = new Map<string, Waiter[]>();
  /** Erasures (the member, or null for the server) that came while a guild's rules were being read. */
  private readonly forgottenWhileLoading = new Map<string, (string | null)[]>();
  /** Events waiting for a member's stored XP (or a day's voice minutes), in arrival order. */
  private readonly memberWaits = new Map<UserState, Waiter[]>();
  /** Bumped by every committed flush: a miss read across one is read again (its snapshot may miss the flush). */
  private commits = 0;
  /** Called when the buffer passes `maxBufferedEntries` (the flusher flushes early). */
  onBufferFull: () => void = () => {};
  /**
   * Running totals since start, plain numbers the operations layer reads when it is scraped (the engine knows
   * nothing of Prometheus): guild messages looked at and those that earned XP, XP granted per source (removals not subtracted), and hits and
   * misses of the total cache (a miss is a database read).
   */
  readonly stats = { messagesSeen: 0, messagesCounted: 0, xp: { message: 0, voice: 0, admin: 0, curve: 0, event: 0 }, cacheHits: 0, cacheMisses: 0 };

  constructor(private readonly deps: EngineDeps) {
    this.options = { ...DEFAULT_ENGINE_OPTIONS, ...deps.options };
    this.cache = new LRUCache<UserState, true>({
      max: this.options.cacheSize,
      // Evicted: forget the cached total; the state stays while it has a cooldown or buffered gains.
      dispose: (_v, state, reason) => {
        if (reason === 'evict' || reason === 'delete') state.cachedXp = -1;
      },
    });
    const seq = deps.flushSeq ?? deps.reads.lastFlushSeq();
    const erasureSeen = deps.erasureSeen ?? deps.reads.lastErasureId();
    if (isPromise(seq) || isPromise(erasureSeen)) throw new Error('an asynchronous store passes flushSeq and erasureSeen to the engine');
    this.seq = seq;
    this.erasureSeen = erasureSeen;
  }

  // ── rules ──────────────────────────────────────────────────────────────────────────────────────────────

  /** A guild's cached rules; a promise only while an asynchronous store reads them. */
  rules(guildId: string): Awaitable<GuildRules> {
    return this.withGuild(guildId, (g) => g.rules);
  }

  /** Re-reads a guild's rules after a command changed them; cached levels follow a changed curve. */
  reloadGuild(guildId: string): Awaitable<void> {
    const g = this.guilds.get(guildId);
    if (!g) return;
    const apply = (rules: GuildRules) => {
      g.rules = rules;
      g.span = null; // the zone, the week start or the season may have changed
      g.events = eventsSlot(rules);
      for (const u of g.users.values()) if (u.cachedXp >= 0) this.setLevel(g, u, u.cachedXp);
    };
    const rules = this.deps.reads.loadGuildRules(guildId);
    return isPromise(rules) ? rules.then(apply) : apply(rules);
  }

  /**
   * Runs `fn` with the guild's state: at once when its rules are cached (or read synchronously), otherwise once an
   * asynchronous read brings them, after the guild's events that came first.
   */
  private withGuild<T>(guildId: string, fn: (g: GuildState) => Awaitable<T>): Awaitable<T> {
    let g = this.guilds.get(guildId);
    if (!g && !this.guildWaits.has(guildId)) {
      const rules = this.deps.reads.loadGuildRules(guildId);
      if (isPromise(rules)) {
        this.guildWaits.set(guildId, []);
        rules.then(
          (r) => {
            this.guilds.set(guildId, { rules: r, users: new Map(), span: null, events: eventsSlot(r) });
            this.drain(this.guildWaits, guildId);
            // The waiting events came before the erasure, and their members had no state to mark: erased now,
            // what they gained is dropped (and erased rules are read again).
            const forgotten = this.forgottenWhileLoading.get(guildId);
            this.forgottenWhileLoading.delete(guildId);
            for (const userId of forgotten ?? []) this.forget(guildId, userId);
          },
          (error: unknown) => {
            this.forgottenWhileLoading.delete(guildId);
            this.fail(this.guildWaits, guildId, error);
          },
        );
      } else {
        g = { rules, users: new Map(), span: null, events: eventsSlot(rules) };
        this.guilds.set(guildId, g);
      }
    }
    if (g) return fn(g);
    return this.wait(this.guildWaits, guildId, () => fn(this.guilds.get(guildId)!));
  }

  /**
   * Runs `fn` once the member's total is cached (and, with `day`, that day's voice minutes counted): at once on a
   * hit or a synchronous read, otherwise after an asynchronous read, behind the member's events that came first.
   */
  private withMember<T>(g: GuildState, u: UserState, day: number | null, fn: () => T): Awaitable<T> {
    return this.memberReady(g, u, day) ? fn() : this.wait(this.memberWaits, u, fn);
  }

  /**
   * Whether an event of the member may run now: their total is cached (with `day`, that day's voice minutes
   * counted) or was just read synchronously, and none of their events waits for a read. Otherwise the member's
   * events queue (`wait`) behind the asynchronous read this starts or one already under way.
   */
  private memberReady(g: GuildState, u: UserState, day: number | null): boolean {
    if (this.isWaiting(u)) return false;
    if (u.cachedXp >= 0 && (day === null || u.voiceDay === day || g.rules.settings.voiceDailyCapMinutes <= 0)) {
      this.stats.cacheHits++;
      return true;
    }
    const loaded = this.loadMember(g, u, day);
    if (!loaded) return true;
    this.memberWaits.set(u, []);
    loaded.then(
      () => this.drain(this.memberWaits, u),
      (error: unknown) => this.fail(this.memberWaits, u, error),
    );
    return false;
  }

  /** Some of the member's events wait for an asynchronous read (never with SQLite: the size check is all it costs). */
  private isWaiting(u: UserState): boolean {
    return this.memberWaits.size !== 0 && this.memberWaits.has(u);
  }

  /**
   * Reads what `withMember` needs. Null when it was read synchronously (and applied); otherwise a promise that
   * applies it when read — again if a flush committed meanwhile, whose gains the snapshot might not hold although
   * they have left the in-flight count.
   */
  private loadMember(g: GuildState, u: UserState, day: number | null): Promise<void> | null {
    const commits = this.commits;
    // A hit or a miss of the total cache (a miss is a database read), for the metrics.
    if (u.cachedXp >= 0) this.stats.cacheHits++;
    else this.stats.cacheMisses++;
    const xp: Awaitable<StoredXp> | null = u.cachedXp >= 0 ? null : this.deps.reads.storedXp(u.guildId, u.userId);
    const needDay = day !== null && u.voiceDay !== day && g.rules.settings.voiceDailyCapMinutes > 0;
    const minutes = needDay ? this.deps.reads.voiceMinutes(u.guildId, u.userId, day) : null;
    if (!isPromise(xp) && !isPromise(minutes)) {
      if (xp) this.cacheTotal(g, u, xp);
      if (minutes) this.setVoiceDay(u, day!, minutes);
      return null;
    }
    return Promise.all([xp, minutes]).then(([stored, storedMinutes]) => {
      if (this.commits !== commits) return this.loadMember(g, u, day) ?? undefined;
      if (stored && u.cachedXp < 0) this.cacheTotal(g, u, stored);
      if (storedMinutes && u.voiceDay !== day) this.setVoiceDay(u, day!, storedMinutes);
      return undefined;
    });
  }

  private wait<K, T>(waits: Map<K, Waiter[]>, key: K, fn: () => Awaitable<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      waits.get(key)!.push({
        run: () => {
          try {
            resolve(fn());
          } catch (error) {
            reject(error);
          }
        },
        reject,
      });
    });
  }

  /** Runs the waiting events in arrival order (one queued by an event that runs here goes behind them). */
  private drain<K>(waits: Map<K, Waiter[]>, key: K): void {
    const queue = waits.get(key)!;
    for (let i = 0; i < queue.length; i++) queue[i]!.run();
    waits.delete(key);
  }

  /** The read failed: the waiting events fail with its error (nothing was counted for them); the next event reads again. */
  private fail<K>(waits: Map<K, Waiter[]>, key: K, error: unknown): void {
    const queue = waits.get(key)!;
    waits.delete(key);
    this.deps.logger.warn({ err: error, waiting: queue.length }, 'could not read XP state; the events waiting for it earn nothing');
    for (const w of queue) w.reject(error);
  }

  private user(g: GuildState, guildId: string, userId: string): UserState {
    let u = g.users.get(userId);
    if (!u) {
      u = new UserState(guildId, userId);
      g.users.set(userId, u);
    }
    return u;
  }

  // ── message XP (DESIGN §2.1) ─────────────────────────────────────────────────────────────────────────────

  /** A result at once for a cached member (always with SQLite); a promise while an asynchronous store reads. */
  handleMessage(ev: MessageEvent): Awaitable<GainResult | null> {
    if (this.closed) return null;
    if (ev.guildId === null || ev.isBot || ev.isWebhookOrSystem) return null; // 1
    this.stats.messagesSeen++;
    if (ev.isCommand) return null; // 2
    // The cooldown counts from the message's arrival, even when it waits for a read.
    const now = this.deps.clock.now();
    // A guild whose rules are cached goes straight in: no closure is allocated per message (the hot path).
    const guildId = ev.guildId;
    const g = this.guilds.get(guildId);
    if (g !== undefined) return this.messageIn(g, guildId, ev, now);
    return this.withGuild(guildId, (loaded) => this.messageIn(loaded, guildId, ev, now));
  }

  /** Steps 3–9 of a message in a guild whose rules are at hand. */
  private messageIn(g: GuildState, guildId: string, ev: MessageEvent, now: number): Awaitable<GainResult | null> {
    const { rules } = g;
    if (!rules.settings.xpEnabled) return null; // 3
    if (isExcluded(rules, ev.userId, ev.roleIds, ev.channelId, ev.parentId, ev.categoryId)) return null; // 4
    const rate = rules.channelRates.size > 0 ? channelRateOf(rules, ev.channelId, ev.parentId, ev.categoryId) : undefined;
    if (rate !== undefined && rate.xpPerMessage === 0) return null; // 4: a channel rate of 0 excludes
    const u = this.user(g, guildId, ev.userId);
    const cooldownMs = (rate?.cooldownSeconds ?? rules.settings.cooldownSeconds) * 1000;
    // 5 at once when nothing of the member's is waiting for a read.
    if (now - u.lastCountedAt < cooldownMs && !this.isWaiting(u)) return null;
    // A hit or a synchronous read runs at once, without the closure an asynchronous read needs.
    if (this.memberReady(g, u, null)) return this.countMessage(g, u, ev, now, rate, cooldownMs);
    return this.wait(this.memberWaits, u, () => this.countMessage(g, u, ev, now, rate, cooldownMs));
  }

  /** Steps 5–9 once the member's total is cached. */
  private countMessage(g: GuildState, u: UserState, ev: MessageEvent, now: number, rate: ChannelRate | undefined, cooldownMs: number): GainResult | null {
    if (this.closed) return null;
    // 5: the cooldown of the channel the message is in, since the member's last counted message in this
    // server; a blocked message does not restart it.
    if (now - u.lastCountedAt < cooldownMs) return null;
    const { rules } = g;
    const s = rules.settings;
    if ((s.antispamMinLength > 0 || s.antispamSimilarity > 0) && isSpam(u, ev.content, s)) return null; // 5a
    const amount = gainAmount(rules, rate?.xpPerMessage ?? s.xpPerMessage, ev.roleIds, ev.channelId, ev.parentId, ev.categoryId); // 6
    if (amount <= 0) return null;
    u.lastCountedAt = now;
    this.stats.messagesCounted++;
    const bonus = g.events === null ? 0 : this.eventBonus(g, amount, ev.roleIds, ev.channelId, ev.parentId, ev.categoryId);
    return this.gain(g, u, amount, 0, 'message', ev.channelId, 'message', bonus); // 7–9
  }

  // ── voice XP (DESIGN §2.3) ───────────────────────────────────────────────────────────────────────────────

  /**
   * One voice tick: every eligible member in voice earns `minutes` minutes' worth of voice XP. Returns how many
   * members earned; a promise when some waited for an asynchronous read.
   */
  voiceTick(snapshot: readonly VoiceGuildSnapshot[], minutes = 1): Awaitable<number> {
    if (this.closed) return 0;
    let awarded = 0;
    const waiting: Promise<unknown>[] = [];
    const day = utcDay(this.deps.clock.wallNow());
    const award = (g: GuildState, u: UserState, m: VoiceMember, ch: VoiceGuildSnapshot['channels'][number], share: Milli) => {
      if (this.closed) return;
      const { settings } = g.rules;
      const counted = this.countVoiceMinutes(u, day, minutes, settings.voiceDailyCapMinutes);
      if (counted <= 0) return;
      const amount = gainAmount(g.rules, settings.voiceXpPerMinute * counted, m.roleIds, ch.channelId, ch.categoryId, ch.categoryId, share);
      if (amount <= 0) return;
      const bonus = g.events === null ? 0 : this.eventBonus(g, amount, m.roleIds, ch.channelId, ch.categoryId, ch.categoryId);
      this.gain(g, u, amount, 0, 'voice', ch.channelId, 'voice', bonus); // voice channels have a text chat for the announcement
      awarded++;
    };
    const tickGuild = (vg: VoiceGuildSnapshot, g: GuildState) => {
      const { settings } = g.rules;
      if (!settings.xpEnabled || settings.voiceXpPerMinute <= 0) return;
      for (const ch of vg.channels) {
        if (ch.channelId === vg.afkChannelId) continue;
        const listeners = ch.members.filter(isListening);
        if (settings.voiceAntiFarm && listeners.length < 2) continue;
        const rate = g.rules.channelRates.size > 0 ? channelRateOf(g.rules, ch.channelId, ch.categoryId, ch.categoryId) : undefined;
        if (rate !== undefined && rate.xpPerMessage === 0) continue; // a channel rate of 0 excludes voice too
        for (const m of listeners) {
          const share = voiceShare(settings, ch.isStage, m);
          if (share === 0) continue;
          if (isExcluded(g.rules, m.userId, m.roleIds, ch.channelId, ch.categoryId, ch.categoryId)) continue;
          const u = this.user(g, vg.guildId, m.userId);
          const done = this.withMember(g, u, day, () => award(g, u, m, ch, share));
          if (isPromise(done)) waiting.push(done);
        }
      }
    };
    for (const vg of snapshot) {
      const done = this.withGuild(vg.guildId, (g) => tickGuild(vg, g));
      if (isPromise(done)) waiting.push(done);
    }
    if (waiting.length === 0) return awarded;
    // Members read later are awarded as their reads arrive; the count is complete when all have.
    const settle = async (): Promise<number> => {
      for (let i = 0; i < waiting.length; i++) await waiting[i]!.catch(() => {});
      return awarded;
    };
    return settle();
  }

  /** Minutes of `minutes` that still fit under the daily cap; records them (persisted with the next flush). */
  private countVoiceMinutes(u: UserState, day: number, minutes: number, cap: number): number {
    if (u.voiceDay !== day) {
      // Another day than the last tick's with no cap (with a cap, `withMember` has read the day): nothing to count.
      u.voiceMinutes = 0;
      u.voiceDay = day;
    }
    const counted = cap > 0 ? Math.max(0, Math.min(minutes, cap - u.voiceMinutes)) : minutes;
    if (counted > 0 && cap > 0) {
      u.voiceMinutes += counted;
      u.voicePending ??= new Map();
      u.voicePending.set(day, (u.voicePending.get(day) ?? 0) + counted);
      this.markDirty(u);
    }
    return counted;
  }

  /**
   * Another day than the last tick's — the next one, or an earlier one when the wall clock stepped back: its count
   * is rebuilt from what is stored, plus unwritten, plus in flight unless the snapshot read already holds it
   * (DESIGN §2.8).
   */
  private setVoiceDay(u: UserState, day: number, stored: { minutes: number; flushSeq: number }): void {
    const inflight = u.voiceInflight !== null && stored.flushSeq < u.inflightSeq ? (u.voiceInflight.get(day) ?? 0) : 0;
    u.voiceMinutes = stored.minutes + (u.voicePending?.get(day) ?? 0) + inflight;
    u.voiceDay = day;
  }

  // ── admin XP (DESIGN §3) ─────────────────────────────────────────────────────────────────────────────────

  /** Adds (or, with `set`, sets) a member's XP through the same path as earned XP; audited as AwardedXp. */
  adjustXp(guildId: string, userId: string, change: { add: number } | { set: number }): Awaitable<GainResult> {
    return this.changeMember(guildId, userId, (g, u) => {
      const current = this.currentXp(u);
      const delta = 'set' in change ? Math.max(0, change.set) - current : Math.max(-current, change.add);
      return this.gain(g, u, delta, delta, 'admin', null);
    });
  }

  /** Runs a change of one member's XP in the member's turn (after any read of them under way); refused once closed. */
  private changeMember<T>(guildId: string, userId: string, change: (g: GuildState, u: UserState) => T): Awaitable<T> {
    if (this.closed) throw new EngineClosedError();
    return this.withGuild(guildId, (g) => {
      const u = this.user(g, guildId, userId);
      return this.withMember(g, u, null, () => {
        if (this.closed) throw new EngineClosedError();
        return change(g, u);
      });
    });
  }

  /**
   * A curve change moved a member from `oldLevel` to `newLevel` (DESIGN §2.4.2): the normal level-change path runs —
   * a level-up pays the levels above the rewarded-level mark (never twice), a level-down takes no currency back,
   * reward roles follow — with source 'curve', which is not announced.
   */
  relevel(guildId: string, userId: string, oldLevel: number, newLevel: number, totalXp: number): Awaitable<void> {
    if (this.closed) throw new EngineClosedError();
    return this.withGuild(guildId, (g) => {
      const u = this.user(g, guildId, userId);
      if (newLevel > oldLevel) this.levelUp(g, u, oldLevel, newLevel, totalXp, 'curve', null);
      else if (newLevel < oldLevel) this.levelDown(g, u, oldLevel, newLevel, totalXp, 'curve');
    });
  }

  /**
   * A season's end resets levels (DESIGN §15.3): the member's XP goes to 0 through the normal level-change path —
   * reward roles follow, no currency is taken back and the rewarded-level mark stays, so climbing back pays nothing
   * twice — not announced. Recorded as an admin change in history but on no period board: it is not XP earned in a
   * week, month or season.
   */
  resetXp(guildId: string, userId: string): Awaitable<void> {
    return this.changeMember(guildId, userId, (g, u) => {
      const current = this.currentXp(u);
      if (current !== 0) this.gain(g, u, -current, 0, 'curve', null, 'admin', 0, false);
    });
  }

  /**
   * Stored totals of these members were changed outside the flush (XP decay, DESIGN §15.4): their cached totals are
   * dropped, to be read again (stored plus unwritten) when next needed, and a read under way is read again. The job
   * calls it before and after its write, so no total read in between stays cached.
   */
  storedChanged(guildId: string, userIds: readonly string[]): void {
    this.commits++;
    const g = this.guilds.get(guildId);
    if (!g) return;
    for (const id of userIds) {
      const u = g.users.get(id);
      if (u && u.cachedXp >= 0) this.cache.delete(u);
    }
  }

  // ── reads ──────────────────────────────────────────────────────────────────────────────────────────────

  /** Total XP including unflushed gains (what the card and the rank must show). */
  xpOf(guildId: string, userId: string): Awaitable<number> {
    return this.withGuild(guildId, (g) => {
      const u = this.user(g, guildId, userId);
      return this.withMember(g, u, null, () => this.currentXp(u));
    });
  }

  /**
   * Members of a guild whose stored XP is not their total yet (buffered or in-flight changes), with their total:
   * what a rank must use instead of their stored rows (DESIGN §7).
   */
  unwrittenTotals(guildId: string): Awaitable<Map<string, number>> {
    return this.withGuild(guildId, (g) => {
      const totals = new Map<string, number>();
      const waiting: Promise<unknown>[] = [];
      for (const u of g.users.values()) {
        if (u.pending === 0 && u.inflight === 0) continue;
        const total = this.withMember(g, u, null, () => totals.set(u.userId, this.currentXp(u)));
        if (isPromise(total)) waiting.push(total);
      }
      return waiting.length === 0 ? totals : Promise.all(waiting).then(() => totals);
    });
  }

  // ── the pipeline ───────────────────────────────────────────────────────────────────────────────────────

  /** The member's total; `withMember` has made sure it is cached. */
  private currentXp(u: UserState): number {
    this.cache.get(u); // recency
    return u.cachedXp;
  }

  private cacheTotal(g: GuildState, u: UserState, stored: StoredXp): void {
    // In-flight gains count only if their flush is not yet committed in the snapshot we read.
    const inflight = u.inflight !== 0 && stored.flushSeq < u.inflightSeq ? u.inflight : 0;
    const xp = stored.xp + inflight + u.pending;
    this.setLevel(g, u, xp);
    u.cachedXp = xp;
    this.cache.set(u, true);
  }

  private setLevel(g: GuildState, u: UserState, xp: number): void {
    const s = levelStats(xp, g.rules.settings.curve);
    u.level = s.level;
    u.levelStart = xp - s.xpInLevel;
    u.nextLevelAt = s.nextLevelAt;
  }

  /**
   * `bonus`: an XP event's extra on top of `amount` (DESIGN §15.5), counted in the total like the rest and kept
   * in history under its own source. `onPeriodBoards`: whether the change counts on week, month and season boards
   * (by its source, DESIGN §15.2; a season's reset of levels does not, §15.3).
   */
  private gain(
    g: GuildState,
    u: UserState,
    amount: number,
    awarded: number,
    source: LevelUpEffect['source'],
    channelId: string | null,
    history: HistorySource = source === 'curve' ? 'admin' : source,
    bonus = 0,
    onPeriodBoards = ON_PERIODS[SOURCE_CODE[history]]!,
  ): GainResult {
    const before = this.currentXp(u);
    const gained = amount + bonus;
    const total = before + gained;
    if (amount > 0) this.stats.xp[source] += amount; // granted: admin removals are not negative grants
    if (bonus > 0) this.stats.xp.event += bonus;
    u.cachedXp = total;
    u.pending += gained;
    u.pendingAwarded += awarded;
    // The same amount under its UTC day and source, so the flush writes history with the totals (DESIGN §15.1).
    if (amount !== 0) {
      u.addGain(this.spanAt(g, this.deps.clock.wallNow()), SOURCE_CODE[history], amount, bonus, onPeriodBoards);
    }
    this.markDirty(u);
    const oldLevel = u.level;
    if (total >= u.nextLevelAt || total < u.levelStart) this.setLevel(g, u, total);
    const leveledUp = u.level > oldLevel;
    if (leveledUp) this.levelUp(g, u, oldLevel, u.level, total, source, channelId);
    else if (u.level < oldLevel) this.levelDown(g, u, oldLevel, u.level, total, source);
    return { gained, totalXp: total, level: u.level, leveledUp };
  }

  /** The bonus of the XP event that applies to a gain now (DESIGN §15.5); the guild has events not yet over. */
  private eventBonus(g: GuildState, amount: number, roleIds: readonly string[], channelId: string, parentId: string | null, categoryId: string | null): number {
    const wall = this.deps.clock.wallNow();
    let slot = g.events!;
    // Outside the slot's span (later, or earlier when the wall clock stepped back, DESIGN §2.8): the set changed.
    if (wall < slot.from || wall >= slot.to) g.events = slot = eventSlotAt(g.rules.xpEvents, wall);
    return slot.active.length === 0 ? 0 : eventBonus(slot.active, amount, roleIds, channelId, parentId, categoryId);
  }

  /** The UTC day and the week, month (and season) ids of a gain at `wall`; cached per guild for the span they share. */
  private spanAt(g: GuildState, wall: number): GainSpan {
    const p = g.span;
    if (p !== null && wall >= p.from && wall < p.to) return p;
    const cal: CalendarRules = g.rules.settings;
    const week = weekAt(wall, cal);
    const month = monthAt(wall, cal);
    const day = utcDay(wall);
    const span = { from: Math.max(week.from, month.from, day * DAY_MS), to: Math.min(week.to, month.to, (day + 1) * DAY_MS), day, periodIds: [week.id, month.id] };
    const season = g.rules.season;
    if (season) {
      // Inside the season it counts; before or after, the span ends where the season's inside begins or ends.
      if (wall >= season.startsAt && wall < season.endsAt) {
        span.periodIds.push(season.periodId);
        span.from = Math.max(span.from, season.startsAt);
        span.to = Math.min(span.to, season.endsAt);
      } else if (wall < season.startsAt) span.to = Math.min(span.to, season.startsAt);
      else span.from = Math.max(span.from, season.endsAt);
    }
    g.span = span;
    return span;
  }

  private markDirty(u: UserState): void {
    if (u.dirty) return;
    u.dirty = true;
    this.dirty.push(u);
    if (this.dirty.length === this.options.maxBufferedEntries) this.onBufferFull();
  }

  // ── level-ups (DESIGN §2.4) ──────────────────────────────────────────────────────────────────────────────

  private levelUp(g: GuildState, u: UserState, oldLevel: number, newLevel: number, totalXp: number, source: LevelUpEffect['source'], channelId: string | null): void {
    const { guildId, userId } = u;
    const { roleRewards } = g.rules;
    const { rewardMode } = g.rules.settings;
    // The erasures this level-up was computed after: one that another process commits later makes the writer drop it.
    const { erasureSeen } = this;
    this.enqueue(guildId, userId, async () => {
      if (u.erased) return; // erased before its turn: nothing may be written for the member any more
      const at = this.deps.clock.wallNow();
      const levelUp = { oldLevel, newLevel, roleRewards, rewardMode, at, erasureSeen };
      const record = await this.withRetry('record a level-up', guildId, userId, () => this.deps.writes.recordLevelUp(guildId, userId, levelUp));
      if (record?.erased) return; // erased in another process since: the member is not to be announced either
      const roles = record?.roles ?? NO_ROLES;
      const currencyPaid = record ? record.paid.reduce((s, p) => s + p.amount, 0) : 0;
      // State is saved, the role changes included (DESIGN §2.7); a failing side effect never repays or rolls back.
      await this.deps.effects.apply({ guildId, userId, oldLevel, newLevel, channelId, source, rolesToAdd: roles.add, rolesToRemove: roles.remove, currencyPaid, totalXp });
    });
  }

  /** An admin took XP away: reward roles follow the lower level; nothing is paid or taken back in currency. */
  private levelDown(g: GuildState, u: UserState, oldLevel: number, newLevel: number, totalXp: number, source: LevelUpEffect['source']): void {
    const roles = roleChangesBetween(g.rules.roleRewards, oldLevel, newLevel, g.rules.settings.rewardMode);
    if (roles.add.length === 0 && roles.remove.length === 0) return;
    const { guildId, userId } = u;
    this.enqueue(guildId, userId, async () => {
      if (u.erased) return;
      const at = this.deps.clock.wallNow();
      const queued = await this.withRetry('queue role changes', guildId, userId, () => this.deps.writes.queueRoleChanges(guildId, userId, roles, 'level', at));
      if (queued === null) return;
      await this.deps.effects.apply({ guildId, userId, oldLevel, newLevel, channelId: null, source, rolesToAdd: roles.add, rolesToRemove: roles.remove, currencyPaid: 0, totalXp });
    });
  }

  /**
   * Level changes of one member run one after another (payment, then roles and announcement), so two quick
   * level-ups never edit the member's roles at the same time or pay out of order.
   */
  private enqueue(guildId: string, userId: string, task: () => Promise<void>): void {
    const key = `${guildId}:${userId}`;
    const next = (this.chains.get(key) ?? Promise.resolve())
      .then(task)
      .catch((error: unknown) => this.deps.logger.warn({ err: error, guildId, userId }, 'level change side effects failed'));
    this.chains.set(key, next);
    this.inFlightEffects.add(next);
    void next.finally(() => {
      this.inFlightEffects.delete(next);
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  /**
   * Null when every attempt failed. Nothing was recorded then: the levels stay above the mark, and their payment
   * and roles are caught up with the member's next level-up.
   */
  private async withRetry<T>(what: string, guildId: string, userId: string, write: () => Promise<T>): Promise<T | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (error) {
        if (attempt >= this.options.rewardAttempts) {
          this.deps.logger.error({ err: error, guildId, userId }, `could not ${what}; it is caught up with the member's next level-up`);
          return null;
        }
      }
    }
  }

  /**
   * Shutdown begins (DESIGN §2.2): from now on messages and voice earn nothing and `adjustXp` throws
   * EngineClosedError, so nothing can slip in after the final flush has taken the buffer. Reads still work, and
   * level changes already queued still run.
   */
  close(): void {
    this.closed = true;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Resolves when every level-up started so far has paid and applied its effects (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlightEffects.size > 0) await Promise.allSettled([...this.inFlightEffects]);
  }

  // ── the write-back buffer (DESIGN §2.2) ──────────────────────────────────────────────────────────────────

  get bufferedEntries(): number {
    return this.dirty.length;
  }

  // ── erasures (DESIGN §13) ─────────────────────────────────────────────────────────────────────────────

  /**
   * Forgets a member everywhere (guildId null), a member in one server, or a whole server (userId null): cached
   * totals, cooldowns, buffered gains and voice minutes, and level changes not yet recorded. In-flight gains are
   * not merged back if their flush fails; if it commits, the erasure (stored first) makes the writer drop them.
   */
  forget(guildId: string | null, userId: string | null): void {
    const guilds = guildId === null ? [...this.guilds] : this.guilds.has(guildId) ? [[guildId, this.guilds.get(guildId)!] as const] : [];
    for (const [id, g] of guilds) {
      const states = userId === null ? [...g.users.values()] : g.users.has(userId) ? [g.users.get(userId)!] : [];
      for (const u of states) {
        u.erased = true;
        u.pending = u.pendingAwarded = 0;
        u.voicePending = null;
        u.dropGains();
        this.cache.delete(u);
        g.users.delete(u.userId);
      }
      // A server's settings were erased with it: its rules are read again (the defaults) when next needed.
      if (userId === null) this.guilds.delete(id);
    }
    for (const id of this.guildWaits.keys()) {
      if (guildId !== null && guildId !== id) continue;
      let list = this.forgottenWhileLoading.get(id);
      if (!list) this.forgottenWhileLoading.set(id, (list = []));
      list.push(userId);
    }
  }

  /**
   * Applies the erasures other processes (or this one) committed since the last call. The flusher calls it before
   * every batch, so no process keeps an erased total for longer than one flush interval.
   */
  applyErasures(): Awaitable<void> {
    const apply = (erasures: Erasure[]) => {
      for (const e of erasures) {
        // Two overlapping calls read the same erasures: forgetting one twice would drop what the member earned
        // after the first.
        if (e.id <= this.erasureSeen) continue;
        this.forget(e.guildId, e.userId);
        this.erasureSeen = e.id;
      }
    };
    const erasures = this.deps.reads.erasuresSince(this.erasureSeen);
    return isPromise(erasures) ? erasures.then(apply) : apply(erasures);
  }

  /** Swaps the buffer out as one flush batch (null if empty). Call `settleBatch` with the outcome. */
  takeBatch(): FlushBatch | null {
    if (this.dirty.length === 0) return null;
    const states = this.dirty;
    this.dirty = [];
    const seq = ++this.seq;
    const rows: XpGainRow[] = [];
    const voice: VoiceMinutesRow[] = [];
    const history: HistoryRow[] = [];
    const periods: PeriodRow[] = [];
    for (const u of states) {
      u.dirty = false;
      if (u.erased) continue;
      u.foldGains();
      // The last day the member earned (not was given) XP, for decay (DESIGN §15.4): read off the history keys.
      let earnedDay: number | undefined;
      if (u.hist) {
        for (const [key, xp] of u.hist) {
          if (xp === 0) continue;
          const h = splitHistoryKey(key);
          history.push({ guildId: u.guildId, userId: u.userId, ...h, xp });
          if (xp > 0 && EARNED_CODES.has(h.source) && (earnedDay === undefined || h.day > earnedDay)) earnedDay = h.day;
        }
      }
      if (u.pending !== 0 || u.pendingAwarded !== 0 || earnedDay !== undefined) {
        rows.push({ guildId: u.guildId, userId: u.userId, xp: u.pending, awarded: u.pendingAwarded, ...(earnedDay !== undefined ? { earnedDay } : {}) });
      }
      if (u.voicePending) for (const [day, minutes] of u.voicePending) voice.push({ guildId: u.guildId, userId: u.userId, day, minutes });
      if (u.periods) for (const [period, xp] of u.periods) if (xp !== 0) periods.push({ guildId: u.guildId, userId: u.userId, period, xp });
      u.inflight = u.pending;
      u.inflightAwarded = u.pendingAwarded;
      u.voiceInflight = u.voicePending;
      u.histInflight = u.hist;
      u.periodsInflight = u.periods;
      u.inflightSeq = seq;
      u.pending = u.pendingAwarded = 0;
      u.voicePending = u.hist = u.periods = null;
    }
    this.flushing = states;
    return { seq, rows, voice, history, periods, erasureSeen: this.erasureSeen };
  }

  /** Whether a batch is in the database although its writer did not say so (the marker of its flush is stored). */
  async isCommitted(batch: FlushBatch): Promise<boolean> {
    try {
      return (await this.deps.reads.lastFlushSeq()) >= batch.seq;
    } catch {
      return false;
    }
  }

  /** After a flush: on success the in-flight gains are in the database; on failure they merge back into the buffer. */
  settleBatch(batch: FlushBatch, committed: boolean): void {
    const states = this.flushing;
    this.flushing = [];
    if (committed) this.commits++;
    for (const u of states) {
      if (u.inflightSeq !== batch.seq || u.erased) continue;
      if (!committed) {
        u.pending += u.inflight;
        u.pendingAwarded += u.inflightAwarded;
        if (u.voiceInflight) {
          u.voicePending ??= new Map();
          for (const [day, minutes] of u.voiceInflight) u.voicePending.set(day, (u.voicePending.get(day) ?? 0) + minutes);
        }
        // History merges back with the totals it belongs to (DESIGN §15.1).
        if (u.histInflight) u.hist = mergeInto(u.hist, u.histInflight);
        if (u.periodsInflight) u.periods = mergeInto(u.periods, u.periodsInflight);
        if (u.pending !== 0 || u.pendingAwarded !== 0 || u.voicePending || u.hist || u.periods) this.markDirty(u);
      }
      u.inflight = u.inflightAwarded = 0;
      u.voiceInflight = u.histInflight = u.periodsInflight = null;
    }
  }

  /** Drops states that hold nothing a database read would not rebuild (expired cooldown, not cached, flushed). */
  sweep(): number {
    const now = this.deps.clock.now();
    let removed = 0;
    for (const g of this.guilds.values()) {
      const cooldownMs = longestCooldownSeconds(g.rules) * 1000;
      for (const [id, u] of g.users) {
        if (u.isDisposable(now, cooldownMs)) {
          g.users.delete(id);
          removed++;
        }
      }
    }
    return removed;
  }

  /** Number of (guild, user) states held in memory. */
  get trackedUsers(): number {
    let n = 0;
    for (const g of this.guilds.values()) n += g.users.size;
    return n;
  }
}

/** The slot a guild's rules start with: none without events, else one that is computed at the first gain. */
function eventsSlot(rules: GuildRules): EventSlot | null {
  return rules.xpEvents.length === 0 ? null : STALE_SLOT;
}

/** In the channel and able to hear: company for the anti-farming rule, muted or not (DESIGN §2.3). */
function isListening(m: VoiceMember): boolean {
  return !m.isBot && !m.selfDeaf && !m.serverDeaf;
}

/**
 * The share of voice XP a listening member earns, in thousandths: a stage's audience its configured share; a member
 * who cannot talk (muted, or suppressed outside a stage) all or nothing by the server's setting; everyone else all.
 */
function voiceShare(s: GuildSettings, isStage: boolean, m: VoiceMember): Milli {
  if (isStage && m.suppressed) return s.stageAudiencePercent * 10;
  if (!s.voiceMutedEarn && (m.selfMute || m.serverMute || m.suppressed)) return 0;
  return MILLI_ONE;
}

function isExcluded(rules: GuildRules, userId: string, roleIds: readonly string[], channelId: string, parentId: string | null, categoryId: string | null): boolean {
  const ch = rules.excludedChannels;
  if (ch.size > 0 && (ch.has(channelId) || (parentId !== null && ch.has(parentId)) || (categoryId !== null && ch.has(categoryId)))) return true;
  if (rules.excludedUsers.size > 0 && rules.excludedUsers.has(userId)) return true;
  if (rules.optedOut.size > 0 && rules.optedOut.has(userId)) return true;
  const roles = rules.excludedRoles;
  if (roles.size > 0) for (const r of roleIds) if (roles.has(r)) return true;
  return false;
}

/**
 * The anti-spam rules (DESIGN §2.1.2): too short, or too similar to the member's previous message past the
 * cooldown. Every message judged for similarity becomes the next one's "previous", counted or not.
 */
function isSpam(u: UserState, content: string, s: GuildSettings): boolean {
  if (s.antispamMinLength > 0 && !longEnough(content, s.antispamMinLength)) return true;
  if (s.antispamSimilarity === 0) return false;
  const keys = textKeys(content, scratchKeys);
  let previous = u.lastText;
  const similar = previous !== null && similarAtLeast(keys, previous, s.antispamSimilarity);
  previous ??= u.lastText = new Uint16Array(KEYS_CAPACITY);
  previous.set(keys); // in place: one small array per member, none per message
  return similar;
}

/** Where a message's keys are built before they are compared and copied into the member's state. */
const scratchKeys = new Uint16Array(KEYS_CAPACITY);

/** The channel's own rate, else its parent's (threads, forum posts), else its category's. */
function channelRateOf(rules: GuildRules, channelId: string, parentId: string | null, categoryId: string | null): ChannelRate | undefined {
  const r = rules.channelRates;
  return r.get(channelId) ?? (parentId !== null ? r.get(parentId) : undefined) ?? (categoryId !== null ? r.get(categoryId) : undefined);
}

/** The longest message cooldown anywhere in a guild: a state whose last counted message is older holds no cooldown. */
function longestCooldownSeconds(rules: GuildRules): number {
  let longest = rules.settings.cooldownSeconds;
  for (const rate of rules.channelRates.values()) if (rate.cooldownSeconds !== null && rate.cooldownSeconds > longest) longest = rate.cooldownSeconds;
  return longest;
}

/**
 * base × guild rate × channel multiplier (the channel's own, else its parent's, else its category's) × the
 * highest multiplier among the member's roles; rounded half-up exactly (integer thousandths, DESIGN §2.6).
 */
function gainAmount(rules: GuildRules, base: number, roleIds: readonly string[], channelId: string, parentId: string | null, categoryId: string | null, share: Milli = MILLI_ONE): number {
  const cm = rules.channelMultipliers;
  const channel = cm.size > 0 ? (cm.get(channelId) ?? (parentId !== null ? cm.get(parentId) : undefined) ?? (categoryId !== null ? cm.get(categoryId) : undefined)) : undefined;
  const rm = rules.roleMultipliers;
  let role: Milli | undefined;
  if (rm.size > 0) {
    for (const r of roleIds) {
      const v = rm.get(r);
      if (v !== undefined && (role === undefined || v > role)) role = v;
    }
  }
  if (share !== MILLI_ONE) return multiplyHalfUpShare(base, rules.settings.rateMilli, channel, role, share);
  return multiplyHalfUp(base, rules.settings.rateMilli, channel, role);
}
