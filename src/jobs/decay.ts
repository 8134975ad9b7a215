/**
 * XP decay's daily job and its preview (DESIGN §15.4). Both walk a server's members in id order in chunks, through
 * the same pure functions (src/engine/decay.ts), so the preview shows what the runs of the next four weeks do.
 *
 * The job: every process looks hourly for servers of its shards with decay on whose run for today is not done. A
 * run is claimed in the store (one per server and day, whatever the processes or restarts), then each chunk's
 * changes — the XP, a history row with source decay, the reward roles that follow through the role-change queue —
 * and the cursor past the chunk are one transaction: a run cut short continues after its last chunk at the next
 * tick or start, and no member is decayed twice for a day. Buffered XP is written first; members who still have XP
 * not written (they are earning right now) are left for the next run, and cached totals of decayed members are read
 * again, so the job never fights the engine's buffer. Currency is never touched: the rewarded-level mark stays, so
 * climbing back pays nothing twice (DESIGN §2.4).
 */
import type { XpCore } from '../core.js';
import { decayChange, DecayPreviewer, floorXpOf, policyOf, RoleChangeCache, type DecayContext, type DecayPolicy, type DecayPreview } from '../engine/decay.js';
import { utcDay } from '../engine/history.js';
import type { GuildRules } from '../engine/settings.js';
import type { ShardFilter } from '../storage/role-queue.js';
import type { Clock, Scheduler } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { PeriodicCheck } from '../util/periodic.js';

/** How often each process looks whether a run is due. */
export const DECAY_CHECK_MS = 3_600_000;

/**
 * The members holding one of `roleIds` in a guild, from the Discord layer; null when this process cannot tell (the
 * guild is not on its shards or not loaded), and then nothing is decayed there yet.
 */
export type ExemptMembers = (guildId: string, roleIds: readonly string[]) => Promise<ReadonlySet<string> | null>;

export interface DecayJobDeps {
  core: XpCore;
  clock: Clock;
  scheduler: Scheduler;
  logger: Logger;
  exemptMembers: ExemptMembers;
  /** The shards this process serves. */
  shards(): ShardFilter;
  /** Called after a chunk queued role changes (the role queue applies them now rather than at its next timer). */
  rolesQueued(): void;
  /** Members per chunk (one transaction each). Default 500. */
  chunk?: number;
}

export interface DecayRunResult {
  guildId: string;
  day: number;
  decayed: number;
  xpLost: number;
}

/** The members that hold an exempt role, or null when the Discord layer cannot tell. */
async function exemptSet(core: XpCore, exemptMembers: ExemptMembers, guildId: string): Promise<ReadonlySet<string> | null> {
  const roles = await core.stores.decay.exemptRoles(guildId);
  return roles.length === 0 ? new Set() : exemptMembers(guildId, roles);
}

function contextOf(rules: GuildRules, policy: DecayPolicy, exempt: ReadonlySet<string>, sinceDay: number, busy?: ReadonlySet<string>): DecayContext {
  const s = rules.settings;
  return { policy, curve: s.curve, roleRewards: rules.roleRewards, rewardMode: s.rewardMode, exempt, sinceDay, ...(busy ? { busy } : {}) };
}

export class DecayJob {
  private readonly periodic: PeriodicCheck<DecayRunResult[]>;
  private readonly chunk: number;

  constructor(private readonly deps: DecayJobDeps) {
    this.chunk = deps.chunk ?? 500;
    this.periodic = new PeriodicCheck(deps.scheduler, DECAY_CHECK_MS, () => this.runDue());
  }

  /** Looks now, then every hour. */
  start(): void {
    this.periodic.start();
  }

  /** No new run; one under way stops after its chunk and continues at the next start. */
  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /** Runs (or continues) every run due in this process's shards; one tick at a time. */
  tick(): Promise<DecayRunResult[]> {
    return this.periodic.tick();
  }

  private get stopping(): boolean {
    return this.periodic.stopping;
  }

  private async runDue(): Promise<DecayRunResult[]> {
    const { core, clock, logger } = this.deps;
    const done: DecayRunResult[] = [];
    try {
      const today = utcDay(clock.wallNow());
      for (const due of await core.stores.decay.due(this.deps.shards(), today)) {
        if (this.stopping) break;
        try {
          const r = await this.runGuild(due.guildId, due.runDay, today);
          if (r) done.push(r);
          // A run left from an earlier day (the bot was down) is finished first; today's follows at once.
          const next = r && due.runDay !== null && due.runDay < today && !this.stopping ? await this.runGuild(due.guildId, null, today) : null;
          if (next) done.push(next);
        } catch (error) {
          logger.warn({ err: error, guildId: due.guildId }, 'XP decay run failed; it continues at the next check');
        }
      }
    } catch (error) {
      logger.warn({ err: error }, 'could not look for due XP decay runs; the next check retries');
    }
    return done;
  }

