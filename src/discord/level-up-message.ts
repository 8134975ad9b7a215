/**
 * One level-up's message, built the same way for the real announcement and for `levelup preview` (DESIGN §2.4.3):
 * the text of that level (its own, or the server's), its placeholders (the rank only when a template asks for it, since it needs a read),
 * the reward line, and the plain-text or embed form.
 */
import type { AppContext } from '../app.js';
import type { LevelUpEffect } from '../engine/ports.js';
import { buildLevelUpMessage, levelUpText, nextRewardText, placeholderValues, rewardFooter, usesPlaceholder } from './announcement.js';
import { memberLevel } from './commands/level/level-info.js';
import type { ReplyPayload } from './commands/types.js';

export interface LevelUpAudience {
  guildName: string;
  roleName(id: string): string;
  displayName: string;
  avatarUrl: string | null;
  /** The message goes to the member's DMs (the server's name is added). */
  dm: boolean;
}

export async function levelUpMessage(app: AppContext, e: LevelUpEffect, to: LevelUpAudience): Promise<ReplyPayload> {
  const rules = await app.core.engine.rules(e.guildId);
  const s = rules.settings;
  const text = levelUpText(rules, e.oldLevel, e.newLevel);
  const templates = s.announceStyle === 'embed' ? [text, s.announceTitle, s.announceFooter] : [text];
  const rank = usesPlaceholder(templates, '{rank}') ? (await memberLevel(app, e.guildId, e.userId)).rank : null;
  const values = placeholderValues({ effect: e, displayName: to.displayName, guildName: to.guildName, rank, nextReward: nextRewardText(rules, e.newLevel, to.roleName, app.currency.emoji) });
  return buildLevelUpMessage({
    settings: s,
    text,
    values,
    rewards: rewardFooter(e, to.roleName, app.currency.emoji),
    dmGuildName: to.dm ? to.guildName : null,
    avatarUrl: to.avatarUrl,
    image: null,
  });
}
