/** A member's level, progress and rank, with unflushed gains included (the card and the embed both show it). */
import type { AppContext } from '../../../app.js';
import { levelStats, type LevelStats } from '../../../levels/curve.js';

export interface MemberLevel extends LevelStats {
  rank: number;
}

export async function memberLevel(app: AppContext, guildId: string, userId: string): Promise<MemberLevel> {
  // Write buffered XP first (unless a flush just ran) so the rank compares against everyone; the member's own
  // total comes from the engine, which includes anything still buffered.
  await app.core.flusher.flushForReads();
  const xp = (await app.core.engine.xpOf(guildId, userId));
  const stats = levelStats(xp, (await app.core.engine.rules(guildId)).settings.curve);
  return { ...stats, rank: await app.core.reads.rank(guildId, userId, xp, (await app.core.engine.unwrittenTotals(guildId))) };
}

export function formatNumber(n: number): string {
  return n.toLocaleString('en-US');
}
