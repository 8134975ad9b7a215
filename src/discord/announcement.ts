/** The level-up announcement: template filling and the reward footer. Plain functions, no discord.js. */
import type { LevelUpEffect } from '../engine/ports.js';
import { fitText, LIMITS } from './limits.js';

export const TEMPLATE_PLACEHOLDERS = ['{user}', '{username}', '{level}', '{oldlevel}', '{xp}', '{guild}'] as const;

export const DEFAULT_TEMPLATE = '🎉 {user} reached level **{level}**!';

/**
 * The longest text each placeholder can become. A template is judged by its worst case, not by its own length:
 * `{user}` × 250 is 1 500 characters typed and 5 750 sent.
 */
export const PLACEHOLDER_MAX_LENGTH: Record<(typeof TEMPLATE_PLACEHOLDERS)[number], number> = {
  '{user}': 23, // <@ + a 20-digit id + >
  '{username}': 32, // display names and nicknames
  '{level}': 11, // levels of totals below 2^53 on the flattest curve: "134,217,727"
  '{oldlevel}': 11,
  '{xp}': 21, // "9,007,199,254,740,991"
  '{guild}': 100, // server names
};

/** What a filled-in template may take of Discord's 2 000 characters; the rest is for the DM prefix and the reward line. */
export const TEMPLATE_MAX_FILLED = 1800;

/** The length of the template once every placeholder is filled with its longest possible value. */
export function worstCaseLength(template: string): number {
  return template.replace(/\{(user|username|level|oldlevel|xp|guild)\}/g, (p) => 'x'.repeat(PLACEHOLDER_MAX_LENGTH[p as keyof typeof PLACEHOLDER_MAX_LENGTH])).length;
}

/**
 * The message sent: the filled template, the reward line under it, and for DMs the server's name before it, within
 * Discord's 2 000 characters. A stored template longer than the limit (an import, an older version) is shortened
 * before the reward line is, so the member still sees what they got.
 */
export function composeAnnouncement(filled: string, footer: string | null, dmGuildName: string | null): string {
  const prefix = dmGuildName !== null ? `**${fitText(dmGuildName, 100)}**: ` : '';
  const tail = footer ? `\n-# ${fitText(footer, 300)}` : '';
  return fitText(`${prefix}${fitText(filled, LIMITS.content - prefix.length - tail.length)}${tail}`, LIMITS.content);
}

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
