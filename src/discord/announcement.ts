/**
 * Level-up messages as admins design them (DESIGN §2.4.3): placeholders, the plain-text or embed form, and the check
 * of every template against Discord's limits by its worst case. Plain functions over plain data, no discord.js client.
 */
import type { APIEmbed } from 'discord.js';
import type { LevelUpEffect } from '../engine/ports.js';
import type { AnnounceStyle, CurrencyReward, GuildRules, GuildSettings, RoleReward } from '../engine/settings.js';
import { fitEmbeds, fitText, LIMITS } from './limits.js';

export const TEMPLATE_PLACEHOLDERS = ['{user}', '{username}', '{level}', '{oldlevel}', '{xp}', '{rank}', '{nextreward}', '{guild}'] as const;
export type Placeholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

const PLACEHOLDER_RE = /\{(user|username|level|oldlevel|xp|rank|nextreward|guild)\}/g;

export const DEFAULT_TEMPLATE = '🎉 {user} reached level **{level}**!';
export const DEFAULT_EMBED_TITLE = 'Level up!';
export const DEFAULT_EMBED_COLOR = 0x8b5cf6;

/** `{nextreward}` is cut to this many characters (role names are up to 100 each). */
export const NEXT_REWARD_MAX = 120;

/**
 * The longest text each placeholder can become. A template is judged by its worst case, not by its own length:
 * `{user}` × 250 is 1 500 characters typed and 5 750 sent.
 */
export const PLACEHOLDER_MAX_LENGTH: Record<Placeholder, number> = {
  '{user}': 23, // <@ + a 20-digit id + >
  '{username}': 32, // display names and nicknames
  '{level}': 11, // levels of totals below 2^53 on the flattest curve: "134,217,727"
  '{oldlevel}': 11,
  '{xp}': 21, // "9,007,199,254,740,991"
  '{rank}': 11, // members of a server, with separators
  '{nextreward}': NEXT_REWARD_MAX,
  '{guild}': 100, // server names
};

/** What a filled-in plain-text template may take of Discord's 2 000 characters; the rest is for the DM prefix and the reward line. */
export const TEMPLATE_MAX_FILLED = 1800;

/** What an embed needs beside the admin's parts: the "Rewards" field (its name and its value, cut to 300) and, in DMs, the server's name as author. */
export const EMBED_RESERVED = 'Rewards'.length + 300 + 100;

/** The length of the template once every placeholder is filled with its longest possible value. */
export function worstCaseLength(template: string): number {
  return template.replace(PLACEHOLDER_RE, (p) => 'x'.repeat(PLACEHOLDER_MAX_LENGTH[p as Placeholder])).length;
}

