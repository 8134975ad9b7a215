/**
 * Applies the role-change queue (DESIGN §2.7) with one call per role — PUT or DELETE
 * /guilds/:guild/members/:member/roles/:role — never a whole-list member edit, which could undo a role another bot
 * or an admin changed at the same moment. Both calls are idempotent, so a retry after an unanswered call is safe.
 *
 * - Discord confirmed → the row is deleted.
 * - A passing failure (5xx, timeout, network) → retried with exponential backoff on the injected scheduler; the
 *   time is stored, so retries continue after a restart.
 * - Something an admin can fix (Manage Roles missing, the role not below the bot's highest role) → the row waits,
 *   without calling Discord (repeated 403s count against Discord's invalid-request limit); a role or permission
 *   change in the guild wakes it, and it is rechecked every `recheckMs` anyway.
 * - Something that can never succeed (role deleted, member gone, managed role) → dropped with the reason, which
 *   `rolerewards` shows to admins.
 * Changes for one (guild, member, role) run one at a time and a row replaced by a newer decision is skipped, so a
 * retry never undoes a later decision.
 */
import { DiscordAPIError, RESTJSONErrorCodes, type Client } from 'discord.js';
import type { AppContext } from '../app.js';
import type { RoleQueueReads, QueuedRoleChange, ShardFilter } from '../storage/role-queue.js';
import type { Port } from '../storage/ports.js';
import { isPromise } from '../engine/ports.js';
import { roleIssue } from './role-check.js';

export interface RoleQueueOptions {
  /** First retry delay after a passing failure; doubles per attempt up to `maxRetryMs`. Default 5 000. */
  retryBaseMs: number;
  /** Longest retry delay. Default 1 800 000 (30 min). */
  maxRetryMs: number;
  /** How often a waiting change is checked again when no role or permission change woke it. Default 600 000. */
  recheckMs: number;
  /** Rows read per pass. Default 50. */
  batch: number;
}

export const DEFAULT_ROLE_QUEUE_OPTIONS: Readonly<RoleQueueOptions> = Object.freeze({
  retryBaseMs: 5000,
  maxRetryMs: 1_800_000,
  recheckMs: 600_000,
  batch: 50,
});

type Outcome = { kind: 'done'; changed: boolean } | { kind: 'retry' | 'waiting' | 'dropped' | 'stale' };

/** Discord errors that mean the change can never succeed, with the reason admins see. */
const PERMANENT: ReadonlyMap<number, string> = new Map([
  [RESTJSONErrorCodes.UnknownRole, 'the role no longer exists'],
  [RESTJSONErrorCodes.UnknownMember, 'the member is no longer in the server'],
  [RESTJSONErrorCodes.UnknownUser, 'the member is no longer in the server'],
  [RESTJSONErrorCodes.UnknownGuild, 'I am no longer in this server'],
]);

/** Discord errors an admin can fix. */
const FIXABLE: ReadonlySet<number> = new Set([RESTJSONErrorCodes.MissingPermissions, RESTJSONErrorCodes.MissingAccess]);

export class RoleQueueWorker {
  readonly options: RoleQueueOptions;
  readonly reads: Port<RoleQueueReads>;
  private timer: { cancel(): void } | null = null;
  private pumping: Promise<void> | null = null;
  private again = false;
  private running = false;
  /** The last attempt per `${guild}:${member}:${role}`: attempts for one key run in order. */
  private readonly inflight = new Map<string, Promise<Outcome>>();

  constructor(
    private readonly client: Client,
    private readonly app: Pick<AppContext, 'core' | 'clock' | 'scheduler' | 'logger'>,
    options: Partial<RoleQueueOptions> = {},
  ) {
    this.options = { ...DEFAULT_ROLE_QUEUE_OPTIONS, ...options };
    this.reads = app.core.stores.roles;
  }

  /** After login: applies what is due (changes left by an earlier run included) and keeps a timer for the rest. */
  start(): void {
    this.running = true;
    this.kick();
  }

  /** Stops the timer and waits for the attempts under way; unconfirmed rows stay queued for the next start. */
  async stop(): Promise<void> {
    this.running = false;
    this.timer?.cancel();
    this.timer = null;
    await this.idle();
  }

  /** Resolves when no pass and no attempt is under way (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pumping || this.inflight.size > 0) {
      await this.pumping;
      await Promise.allSettled([...this.inflight.values()]);
    }
  }

  /** Runs a pass now (or right after the one under way). */
  kick(): void {
    if (!this.running) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = this.pump()
      .catch((error: unknown) => this.app.logger.error({ err: error }, 'role queue pass failed'))
      .finally(() => {
        this.pumping = null;
        if (this.again) this.kick();
        else this.arm();
      });
  }

  /**
   * Applies a member's pending changes now (a level change or rejoin just queued them). Returns the roles that
   * Discord confirmed and that the member did not already have (added) or still had (removed), for the
   * announcement. What did not land stays queued.
   */
  async applyMemberNow(guildId: string, userId: string): Promise<{ added: string[]; removed: string[] }> {
    const rows = await this.reads.pendingFor(guildId, userId);
    const outcomes = await Promise.all(rows.map((r) => this.process(r)));
    const added: string[] = [];
    const removed: string[] = [];
    rows.forEach((r, i) => {
      const o = outcomes[i]!;
      if (o.kind === 'done' && o.changed) (r.action === 'add' ? added : removed).push(r.roleId);
    });
    this.kick(); // re-arms the timer for what failed
    return { added, removed };
  }

  /** Roles or permissions changed in a guild: its waiting changes are tried again now. */
  async wake(guildId: string): Promise<void> {
    const woken = await this.app.core.writer.roles.wake(guildId, this.app.clock.wallNow());
    if (woken > 0) this.kick();
  }

