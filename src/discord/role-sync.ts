/**
 * `rewards sync` (DESIGN §2.7.1): brings members' reward roles in line with their levels. It compares what each
 * member should hold (`roleSyncChanges`) with the roles Discord says they hold, and queues only the roles that differ
 * in the role-change queue (DESIGN §2.7), which applies them one role per call within Discord's rate limits. A member
 * whose roles match costs no call at all. Currency is never touched.
 *
 * A sync of everyone walks the members in id order, in chunks; each chunk's queued changes and the cursor past it are
 * one transaction (`GuildJob`), so after a restart the sync continues after the last chunk written and posts a new
 * progress message in the channel it was started from.
 */
import type { Client, Collection, Guild, GuildMember } from 'discord.js';
import type { AppContext } from '../app.js';
import { roleSyncChanges, type RoleChanges } from '../engine/rewards.js';
import type { GuildRules } from '../engine/settings.js';
import { levelFromXp } from '../levels/curve.js';
import { addCounts, type GuildJob, type GuildJobCounts, type MemberRoleChanges } from '../storage/guild-jobs.js';
import type { ProgressSink } from './progress.js';
import type { PassRunner } from './passes.js';

export interface RoleSyncOptions {
  /** Members compared per chunk (one transaction and one progress edit each). Default 250. */
  chunk: number;
}

export const DEFAULT_ROLE_SYNC_OPTIONS: Readonly<RoleSyncOptions> = Object.freeze({ chunk: 250 });

export interface MemberSyncResult {
  queued: RoleChanges;
  /** What Discord confirmed now (the rest stays queued). */
  added: string[];
  removed: string[];
}

export class RoleSync implements PassRunner {
  readonly kind = 'rolesync';
  readonly failed = '⚠️ The role sync stopped on an error; it continues from where it was when the bot restarts.';
  readonly options: RoleSyncOptions;

  constructor(
    private readonly client: Client,
    private readonly app: Pick<AppContext, 'core' | 'clock' | 'logger' | 'roleQueue' | 'passes'>,
    options: Partial<RoleSyncOptions> = {},
  ) {
    this.options = { ...DEFAULT_ROLE_SYNC_OPTIONS, ...options };
  }

  /** One member now: queue what differs and apply it at once. Null when they are not in the server. */
  async member(guildId: string, userId: string): Promise<MemberSyncResult | null> {
    const guild = this.client.guilds.cache.get(guildId);
    const member = guild ? await guild.members.fetch(userId).catch(() => null) : null;
    if (!member) return null;
    const queued = this.changesFor(await this.app.core.engine.rules(guildId), member, await this.app.core.engine.xpOf(guildId, userId));
    if (queued.add.length + queued.remove.length === 0) return { queued, added: [], removed: [] };
    await this.app.core.writer.roles.queue(guildId, userId, queued, 'sync', this.app.clock.wallNow());
    const landed = await this.app.roleQueue.applyMemberNow(guildId, userId);
    return { queued, ...landed };
  }

  /** Starts a sync of every member, or answers with the one already running. */
  startAll(guildId: string, channelId: string, startedBy: string, sink: ProgressSink): Promise<{ started: boolean; job: GuildJob | null }> {
    return this.app.passes.start({ guildId, kind: 'rolesync', total: 0, channelId, startedBy, startedAt: this.app.clock.wallNow(), data: null }, sink);
  }

  async run(job: GuildJob, sink: ProgressSink, stopping: () => boolean): Promise<void> {
    const { guildId } = job;
    const writer = this.app.core.writer.jobs;
    if (job.checked === 0) await sink.update('🔄 Syncing reward roles: reading the member list…', true);
    const guild = this.client.guilds.cache.get(guildId);
    if (!guild) {
      await writer.finish(guildId, 'rolesync');
      return;
    }
    const ids = humanIdsAfter(await fetchMembers(guild), job.cursor);
    const members = guild.members.cache;
    const total = job.checked + ids.length;
    const counts: GuildJobCounts = { checked: job.checked, changed: job.changed, queued: job.queued };
    let cursor = job.cursor;
    await sink.update(progressText(counts, total, job.checked > 0), job.checked > 0);
    for (let i = 0; i < ids.length; i += this.options.chunk) {
      if (stopping()) return;
      const chunk = ids.slice(i, i + this.options.chunk);
      const last = chunk[chunk.length - 1]!;
      const stored = new Map((await this.app.core.reads.xpRange(guildId, cursor, last, chunk.length + 1)).map((r) => [r.userId, r.xp]));
      const unwritten = await this.app.core.engine.unwrittenTotals(guildId);
      const rules = await this.app.core.engine.rules(guildId);
      const changes: MemberRoleChanges[] = [];
      const delta: GuildJobCounts = { checked: chunk.length, changed: 0, queued: 0 };
      for (const id of chunk) {
        const member = members.get(id);
        if (!member) continue; // left since the list was fetched
        const roles = this.changesFor(rules, member, unwritten.get(id) ?? stored.get(id) ?? 0);
        const n = roles.add.length + roles.remove.length;
        if (n === 0) continue;
        changes.push({ userId: id, roles });
        delta.changed++;
        delta.queued += n;
      }
      await writer.advance(guildId, 'rolesync', last, total, delta, changes, 'sync', this.app.clock.wallNow());
      cursor = last;
      addCounts(counts, delta);
      if (changes.length > 0) this.app.roleQueue.kick();
      if (i + chunk.length < ids.length) await sink.update(progressText(counts, total, false));
    }
    await writer.finish(guildId, 'rolesync');
    await sink.update(doneText(counts), true);
  }

  private changesFor(rules: GuildRules, member: GuildMember, xp: number): RoleChanges {
    const level = levelFromXp(xp, rules.settings.curve);
    return roleSyncChanges(rules.roleRewards, level, rules.settings.rewardMode, new Set(member.roles.cache.keys()));
  }
}
/** Every member, from Discord (the cache may hold only some of a large server). */
async function fetchMembers(guild: Guild): Promise<Collection<string, GuildMember>> {
  return guild.members.cache.size >= guild.memberCount ? guild.members.cache : guild.members.fetch();
}

/** Ids of the members who are not bots, above `cursor`, in id order (the order the cursor follows). */
function humanIdsAfter(members: Collection<string, GuildMember>, cursor: string): string[] {
  const after = BigInt(cursor);
  return members
    .filter((m) => !m.user.bot && BigInt(m.id) > after)
    .map((m) => m.id)
    .sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
}

const n = (v: number) => v.toLocaleString('en-US');

function progressText(c: GuildJobCounts, total: number, resumed: boolean): string {
  return `🔄 ${resumed ? 'Continuing the' : 'Syncing'} reward roles: ${n(c.checked)} / ${n(total)} members checked · ${n(c.changed)} out of line · ${n(c.queued)} role changes queued`;
}

function doneText(c: GuildJobCounts): string {
  if (c.changed === 0) return `✅ Reward roles synced: all ${n(c.checked)} members already had the right roles.`;
  return (
    `✅ Reward roles synced: ${n(c.checked)} members checked, ${n(c.changed)} were out of line; ${n(c.queued)} role changes queued. ` +
    'They are applied one role at a time within Discord\'s rate limits; `rewards roles` lists any that wait.'
  );
}