/** Placeholders written in `text` that the bot does not know. */
export function unknownPlaceholders(text: string): string[] {
  return [...new Set(text.match(/\{[^{}\s]+\}/g) ?? [])].filter((p) => !(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(p));
}

export function usesPlaceholder(templates: readonly (string | null)[], placeholder: Placeholder): boolean {
  return templates.some((t) => t?.includes(placeholder));
}

export function fillPlaceholders(template: string, values: Readonly<Record<Placeholder, string>>): string {
  return template.replace(PLACEHOLDER_RE, (m) => values[m as Placeholder]);
}

export function placeholderValues(input: { effect: LevelUpEffect; displayName: string; guildName: string; rank: number | null; nextReward: string }): Record<Placeholder, string> {
  const e = input.effect;
  return {
    '{user}': `<@${e.userId}>`,
    '{username}': input.displayName,
    '{level}': e.newLevel.toLocaleString('en-US'),
    '{oldlevel}': e.oldLevel.toLocaleString('en-US'),
    '{xp}': e.totalXp.toLocaleString('en-US'),
    '{rank}': input.rank ? input.rank.toLocaleString('en-US') : '—',
    '{nextreward}': input.nextReward,
    '{guild}': input.guildName,
  };
}

/**
 * The text of a level-up from `oldLevel` to `newLevel`: the own text of the highest level crossed that has one, else
 * the server's text (DESIGN §2.4.3). One flush can cross several levels (an admin's XP change, a long voice session);
 * the member gets one message, and the highest milestone is the one worth announcing.
 */
export function levelUpText(rules: Pick<GuildRules, 'settings' | 'levelUpMessages'>, oldLevel: number, newLevel: number): string {
  let at = 0;
  let own: string | null = null;
  for (const [level, text] of rules.levelUpMessages) {
    if (level > oldLevel && level <= newLevel && level > at) {
      at = level;
      own = text;
    }
  }
  return own ?? rules.settings.announceTemplate ?? DEFAULT_TEMPLATE;
}

/**
 * `{nextreward}`: what the next level with a reward above `level` gives ("Expert and 500 🪙 at level 20"), role names
 * rather than mentions so it reads the same in a title or footer, where Discord does not render mentions.
 */
export function nextRewardText(
  rules: { roleRewards: readonly RoleReward[]; currencyRewards: readonly CurrencyReward[] },
  level: number,
  roleName: (id: string) => string,
  currencyEmoji: string,
): string {
  const roles = rules.roleRewards.filter((r) => !r.remove && r.level > level);
  const coins = rules.currencyRewards.filter((c) => c.amount > 0 && c.level > level);
  const at = Math.min(...roles.map((r) => r.level), ...coins.map((c) => c.level));
  if (!Number.isFinite(at)) return 'no more rewards';
  const parts = [...roles.filter((r) => r.level === at).map((r) => roleName(r.roleId)), ...coins.filter((c) => c.level === at).map((c) => `${c.amount.toLocaleString('en-US')} ${currencyEmoji}`)];
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0]!;
  const tail = ` at level ${at.toLocaleString('en-US')}`;
  return `${fitText(list, NEXT_REWARD_MAX - tail.length)}${tail}`;
}

/**
 * The plain-text message: the filled template, the reward line under it, and for DMs the server's name before it,
 * within Discord's 2 000 characters. A stored template longer than the limit (an import, an older version) is
 * shortened before the reward line is, so the member still sees what they got.
 */
export function composeAnnouncement(filled: string, footer: string | null, dmGuildName: string | null): string {
  const prefix = dmGuildName !== null ? `**${fitText(dmGuildName, 100)}**: ` : '';
  const tail = footer ? `\n-# ${fitText(footer, 300)}` : '';
  return fitText(`${prefix}${fitText(filled, LIMITS.content - prefix.length - tail.length)}${tail}`, LIMITS.content);
}

/** "Roles gained / removed / currency" line under the announcement, or null when the level-up gave nothing. */
export function rewardFooter(e: LevelUpEffect, roleName: (id: string) => string, currencyEmoji: string): string | null {
  const parts: string[] = [];
  if (e.rolesToAdd.length) parts.push(`Roles gained: ${e.rolesToAdd.map(roleName).join(', ')}`);
  if (e.rolesToRemove.length) parts.push(`Roles removed: ${e.rolesToRemove.map(roleName).join(', ')}`);
  if (e.currencyPaid) parts.push(`+${e.currencyPaid.toLocaleString('en-US')} ${currencyEmoji}`);
  return parts.length ? parts.join(' · ') : null;
}

export interface LevelUpMessageInput {
  settings: GuildSettings;
  /** The template of this level-up: the per-level message when there is one, else the server's text. */
  text: string;
  values: Readonly<Record<Placeholder, string>>;
  /** The reward line (`rewardFooter`), or null. */
  rewards: string | null;
  /** The server's name when the message goes to the member's DMs. */
  dmGuildName: string | null;
  /** The member's avatar, for the embed's thumbnail. */
  avatarUrl: string | null;
  /** The attached level-up card's file name, shown as the embed's image; null = no card. */
  image: string | null;
}

