/** The level-up announcement: template filling and the reward footer. Plain functions, no discord.js. */
import type { LevelUpEffect } from '../engine/ports.js';

export const TEMPLATE_PLACEHOLDERS = ['{user}', '{username}', '{level}', '{oldlevel}', '{xp}', '{guild}'] as const;

export const DEFAULT_TEMPLATE = '🎉 {user} reached level **{level}**!';

export interface AnnouncementInput {
  effect: LevelUpEffect;
  template: string | null;
  displayName: string;
  guildName: string;
  currencyEmoji: string;
}

export function fillTemplate(input: AnnouncementInput): string {
  const e = input.effect;
  const values: Record<string, string> = {
    '{user}': `<@${e.userId}>`,
    '{username}': input.displayName,
    '{level}': e.newLevel.toLocaleString('en-US'),
    '{oldlevel}': e.oldLevel.toLocaleString('en-US'),
    '{xp}': e.totalXp.toLocaleString('en-US'),
    '{guild}': input.guildName,
  };
  return (input.template ?? DEFAULT_TEMPLATE).replace(/\{(user|username|level|oldlevel|xp|guild)\}/g, (m) => values[m] ?? m);
}

/** "Roles gained / removed / currency" line under the announcement, or null when the level-up gave nothing. */
export function rewardFooter(e: LevelUpEffect, roleName: (id: string) => string, currencyEmoji: string): string | null {
  const parts: string[] = [];
  if (e.rolesToAdd.length) parts.push(`Roles gained: ${e.rolesToAdd.map(roleName).join(', ')}`);
  if (e.rolesToRemove.length) parts.push(`Roles removed: ${e.rolesToRemove.map(roleName).join(', ')}`);
  if (e.currencyPaid) parts.push(`+${e.currencyPaid.toLocaleString('en-US')} ${currencyEmoji}`);
  return parts.length ? parts.join(' · ') : null;
}