  private async pump(): Promise<void> {
    do {
      this.again = false;
      const seen = new Set<number>();
      for (;;) {
        const horizon = Math.max(this.options.maxRetryMs, this.options.recheckMs);
        const rows = (await this.reads.due(this.app.clock.wallNow(), horizon, this.shards(), this.options.batch)).filter((r) => !seen.has(r.id));
        // A row still due after its attempt could not be updated (the database failed): the timer retries it.
        if (rows.length === 0 || !this.running) break;
        for (const r of rows) seen.add(r.id);
        await Promise.all(rows.map((r) => this.process(r)));
      }
    } while (this.again && this.running);
  }

  /** The timer for the next due row. At least a second away, so a row that could not be updated is not spun on. */
  private arm(): void {
    this.timer?.cancel();
    this.timer = null;
    if (!this.running) return;
    // SQLite answers at once, so the timer exists when this returns; PostgreSQL sets it when the read arrives.
    const next = this.reads.nextDueAt(this.shards());
    if (!isPromise(next)) return this.armAt(next);
    next.then(
      (at) => this.armAt(at),
      (error: unknown) => this.app.logger.warn({ err: error }, 'could not read when the next role change is due'),
    );
  }

  private armAt(next: number | null): void {
    if (next === null || !this.running) return;
    this.timer?.cancel();
    const delay = Math.min(this.options.maxRetryMs, Math.max(1000, next - this.app.clock.wallNow()));
    this.timer = this.app.scheduler.after(delay, () => {
      this.timer = null;
      this.kick();
    });
  }

  /** This process's shards (after login discord.js knows them); rows of other shards belong to other processes. */
  shards(): ShardFilter {
    const { shardCount, shards } = this.client.options;
    return { count: shardCount ?? 1, ids: Array.isArray(shards) ? shards : [0] };
  }

  private process(row: QueuedRoleChange): Promise<Outcome> {
    const key = `${row.guildId}:${row.userId}:${row.roleId}`;
    const previous = this.inflight.get(key);
    const next = (previous ?? Promise.resolve())
      .then(() => this.attempt(row.id))
      .catch((error: unknown): Outcome => {
        // The database failed to record the outcome: the row is still queued and is tried again later.
        this.app.logger.error({ err: error, guildId: row.guildId, roleId: row.roleId }, 'role queue could not record an attempt');
        return { kind: 'retry' };
      });
    this.inflight.set(key, next);
    void next.finally(() => {
      if (this.inflight.get(key) === next) this.inflight.delete(key);
    });
    return next;
  }

  private async attempt(id: number): Promise<Outcome> {
    // Read again: a newer decision may have replaced the row, or an earlier attempt settled it.
    const row = await this.reads.byId(id);
    if (!row || row.state === 'dropped') return { kind: 'stale' };
    const writer = this.app.core.writer.roles;
    const now = this.app.clock.wallNow();
    const guild = this.client.guilds.cache.get(row.guildId);
    if (!guild) return this.drop(row, 'I am no longer in this server');
    if (!guild.available) return this.retry(row, 'the server is unavailable (a Discord outage)');
    const issue = roleIssue(guild, row.roleId);
    if (issue?.permanent) return this.drop(row, issue.reason);
    if (issue) {
      if (row.state !== 'waiting') this.app.logger.warn({ guildId: row.guildId, roleId: row.roleId, problem: issue.reason }, `role change waits: ${issue.reason}`);
      await writer.wait(row.id, issue.reason, now + this.options.recheckMs, now);
      return { kind: 'waiting' };
    }
    const hadRole = guild.members.cache.get(row.userId)?.roles.cache.has(row.roleId);
    try {
      const call = { user: row.userId, role: row.roleId, reason: row.cause === 'season' ? 'Unicornia season winner role' : `Unicornia level reward (${row.cause})` };
      if (row.action === 'add') await guild.members.addRole(call);
      else await guild.members.removeRole(call);
    } catch (error) {
      if (error instanceof DiscordAPIError && typeof error.code === 'number') {
        const permanent = PERMANENT.get(error.code);
        if (permanent) return this.drop(row, permanent);
        if (FIXABLE.has(error.code)) {
          const reason = `Discord refused (${error.message}): check that I have Manage Roles and that my role is above it`;
          await writer.wait(row.id, reason, now + this.options.recheckMs, now);
          return { kind: 'waiting' };
        }
        if (error.status >= 400 && error.status < 500) return this.drop(row, `Discord refused the change: ${error.message}`);
      }
      return this.retry(row, error instanceof Error ? error.message : String(error));
    }
    await writer.done(row.id, this.app.clock.wallNow());
    return { kind: 'done', changed: row.action === 'add' ? hadRole !== true : hadRole !== false };
  }

  private async retry(row: QueuedRoleChange, reason: string): Promise<Outcome> {
    const delay = Math.min(this.options.maxRetryMs, this.options.retryBaseMs * 2 ** row.attempts);
    const now = this.app.clock.wallNow();
    if (row.attempts === 0) this.app.logger.warn({ guildId: row.guildId, userId: row.userId, roleId: row.roleId, reason }, 'role change failed; it is retried');
    await this.app.core.writer.roles.retry(row.id, now + delay, reason, now);
    return { kind: 'retry' };
  }

  private async drop(row: QueuedRoleChange, reason: string): Promise<Outcome> {
    this.app.logger.warn({ guildId: row.guildId, userId: row.userId, roleId: row.roleId, reason }, `role change dropped: ${reason}`);
    await this.app.core.writer.roles.drop(row.id, row.guildId, reason, this.app.clock.wallNow());
    return { kind: 'dropped' };
  }
}
