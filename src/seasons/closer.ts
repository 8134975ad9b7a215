/**
 * Closes seasons when they end (DESIGN §15.3), in the process that serves the season's guild. The close is a
 * persisted state machine — running → closing → archived → rolesqueued → closed — whose every step is one
 * transaction that checks the step it moves from, so a close cut short by a stop, a kill or a failure continues at
 * the next check (every minute, at start, and at the exact end of the next season) and repeats nothing. A season
 * that ended while the bot was stopped is closed once at the next start. A lease in the season's row keeps a second
 * process (a shard moving between processes) from closing it at the same time.
 */
import { randomUUID } from 'node:crypto';
import type { XpCore } from '../core.js';
import type { Clock, Scheduler } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type { ShardFilter } from '../storage/role-queue.js';
import { PeriodicCheck } from '../util/periodic.js';
import { successor, type Season, type SeasonSummary } from './season.js';

/** How often each process looks for seasons to close (a timer also fires at the next season's end). */
export const SEASON_CHECK_MS = 60_000;
/** How long a close may go unrenewed before another process may take it over. */
export const SEASON_LEASE_MS = 5 * 60_000;
/**
 * Members archived per transaction. Each chunk rewrites the archive B-tree pages its members land on (their ids are
 * in no order), so fewer, larger chunks write far less (1M members: 25 s in chunks of 20 000, 7.7 s in chunks of
 * 100 000, under load); a chunk holds the writer well under a second, so a flush waits at most that long.
 */
export const ARCHIVE_CHUNK = 100_000;
/** Members reset per chunk; the chunk's XP changes are written before the cursor passes it. */
export const RESET_CHUNK = 1_000;
/** The largest snowflake: the end of the id range a reset chunk reads. */
const LAST_ID = '9223372036854775807';

export interface SeasonCloserDeps {
  core: XpCore;
  clock: Clock;
  scheduler: Scheduler;
  logger: Logger;
  /** The shards this process serves: it closes only their guilds' seasons. */
  shards(): ShardFilter;
  /** Winner roles were queued: apply them now rather than at the queue's next timer. */
  rolesQueued(): void;
  /** Tells the season's channel how it ended (best effort: a failure is logged, the close goes on). */
  announce(season: Season, summary: SeasonSummary): Promise<void>;
  /** A progress message in the season's channel for the reset of levels (a pass over the server, DESIGN §2.7.1). */
  progress(season: Season): { update(text: string, force?: boolean): Promise<void> };
  archiveChunk?: number;
}

export class SeasonCloser {
  private readonly holder = randomUUID();
  private readonly periodic: PeriodicCheck<void>;
  private endTimer: { cancel(): void } | null = null;

  constructor(private readonly deps: SeasonCloserDeps) {
    this.periodic = new PeriodicCheck(deps.scheduler, SEASON_CHECK_MS, () => this.closeDue());
  }

  /** Closes what is due now, then looks every minute and at the next season's end. */
  start(): void {
    this.periodic.start();
  }

  /** No new step; the step under way finishes (what is left continues at the next start). */
  stop(): Promise<void> {
    this.endTimer?.cancel();
    this.endTimer = null;
    return this.periodic.stop();
  }

  /** Looks for seasons to close, in a check that starts after this call (a command started or ended a season). */
  check(): Promise<void> {
    return this.periodic.rerun();
  }

  private get stopping(): boolean {
    return this.periodic.stopping;
  }

  private async closeDue(): Promise<void> {
    const { core, clock, logger } = this.deps;
    try {
      for (const season of await core.stores.seasons.due(this.deps.shards(), clock.wallNow())) {
        if (this.stopping) return;
        await this.close(season).catch((error: unknown) => {
          logger.warn({ err: error, guildId: season.guildId, season: season.number }, 'closing a season failed; the next check continues it');
        });
      }
      if (!this.stopping) await this.armEndTimer();
    } catch (error) {
      logger.warn({ err: error }, 'could not read the seasons to close; the next check retries');
    }
  }

