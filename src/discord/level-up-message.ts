/**
 * One level-up's message, built the same way for the real announcement and for `levelup preview` (DESIGN §2.4.3):
 * the text of that level (its own, or the server's), its placeholders (the rank only when a template or the card
 * asks for it, since it needs a read), the reward line, the plain-text or embed form, and the level-up card when
 * the server turned it on (DESIGN §4.1).
 */
import type { AppContext } from '../app.js';
import type { LevelUpEffect } from '../engine/ports.js';
import { levelStats } from '../levels/curve.js';
import { buildLevelUpMessage, levelUpText, nextRewardText, placeholderValues, rewardFooter, usesPlaceholder } from './announcement.js';
import { memberLevel } from './commands/level/level-info.js';
import type { ReplyFile, ReplyPayload, ResolvedUser } from './commands/types.js';
import { memberCardRequest } from './member-card.js';

export interface LevelUpAudience {
  guildName: string;
  roleName(id: string): string;
  /** The member who levelled up; null when Discord no longer knows them (no name, no avatar, no card). */
  user: ResolvedUser | null;
  /** The message goes to the member's DMs (the server's name is added). */
  dm: boolean;
}

export async function levelUpMessage(app: AppContext, e: LevelUpEffect, to: LevelUpAudience): Promise<ReplyPayload> {
  const rules = await app.core.engine.rules(e.guildId);
  const s = rules.settings;
  const text = levelUpText(rules, e.oldLevel, e.newLevel);
  const templates = s.announceStyle === 'embed' ? [text, s.announceTitle, s.announceFooter] : [text];
  const wantsCard = s.announceCard && app.cards !== null && to.user !== null;
  const rank = usesPlaceholder(templates, '{rank}') || wantsCard ? (await memberLevel(app, e.guildId, e.userId)).rank : null;
  const card = wantsCard ? await levelUpCard(app, e, to.user!, rank!) : null;
  const values = placeholderValues({ effect: e, displayName: to.user?.displayName ?? 'Someone', guildName: to.guildName, rank, nextReward: nextRewardText(rules, e.newLevel, to.roleName, app.currency.emoji) });
  const message = buildLevelUpMessage({
    settings: s,
    text,
    values,
    rewards: rewardFooter(e, to.roleName, app.currency.emoji),
    dmGuildName: to.dm ? to.guildName : null,
    avatarUrl: to.user?.avatarUrl ?? null,
    image: card?.name ?? null,
  });
  return card ? { ...message, files: [card] } : message;
}

/**
 * The member's card at the level reached, under the template's "level up" banner, drawn in the card worker pool.
 * Null when it cannot be drawn (pool busy, a timeout, a broken background): the message goes without it.
 */
async function levelUpCard(app: AppContext, e: LevelUpEffect, user: ResolvedUser, rank: number): Promise<ReplyFile | null> {
  const info = { ...levelStats(e.totalXp, (await app.core.engine.rules(e.guildId)).settings.curve), rank };
  try {
    const card = await app.cards!.render(await memberCardRequest(app, e.guildId, user, info, { levelUp: { oldLevel: e.oldLevel } }));
    return card ? { name: `levelup.${card.format}`, data: card.bytes } : null;
  } catch (error) {
    app.logger.warn({ err: error, guildId: e.guildId, userId: e.userId }, 'level-up card failed; the message goes without it');
    return null;
  }
}
