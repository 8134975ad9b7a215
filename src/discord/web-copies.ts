/**
 * Keeps the web pages' copy of what Discord shows (DESIGN §14.2): members' display names and avatars as they
 * speak, and a server's name, icon and role colours as they change. A page never asks Discord: a public page
 * answering thousands of visitors must not spend the bot's rate limits.
 *
 * Profiles are written only when they change, in one batch per interval: the last written look of recently seen
 * members is remembered (bounded), so a chatty member costs a map lookup per message, not a write.
 */
import type { Client, Guild } from 'discord.js';
import { LRUCache } from 'lru-cache';
import type { Writer } from '../storage/write-modules.js';
import type { GuildCopy, ProfileRow } from '../storage/web-writes.js';
import type { Clock, Scheduler } from '../util/clock.js';
import type { Logger } from '../util/logger.js';

export function guildCopy(guild: Guild): GuildCopy {
  return {
    name: guild.name,
    iconUrl: guild.iconURL({ size: 128, extension: 'png' }),
    roles: guild.roles.cache.filter((r) => r.id !== guild.id).map((r) => ({ id: r.id, name: r.name, color: r.color })),
  };
}

/** Profiles per write when a page is turned on: one transaction each, so a huge server does not hold the writer long. */
const BACKFILL_CHUNK = 1000;

const lookOf = (row: Pick<ProfileRow, 'name' | 'avatarUrl'>) => `${row.name}\n${row.avatarUrl ?? ''}`;

export class WebCopies {
  // Entries expire after an hour, so a profile erased since (privacy delete) is written again when the member
  // next speaks, rather than only when their look changes.
  private readonly written = new LRUCache<string, string>({ max: 50_000, ttl: 3_600_000 });
  private pending = new Map<string, ProfileRow>();
  private timer: { cancel(): void } | null = null;

  constructor(
    private readonly client: Client,
    private readonly writer: Writer,
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
    private readonly logger: Logger,
    private readonly intervalMs = 30_000,
  ) {}

  start(): void {
    this.timer ??= this.scheduler.every(this.intervalMs, () => this.flush());
  }

  /**
   * A member was seen (a message): remembered for the next write when their name or avatar changed. Storage writes
   * it only for a server whose page is on (a server without one keeps no names).
   */
  seen(row: Omit<ProfileRow, 'seenAt'>): void {
    const key = `${row.guildId}:${row.userId}`;
    const look = lookOf(row);
    if (this.written.get(key) === look) return;
    this.written.set(key, look);
    this.pending.set(key, { ...row, seenAt: this.clock.wallNow() });
  }

  /**
   * A server's page was turned on: writes how every member the gateway gave us looks, so the page has names before
   * they speak again. Returns how many were written.
   */
  async backfill(guildId: string): Promise<number> {
    const guild = this.client.guilds.cache.get(guildId);
    if (!guild) return 0;
    const now = this.clock.wallNow();
    const rows: ProfileRow[] = guild.members.cache
      .filter((m) => !m.user.bot)
      .map((m) => ({ guildId, userId: m.id, name: m.displayName, avatarUrl: m.displayAvatarURL({ size: 64, extension: 'png' }), seenAt: now }));
    for (let i = 0; i < rows.length; i += BACKFILL_CHUNK) await this.writer.web.saveProfiles(rows.slice(i, i + BACKFILL_CHUNK), now);
    for (const r of rows) this.written.set(`${guildId}:${r.userId}`, lookOf(r));
    return rows.length;
  }

  /** Writes the changed profiles; a failed write keeps them for the next attempt. */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.writer.web.saveProfiles([...batch.values()], this.clock.wallNow());
    } catch (error) {
      for (const [key, row] of batch) if (!this.pending.has(key)) this.pending.set(key, row);
      this.logger.warn({ err: error, profiles: batch.size }, 'could not save member profiles for the web pages; retrying later');
    }
  }

  /** Refreshes a server's copy (only servers that have a web page keep one). */
  async refreshGuild(guildId: string): Promise<void> {
    const guild = this.client.guilds.cache.get(guildId);
    if (!guild) return;
    await this.writer.web.saveGuild(guildId, guildCopy(guild), this.clock.wallNow()).catch((error: unknown) => this.logger.warn({ err: error, guildId }, 'could not refresh the web copy of a server'));
  }

  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    await this.flush();
  }
}
