/**
 * Passes over a whole server that survive restarts (DESIGN §2.7.1): a role sync, a re-levelling after a curve
 * change. Each kind says how to run (or continue) its pass from a stored `GuildJob`; this class starts them (one per
 * guild and kind at a time), continues the unfinished ones after a restart, and stops them between chunks at
 * shutdown.
 */
import type { Client } from 'discord.js';
import type { AppContext } from '../app.js';
import type { GuildJob, GuildJobKind, GuildJobReads, NewGuildJob } from '../storage/guild-jobs.js';
import type { ShardFilter } from '../storage/role-queue.js';
import type { Port } from '../storage/ports.js';
import { ProgressMessage, type ProgressSink } from './progress.js';

export interface PassRunner {
  kind: GuildJobKind;
  /** Runs the pass of `job` from its cursor; returns early (the job stays stored) once `stopping()` is true. */
  run(job: GuildJob, sink: ProgressSink, stopping: () => boolean): Promise<void>;
  /** The line shown when the pass failed (it continues at the next start). */
  failed: string;
}

export class GuildPasses {
  readonly reads: Port<GuildJobReads>;
  private readonly runners = new Map<GuildJobKind, PassRunner>();
  private readonly running = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(
    private readonly client: Client,
    private readonly app: Pick<AppContext, 'core' | 'clock' | 'logger'>,
  ) {
    this.reads = app.core.stores.jobs;
  }

  add(runner: PassRunner): void {
    this.runners.set(runner.kind, runner);
  }

  /**
   * Starts a pass (progress goes to `sink`). Returns the pass already running instead when there is one: a second
   * start never runs the server twice.
   */
  async start(job: NewGuildJob, sink: ProgressSink): Promise<{ started: boolean; job: GuildJob | null }> {
    const started = await this.app.core.writer.jobs.start(job);
    const stored = await this.reads.get(job.guildId, job.kind);
    if (!started || !stored) return { started: false, job: stored };
    this.launch(stored, sink);
    return { started: true, job: stored };
  }

  /** A progress message of the bot's own in a channel. */
  channelProgress(channelId: string): ProgressMessage {
    return new ProgressMessage(this.client, channelId, this.app.clock, this.app.logger);
  }

  /** After login: continues the passes a stopped process left unfinished, each with a new progress message. */
  async resume(shards: ShardFilter): Promise<void> {
    this.stopping = false;
    for (const job of await this.reads.unfinished(shards)) {
      if (!this.running.has(key(job)) && this.runners.has(job.kind)) this.launch(job, this.channelProgress(job.channelId));
    }
  }

  /** Stops after the chunk under way; what is not done stays stored for the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.idle();
  }

  /** Resolves when no pass runs (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  private launch(job: GuildJob, sink: ProgressSink): void {
    const runner = this.runners.get(job.kind)!;
    const k = key(job);
    const run = runner
      .run(job, sink, () => this.stopping)
      .catch((error: unknown) => {
        this.app.logger.error({ err: error, guildId: job.guildId, kind: job.kind }, 'a pass over a server failed; it continues at the next start');
        return sink.update(runner.failed, true);
      })
      .catch(() => {})
      .finally(() => this.running.delete(k));
    this.running.set(k, run);
  }
}

function key(job: Pick<GuildJob, 'guildId' | 'kind'>): string {
  return `${job.guildId}:${job.kind}`;
}