  /** Continues the run of `runDay`, or claims and runs today's. Null when there is nothing to do here now. */
  private async runGuild(guildId: string, runDay: number | null, today: number): Promise<DecayRunResult | null> {
    const { core, clock, logger } = this.deps;
    const exempt = await exemptSet(core, this.deps.exemptMembers, guildId);
    if (exempt === null) return null; // the member list is not here (yet): decaying now could decay an exempt member
    const day = runDay ?? today;
    if (runDay === null && !(await core.writer.decay.claim(guildId, day, clock.wallNow()))) return null;
    // Members' last days of earning are what the flush wrote: write what is buffered first.
    await core.flusher.flushForReads(0);
    const state = await core.stores.decay.run(guildId);
    if (!state || state.runDay !== day) return null; // turned off (or reset) meanwhile
    const doneDay = state.doneDay ?? day - 1;
    let cursor = state.cursor;
    for (;;) {
      if (this.stopping) return null;
      const rules = await core.engine.rules(guildId);
      const s = rules.settings;
      if (!s.decayEnabled) return null;
      const members = await core.stores.decay.members(guildId, cursor, this.chunk);
      if (members.length === 0) break;
      const busy = new Set((await core.engine.unwrittenTotals(guildId)).keys());
      const policy = policyOf(s);
      const ctx = contextOf(rules, policy, exempt, s.decaySinceDay ?? day, busy);
      const floorXp = floorXpOf(policy, s.curve);
      const roles = new RoleChangeCache(ctx);
      const changes = members.flatMap((m) => decayChange(m, ctx, doneDay, day, floorXp, roles) ?? []);
      const ids = changes.map((c) => c.userId);
      const last = members[members.length - 1]!.userId;
      core.engine.storedChanged(guildId, ids);
      const applied = await core.writer.decay.applyChunk(guildId, day, cursor, last, changes, clock.wallNow());
      core.engine.storedChanged(guildId, ids);
      if (applied === null) {
        // Another hand moved the run (a second tick of another process): go on from where it is.
        const now = await core.stores.decay.run(guildId);
        if (!now || now.runDay !== day) return null;
        cursor = now.cursor;
        continue;
      }
      const decayed = new Set(applied);
      if (changes.some((c) => decayed.has(c.userId) && c.roles.add.length + c.roles.remove.length > 0)) this.deps.rolesQueued();
      cursor = last;
    }
    await core.writer.decay.finish(guildId, day, clock.wallNow());
    const final = await core.stores.decay.run(guildId);
    const result = { guildId, day, decayed: final?.decayed ?? 0, xpLost: final?.xpLost ?? 0 };
    if (result.decayed > 0) logger.info(result, 'XP decay applied');
    return result;
  }
}

export interface PreviewOptions {
  /** The policy to preview (default: the saved one). */
  policy?: DecayPolicy;
  /** Members read per chunk; the event loop runs between chunks. Default 5 000. */
  chunk?: number;
  /** Lines kept for the list. Default 100. */
  top?: number;
}

/**
 * The next four weeks of decay in a server, from its stored totals and last days of earning, as the daily runs would
 * do them if nobody earned XP meanwhile. Works whether or not decay is on. Members are read in chunks and the event
 * loop gets a turn between them, so the bot keeps answering while a huge server is previewed.
 */
export async function previewDecay(core: XpCore, exemptMembers: ExemptMembers, guildId: string, today: number, options: PreviewOptions = {}): Promise<DecayPreview | null> {
  const exempt = await exemptSet(core, exemptMembers, guildId);
  if (exempt === null) return null;
  await core.flusher.flushForReads();
  const rules = await core.engine.rules(guildId);
  const s = rules.settings;
  const run = s.decayEnabled ? await core.stores.decay.run(guildId) : null;
  // Before the policy is on, it would start today: no catch-up, and rows with no last day of earning count from today.
  const doneDay = run?.doneDay ?? today - 1;
  const sinceDay = s.decayEnabled ? (s.decaySinceDay ?? today) : today;
  const policy = options.policy ?? policyOf(s);
  // Members with unwritten XP are earning now: the job would leave them, and so does the preview.
  const busy = new Set((await core.engine.unwrittenTotals(guildId)).keys());
  const previewer = new DecayPreviewer(contextOf(rules, policy, exempt, sinceDay, busy), today, doneDay, options.top);
  const chunk = options.chunk ?? 5000;
  // A run under way today has done the members up to its cursor: theirs count from its day.
  const under = run?.runDay !== null && run?.runDay !== undefined ? { day: run.runDay, through: BigInt(run.cursor) } : null;
  let cursor = '0';
  for (;;) {
    const members = await core.stores.decay.members(guildId, cursor, chunk);
    for (const m of members) previewer.add(m, under && BigInt(m.userId) <= under.through ? under.day : doneDay);
    if (members.length < chunk) break;
    cursor = members[members.length - 1]!.userId;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return previewer.done();
}
