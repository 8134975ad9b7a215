/**
 * The baseline the hot-path bench compares against: the same message steps written the obvious way, with
 * `${guild}:${user}` string keys in lru-cache and Maps (what the Python original and most ports do).
 */
import { LRUCache } from 'lru-cache';
import { levelStats } from '../src/levels/curve.js';
import type { MessageEvent } from '../src/engine/events.js';
import type { GuildRules } from '../src/engine/settings.js';
import { multiplyHalfUp } from '../src/engine/multiplier.js';

interface Cached {
  xp: number;
  level: number;
  nextLevelAt: number;
}

export class NaiveEngine {
  private readonly cooldowns = new Map<string, number>();
  private readonly cache = new LRUCache<string, Cached>({ max: 5000 });
  readonly buffer = new Map<string, number>();
  levelUps = 0;

  constructor(
    private readonly rules: (guildId: string) => GuildRules,
    private readonly storedXp: (guildId: string, userId: string) => number,
    private readonly now: () => number,
  ) {}

  handleMessage(ev: MessageEvent): boolean {
    if (ev.guildId === null || ev.isBot || ev.isWebhookOrSystem || ev.isCommand) return false;
    const rules = this.rules(ev.guildId);
    if (!rules.settings.xpEnabled) return false;
    if (rules.excludedChannels.has(ev.channelId) || (ev.parentId && rules.excludedChannels.has(ev.parentId))) return false;
    if (rules.excludedUsers.has(ev.userId) || ev.roleIds.some((r) => rules.excludedRoles.has(r))) return false;
    const key = `${ev.guildId}:${ev.userId}`;
    const now = this.now();
    const until = this.cooldowns.get(key);
    if (until !== undefined && now < until) return false;
    const amount = multiplyHalfUp(rules.settings.xpPerMessage, rules.settings.rateMilli);
    if (amount <= 0) return false;
    let c = this.cache.get(key);
    if (!c) {
      const xp = this.storedXp(ev.guildId, ev.userId) + (this.buffer.get(key) ?? 0);
      const s = levelStats(xp, rules.settings.curve);
      c = { xp, level: s.level, nextLevelAt: s.nextLevelAt };
      this.cache.set(key, c);
    }
    c.xp += amount;
    this.buffer.set(key, (this.buffer.get(key) ?? 0) + amount);
    this.cooldowns.set(key, now + rules.settings.cooldownSeconds * 1000);
    if (c.xp >= c.nextLevelAt) {
      const s = levelStats(c.xp, rules.settings.curve);
      c.level = s.level;
      c.nextLevelAt = s.nextLevelAt;
      this.levelUps++;
    }
    return true;
  }
}
