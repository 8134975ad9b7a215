/**
 * The re-levelling after a curve change (DESIGN §2.4.2), a pass over the server's members (DESIGN §2.7.1): each
 * member whose level differs between the old and the new curve goes through the engine's normal level-change path —
 * a level-up pays the levels above the rewarded-level mark (never twice), a level-down takes no currency back, reward
 * roles follow through the role-change queue — without an announcement. A chunk done twice (a restart between the
 * level changes and the cursor) changes nothing more: the mark pays once and queued roles replace each other.
 */
import type { AppContext } from '../app.js';
import { levelFromXp, type LevelCurve } from '../levels/curve.js';
import { addCounts, type GuildJob, type GuildJobCounts } from '../storage/guild-jobs.js';
import type { ProgressSink } from './progress.js';
import type { PassRunner } from './passes.js';

/** What a re-levelling job stores: the curve before and after the change. */
export interface RelevelData {
  today: LevelCurve;
  next: LevelCurve;
}

/** The largest snowflake: the end of the id range a chunk reads. */
const LAST_ID = '9223372036854775807';

export class Relevel implements PassRunner {
  readonly kind = 'relevel';
  readonly failed = '⚠️ Re-levelling stopped on an error; it continues from where it was when the bot restarts.';

  constructor(
    private readonly app: Pick<AppContext, 'core' | 'clock' | 'passes'>,
    /** Members per chunk. */
    private readonly chunk: number,
  ) {}

  async start(guildId: string, data: RelevelData, channelId: string, startedBy: string, sink: ProgressSink): Promise<{ started: boolean; job: GuildJob | null }> {
    const total = await this.app.core.reads.memberCount(guildId);
    return this.app.passes.start({ guildId, kind: 'relevel', total, channelId, startedBy, startedAt: this.app.clock.wallNow(), data }, sink);
  }

  async run(job: GuildJob, sink: ProgressSink, stopping: () => boolean): Promise<void> {
    const { guildId } = job;
    const { today, next } = job.data as RelevelData;
    const { engine, reads, writer, flusher } = this.app.core;
    // Every member with XP has a stored row once the buffer is written: the rows are the list of members.
    await flusher.flushForReads();
    const counts: GuildJobCounts = { checked: job.checked, changed: job.changed, queued: 0 };
    await sink.update(progressText(counts, job.total), true);
    let cursor = job.cursor;
    for (;;) {
      if (stopping()) return;
      const rows = await reads.xpRange(guildId, cursor, LAST_ID, this.chunk);
      if (rows.length === 0) break;
      const unwritten = await engine.unwrittenTotals(guildId);
      const delta: GuildJobCounts = { checked: 0, changed: 0, queued: 0 };
      for (const r of rows) {
        if (r.hasLeft) continue; // their level follows the curve when they come back
        delta.checked++;
        const xp = unwritten.get(r.userId) ?? r.xp;
        const from = levelFromXp(xp, today);
        const to = levelFromXp(xp, next);
        if (from === to) continue;
        await engine.relevel(guildId, r.userId, from, to, xp);
        delta.changed++;
      }
      // The chunk's payments and queued roles are written before the cursor passes it.
      await engine.idle();
      cursor = rows[rows.length - 1]!.userId;
      await writer.jobs.advance(guildId, 'relevel', cursor, job.total, delta, [], 'level', this.app.clock.wallNow());
      addCounts(counts, delta);
      await sink.update(progressText(counts, job.total));
    }
    await writer.jobs.finish(guildId, 'relevel');
    await sink.update(`✅ Re-levelled: ${n(counts.checked)} members checked, ${n(counts.changed)} changed level. Reward roles follow through the role queue; no currency was taken back.`, true);
  }
}

const n = (v: number) => v.toLocaleString('en-US');

function progressText(c: GuildJobCounts, total: number): string {
  return `🔄 Re-levelling members on the new curve: ${n(c.checked)} / ${n(total)} checked · ${n(c.changed)} changed level`;
}