  /** A timer at the next season's end, so a rollover's successor starts when its predecessor ends. */
  private async armEndTimer(): Promise<void> {
    const next = await this.deps.core.stores.seasons.nextEnd(this.deps.shards());
    this.endTimer?.cancel();
    this.endTimer = null;
    // `stop` may have come while the read was under way: it cancelled the timer then, so none is armed after it.
    if (next === null || this.stopping) return;
    const wait = next - this.deps.clock.wallNow();
    if (wait < SEASON_CHECK_MS) this.endTimer = this.deps.scheduler.after(Math.max(0, wait), () => this.check());
  }

  /** Moves one season through the steps it has left. */
  private async close(due: Season): Promise<void> {
    const { core, clock } = this.deps;
    const { writer, engine, flusher } = core;
    const claim = () => writer.seasons.claim(due.id, this.holder, clock.wallNow(), SEASON_LEASE_MS);
    let s = await claim();
    if (!s) return; // not ended, done already, or another process closes it
    if (s.state === 'running') {
      const rules = await engine.rules(s.guildId);
      await writer.seasons.beginClose(s.id, successor(s, rules.settings));
      // From here the engine counts nothing into the season (and counts into its successor).
      await engine.reloadGuild(s.guildId);
      s = { ...s, state: 'closing' };
    }
    if (s.state === 'closing') {
      // Gains earned before the end that are still buffered belong in the standings: written first.
      if (!(await flusher.flush())) throw new Error('the XP buffer could not be written before archiving');
      const chunk = this.deps.archiveChunk ?? ARCHIVE_CHUNK;
      for (;;) {
        if (this.stopping) return;
        if ((await writer.seasons.archiveChunk(s.id, chunk)).done) break;
        if (!(await claim())) return; // the lease was lost (a very long pause): the holder now finishes it
      }
      s = { ...s, state: 'archived' };
    }
    if (s.state === 'archived') {
      const summary = await writer.seasons.queueWinners(s.id, clock.wallNow());
      s = { ...s, state: 'rolesqueued' };
      if (summary) {
        if (summary.winners.userIds.length + summary.winners.removedFrom.length > 0) this.deps.rolesQueued();
        const closed = (await core.stores.seasons.get(s.id)) ?? s;
        await this.deps.announce(closed, summary).catch((error: unknown) => {
          this.deps.logger.warn({ err: error, guildId: s!.guildId }, 'could not announce the end of a season');
        });
      }
    }
    if (s.state === 'rolesqueued') {
      if (s.resetLevels && !(await this.resetLevels(s))) return;
      await writer.seasons.finish(s.id, clock.wallNow());
      this.deps.logger.info({ guildId: s.guildId, season: s.number }, 'season closed');
    }
  }

  /**
   * Resets every member's level to 0 through the engine's normal level-change path (DESIGN §15.3): reward roles
   * follow, the rewarded-level mark stays, so climbing back pays no currency twice. Chunks in member id order; a
   * chunk's changes are written before the cursor passes it, so a restart repeats at most one chunk, and a repeated
   * reset of a member to 0 changes nothing. False: stopped before the end.
   */
  private async resetLevels(s: Season): Promise<boolean> {
    const { core } = this.deps;
    const sink = this.deps.progress(s);
    const n = (v: number) => v.toLocaleString('en-US');
    const resumed = s.resetCursor !== '0';
    let cursor = s.resetCursor;
    let done = 0;
    const text = () => `🔄 Season ${s.number} “${s.name}” has ended: ${resumed ? 'continuing to reset' : 'resetting'} every level to 0 — ${n(done)} members done`;
    await sink.update(text(), true);
    for (;;) {
      if (this.stopping) return false;
      const rows = await core.reads.xpRange(s.guildId, cursor, LAST_ID, RESET_CHUNK);
      if (rows.length === 0) break;
      for (const r of rows) await core.engine.resetXp(s.guildId, r.userId);
      await core.engine.idle();
      if (!(await core.flusher.flush())) throw new Error('the reset XP could not be written');
      cursor = rows[rows.length - 1]!.userId;
      await core.writer.seasons.advanceReset(s.id, cursor);
      done += rows.length;
      await sink.update(text());
    }
    await sink.update(`✅ Season ${s.number} “${s.name}”: every level was reset to 0 (${n(done)} members${resumed ? ' in this run' : ''}). Reward roles follow through the role queue; no currency was taken back.`, true);
    return true;
  }
}
