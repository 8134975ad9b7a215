/** `unicornia settings …`: every XP setting of the server in one embed, and the prefix for text commands. */
import { defineCommand, type AnyCommand } from '../types.js';
import { ok, oldPath, requireGuild, saveSettings } from './shared.js';
import { formatMilli } from '../../../engine/multiplier.js';
import { describeCurve } from '../../../levels/curve.js';
import { fitLines, fitText, LIMITS } from '../../limits.js';
import { UserError } from '../errors.js';
import { channelRateLines } from './channels.js';
import { antispamSummary } from './antispam.js';
import { describeRetention } from './data.js';
import type { GuildRules } from '../../../engine/settings.js';
import { describeCalendar, describeHistoryRetention } from './history-settings.js';
import { describeDecay } from './decay.js';

/** Where level-ups go and how they look, on one line (the texts themselves: `levelup preview`, `levelup levels`). */
function levelUpSummary(rules: GuildRules, where: string): string {
  const s = rules.settings;
  const parts = [`${where}${s.announcePing ? ', pings' : ''}`, `${s.announceTemplate === null ? 'default' : 'custom'} text`];
  if (rules.levelUpMessages.size) parts.push(`own text at level${rules.levelUpMessages.size > 1 ? 's' : ''} ${[...rules.levelUpMessages.keys()].map((l) => l.toLocaleString('en-US')).join(', ')}`);
  if (s.announceStyle === 'embed') {
    const colour = s.announceColor === null ? 'default colour' : `#${s.announceColor.toString(16).padStart(6, '0')}`;
    const title = s.announceTitle === null ? 'default title' : s.announceTitle === '' ? 'no title' : 'custom title';
    parts.push(`embed (${title}, ${colour}, avatar ${s.announceThumbnail ? 'on' : 'off'}, ${s.announceFooter === null ? 'no footer' : 'footer'})`);
  } else parts.push('plain text');
  if (s.announceCard) parts.push('with the level-up card');
  return parts.join(', ');
}

const settingsShow = defineCommand({
  path: ['unicornia', 'settings', 'show'],
  aliases: [['unicornia', 'settings'], oldPath('settings')],
  description: "Show this server's XP settings",
  options: [] as const,
  example: {},
  permission: 'admin',
  async handler(ctx) {
    const guildId = requireGuild(ctx);
    const rules = await ctx.app.core.engine.rules(guildId);
    const s = rules.settings;
    const web = await ctx.app.core.stores.web.guild(guildId);
    const exemptRoles = await ctx.app.core.stores.decay.exemptRoles(guildId);
    const announce = { off: 'off', channel: 'same channel', fixed: `<#${s.announceChannelId}>`, dm: 'DM' }[s.announceMode];
    const mult = [
      ...[...rules.channelMultipliers].map(([id, m]) => `<#${id}> ×${formatMilli(m)}`),
      ...[...rules.roleMultipliers].map(([id, m]) => `<@&${id}> ×${formatMilli(m)}`),
    ];
    return {
      embeds: [
        {
          title: 'XP settings',
          fields: [
            { name: 'XP', value: s.xpEnabled ? 'on' : 'off', inline: true },
            { name: 'Per message', value: `${s.xpPerMessage} XP`, inline: true },
            { name: 'Cooldown', value: `${s.cooldownSeconds} s`, inline: true },
            { name: 'Rate', value: `×${formatMilli(s.rateMilli)}`, inline: true },
            {
              name: 'Voice',
              value:
                `${s.voiceXpPerMinute}/min, anti-farm ${s.voiceAntiFarm ? 'on' : 'off'}, cap ${s.voiceDailyCapMinutes || 'none'}, ` +
                `muted ${s.voiceMutedEarn ? 'earn' : 'earn nothing'}, stage audience ${s.stageAudiencePercent} %`,
              inline: true,
            },
            { name: 'Curve', value: describeCurve(s.curve), inline: true },
            { name: 'Level-up messages', value: fitText(levelUpSummary(rules, announce), LIMITS.fieldValue) },
            { name: 'Prefix', value: `\`${s.prefix ?? ctx.app.defaultPrefix}\``, inline: true },
            { name: 'Roles back on rejoin', value: s.reapplyRolesOnRejoin ? 'yes' : 'no', inline: true },
            { name: 'Card accent', value: s.cardAccent ?? "card's own colours", inline: true },
            { name: 'Reward roles', value: s.rewardMode === 'replace' ? 'replace (only the highest)' : 'stack (keep lower ones)', inline: true },
            { name: 'Members who left', value: describeRetention(s.retentionDays), inline: true },
            { name: 'Web page', value: web?.isPublic ? `on, /g/${web.slug ?? guildId}` : 'off', inline: true },
            { name: 'XP history', value: describeHistoryRetention(s.historyRetentionDays), inline: true },
            { name: 'Calendar', value: describeCalendar(s.timeZone, s.weekStart), inline: true },
            { name: 'Season', value: rules.season ? `${rules.season.number}. ${rules.season.name}, ends <t:${Math.floor(rules.season.endsAt / 1000)}:f>` : 'none running', inline: true },
            { name: 'Decay', value: fitText(describeDecay(s, exemptRoles), LIMITS.fieldValue) },
            { name: 'Exclusions', value: `${rules.excludedChannels.size} channels, ${rules.excludedRoles.size} roles, ${rules.excludedUsers.size} users` },
            { name: 'Rewards', value: `${rules.roleRewards.length} role, ${rules.currencyRewards.length} currency` },
            { name: 'Multipliers', value: fitLines(mult, LIMITS.fieldValue, ', ') || 'none' },
            { name: 'Anti-spam', value: antispamSummary(s) },
            { name: 'XP per channel', value: fitLines(channelRateLines(rules), LIMITS.fieldValue, '\n') || 'none' },
          ],
        },
      ],
    };
  },
});

const settingsPrefix = defineCommand({
  path: ['unicornia', 'settings', 'prefix'],
  aliases: [oldPath('prefix')],
  description: 'Prefix for text commands in this server',
  options: [{ name: 'prefix', type: 'string', required: true, description: '1–10 characters, no spaces, or "default" (the bot\'s)', min: 1, max: 10 }] as const,
  example: { prefix: '?' },
  permission: 'admin',
  async handler(ctx, { prefix }) {
    if (prefix.toLowerCase() === 'default') {
      await saveSettings(ctx, { prefix: null });
      return ok(`Text commands start with the bot's prefix again: \`${ctx.app.defaultPrefix}\`.`);
    }
    if (/[\s`*_~|>\\]/.test(prefix)) throw new UserError('bad_argument', 'A prefix cannot contain spaces or Markdown characters (backtick, *, _, ~, |, >, backslash): they would garble every usage line.');
    await saveSettings(ctx, { prefix });
    return ok(`Text commands now start with \`${prefix}\`, e.g. \`${prefix}level check\`.`);
  },
});

export const settingsCommands: AnyCommand[] = [settingsShow, settingsPrefix] as AnyCommand[];