/** The message of one level-up, plain text or embed, within Discord's limits (DESIGN §2.4.3). */
export function buildLevelUpMessage(m: LevelUpMessageInput): { content?: string; embeds?: APIEmbed[] } {
  const s = m.settings;
  const filled = fillPlaceholders(m.text, m.values);
  if (s.announceStyle === 'text') return { content: composeAnnouncement(filled, m.rewards, m.dmGuildName) };
  const title = fillPlaceholders(s.announceTitle ?? DEFAULT_EMBED_TITLE, m.values);
  const footer = s.announceFooter ? fillPlaceholders(s.announceFooter, m.values) : '';
  const embed: APIEmbed = {
    ...(title ? { title } : {}),
    description: filled,
    color: s.announceColor ?? DEFAULT_EMBED_COLOR,
    ...(m.dmGuildName !== null ? { author: { name: fitText(m.dmGuildName, 100) } } : {}),
    ...(s.announceThumbnail && m.avatarUrl ? { thumbnail: { url: m.avatarUrl } } : {}),
    ...(m.rewards ? { fields: [{ name: 'Rewards', value: fitText(m.rewards, 300) }] } : {}),
    ...(m.image ? { image: { url: `attachment://${m.image}` } } : {}),
    ...(footer ? { footer: { text: footer } } : {}),
  };
  // A mention inside an embed never pings: with pings on, the member's mention goes in the content.
  return { ...(s.announcePing ? { content: m.values['{user}'] } : {}), embeds: fitEmbeds([embed]) };
}

/** What the limits check looks at: the style and every template that can be sent. */
export interface LevelUpDesign {
  style: AnnounceStyle;
  /** The server's text (null = the default) and every per-level text. */
  texts: readonly (string | null)[];
  title: string | null;
  footer: string | null;
}

const n = (v: number) => v.toLocaleString('en-US');

/**
 * Why this design could produce a message Discord refuses, judged by the worst case of every template (every
 * placeholder at its longest); empty when every possible message fits. Plain text: 1 800 characters for the text
 * (room for the DM prefix and the reward line). Embed: title 256, description 4 096, footer 2 048, and all of them
 * with the reward field and the DM author within 6 000.
 */
export function designProblems(d: LevelUpDesign): string[] {
  const problems: string[] = [];
  const texts = d.texts.map((t) => t ?? DEFAULT_TEMPLATE);
  const longest = Math.max(...texts.map(worstCaseLength));
  const which = d.texts.length > 1 ? 'the longest level-up text' : 'the level-up text';
  if (d.style === 'text' && longest > TEMPLATE_MAX_FILLED) {
    problems.push(`As plain text, ${which} can reach ${n(longest)} characters; Discord allows 2 000 per message, so keep it to ${n(TEMPLATE_MAX_FILLED)} at the longest (the rest is for the reward line).`);
  }
  if (d.style === 'embed') {
    const title = d.title === null ? DEFAULT_EMBED_TITLE.length : worstCaseLength(d.title);
    const footer = d.footer ? worstCaseLength(d.footer) : 0;
    if (title > LIMITS.title) problems.push(`The embed title can reach ${n(title)} characters; Discord allows ${n(LIMITS.title)}.`);
    if (longest > LIMITS.description) problems.push(`In an embed, ${which} can reach ${n(longest)} characters; Discord allows ${n(LIMITS.description)} in an embed description.`);
    if (footer > LIMITS.footer) problems.push(`The embed footer can reach ${n(footer)} characters; Discord allows ${n(LIMITS.footer)}.`);
    const total = title + longest + footer + EMBED_RESERVED;
    if (problems.length === 0 && total > LIMITS.embedTotal) {
      problems.push(
        `Title, text and footer together can reach ${n(total - EMBED_RESERVED)} characters, and ${n(EMBED_RESERVED)} are kept for the reward field and the server's name in DMs; Discord allows ${n(LIMITS.embedTotal)} in all.`,
      );
    }
  }
  return problems;
}

/** The line under a refusal that says how placeholders are counted. */
export const WORST_CASE_NOTE = `Placeholders count at their longest: ${Object.entries(PLACEHOLDER_MAX_LENGTH).map(([p, v]) => `\`${p}\` ${v}`).join(', ')}. Use fewer or shorter placeholders, or shorter text.`;
